/**
 * The benchmark's arithmetic and printing, kept pure so it is unit-tested apart from the labs:
 * medians, time per scan phase from the scan's own progress events, round trips per host, the
 * peak RSS `/usr/bin/time -v` reports, the side-by-side table and the verdict on each goal of
 * issue 14, and the refusal to start Python on a host not known clean. scan-bench.ts measures;
 * this file only judges and turns measurements into lines.
 */
import type { ScanReport } from '../../shared/model/index.js';

/** One measured pair: the product's time and its peer's, in milliseconds (medians over the runs). */
export interface BenchRow {
  what: string;
  ours: number;
  peer: number | null;
  /** Why the peer (or ours) has no figure (e.g. ansible not installed). */
  note?: string;
}

/** The kind of a collector script, told by the marks each one carries. */
export function scriptKind(script: string): string {
  const via = / exec -i /.test(script) ? 'exec ' : /\nM='/.test(script) ? 'merged-dir ' : '';
  if (script.includes('emit kernel-name')) return 'facts';
  // `emit_open psql` (the virtual-key read) starts with `emit_open ps`: told apart first.
  if (script.includes('emit_open psql')) return `${via}virtual keys`;
  if (script.includes('emit_open logs')) return 'gateway logs';
  if (script.includes('emit_open workloads')) return 'kubernetes';
  if (/emit_open ps(?![\w-])/.test(script)) return 'container list';
  if (script.includes('emit_open inspect')) return 'container inspect';
  if (script.includes('emit_open image-inspect') || script.includes('emit_open history-0')) return 'image details';
  if (script.includes('verify()')) return `${via}record verification`;
  if (script.includes('scan_site()') && script.includes('check_file') && script.includes('ship()')) return `${via}python + iocs + artifacts`;
  if (script.includes('scan_site()') && script.includes('check_file')) return `${via}python + iocs`;
  if (script.includes('scan_site()')) return `${via}python`;
  if (script.includes('check_file')) return `${via}iocs`;
  if (script.includes('ship()')) return `${via}artifacts`;
  return 'other';
}

/** A progress event of the scan, stamped when it arrived (ms, any monotonic clock). */
export interface StampedProgress {
  host: string;
  phase: string;
  /** Set on "still waiting" reports, which do not start a phase. */
  waitingSeconds?: number;
  at: number;
}

/** The phases a host goes through, in the order the table lists them; `connecting` is printed as connect. */
export const SCAN_PHASES = ['connecting', 'facts', 'containers', 'python', 'iocs', 'keys'] as const;

/** Phases that end a host's scan: the time after them is not a phase. */
const FINAL_PHASES = new Set(['done', 'failed', 'cancelled']);

/** Milliseconds spent in each phase, per host: from the event that entered it to the next phase's. */
export function phaseDurations(events: readonly StampedProgress[]): Map<string, Map<string, number>> {
  const byHost = new Map<string, StampedProgress[]>();
  for (const event of events) {
    // "Still waiting" reports repeat the phase the host is in; they neither start nor end one.
    if (event.waitingSeconds !== undefined || event.phase === 'queued') continue;
    byHost.set(event.host, [...(byHost.get(event.host) ?? []), event]);
  }
  const result = new Map<string, Map<string, number>>();
  for (const [host, list] of byHost) {
    const sorted = [...list].sort((a, b) => a.at - b.at);
    const phases = new Map<string, number>();
    for (let index = 0; index + 1 < sorted.length; index++) {
      const event = sorted[index]!;
      if (FINAL_PHASES.has(event.phase)) continue;
      phases.set(event.phase, (phases.get(event.phase) ?? 0) + (sorted[index + 1]!.at - event.at));
    }
    result.set(host, phases);
  }
  return result;
}

/** One script a host ran, with the phase it was labelled with and when it started and settled. */
export interface ScriptSpan {
  host: string;
  phase: string;
  start: number;
  end: number;
}

/**
 * Milliseconds each phase had at least one script in flight, per host: the union of its scripts'
 * spans. Phases of one host overlap (they run side by side), so these are not consecutive slices
 * of the host's time; `connecting` (no script) still comes from the progress events.
 */
export function phaseSpans(spans: readonly ScriptSpan[], events: readonly StampedProgress[] = []): Map<string, Map<string, number>> {
  const result = new Map<string, Map<string, number>>();
  for (const [host, phases] of phaseDurations(events)) {
    if (phases.has('connecting')) result.set(host, new Map([['connecting', phases.get('connecting')!]]));
  }
  const grouped = new Map<string, ScriptSpan[]>();
  for (const span of spans) grouped.set(`${span.host}\t${span.phase}`, [...(grouped.get(`${span.host}\t${span.phase}`) ?? []), span]);
  for (const [key, list] of grouped) {
    const [host, phase] = key.split('\t') as [string, string];
    let covered = 0;
    let reach = -Infinity;
    for (const span of [...list].sort((a, b) => a.start - b.start)) {
      const from = Math.max(span.start, reach);
      if (span.end > from) covered += span.end - from;
      reach = Math.max(reach, span.end);
    }
    if (!result.has(host)) result.set(host, new Map());
    result.get(host)!.set(phase, covered);
  }
  return result;
}

/** Middle value (mean of the two middle ones for an even count); NaN for none. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}

/**
 * Lines of the per-phase table: for each phase, the median and the longest time a host spent in
 * it, and the sum over hosts (phases of different hosts overlap: the sum is work, not wall time).
 */
