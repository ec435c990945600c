/**
 * The response plan: steps generated from a report's findings, in the phases an incident is worked
 * (contain, eradicate, rotate, verify, recover, harden), each naming the steps it waits for. Step
 * ids derive from hosts, containers and finding ids, never from positions, so a re-scan with the
 * same findings yields the same ids and the progress the user recorded (kept by step id in the
 * case folder) still applies. Ids keep the prefix of the group they were first generated in
 * (`teardown:`, `clean-up:`): the `phase` field, not the prefix, says where a step belongs.
 *
 * This module composes the steps; the step builders, the progress merge and the types live in
 * ./checklist/, and everything importers use is re-exported from here.
 */
import type { CaseDecisions } from '../case/decisions.js';
import type { CaseLedger } from '../case/ledger-entries.js';
import { REGISTERED_KINDS, kindSpec, type ChecklistContext } from '../kinds/registry.js';
import type { Finding, FindingKind, ScanReport } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { keptSteps } from './kept-steps.js';
import { arrangePlan, type PlanReport } from './plan-order.js';
import { boundedId } from './text.js';

export { PLAN_PHASES, PLAN_PHASE_TITLES } from './types.js';
export type {
  ChecklistStep,
  ChecklistStepWithProgress,
  ChecklistSummary,
  GoneCheck,
  KeptStep,
  MergedChecklist,
  OrphanedProgress,
  PlanPhase,
  PlanPhaseSummary,
  PlanPlaceRef,
  RemovedLocation,
  StepChoice,
  StepEvidence,
  StepVerification,
} from './types.js';
export { checklistSummary, mergeProgress } from './progress.js';
export { goneCheckHosts, goneOutcome } from './gone.js';
export { CONSUMER_TARGETS } from './consumer-steps.js';
export { TEARDOWN_PIECE_LABELS } from './teardown-steps.js';
export type { TeardownPiece, TeardownPieceKind, TeardownPieceOutcome, TeardownPieceState } from './teardown.js';
export { phaseLabels } from './plan-order.js';

/**
 * The response steps for a report's findings, in phase order contain → eradicate → rotate →
 * verify → recover → harden, each after the steps it waits for (plan-order.ts). With the case
 * ledger, the steps of keys, authorized keys and consumers seen by earlier scans but absent from
 * this one are kept (marked `kept`), and a key's steps name every host and place it was ever seen.
 * With the owner's decisions, a gateway to patch is upgraded and re-deployed pinned instead of torn
 * down, and its consumers get new keys instead of moving (remove, or no decision: the teardown).
 */
export function generateChecklist(report: PlanReport, ledger: CaseLedger | null = null, decisions: CaseDecisions | null = null): ChecklistStep[] {
  const steps = new Map<string, ChecklistStep>();
  // Each step's finding ids as a set beside its list: a step that thousands of findings lead to searched its list once per finding.
  const listed = new Map<string, Set<string>>();
  const add = (step: ChecklistStep): void => {
    const existing = steps.get(step.id);
    // One step per container or host however many findings lead to it: the findings accumulate.
    if (existing) {
      let ids = listed.get(step.id);
      if (!ids) listed.set(step.id, (ids = new Set(existing.findingIds)));
      for (const id of step.findingIds) {
        if (ids.has(id)) continue;
        ids.add(id);
        existing.findingIds.push(id);
      }
    } else steps.set(step.id, step);
  };

  // Each kind's steps, in registry order; kinds this version does not know generate none (report-format.md).
  for (const kind of REGISTERED_KINDS) stepsOf(kind, report, { report, ledger, decisions }).forEach(add);
  // After the current findings' steps, so a step the findings still generate is never replaced by a kept one.
  if (ledger) keptSteps(report, ledger, decisions).forEach(add);

  return arrangePlan([...steps.values()], report).map(bounded);
}

/** The step with its id, and the ids it refers to, within the length the checklist channel accepts. */
function bounded(step: ChecklistStep): ChecklistStep {
  return {
    ...step,
    id: boundedId(step.id),
    ...(step.blockedBy ? { blockedBy: step.blockedBy.map(boundedId) } : {}),
    ...(step.removedLocations ? { removedLocations: step.removedLocations.map((entry) => ({ ...entry, stepId: boundedId(entry.stepId) })) } : {}),
  };
}

/** The steps one kind's findings ask for. */
function stepsOf<K extends FindingKind>(kind: K, report: Pick<ScanReport, 'findings'>, context: ChecklistContext): ChecklistStep[] {
  const build = kindSpec(kind).checklist;
  if (!build) return [];
  const findings = report.findings.filter((finding): finding is Extract<Finding, { kind: K }> => finding.kind === kind);
  return findings.length > 0 ? build(findings, context) : [];
}
