/**
 * The plan's order and dependencies across subjects: a key is rotated only after every place that
 * exposed it is cut off, put back only after those places are cleaned and only where the plan
 * keeps a place, and verified gone only after the places that held it are deleted; a consumer of
 * a gateway running compromised code is moved after the gateway is cut off. Steps are then put in
 * phase order, each after the steps it waits for.
 */
import { exposedPlaces } from '../findings/topology/exposed-places.js';
import type { ScanReport, SecretLocation } from '../model/index.js';
import { withRemovedPlaces } from './key-steps.js';
import { PLAN_PHASES, PLAN_PHASE_TITLES, type ChecklistStep, type PlanPlaceRef } from './types.js';
import { unique } from './text.js';

/** What the composer reads of the report: where compromised code ran. */
export type PlanReport = Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>;

const KEY_CONTAINED = 'A key is rotated once every place that exposed it is cut off: until then the attacker could read the new one as it arrives.';
const KEY_CLEANED = 'A new key placed while the compromised code still runs there is stolen again: first the rotation, then the places cleaned.';
const KEY_GONE = 'The old key is gone only once it is replaced where the plan keeps a place and the places the plan deletes are deleted.';
const CONSUMER_AFTER_CONTAINMENT = 'The gateway runs compromised code, so it is cut off first (this consumer may break meanwhile); then the consumer is moved.';

/** Adds cross-subject dependencies, orders the steps by phase and sets aside key places another step deletes. */
export function arrangePlan(steps: readonly ChecklistStep[], report: PlanReport): ChecklistStep[] {
  const exposed = exposedPlaces(report.findings, report.exposures ?? []);
  const isExposed = (place: PlanPlaceRef): boolean => exposed.place(place.host, place.container) !== null;
  // Indexes over the steps, each list in step order, so a plan of thousands of steps is not searched once per step.
  const containing = groupBy(steps, (step) => step.contains?.host);
  const eradicating = groupBy(steps, (step) => (step.eradicates ? placeKey(step.eradicates.host, step.eradicates.container) : undefined));
  const removing = groupBy(steps, (step) => step.removes?.host);
  const keySteps = groupBy(steps, (step) => (step.key ? `${step.key.role}\u0000${step.key.fingerprint}` : undefined));
  const containmentOf = (place: PlanPlaceRef): string[] =>
    (containing.get(place.host) ?? []).filter((step) => step.contains!.container === null || step.contains!.container === place.container).map((step) => step.id);
  const eradicationOf = (place: PlanPlaceRef): string[] => (eradicating.get(placeKey(place.host, place.container)) ?? []).map((step) => step.id);
  const removalOf = (location: SecretLocation): ChecklistStep | undefined =>
    (removing.get(location.host) ?? []).find((step) =>
      location.container !== null ? step.removes!.container === location.container : location.path !== undefined && step.removes!.envFiles.includes(location.path),
    );
  // A key's places: those its replace step lists (an SSH key's replace step is per host).
  const placesOf = (fingerprint: string): SecretLocation[] => (keySteps.get(`replace\u0000${fingerprint}`) ?? []).flatMap((step) => step.locations ?? []);
  const keyStep = (fingerprint: string, role: 'rotate' | 'replace'): string[] => (keySteps.get(`${role}\u0000${fingerprint}`) ?? []).map((step) => step.id);

  const withDependencies = steps.map((step): ChecklistStep => {
    if (step.key) {
      const locations = step.key.role === 'replace' && step.locations?.length ? step.locations : placesOf(step.key.fingerprint);
      const places = distinctPlaces(locations.length > 0 ? locations : [{ host: step.host, container: step.container }]).filter(isExposed);
      if (step.key.role === 'rotate') return withBlockers(step, places.flatMap(containmentOf), KEY_CONTAINED);
      if (step.key.role === 'replace') {
        return withBlockers(step, [...keyStep(step.key.fingerprint, 'rotate'), ...places.flatMap(containmentOf), ...places.flatMap(eradicationOf)], KEY_CLEANED);
      }
      const removals = placesOf(step.key.fingerprint).flatMap((location) => removalOf(location)?.id ?? []);
      return withBlockers(step, [...keyStep(step.key.fingerprint, 'replace'), ...removals], KEY_GONE);
    }
    if (step.gone?.kind === 'consumer') {
      const gateway = { host: step.gone.gatewayHost, container: step.gone.gateway };
      return isExposed(gateway) ? withBlockers(step, containmentOf(gateway), CONSUMER_AFTER_CONTAINMENT) : step;
    }
    return step;
  });

  const ordered = orderByPhase(withDependencies);
  // Labels only for the removal steps a replace step names, not for every step of the plan.
  const labelOf = phaseLabeller(ordered);
  return ordered.map((step) => {
    if (step.key?.role !== 'replace' || !step.locations?.length) return step;
    const removed = step.locations.flatMap((location) => {
      const removal = removalOf(location);
      return removal ? [{ location, stepId: removal.id, label: labelOf(removal) }] : [];
    });
    return withRemovedPlaces(step, removed);
  });
}