export function renderPhases(durations: Map<string, Map<string, number>>): string {
  const rows = SCAN_PHASES.map((phase) => {
    const values = [...durations.values()].map((phases) => phases.get(phase)).filter((value): value is number => value !== undefined);
    const name = phase === 'connecting' ? 'connect' : phase;
    if (values.length === 0) return [name, '–', '–', '–', '0'];
    const sum = values.reduce((total, value) => total + value, 0);
    return [name, median(values).toFixed(0), Math.max(...values).toFixed(0), sum.toFixed(0), String(values.length)];
  });
  return renderColumns(['phase', 'median/host (ms)', 'max/host (ms)', 'sum over hosts (ms)', 'hosts'], rows);
}

/** One line on round trips by kind of script, summed over hosts, most first. */
export function renderRoundTripKinds(kinds: ReadonlyMap<string, number>): string {
  const list = [...kinds].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return `round trips by script: ${list.map(([kind, count]) => `${kind} ${count}`).join(', ') || 'none'}`;
}

/** One line on round trips (script channels opened) per host: min, median, max and the total. */
export function renderRoundTrips(counts: ReadonlyMap<string, number>): string {
  const values = [...counts.values()];
  if (values.length === 0) return 'round trips per host: none counted';
  const total = values.reduce((sum, value) => sum + value, 0);
  const each = [...counts].map(([host, count]) => `${host} ${count}`).join(', ');
  return `round trips per host (exec channels): min ${Math.min(...values)}, median ${median(values)}, max ${Math.max(...values)}, total ${total} (${each})`;
}

/**
 * The peak resident set size in bytes from GNU time's `-v` report ("Maximum resident set size
 * (kbytes): N"), or null when the text holds none.
 */
export function parsePeakRss(timeVerbose: string): number | null {
  const match = /Maximum resident set size \(kbytes\):\s*(\d+)/.exec(timeVerbose);
  return match ? Number(match[1]) * 1024 : null;
}

/** The peak resident set size in bytes from a `/proc/PID/status` text (VmHWM), or null. */
export function parseVmHwm(status: string): number | null {
  const match = /^VmHWM:\s*(\d+)\s*kB/m.exec(status);
  return match ? Number(match[1]) * 1024 : null;
}

/** Ours ÷ peer, or null when either side has no figure. */
export function ratioOf(row: Pick<BenchRow, 'ours' | 'peer'>): number | null {
  if (row.peer === null || !Number.isFinite(row.ours) || !Number.isFinite(row.peer) || row.peer <= 0) return null;
  return row.ours / row.peer;
}

/** Renders the table: what, ours (ms), peer (ms), ratio (ours ÷ peer), then the rows' notes. */
export function renderTable(rows: readonly BenchRow[]): string {
  const cells = rows.map((row) => {
    const ratio = ratioOf(row);
    return [row.what, Number.isFinite(row.ours) ? row.ours.toFixed(0) : '–', row.peer === null ? '–' : row.peer.toFixed(0), ratio === null ? '–' : ratio.toFixed(2)];
  });
  const notes = rows.filter((row) => row.note).map((row) => `note: ${row.note}`);
  return [renderColumns(['what', 'ours (ms)', 'peer (ms)', 'ratio'], cells), ...notes].join('\n');
}

/** A goal of the issue and the figure it is judged on. */
export interface Goal {
  what: string;
  /** The measured value (a ratio, or bytes for memory); null when it was not measured. */
  measured: number | null;
  /** The goal holds when measured ≤ limit. */
  limit: number;
  unit: 'ratio' | 'bytes';
  /** Why it was not measured (printed instead of a verdict). */
  skipped?: string;
}

/** One line per goal: the figure, the limit and `holds` / `FAILS` / `not measured (why)`. */
export function renderGoals(goals: readonly Goal[]): string {
  const show = (value: number, unit: Goal['unit']) => (unit === 'bytes' ? `${(value / 2 ** 20).toFixed(0)} MB` : `${value.toFixed(2)}×`);
  return goals
    .map((goal) => {
      if (goal.measured === null) return `goal: ${goal.what} ≤ ${show(goal.limit, goal.unit)}: not measured (${goal.skipped ?? 'no figure'})`;
      const verdict = goal.measured <= goal.limit ? 'holds' : 'FAILS';
      return `goal: ${goal.what} ≤ ${show(goal.limit, goal.unit)}: ${show(goal.measured, goal.unit)} — ${verdict}`;
    })
    .join('\n');
}

/** Left-aligned first column, right-aligned others, a dashed rule under the header. */
function renderColumns(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column]!.length)));
  const line = (row: readonly string[]) => row.map((text, column) => (column === 0 ? text.padEnd(widths[column]!) : text.padStart(widths[column]!))).join('  ');
  return [line(header), widths.map((width) => '-'.repeat(width)).join('  '), ...rows.map(line)].join('\n');
}

/**
 * Refuses to start Python anywhere the lab planted a compromised package: the hosts must be the
 * bench lab's declared clean hosts AND the full scan of them must have found no compromised
 * package (on the host or in any of its containers).
 */
export function refuseUnlessClean(hosts: readonly string[], declaredClean: readonly string[], report: ScanReport): void {
  if (hosts.length === 0) throw new Error('refusing to run Ansible: the bench lab declares no clean host (--clean 0)');
  const undeclared = hosts.filter((host) => !declaredClean.includes(host));
  if (undeclared.length) throw new Error(`refusing to run Ansible on ${undeclared.join(', ')}: not declared clean by the bench lab`);
  const flagged = report.findings.filter((finding) => finding.kind === 'compromised-package' && hosts.includes(finding.host));
  if (flagged.length) throw new Error(`refusing to run Ansible: the scan found compromised packages on ${[...new Set(flagged.map((finding) => finding.host))].join(', ')}`);
  const unread = report.hosts.filter((host) => hosts.includes(host.name) && host.status !== 'ok');
  if (unread.length) throw new Error(`refusing to run Ansible: ${unread.map((host) => host.name).join(', ')} not fully read, so not known clean`);
}
