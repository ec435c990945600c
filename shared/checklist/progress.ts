/**
 * Applying the user's recorded progress to the generated steps: done, still found, verified or
 * done by evidence per step, blocked while a step it waits for is not done, orphaned progress kept
 * aside, and the totals of the progress chart.
 */
import type { StepProgress } from '../ipc/contract.js';
import type { Finding, HostInventory, RevocationCheck } from '../model/index.js';
import {
  PLAN_PHASES,
  type PlanPhaseSummary,
  type ChecklistStep,
  type ChecklistStepWithProgress,
  type ChecklistSummary,
  type MergedChecklist,
  type StepEvidence,
  type GoneCheck,
} from './types.js';
import { goneCheckHosts, goneJudge, type GoneJudge } from './gone.js';
import { retainedGoneStep } from './key-steps.js';
import { teardownOutcomes, type TeardownPieceOutcome } from './teardown.js';
import { moveOutcome } from './route-targets.js';
import { rotateStepRevocation } from './revocation.js';

/**
 * Applies recorded progress to the steps; progress for steps no longer generated comes back as
 * orphans, except a ticked "gone" step (a key, an authorized public key), which stays a step so
 * the scan can show it verified. `hosts` and `findings` are the latest report's: gone steps are
 * judged against them, ticked ones only when `scannedAt` is after their tick, and kept steps (from
 * the case ledger) without a tick when `scannedAt` is after they were last seen. A key's rotate step
 * is verified by the opt-in revocation check (`revocationChecks`, by fingerprint) finding its old key revoked.
 */
