import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../../shared/model/index.js';
import { kubernetesScript } from '../../electron/collectors/kubernetes-collector.js';
import { newBoundary } from '../../electron/collectors/framing.js';
import { median, parsePeakRss, parseVmHwm, phaseDurations, phaseSpans, ratioOf, refuseUnlessClean, renderGoals, renderPhases, renderRoundTripKinds, renderRoundTrips, renderTable, scriptKind, type StampedProgress } from './bench-report.js';

const at = (host: string, phase: string, time: number, waitingSeconds?: number): StampedProgress => ({ host, phase, at: time, ...(waitingSeconds === undefined ? {} : { waitingSeconds }) });

describe('phaseDurations', () => {
  it('times each phase from the event that entered it to the next, per host, ignoring waits and the queue', () => {
    const events = [
      at('a', 'queued', 0),
      at('b', 'queued', 0),
      at('a', 'connecting', 10),
      at('a', 'facts', 150),
      at('b', 'connecting', 20),
      at('a', 'containers', 200),
      // A "still waiting" report repeats the phase: it must not cut containers in two.
      at('a', 'containers', 5200, 5),
      at('a', 'python', 6200),
      at('a', 'done', 6300),
      at('b', 'failed', 120),
    ];
    const durations = phaseDurations(events);
    expect(Object.fromEntries(durations.get('a')!)).toEqual({ connecting: 140, facts: 50, containers: 6000, python: 100 });
    expect(Object.fromEntries(durations.get('b')!)).toEqual({ connecting: 100 });
  });

  it('tolerates events out of order', () => {
    const durations = phaseDurations([at('a', 'facts', 30), at('a', 'connecting', 0), at('a', 'done', 100)]);
    expect(Object.fromEntries(durations.get('a')!)).toEqual({ connecting: 30, facts: 70 });
  });
});

describe('phaseSpans', () => {
  it("times each phase by the union of its scripts' spans, per host, with connecting from the events", () => {
    const span = (host: string, phase: string, start: number, end: number) => ({ host, phase, start, end });
    const durations = phaseSpans(
      [
        // Two python scripts overlapping (counted once where they overlap) and one after a gap.
        span('a', 'python', 100, 300),
        span('a', 'python', 200, 400),
        span('a', 'python', 500, 550),
        // Side by side with python: its own time, not taken from python's.
        span('a', 'facts', 100, 130),
        span('a', 'keys', 250, 260),
        span('a', 'keys', 255, 258),
        span('b', 'iocs', 0, 40),
      ],
      [at('a', 'connecting', 0), at('a', 'facts', 100), at('a', 'done', 600)],
    );
    expect(Object.fromEntries(durations.get('a')!)).toEqual({ connecting: 100, python: 350, facts: 30, keys: 10 });
    expect(Object.fromEntries(durations.get('b')!)).toEqual({ iocs: 40 });
  });
});

describe('renderPhases', () => {
  it('lists every phase with median, max and sum over hosts, and a dash where no host entered it', () => {
    const durations = new Map([
      ['a', new Map([['connecting', 100], ['facts', 10]])],
      ['b', new Map([['connecting', 300], ['facts', 30]])],
      ['c', new Map([['connecting', 200]])],
    ]);
    const lines = renderPhases(durations).split('\n');
    expect(lines[0]).toMatch(/^phase\s+median\/host \(ms\)\s+max\/host \(ms\)\s+sum over hosts \(ms\)\s+hosts$/);
    expect(lines.find((line) => line.startsWith('connect '))!.split(/\s+/)).toEqual(['connect', '200', '300', '600', '3']);
    expect(lines.find((line) => line.startsWith('facts '))!.split(/\s+/)).toEqual(['facts', '20', '30', '40', '2']);
    expect(lines.find((line) => line.startsWith('keys '))!.split(/\s+/)).toEqual(['keys', '–', '–', '–', '0']);
  });
});

describe('parsers', () => {
  it('reads the peak RSS from GNU time -v, in bytes', () => {
    const text = '\tCommand being timed: "node cli scan"\n\tMaximum resident set size (kbytes): 91344\n\tAverage resident set size (kbytes): 0\n';
    expect(parsePeakRss(text)).toBe(91344 * 1024);
    expect(parsePeakRss('Command exited with non-zero status 2')).toBeNull();
  });

  it('reads VmHWM from /proc/PID/status, in bytes', () => {
    expect(parseVmHwm('Name:\tnode\nVmPeak:\t 1000 kB\nVmHWM:\t   20480 kB\nVmRSS:\t 1000 kB\n')).toBe(20480 * 1024);
    expect(parseVmHwm('Name:\tnode\n')).toBeNull();
  });
});

