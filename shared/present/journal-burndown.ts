/**
 * Progress over time, per plan phase: how many of the phase's steps were still open after each
 * tick and untick the case's journal recorded. Measured against the current plan (the steps a
 * phase has now); a step ticked before the journal existed, or done by a re-scan's evidence,
 * counts from the time its progress or evidence gives.
 */
import type { JournalEntry } from '../case/journal-entries.js';
import { PLAN_PHASES, PLAN_PHASE_TITLES, type ChecklistStepWithProgress, type PlanPhase } from '../checklist/types.js';

/** One point of a phase's burndown: at `time` (ms since the epoch), `remaining` steps were open. */
export interface BurndownPoint {
  time: number;
  remaining: number;
}

/** One phase's burndown, from the journal's first entry to its last. */
export interface PhaseBurndown {
  phase: PlanPhase;
  title: string;
  /** The phase's steps in the current plan. */
  total: number;
  /** Open steps now (the last point's value). */
  remaining: number;
  /** In time order; the first at the journal's start, the last at its end. */
  points: BurndownPoint[];
}

/** The burndowns and the span of time they share, so every phase is drawn on the same axis. */
export interface JournalBurndown {
  start: number;
  end: number;
  phases: PhaseBurndown[];
}

/** One change of a step's done state. */
interface StepChange {
  time: number;
  done: boolean;
}

/** The done-state changes of each step, from the journal's ticks and unticks in their order. */
function journalChanges(entries: readonly JournalEntry[]): Map<string, StepChange[]> {
  const changes = new Map<string, StepChange[]>();
  for (const entry of entries) {
    if (entry.kind !== 'tick' && entry.kind !== 'untick') continue;
    const time = Date.parse(entry.at);
    if (Number.isNaN(time)) continue;
    const list = changes.get(entry.stepId) ?? [];
    list.push({ time, done: entry.kind === 'tick' });
    changes.set(entry.stepId, list);
  }
  return changes;
}

/**
 * A step's changes: the journal's, then its evidence when a re-scan made it done without a tick;
 * for a step done now that the journal never saw ticked, one change at its recorded tick time
 * (the journal's start when it has none).
 */
function stepChanges(step: ChecklistStepWithProgress, recorded: StepChange[] | undefined, start: number): StepChange[] {
  const changes = [...(recorded ?? [])];
  const evidenceTime = step.doneByEvidence ? Date.parse(step.doneByEvidence.scannedAt) : Number.NaN;
  if (step.doneByEvidence && !step.progress?.done) changes.push({ time: Number.isNaN(evidenceTime) ? start : evidenceTime, done: true });
  if (changes.length === 0 && step.done) {
    const doneAt = Date.parse(step.progress?.doneAt ?? '');
    changes.push({ time: Number.isNaN(doneAt) ? start : doneAt, done: true });
  }
  return changes.sort((a, b) => a.time - b.time);
}

/** Whether a step was done at `time`: its last change at or before then (open before its first). */
function doneAt(changes: readonly StepChange[], time: number): boolean {
  let done = false;
  for (const change of changes) {
    if (change.time > time) break;
    done = change.done;
  }
  return done;
}

/**
 * The burndown of each phase that has steps, in plan order: a point at the journal's first entry,
 * one at every time a step of the phase changed, and one at the journal's last entry. With an
 * empty journal every phase is one point at `fallbackTime`.
 */
export function journalBurndown(steps: readonly ChecklistStepWithProgress[], entries: readonly JournalEntry[], fallbackTime: number): JournalBurndown {
  const times = entries.map((entry) => Date.parse(entry.at)).filter((time) => !Number.isNaN(time));
  const start = times.length > 0 ? Math.min(...times) : fallbackTime;
  const end = times.length > 0 ? Math.max(...times) : fallbackTime;
  const recorded = journalChanges(entries);
  const phases: PhaseBurndown[] = [];
  for (const phase of PLAN_PHASES) {
    const phaseSteps = steps.filter((step) => step.phase === phase);
    if (phaseSteps.length === 0) continue;
    const changes = phaseSteps.map((step) => stepChanges(step, recorded.get(step.id), start));
    const remainingAt = (time: number) => changes.filter((list) => !doneAt(list, time)).length;
    const changeTimes = [...new Set(changes.flat().map((change) => change.time))].filter((time) => time > start && time < end).sort((a, b) => a - b);
    const points = [start, ...changeTimes, ...(end > start ? [end] : [])].map((time) => ({ time, remaining: remainingAt(time) }));
    phases.push({ phase, title: PLAN_PHASE_TITLES[phase], total: phaseSteps.length, remaining: points.at(-1)!.remaining, points });
  }
  return { start, end, phases };
}
