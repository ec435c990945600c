import { describe, expect, it } from 'vitest';
import type { JournalEntry, JournalEvent } from '../case/journal-entries.js';
import type { ChecklistStepWithProgress, PlanPhase } from '../checklist/types.js';
import { journalBurndown } from './journal-burndown.js';

const T = (hour: number) => Date.UTC(2026, 2, 25, 0, hour * 60);
const iso = (hour: number) => new Date(T(hour)).toISOString();

function step(id: string, phase: PlanPhase, extra: Partial<ChecklistStepWithProgress> = {}): ChecklistStepWithProgress {
  return {
    id,
    phase,
    title: id,
    detail: '',
    host: 'gw',
    container: null,
    findingIds: [],
    progress: null,
    done: false,
    stillFound: false,
    verified: false,
    notScanned: [],
    doneByEvidence: null,
    blocked: false,
    waitsFor: [],
    ...extra,
  };
}

function journal(...events: [number, JournalEvent][]): JournalEntry[] {
  return events.map(([hour, event], index) => ({ seq: index + 1, at: iso(hour), ...event }) as JournalEntry);
}

const scan: JournalEvent = { kind: 'scan', scanId: 's', scannedAt: iso(8), cancelled: false, hosts: [], findings: { critical: 1, high: 0, medium: 0, low: 0, info: 0 } };
const done = (hour: number) => ({ done: true, note: '', updatedAt: iso(hour), doneAt: iso(hour) });

describe('journalBurndown', () => {
  it('counts down each phase at every tick and back up at an untick, from the first entry to the last', () => {
    const steps = [step('a', 'contain', { done: true, progress: done(10) }), step('b', 'contain'), step('c', 'rotate', { done: true, progress: done(11) })];
    const entries = journal([8, scan], [9, { kind: 'tick', stepId: 'b' }], [10, { kind: 'tick', stepId: 'a' }], [10.5, { kind: 'untick', stepId: 'b' }], [11, { kind: 'tick', stepId: 'c' }], [12, { kind: 'export', format: 'html', fileName: 'x.html' }]);

    const burndown = journalBurndown(steps, entries, 0);

    expect(burndown.start).toBe(T(8));
    expect(burndown.end).toBe(T(12));
    expect(burndown.phases.map((phase) => phase.phase)).toEqual(['contain', 'rotate']);
    expect(burndown.phases[0]).toMatchObject({ title: 'Contain', total: 2, remaining: 1 });
    expect(burndown.phases[0]!.points).toEqual([
      { time: T(8), remaining: 2 },
      { time: T(9), remaining: 1 },
      { time: T(10), remaining: 0 },
      { time: T(10.5), remaining: 1 },
      { time: T(12), remaining: 1 },
    ]);
    expect(burndown.phases[1]!.points).toEqual([
      { time: T(8), remaining: 1 },
      { time: T(11), remaining: 0 },
      { time: T(12), remaining: 0 },
    ]);
  });

  it('counts a step ticked before the journal began as done from the start, and one done by evidence from its scan', () => {
    const steps = [
      step('old', 'verify', { done: true, progress: done(1) }),
      step('gone', 'verify', { done: true, doneByEvidence: { scannedAt: iso(11), hosts: ['gw'] } }),
      step('open', 'verify'),
    ];
    const entries = journal([8, scan], [11, { ...scan, scannedAt: iso(11) }]);

    const [verify] = journalBurndown(steps, entries, 0).phases;

    expect(verify!.points).toEqual([
      { time: T(8), remaining: 2 },
      { time: T(11), remaining: 1 },
    ]);
  });

  it('draws a single point per phase at the fallback time while the journal is empty', () => {
    const burndown = journalBurndown([step('a', 'harden')], [], T(5));

    expect(burndown).toEqual({ start: T(5), end: T(5), phases: [{ phase: 'harden', title: 'Harden', total: 1, remaining: 1, points: [{ time: T(5), remaining: 1 }] }] });
  });

  it('ignores ticks of steps the current plan no longer has', () => {
    const entries = journal([8, scan], [9, { kind: 'tick', stepId: 'gone-from-plan' }], [10, { kind: 'tick', stepId: 'a' }]);

    const [contain] = journalBurndown([step('a', 'contain', { done: true })], entries, 0).phases;

    expect(contain!.points).toEqual([
      { time: T(8), remaining: 1 },
      { time: T(10), remaining: 0 },
    ]);
  });
});
