/**
 * The compromise-window timeline: per window a report's exposures used, the containers that hold
 * an affected package or that an auto-updater watches, with their image-built, created and
 * started times placed before, during or after the window.
 */
import type { Container, ScanReport, Verdict } from '../model/index.js';
import { KNOWN_WINDOWS, relativeToWindow } from '../domain/exposure/compromise-windows.js';
import { containerKey, containerWatchers } from './inventory.js';

/** The events of a container the timeline plots. */
export const TIMELINE_EVENTS = ['image-built', 'created', 'started'] as const;
/** One kind of timeline event. */
export type TimelineEvent = (typeof TIMELINE_EVENTS)[number];

/** One container row of a window's timeline. */
export interface TimelineRow {
  /** Position on the y axis, top row 0. */
  index: number;
  host: string;
  container: string;
  label: string;
  /** The exposure verdict of its affected package, or null when it is plotted only because an updater watches it. */
  verdict: Verdict | null;
  /** Updaters that watch it. */
  watchedBy: string[];
}

/** One dot of the timeline. */
export interface TimelinePoint {
  /** Milliseconds since the epoch (x). */
  time: number;
  /** Row index (y). */
  row: number;
  label: string;
  event: TimelineEvent;
  iso: string;
  relation: 'before' | 'during' | 'after';
}

/** One series of dots: every event of one kind. */
export interface TimelineSeries {
  event: TimelineEvent;
  name: string;
  points: TimelinePoint[];
}

/** One compromise window and the containers plotted against it. */
export interface TimelineWindow {
  id: string;
  title: string;
  source: string;
  start: string;
  end: string;
  startMs: number;
  endMs: number;
  rows: TimelineRow[];
  series: TimelineSeries[];
  /** The x axis range: every dot and the window, with a margin. */
  domain: [number, number];
  /** Evenly spaced x axis ticks across the domain, on whole hours or days, plus the window's start. */
  ticks: number[];
  /** What each tick reads (UTC), aligned with `ticks`: hours and minutes under three days, else the date. */
  tickLabels: string[];
  /** Containers that have no usable time at all. */
  undated: string[];
}

const EVENT_NAMES: Record<TimelineEvent, string> = { 'image-built': 'Image built', created: 'Container created', started: 'Container started' };

function eventTimes(container: Container | undefined): Record<TimelineEvent, string | null | undefined> {
  return { 'image-built': container?.imageCreated, created: container?.created, started: container?.startedAt };
}

/**
 * Per compromise window the report's exposures used, the window and the image-built, created and
 * started times of each container that holds an affected package (an exposure) or that an
 * auto-updater watches. Times Docker writes for "never" are left out.
 */
