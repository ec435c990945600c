/** Requests per client over the compromise window, from the gateway's own log: stacked bars per hour, fed by the traffic selector. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GatewayTrafficChartData } from '../../shared/present/index.js';
import { useGatewayTrafficChart } from '../store/hooks.js';
import { axisTick, CHART_COLOURS, SERIES_COLOURS, TOOLTIP_STYLE } from './chart-theme.js';


/** The chart of one gateway finding; renders nothing when the gateway's logs were not read. */
export function GatewayTrafficChart({ findingId }: { findingId: string }) {
  const data = useGatewayTrafficChart(findingId);
  return data ? <GatewayTrafficChartView data={data} /> : null;
}

/** The chart itself, and the same counts as a list (readable without the chart, and by tests). */
export function GatewayTrafficChartView({ data }: { data: GatewayTrafficChartData }) {
  return (
    <section className="gateway-traffic" data-testid="gateway-traffic">
      <h5>Requests per client over the window</h5>
      <p className="muted small" data-testid="gateway-traffic-window">
        From {data.source === 'gateway-db' ? "the request log in the gateway's database" : "the gateway's own log"}, {data.window.start} to {data.window.end} (UTC){data.truncated ? '; only the newest part of the log was read' : ''}
      </p>
      {data.rows.length === 0 ? (
        <p className="muted small" data-testid="gateway-traffic-empty">
          No requests logged in the window.
        </p>
      ) : (
        <div className="gateway-traffic-chart" style={{ height: 220 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart accessibilityLayer={false} data={data.rows} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
              <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
              <XAxis dataKey="label" tick={axisTick(11)} stroke={CHART_COLOURS.axis} />
              <YAxis allowDecimals={false} width={36} tick={axisTick(11)} stroke={CHART_COLOURS.axis} />
              <Tooltip {...TOOLTIP_STYLE} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {data.series.map((series, index) => (
                <Bar
                  key={series.key}
                  dataKey={series.key}
                  name={series.name}
                  stackId="requests"
                  // The stacked rest is grey.
                  fill={series.key === 'other' ? CHART_COLOURS.other : SERIES_COLOURS[index % SERIES_COLOURS.length]}
                  isAnimationActive={false}
                />
              ))}
            </BarChart>
          </ResponsiveContainer>
        </div>
      )}
      <ul className="evidence-lines" data-testid="gateway-traffic-clients">
        {data.series.map((series) => (
          <li key={series.key}>
            {series.name}: <code>{series.requests}</code> {series.requests === 1 ? 'request' : 'requests'}
          </li>
        ))}
      </ul>
    </section>
  );
}