describe('figures', () => {
  it('takes the median of odd and even counts', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(median([])).toBeNaN();
  });

  it('gives no ratio without both figures', () => {
    expect(ratioOf({ ours: 50, peer: 200 })).toBe(0.25);
    expect(ratioOf({ ours: NaN, peer: 200 })).toBeNull();
    expect(ratioOf({ ours: 50, peer: null })).toBeNull();
  });

  it('renders a table with ratios and the notes of rows without a peer', () => {
    const table = renderTable([
      { what: 'full scan vs ssh loop', ours: 1234.4, peer: 4000 },
      { what: 'full scan vs ansible setup', ours: NaN, peer: null, note: 'ansible not installed: skipped' },
    ]);
    const lines = table.split('\n');
    expect(lines[2]!.split(/\s{2,}/)).toEqual(['full scan vs ssh loop', '1234', '4000', '0.31']);
    expect(lines[3]!.split(/\s{2,}/)).toEqual(['full scan vs ansible setup', '–', '–', '–']);
    expect(lines).toContain('note: ansible not installed: skipped');
  });

  it('judges each goal: holds at or under the limit, FAILS over it, says why one was not measured', () => {
    const text = renderGoals([
      { what: 'scan ÷ ssh loop', measured: 0.5, limit: 0.5, unit: 'ratio' },
      { what: 'scan ÷ ansible', measured: 0.31, limit: 0.25, unit: 'ratio' },
      { what: 'inventory ÷ pip', measured: null, limit: 0.1, unit: 'ratio', skipped: 'ansible not installed: skipped' },
      { what: 'CLI peak memory', measured: 120 * 2 ** 20, limit: 300 * 2 ** 20, unit: 'bytes' },
    ]).split('\n');
    expect(text).toEqual([
      'goal: scan ÷ ssh loop ≤ 0.50×: 0.50× — holds',
      'goal: scan ÷ ansible ≤ 0.25×: 0.31× — FAILS',
      'goal: inventory ÷ pip ≤ 0.10×: not measured (ansible not installed: skipped)',
      'goal: CLI peak memory ≤ 300 MB: 120 MB — holds',
    ]);
  });

  it('summarises round trips per host', () => {
    expect(renderRoundTrips(new Map([['gw', 20], ['ollama', 5], ['podgw', 21]]))).toBe(
      'round trips per host (exec channels): min 5, median 20, max 21, total 46 (gw 20, ollama 5, podgw 21)',
    );
    expect(renderRoundTrips(new Map())).toBe('round trips per host: none counted');
  });

  it('tells kinds of scripts apart by their marks and lists the most frequent first', () => {
    expect(scriptKind('emit kernel-name "$(uname -s)"')).toBe('facts');
    expect(scriptKind("docker exec -i abc sh -s <<'X'\nscan_site() { :; }\ncheck_file() { :; }\nX")).toBe('exec python + iocs');
    expect(scriptKind('ship() { :; }')).toBe('artifacts');
    expect(scriptKind('emit_open ps\ndocker ps -aq --no-trunc')).toBe('container list');
    expect(scriptKind("emit_open psql\nprintf '%s' \"$Q\" | docker exec -i -u postgres abc psql -X")).toBe('exec virtual keys');
    expect(scriptKind('emit_open logs\ndocker logs --timestamps abc')).toBe('gateway logs');
    expect(scriptKind(kubernetesScript(newBoundary()))).toBe('kubernetes');
    expect(scriptKind('true')).toBe('other');
    expect(renderRoundTripKinds(new Map([['facts', 2], ['exec python + iocs', 40], ['artifacts', 2]]))).toBe(
      'round trips by script: exec python + iocs 40, artifacts 2, facts 2',
    );
  });
});

describe('refuseUnlessClean', () => {
  const report = (findings: { kind: string; host: string }[], statuses: Record<string, string> = {}): ScanReport =>
    ({
      hosts: ['bench7', 'bench8', 'bench1'].map((name) => ({ name, status: statuses[name] ?? 'ok' })),
      findings,
    }) as unknown as ScanReport;

  it('lets Ansible run on declared clean hosts the scan found nothing compromised on', () => {
    expect(() => refuseUnlessClean(['bench7', 'bench8'], ['bench7', 'bench8'], report([{ kind: 'compromised-package', host: 'bench1' }]))).not.toThrow();
  });

  it('refuses a host the bench lab did not declare clean, even when the scan found nothing there', () => {
    expect(() => refuseUnlessClean(['bench7', 'bench1'], ['bench7', 'bench8'], report([]))).toThrow(/bench1: not declared clean/);
  });

  it('refuses a declared clean host where the scan found a compromised package', () => {
    expect(() => refuseUnlessClean(['bench7', 'bench8'], ['bench7', 'bench8'], report([{ kind: 'compromised-package', host: 'bench8' }]))).toThrow(/compromised packages on bench8/);
  });

  it('refuses a host the scan could not read completely, and an empty list', () => {
    expect(() => refuseUnlessClean(['bench7'], ['bench7'], report([], { bench7: 'partial' }))).toThrow(/not fully read/);
    expect(() => refuseUnlessClean([], [], report([]))).toThrow(/no clean host/);
  });
});
