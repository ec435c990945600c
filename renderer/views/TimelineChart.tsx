/**
 * Per compromise window: the window as a shaded band, and when each relevant container's image was
 * built, it was created and started; the user can set the window's start and end. Folded until
 * opened, below the findings table it explains.
 */
import { memo, useState, type ChangeEvent, type FormEvent } from 'react';
import { CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useCommands } from '../app/commands-context.js';
import { validateWindowForm, windowFormValues, type WindowFormValues } from '../app/window-form.js';
import { useTimeline, useTimelineOpen, useUiEvents, useWindowEditState } from '../store/hooks.js';
import type { TimelineEvent, TimelinePoint, TimelineWindow } from '../../shared/present/index.js';
import { formatTime } from '../app/format.js';
import { axisTick, CHART_COLOURS } from './chart-theme.js';

const EVENT_STYLE: Record<TimelineEvent, { fill: string; shape: 'square' | 'circle' | 'triangle' }> = {
  'image-built': { fill: CHART_COLOURS.imageBuilt, shape: 'square' },
  created: { fill: CHART_COLOURS.created, shape: 'circle' },
  started: { fill: CHART_COLOURS.started, shape: 'triangle' },
};

const RELATION_TEXT: Record<TimelinePoint['relation'], string> = { before: 'before the window', during: 'during the window', after: 'after the window' };

/** The timeline of every compromise window the report's exposures used; nothing when none did. */
export function TimelineChart() {
  const windows = useTimeline();
  const open = useTimelineOpen();
  const { timelineToggled } = useUiEvents();
  if (windows.length === 0) return null;
  return (
    <section className="card timeline" data-testid="timeline-chart" data-open={open}>
      <h2>
        <button type="button" className="row-toggle" aria-expanded={open} aria-controls="timeline-body" data-testid="timeline-toggle" onClick={timelineToggled}>
          <span className="chevron" aria-hidden="true">
            {open ? '▾' : '▸'}
          </span>
          <span>Compromise windows</span>
          <span className="muted small timeline-count">
            {windows.map((window) => `${window.title} ${window.start} – ${window.end}`).join('; ')}
          </span>
        </button>
      </h2>
      {open && (
        <div id="timeline-body">
          <p className="muted small">
            When each image was built and each container created and started, against the time the compromised release could be fetched (shaded).
            Containers that hold an affected package or that an auto-updater watches are shown. Times in UTC.
          </p>
          {windows.map((window) => (
            <WindowTimeline key={window.id} window={window} />
          ))}
        </div>
      )}
    </section>
  );
}

const WindowTimeline = memo(function WindowTimeline({ window }: { window: TimelineWindow }) {
  return (
    <div className="timeline-window" data-testid={`timeline-window-${window.id}`}>
      <h4>
        {window.title}{' '}
        <span className="muted small mono">
          {window.start} – {window.end}
        </span>
      </h4>
      <p className="timeline-source small" data-testid={`timeline-source-${window.id}`}>
        <strong>Source:</strong> {window.source}
      </p>
      <WindowEditor key={`${window.start}/${window.end}`} window={window} />
      {window.rows.length === 0 ? (
        <p className="muted small">No container holds an affected package or is watched by an updater.</p>
      ) : (
        <div className="timeline-plot" style={{ height: 80 + window.rows.length * 40 }}>
          <ResponsiveContainer width="100%" height="100%">
            <ScatterChart accessibilityLayer={false} margin={{ top: 8, right: 20, bottom: 4, left: 8 }}>
              <CartesianGrid stroke={CHART_COLOURS.grid} />
              <ReferenceArea
                x1={window.startMs}
                x2={window.endMs}
                fill={CHART_COLOURS.window}
                fillOpacity={0.14}
                stroke={CHART_COLOURS.window}
                strokeOpacity={0.5}
                ifOverflow="extendDomain"
                label={{ value: 'window', position: 'insideTop', fill: CHART_COLOURS.windowLabel, fontSize: 11 }}
              />
              <XAxis
                type="number"
                dataKey="time"
                domain={window.domain}
                ticks={window.ticks}
                scale="time"
                // Whole hours under three days, else dates: labels made with the ticks, so none repeat.
                tickFormatter={(time: number) => window.tickLabels[window.ticks.indexOf(time)] ?? ''}
                tick={axisTick(12)}
                stroke={CHART_COLOURS.axis}
              />
              <YAxis
                type="number"
                dataKey="row"
                domain={[-0.5, window.rows.length - 0.5]}
                ticks={window.rows.map((row) => row.index)}
                tickFormatter={(index: number) => window.rows[index]?.label ?? ''}
                reversed
                width={170}
                tick={axisTick(12, CHART_COLOURS.label)}
                stroke={CHART_COLOURS.axis}
              />
              <Tooltip content={<PointTooltip />} cursor={{ strokeDasharray: '3 3' }} />
              <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: CHART_COLOURS.label }}>{value}</span>} />
              {window.series.map((series) => (
                <Scatter
                  key={series.event}
                  name={series.name}
                  data={series.points}
                  fill={EVENT_STYLE[series.event].fill}
                  shape={EVENT_STYLE[series.event].shape}
                  isAnimationActive={false}
                />
              ))}
            </ScatterChart>
          </ResponsiveContainer>
        </div>
      )}
      {window.rows.some((row) => row.verdict !== null || row.watchedBy.length > 0) && (
        <ul className="timeline-rows small">
          {window.rows.map((row) => (
            <li key={row.label}>
              <span className="mono">{row.label}</span>
              {row.verdict && <span className={`badge inline verdict-${row.verdict}`}>{row.verdict}</span>}
              {row.watchedBy.length > 0 && <span className="badge inline badge-updater">watched by {row.watchedBy.join(', ')}</span>}
            </li>
          ))}
        </ul>
      )}
      {window.undated.length > 0 && <p className="muted small">No known times for: {window.undated.join(', ')}.</p>}
    </div>
  );
});