/** `Eradicate step 2 (Stop and remove container litellm on gw)` per step id: how a step names another, numbered within its phase as the app and the Markdown report show it. */
export function phaseLabels(steps: readonly ChecklistStep[]): Map<string, string> {
  const labelOf = phaseLabeller(steps);
  return new Map(steps.map((step) => [step.id, labelOf(step)]));
}

/** How phaseLabels names one step of `steps`; the numbering is counted once, the text made only when asked for. */
function phaseLabeller(steps: readonly ChecklistStep[]): (step: ChecklistStep) => string {
  const numbers = new Map<ChecklistStep, number>();
  const counted = new Map<ChecklistStep['phase'], number>();
  for (const step of steps) {
    const number = (counted.get(step.phase) ?? 0) + 1;
    counted.set(step.phase, number);
    numbers.set(step, number);
  }
  return (step) => `${PLAN_PHASE_TITLES[step.phase]} step ${numbers.get(step)} (${step.title})`;
}

/** The places (host, and container or the host itself) among `locations`, each once, in first-seen order. */
function distinctPlaces(locations: ReadonlyArray<{ host: string; container: string | null }>): PlanPlaceRef[] {
  const places = new Map<string, PlanPlaceRef>();
  for (const { host, container } of locations) {
    const key = placeKey(host, container);
    if (!places.has(key)) places.set(key, { host, container });
  }
  return [...places.values()];
}

/** The step with these blockers added to its own, without repeats or itself; the reason kept when it already had one. */
function withBlockers(step: ChecklistStep, blockers: readonly string[], reason: string): ChecklistStep {
  const all = unique([...(step.blockedBy ?? []), ...blockers]).filter((id) => id !== step.id);
  if (all.length === 0) return step;
  return { ...step, blockedBy: all, blockedReason: step.blockedReason ?? reason };
}

/**
 * Phase order, and within a phase the builders' order (most severe first) except that a step comes
 * after every step of its phase it waits for. Blockers in a later phase are dropped: a step never
 * waits for one the plan puts after it.
 */
function orderByPhase(steps: readonly ChecklistStep[]): ChecklistStep[] {
  const rank = (step: ChecklistStep): number => PLAN_PHASES.indexOf(step.phase);
  const byId = new Map(steps.map((step) => [step.id, step]));
  const result: ChecklistStep[] = [];
  for (const phase of PLAN_PHASES) {
    const pending = steps.filter((step) => step.phase === phase);
    const pendingIds = new Set(pending.map((step) => step.id));
    // Taken steps are marked rather than spliced out, and the search starts at the first one left:
    // a phase of thousands of steps, each usually free, was otherwise shifted once per step.
    const taken = new Array<boolean>(pending.length).fill(false);
    let first = 0;
    for (let left = pending.length; left > 0; left -= 1) {
      // The first pending step none of whose same-phase blockers is still pending; on a cycle, the first one.
      let index = first;
      for (let candidate = first; candidate < pending.length; candidate += 1) {
        if (taken[candidate]) continue;
        const step = pending[candidate]!;
        if (!(step.blockedBy ?? []).some((id) => id !== step.id && pendingIds.has(id))) {
          index = candidate;
          break;
        }
      }
      const next = pending[index]!;
      taken[index] = true;
      while (first < pending.length && taken[first]) first += 1;
      pendingIds.delete(next.id);
      result.push(next);
    }
  }
  const position = new Map(result.map((step, index) => [step, index]));
  return result.map((step) => {
    if (!step.blockedBy) return step;
    const kept = step.blockedBy.filter((id) => {
      const blocker = byId.get(id);
      return blocker !== undefined && rank(blocker) <= rank(step) && position.get(blocker)! < position.get(step)!;
    });
    if (kept.length === step.blockedBy.length) return step;
    const { blockedBy: _dropped, blockedReason: _reason, ...rest } = step;
    return kept.length > 0 ? { ...rest, blockedBy: kept, blockedReason: step.blockedReason! } : rest;
  });
}

/** The key of a place (host, container or the host itself) in an index. */
function placeKey(host: string, container: string | null): string {
  return JSON.stringify([host, container]);
}

/** The steps with a key, grouped by it, each group in step order; steps without one are left out. */
function groupBy(steps: readonly ChecklistStep[], keyOf: (step: ChecklistStep) => string | undefined): Map<string, ChecklistStep[]> {
  const groups = new Map<string, ChecklistStep[]>();
  for (const step of steps) {
    const key = keyOf(step);
    if (key === undefined) continue;
    const group = groups.get(key);
    if (group) group.push(step);
    else groups.set(key, [step]);
  }
  return groups;
}
