/** Done vs open steps per plan phase, as a stacked bar chart fed by the chart-data selector. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { useChecklistChartData } from '../store/hooks.js';

/** The checklist progress chart. */
export function ChecklistChart() {
  const data = useChecklistChartData();
  return (
    <div className="checklist-chart" data-testid="checklist-chart" style={{ height: 56 + data.length * 36 }}>
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={data} layout="vertical" margin={{ top: 4, right: 16, bottom: 4, left: 8 }} barCategoryGap={8}>
          <CartesianGrid horizontal={false} stroke="#e4e7ec" />
          <XAxis type="number" allowDecimals={false} tick={{ fontSize: 12, fill: '#667085' }} stroke="#d0d5dd" />
          <YAxis type="category" dataKey="phase" width={130} tick={{ fontSize: 12, fill: '#344054' }} stroke="#d0d5dd" />
          <Tooltip cursor={{ fill: 'rgba(16,24,40,0.04)' }} />
          <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: '#344054' }}>{value}</span>} />
          <Bar dataKey="done" name="Done" stackId="steps" fill="#12b76a" isAnimationActive={false} />
          <Bar dataKey="open" name="Open" stackId="steps" fill="#d5d9e0" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
