/**
 * Per compromise window: the window as a shaded band, and when each relevant container's image was
 * built, it was created and started; the user can set the window's start and end.
 */
import { memo, useState, type ChangeEvent, type FormEvent } from 'react';
import { CartesianGrid, Legend, ReferenceArea, ResponsiveContainer, Scatter, ScatterChart, Tooltip, XAxis, YAxis } from 'recharts';
import { useCommands } from '../app/commands-context.js';
import { validateWindowForm, windowFormValues, type WindowFormValues } from '../app/window-form.js';
import { useTimeline, useWindowEditState } from '../store/hooks.js';
import type { TimelineEvent, TimelinePoint, TimelineWindow } from '../../shared/present/index.js';
import { formatTime } from '../app/format.js';

const EVENT_STYLE: Record<TimelineEvent, { fill: string; shape: 'square' | 'circle' | 'triangle' }> = {
  'image-built': { fill: '#2d5bd0', shape: 'square' },
  created: { fill: '#344054', shape: 'circle' },
  started: { fill: '#12b76a', shape: 'triangle' },
};

const RELATION_TEXT: Record<TimelinePoint['relation'], string> = { before: 'before the window', during: 'during the window', after: 'after the window' };

const YEAR_MS = 365 * 24 * 60 * 60 * 1000;

// A range longer than a few months needs the year to read the ticks.
const dateFormatter = (domain: [number, number]) => (time: number) =>
  new Date(time).toLocaleDateString(undefined, domain[1] - domain[0] > YEAR_MS / 3 ? { month: 'short', year: 'numeric' } : { month: 'short', day: 'numeric' });

/** The timeline of every compromise window the report's exposures used; nothing when none did. */
export function TimelineChart() {
  const windows = useTimeline();
  if (windows.length === 0) return null;
  return (
    <section className="card timeline" data-testid="timeline-chart">
      <h2>Compromise windows</h2>
      <p className="muted small">
        When each image was built and each container created and started, against the time the compromised release could be fetched (shaded).
        Containers that hold an affected package or that an auto-updater watches are shown.
      </p>
      {windows.map((window) => (
        <WindowTimeline key={window.id} window={window} />
      ))}
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
            <ScatterChart margin={{ top: 8, right: 20, bottom: 4, left: 8 }}>
              <CartesianGrid stroke="#e4e7ec" />
              <ReferenceArea
                x1={window.startMs}
                x2={window.endMs}
                fill="#f04438"
                fillOpacity={0.14}
                stroke="#f04438"
                strokeOpacity={0.5}
                ifOverflow="extendDomain"
                label={{ value: 'window', position: 'insideTop', fill: '#d92d20', fontSize: 11 }}
              />
              <XAxis
                type="number"
                dataKey="time"
                domain={window.domain}
                ticks={window.ticks}
                scale="time"
                tickFormatter={dateFormatter(window.domain)}
                tick={{ fontSize: 12, fill: '#667085' }}
                stroke="#d0d5dd"
              />
              <YAxis
                type="number"
                dataKey="row"
                domain={[-0.5, window.rows.length - 0.5]}
                ticks={window.rows.map((row) => row.index)}
                tickFormatter={(index: number) => window.rows[index]?.label ?? ''}
                reversed
                width={170}
                tick={{ fontSize: 12, fill: '#344054' }}
                stroke="#d0d5dd"
              />
              <Tooltip content={<PointTooltip />} cursor={{ strokeDasharray: '3 3' }} />
              <Legend wrapperStyle={{ fontSize: 12 }} formatter={(value: string) => <span style={{ color: '#344054' }}>{value}</span>} />
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
      <button type="submit" disabled={saving || !changed} data-testid={`window-save-${window.id}`}>
        {saving ? 'Saving…' : 'Apply window'}
      </button>
      <button type="button" disabled={saving || !overridden} onClick={() => void commands.setWindow(window.id, null)} data-testid={`window-reset-${window.id}`}>
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
