/**
 * The plan as a report carries it (`plan` in the JSON report, the "Plan" section of the Markdown
 * one): each step's id, phase, title, the places it concerns, what it waits for and its state.
 * The CLI keeps no ticks, so there a step is `blocked` when it waits for any step, else `open`;
 * given the case's merged progress, `done` and `blocked` follow the ticks.
 */
import type { CaseDecisions } from '../case/decisions.js';
import type { PlanStep, ScanReport } from '../model/index.js';
import { generateChecklist, mergeProgress } from './checklist.js';
import type { ChecklistStep, ChecklistStepWithProgress } from './types.js';
import { unique } from './text.js';

/** The plan of a report without recorded progress, as the CLI writes it, following the owner's decisions when given. */
export function reportPlan(report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>, decisions: CaseDecisions | null = null): PlanStep[] {
  return planSteps(mergeProgress(generateChecklist(report, null, decisions), {}).steps);
}

/** Merged steps (with or without ticks) as report plan steps. */
export function planSteps(steps: readonly ChecklistStepWithProgress[]): PlanStep[] {
  return steps.map((step) => ({
    id: step.id,
    phase: step.phase,
    title: step.title,
    detail: step.detail,
    places: placesOf(step),
    blockedBy: [...(step.blockedBy ?? [])],
    ...(step.blockedReason && step.blockedBy?.length ? { blockedReason: step.blockedReason } : {}),
    state: step.done ? 'done' : step.blocked ? 'blocked' : 'open',
  }));
}

/** The place a step acts on first, then the other places it lists (a key's places that survive the plan). */
function placesOf(step: ChecklistStep): PlanStep['places'] {
  const places = [{ host: step.host, container: step.container }, ...(step.locations ?? []).map(({ host, container }) => ({ host, container }))];
  return unique(places.map((place) => JSON.stringify([place.host, place.container]))).map((key) => {
    const [host, container] = JSON.parse(key) as [string, string | null];
    return { host, container };
  });
}