/**
 * Two UTC date-time inputs for the window's start and end, with Save and Reset (back to the known
 * window). Saving stores the window with the case and the report comes back judged again. Keyed by
 * the window's times, so a new report resets what was typed.
 */
function WindowEditor({ window }: { window: TimelineWindow }) {
  const commands = useCommands();
  const { overridden, saving } = useWindowEditState(window.id);
  const [values, setValues] = useState<WindowFormValues>(() => windowFormValues(window));
  const [errors, setErrors] = useState<Partial<Record<keyof WindowFormValues, string>>>({});
  const changed = values.start !== windowFormValues(window).start || values.end !== windowFormValues(window).end;
  const edit = (field: keyof WindowFormValues) => (event: ChangeEvent<HTMLInputElement>) => {
    setValues({ ...values, [field]: event.target.value });
    setErrors({});
  };
  const save = (event: FormEvent) => {
    event.preventDefault();
    const validation = validateWindowForm(values);
    if (!validation.ok) {
      setErrors(validation.errors);
      return;
    }
    void commands.setWindow(window.id, validation.range);
  };
  const error = errors.start ?? errors.end;
  return (
    <form className="window-editor small" onSubmit={save} data-testid={`window-editor-${window.id}`} noValidate>
      <label>
        Start (UTC){' '}
        <input type="datetime-local" step={1} value={values.start} onChange={edit('start')} aria-invalid={Boolean(errors.start)} data-testid={`window-start-${window.id}`} />
      </label>
      <label>
        End (UTC){' '}
        <input type="datetime-local" step={1} value={values.end} onChange={edit('end')} aria-invalid={Boolean(errors.end)} data-testid={`window-end-${window.id}`} />
      </label>
      <button type="submit" className="button small-button" disabled={saving || !changed} data-testid={`window-save-${window.id}`}>
        {saving ? 'Saving…' : 'Apply window'}
      </button>
      <button type="button" className="button small-button" disabled={saving || !overridden} onClick={() => void commands.setWindow(window.id, null)} data-testid={`window-reset-${window.id}`}>
        Reset to the known window
      </button>
      {error && (
        <span className="window-error" role="alert" data-testid={`window-error-${window.id}`}>
          {error}
        </span>
      )}
    </form>
  );
}

function PointTooltip({ active, payload }: { active?: boolean; payload?: readonly { payload?: TimelinePoint }[] }) {
  const point = active ? payload?.[0]?.payload : undefined;
  if (!point) return null;
  return (
    <div className="chart-tooltip">
      <strong>{point.label}</strong>
      <br />
      {point.event === 'image-built' ? 'Image built' : point.event === 'created' ? 'Created' : 'Started'} {formatTime(point.iso)}
      <br />
      <span className={point.relation === 'during' ? 'timeline-during' : 'muted'}>{RELATION_TEXT[point.relation]}</span>
    </div>
  );
}