export function buildTimeline(report: ScanReport | null): TimelineWindow[] {
  if (!report) return [];
  const windows = new Map<string, { id: string; start: string; end: string }>();
  for (const exposure of report.exposures ?? []) if (exposure.window && !windows.has(exposure.window.id)) windows.set(exposure.window.id, exposure.window);
  const containers = new Map(report.hosts.flatMap((host) => host.containers.map((container) => [containerKey(host.name, container.name), container] as const)));
  const watched = containerWatchers(report);
  const verdictRank: Verdict[] = ['exposed', 'likely-exposed', 'unknown', 'not-exposed'];

  return [...windows.values()].map((window) => {
    const known = KNOWN_WINDOWS.find((candidate) => candidate.id === window.id);
    const rowsByKey = new Map<string, Omit<TimelineRow, 'index'>>();
    for (const exposure of report.exposures ?? []) {
      if (exposure.container === null || exposure.window?.id !== window.id) continue;
      const key = containerKey(exposure.host, exposure.container);
      const earlier = rowsByKey.get(key);
      // Several packages in one container: the worst verdict speaks for it.
      const verdict = earlier?.verdict && verdictRank.indexOf(earlier.verdict) < verdictRank.indexOf(exposure.verdict) ? earlier.verdict : exposure.verdict;
      rowsByKey.set(key, { host: exposure.host, container: exposure.container, label: `${exposure.container} · ${exposure.host}`, verdict, watchedBy: watched.get(key) ?? [] });
    }
    for (const [key, updaters] of watched) {
      if (rowsByKey.has(key) || !containers.has(key)) continue;
      const [host, ...rest] = key.split('/');
      const container = rest.join('/');
      rowsByKey.set(key, { host: host!, container, label: `${container} · ${host}`, verdict: null, watchedBy: updaters });
    }
    const rows = [...rowsByKey.values()]
      .sort((a, b) => a.host.localeCompare(b.host) || a.container.localeCompare(b.container))
      .map((row, index) => ({ ...row, index }));
    const series: TimelineSeries[] = TIMELINE_EVENTS.map((event) => ({ event, name: EVENT_NAMES[event], points: [] }));
    const undated: string[] = [];
    for (const row of rows) {
      const times = eventTimes(containers.get(containerKey(row.host, row.container)));
      let dated = false;
      for (const entry of series) {
        const iso = times[entry.event];
        if (!iso) continue;
        const relation = relativeToWindow(iso, window);
        if (relation === 'unknown') continue;
        dated = true;
        entry.points.push({ time: Date.parse(iso), row: row.index, label: row.label, event: entry.event, iso, relation });
      }
      if (!dated) undated.push(row.label);
    }
    const startMs = Date.parse(window.start);
    const endMs = Date.parse(window.end);
    const times = [startMs, endMs, ...series.flatMap((entry) => entry.points.map((point) => point.time))];
    const min = Math.min(...times);
    const max = Math.max(...times);
    const margin = Math.max((max - min) * 0.05, 60 * 60 * 1000);
    const domain: [number, number] = [min - margin, max + margin];
    const { ticks, tickLabels } = timeAxis(domain, startMs);
    return {
      id: window.id,
      title: known?.title ?? window.id,
      // A window the user narrowed or widened keeps the known source, and says it was changed.
      source:
        known && (known.start !== window.start || known.end !== window.end)
          ? `${known.source} Changed by the user to ${window.start} – ${window.end}.`
          : (known?.source ?? 'Window recorded in the report; its source is not known to this version.'),
      start: window.start,
      end: window.end,
      startMs,
      endMs,
      rows,
      series,
      domain,
      ticks,
      tickLabels,
      undated,
    };
  });
}

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;
/** Tick spacings to pick from, smallest first: whole hours, then whole days. */
const TICK_STEPS = [1, 2, 3, 6, 12].map((hours) => hours * HOUR_MS).concat([1, 2, 7, 14, 30, 61, 91, 182, 365].map((days) => days * DAY_MS));
/** Under this span the axis reads hours: dates alone would repeat ("Mar 24 Mar 24 Mar 24"). */
const HOURS_BELOW_MS = 3 * DAY_MS;
const MAX_TICKS = 8;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const utcDate = (time: number, withYear: boolean) => {
  const date = new Date(time);
  return `${MONTHS[date.getUTCMonth()]} ${date.getUTCDate()}${withYear ? ` ${date.getUTCFullYear()}` : ''}`;
};
const utcClock = (time: number) => new Date(time).toISOString().slice(11, 16);

/**
 * The x axis of a window: ticks on whole UTC hours (spans under three days) or days, at most eight,
 * plus the window's start (a tick too close to it, or reading the same, is dropped); labels read
 * the hour (with the date on the first tick and where the day changes), or the date (with the
 * year past four months), so no two ticks read alike.
 */
export function timeAxis(domain: readonly [number, number], anchor: number): { ticks: number[]; tickLabels: string[] } {
  const span = domain[1] - domain[0];
  const hourly = span < HOURS_BELOW_MS;
  const withYear = span > 120 * DAY_MS;
  const step = TICK_STEPS.find((candidate) => (hourly ? candidate < DAY_MS : candidate >= DAY_MS) && span / candidate <= MAX_TICKS) ?? TICK_STEPS.at(-1)!;
  const even: number[] = [];
  for (let tick = Math.ceil(domain[0] / step) * step; tick <= domain[1]; tick += step) even.push(tick);
  const label = (tick: number, previous: number | undefined) => {
    if (!hourly) return utcDate(tick, withYear);
    const sameDay = previous !== undefined && Math.floor(previous / DAY_MS) === Math.floor(tick / DAY_MS);
    return sameDay ? utcClock(tick) : `${utcDate(tick, false)} ${utcClock(tick)}`;
  };
  const anchorText = label(anchor, undefined);
  const ticks = [...even.filter((tick) => Math.abs(tick - anchor) > step / 3 && label(tick, undefined) !== anchorText), anchor].sort((a, b) => a - b);
  return { ticks, tickLabels: ticks.map((tick, index) => label(tick, ticks[index - 1])) };
}
