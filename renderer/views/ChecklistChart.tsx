/** Done vs open steps per plan phase, as a stacked bar chart fed by the chart-data selector. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useChecklistChartData } from '../store/hooks.js';
import { axisTick, CHART_COLOURS, TOOLTIP_STYLE } from './chart-theme.js';

/** The checklist progress chart. */
export function ChecklistChart() {
  const data = useChecklistChartData();
  return (
    <div className="checklist-chart" data-testid="checklist-chart" style={{ height: 56 + data.length * 36 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart accessibilityLayer={false} data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }} barCategoryGap={8}>
          <CartesianGrid horizontal={false} stroke={CHART_COLOURS.grid} />
          <XAxis type="number" allowDecimals={false} tick={axisTick(12)} stroke={CHART_COLOURS.axis} />
          <YAxis type="category" dataKey="phase" width={130} tick={axisTick(12, CHART_COLOURS.label)} stroke={CHART_COLOURS.axis} />
          <Tooltip {...TOOLTIP_STYLE} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: CHART_COLOURS.label }}>{value}</span>} />
          <Bar dataKey="done" name="Done" stackId="steps" fill={CHART_COLOURS.done} isAnimationActive={false} />
          <Bar dataKey="open" name="Open" stackId="steps" fill={CHART_COLOURS.open} isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
