/** One small step chart per plan phase: how many of its steps were open over the journal's span, all on the same time axis. */
import { memo } from 'react';
import { Area, AreaChart, CartesianGrid, ResponsiveContainer, XAxis, YAxis } from 'recharts';
import type { PhaseBurndown } from '../../shared/present/index.js';
import { useJournalBurndown } from '../store/hooks.js';
import { axisTick, CHART_COLOURS, SERIES_COLOURS } from './chart-theme.js';

const HOUR = 3_600_000;

/** Axis tick text as fine as the span needs: seconds over minutes, clock time within a day, dates beyond. */
function tickFormat(span: number): (time: number) => string {
  if (span < 10 * 60_000) return (time) => new Date(time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
  if (span < 24 * HOUR) return (time) => new Date(time).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
  return (time) => new Date(time).toLocaleString(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });
}

/** The burndowns of every phase with steps; nothing while the plan is empty. */
export function JournalBurndownChart() {
  const { start, end, phases } = useJournalBurndown();
  if (phases.length === 0) return null;
  return (
    <section className="card journal-burndown" data-testid="journal-burndown" aria-label="Open steps over time, per phase">
      <h2>Open steps over time</h2>
      <p className="muted small">Each phase's steps still open after every tick and untick, against the plan as it is now.</p>
      <div className="journal-burndown-grid">
        {phases.map((phase) => (
          <PhaseChart key={phase.phase} burndown={phase} domain={[start, end]} />
        ))}
      </div>
    </section>
  );
}

const PhaseChart = memo(function PhaseChart({ burndown, domain }: { burndown: PhaseBurndown; domain: [number, number] }) {
  // A one-point series (an empty journal) still draws as a flat line across the axis.
  const format = tickFormat(domain[1] - domain[0]);
  const points = burndown.points.length === 1 ? [burndown.points[0]!, { ...burndown.points[0]!, time: burndown.points[0]!.time + 1 }] : burndown.points;
  return (
    <figure className="journal-phase" data-testid={`journal-burndown-${burndown.phase}`}>
      <figcaption>
        <span className="journal-phase-title">{burndown.title}</span>{' '}
        <span className="muted small" data-testid={`journal-burndown-${burndown.phase}-figures`}>
          {burndown.total - burndown.remaining} of {burndown.total} done, {burndown.remaining} open
        </span>
      </figcaption>
      <div className="journal-phase-chart" aria-hidden="true">
        <ResponsiveContainer width="100%" height="100%">
          <AreaChart accessibilityLayer={false} data={points} margin={{ top: 6, right: 12, bottom: 0, left: -20 }}>
            <CartesianGrid vertical={false} stroke={CHART_COLOURS.grid} />
            <XAxis dataKey="time" type="number" scale="time" domain={domain[0] === domain[1] ? ['dataMin', 'dataMax'] : domain} tickFormatter={format} tick={axisTick(10)} stroke={CHART_COLOURS.axis} minTickGap={40} />
            <YAxis allowDecimals={false} domain={[0, burndown.total]} tick={axisTick(10)} stroke={CHART_COLOURS.axis} width={44} />
            <Area type="stepAfter" dataKey="remaining" name="Open" stroke={SERIES_COLOURS[0]} strokeWidth={2} fill={SERIES_COLOURS[0]} fillOpacity={0.12} isAnimationActive={false} />
          </AreaChart>
        </ResponsiveContainer>
      </div>
    </figure>
  );
});
