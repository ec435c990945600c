/** Requests per client over the compromise window, from the gateway's own log: stacked bars per hour, fed by the traffic selector. */
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import type { GatewayTrafficChartData } from '../../shared/present/index.js';
import { useGatewayTrafficChart } from '../store/hooks.js';

/** Series colours, distinct enough side by side; the stacked rest is grey. */
const COLOURS = ['#2e90fa', '#f79009', '#12b76a', '#9e77ed', '#f04438', '#0e9384', '#ee46bc', '#6172f3'];

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
        From the gateway's own log, {data.window.start} to {data.window.end} (UTC){data.truncated ? '; only the newest part of the log was read' : ''}
      </p>
      {data.rows.length === 0 ? (
        <p className="muted small" data-testid="gateway-traffic-empty">
          No requests logged in the window.
        </p>
      ) : (
        <div className="gateway-traffic-chart" style={{ height: 220 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={data.rows} margin={{ top: 4, right: 8, bottom: 4, left: 0 }}>
              <CartesianGrid vertical={false} stroke="#e4e7ec" />
              <XAxis dataKey="label" tick={{ fontSize: 11, fill: '#667085' }} stroke="#d0d5dd" />
              <YAxis allowDecimals={false} width={36} tick={{ fontSize: 11, fill: '#667085' }} stroke="#d0d5dd" />
              <Tooltip cursor={{ fill: 'rgba(16,24,40,0.04)' }} />
              <Legend wrapperStyle={{ fontSize: 11 }} />
              {data.series.map((series, index) => (
                <Bar
                  key={series.key}
                  dataKey={series.key}
                  name={series.name}
                  stackId="requests"
                  fill={series.key === 'other' ? '#98a2b3' : COLOURS[index % COLOURS.length]}
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