export function mergeProgress(
  steps: readonly ChecklistStep[],
  progress: Readonly<Record<string, StepProgress>>,
  options: {
    scannedAt?: string;
    hosts?: readonly HostInventory[];
    findings?: readonly Finding[];
    revocationChecks?: Readonly<Record<string, RevocationCheck>>;
  } = {},
): MergedChecklist {
  const scannedAt = options.scannedAt === undefined ? Number.NaN : Date.parse(options.scannedAt);
  const ids = new Set(steps.map((step) => step.id));
  const recordedFor = (stepId: string): StepProgress | null => (Object.hasOwn(progress, stepId) ? (progress[stepId] ?? null) : null);
  // A gone step whose thing vanished from the findings (and the ledger) is rebuilt from its id and the hosts kept with its tick.
  const retained = options.hosts
    ? Object.keys(progress)
        .filter((stepId) => !ids.has(stepId))
        .sort()
        .flatMap((stepId) => {
          const step = retainedGoneStep(stepId, recordedFor(stepId));
          return step ? [step] : [];
        })
    : [];
  const retainedIds = new Set(retained.map((step) => step.id));
  const all = [...steps];
  // Retained steps go to the end of their phase, after the steps the current findings generate.
  for (const step of retained) {
    const last = all.map((candidate) => candidate.phase).lastIndexOf(step.phase);
    const firstLater = all.findIndex((candidate) => PLAN_PHASES.indexOf(candidate.phase) > PLAN_PHASES.indexOf(step.phase));
    all.splice(last !== -1 ? last + 1 : firstLater === -1 ? all.length : firstLater, 0, step);
  }
  // In a case merged from scans of some hosts each host has its own scan time: one read before an
  // instant (a tick, a last sighting) cannot show that something is gone since, so it counts as not scanned.
  // Most steps ask for the same instant (none ticked yet: NaN), so each answer is kept: a plan of
  // thousands of steps over thousands of findings would otherwise filter them once per step.
  const reads = new Map<number, { hosts: HostInventory[]; findings: Finding[] | undefined; gone: GoneJudge }>();
  const readSince = (since: number): { hosts: HostInventory[]; findings: Finding[] | undefined; gone: GoneJudge } => {
    const known = reads.get(since);
    if (known) return known;
    const hosts = options.hosts!.filter((host) => !(Date.parse(host.scannedAt ?? options.scannedAt ?? '') < since));
    const names = new Set(hosts.map((host) => host.name));
    const findings = options.findings?.filter((finding) => names.has(finding.host));
    const read = { hosts, findings, gone: goneJudge(hosts, findings) };
    reads.set(since, read);
    return read;
  };
  const merged = all.map((step): Omit<ChecklistStepWithProgress, 'blocked' | 'waitsFor'> => {
    const recorded = recordedFor(step.id);
    const ticked = recorded?.done === true;
    const doneAt = recorded?.doneAt ? Date.parse(recorded.doneAt) : Number.NaN;
    const rescanned = ticked && doneAt < scannedAt;
    // A kept step's subject is absent from the findings; the scan judges it once it is newer than the last sighting.
    const kept = step.kept && options.hosts ? step.kept : null;
    const keptRead = kept && Date.parse(kept.lastSeen) < scannedAt ? readSince(Date.parse(kept.lastSeen)) : null;
    const keptOutcome = keptRead ? keptRead.gone(kept!.check) : null;
    const keptAbsent = keptOutcome !== null && keptOutcome.foundOn.length === 0;
    const since = step.gone && options.hosts ? readSince(doneAt) : null;
    const outcome = since ? since.gone(step.gone!, recorded?.watchedHosts ?? []) : null;
    const absent = rescanned && outcome !== null && outcome.foundOn.length === 0;
    // A consumer's move to a picked target: the scan after the tick (or after it was last seen) must find it pointing there.
    const route = rescanned && since ? moveOutcome(step, recorded?.choice, since.hosts, absent) : keptRead ? moveOutcome(step, recorded?.choice, keptRead.hosts, keptAbsent) : null;
    const offTarget = route !== null && !route.pointsAtTarget;
    const doneByEvidence: StepEvidence | null =
      keptAbsent && keptOutcome.notScanned.length === 0 && !offTarget ? { scannedAt: options.scannedAt!, hosts: goneCheckHosts(kept!.check) } : null;
    const done = ticked || doneByEvidence !== null;
    if (step.gone && outcome) {
      return {
        ...step,
        ...(step.gone.kind === 'teardown' ? { teardown: pieceOutcomes(step.gone, rescanned && since ? since.hosts : keptRead ? keptRead.hosts : (options.hosts ?? [])) } : {}),
        progress: recorded,
        done,
        stillFound: rescanned && outcome.foundOn.length > 0,
        verified: doneByEvidence !== null || (absent && outcome.notScanned.length === 0 && !offTarget),
        notScanned: doneByEvidence !== null ? [] : absent ? outcome.notScanned : keptAbsent ? keptOutcome.notScanned : [],
        doneByEvidence,
        ...(route ? { routeAround: route } : {}),
      };
    }
    return {
      ...step,
      progress: recorded,
      done,
      stillFound: rescanned && step.verification === 'rescan' && !kept,
      verified: rotateStepRevocation({ key: step.key, done }, options.revocationChecks ?? {})?.state === 'verified',
      notScanned: keptAbsent && doneByEvidence === null ? keptOutcome.notScanned : [],
      doneByEvidence,
    };
  });
  // A step is blocked while a step it waits for is not done; ticking it anyway is allowed (the view warns).
  const doneIds = new Set(merged.filter((step) => step.done).map((step) => step.id));
  const present = new Set(merged.map((step) => step.id));
  const withBlocking = merged.map((step): ChecklistStepWithProgress => {
    const waitsFor = (step.blockedBy ?? []).filter((id) => present.has(id) && !doneIds.has(id));
    return { ...step, blocked: waitsFor.length > 0, waitsFor };
  });
  const orphanedProgress = Object.keys(progress)
    .filter((stepId) => !ids.has(stepId) && !retainedIds.has(stepId))
    .sort()
    .map((stepId) => ({ stepId, progress: progress[stepId] as StepProgress }));
  return { steps: withBlocking, orphanedProgress };
}

/** Each teardown piece as the scan judging the step sees it: after the tick, else after it was last seen, else the latest. */
function pieceOutcomes(check: Extract<GoneCheck, { kind: 'teardown' }>, hosts: readonly HostInventory[]): TeardownPieceOutcome[] {
  return teardownOutcomes(check.gateway, check.pieces, hosts);
}

/**
 * Done and total steps, overall and per phase, for the progress chart: ticked, or done by evidence
 * for merged steps. Orphaned progress is not counted.
 */
export function checklistSummary(
  steps: readonly (ChecklistStep & { doneByEvidence?: StepEvidence | null })[],
  progress: Readonly<Record<string, StepProgress>>,
): ChecklistSummary {
  const isDone = (step: ChecklistStep & { doneByEvidence?: StepEvidence | null }): boolean =>
    (Object.hasOwn(progress, step.id) && progress[step.id]?.done === true) || (step.doneByEvidence ?? null) !== null;
  const byPhase = PLAN_PHASES.map((phase): PlanPhaseSummary => {
    const inPhase = steps.filter((step) => step.phase === phase);
    const done = inPhase.filter(isDone).length;
    return { phase, total: inPhase.length, done, remaining: inPhase.length - done };
  });
  return { total: steps.length, done: steps.filter(isDone).length, byPhase };
}
