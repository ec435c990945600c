/**
 * The response checklist: steps generated from a report's findings, in the order an incident is
 * worked (contain, rotate, tear down, clean up). Step ids derive from hosts, containers and
 * finding ids, never from positions, so a re-scan with the same findings yields the same ids and
 * the progress the user recorded (kept by step id in the case folder) still applies.
 *
 * This module composes the steps; the step builders, the progress merge and the types live in
 * ./checklist/, and everything importers use is re-exported from here.
 */
import type { CaseLedger } from '../case/ledger-entries.js';
import { REGISTERED_KINDS, kindSpec, type ChecklistContext } from '../kinds/registry.js';
import type { Finding, FindingKind, ScanReport } from '../model/index.js';
import { CHECKLIST_GROUPS, type ChecklistStep } from './types.js';
import { keptSteps } from './kept-steps.js';
import { boundedId } from './text.js';

export { CHECKLIST_GROUPS } from './types.js';
export type {
  ChecklistGroup,
  ChecklistGroupSummary,
  ChecklistStep,
  ChecklistStepWithProgress,
  ChecklistSummary,
  GoneCheck,
  KeptStep,
  MergedChecklist,
  OrphanedProgress,
  StepChoice,
  StepEvidence,
  StepVerification,
} from './types.js';
export { checklistSummary, mergeProgress } from './progress.js';
export { goneCheckHosts, goneOutcome } from './gone.js';
export { CONSUMER_TARGETS } from './consumer-steps.js';

/**
 * The response steps for a report's findings, grouped and ordered contain → rotate → teardown →
 * clean-up. With the case ledger, the steps of keys, authorized keys and consumers seen by earlier
 * scans but absent from this one are kept (marked `kept`), and a key's steps name every host and
 * place it was ever seen.
 */
export function generateChecklist(report: Pick<ScanReport, 'hosts' | 'findings'>, ledger: CaseLedger | null = null): ChecklistStep[] {
  const steps = new Map<string, ChecklistStep>();
  const add = (step: ChecklistStep): void => {
    const existing = steps.get(step.id);
    // One step per container or host however many findings lead to it: the findings accumulate.
    if (existing) existing.findingIds.push(...step.findingIds.filter((id) => !existing.findingIds.includes(id)));
    else steps.set(step.id, step);
  };

  // Each kind's steps, in registry order; kinds this version does not know generate none (report-format.md).
  for (const kind of REGISTERED_KINDS) stepsOf(kind, report, { report, ledger }).forEach(add);
  // After the current findings' steps, so a step the findings still generate is never replaced by a kept one.
  if (ledger) keptSteps(report, ledger).forEach(add);

  const rank = (step: ChecklistStep): number => CHECKLIST_GROUPS.indexOf(step.group);
  // Array.prototype.sort is stable, so within a group the findings' order (most severe first) holds.
  return [...steps.values()].sort((a, b) => rank(a) - rank(b)).map((step) => ({ ...step, id: boundedId(step.id) }));
}

/** The steps one kind's findings ask for. */
function stepsOf<K extends FindingKind>(kind: K, report: Pick<ScanReport, 'findings'>, context: ChecklistContext): ChecklistStep[] {
  const build = kindSpec(kind).checklist;
  if (!build) return [];
  const findings = report.findings.filter((finding): finding is Extract<Finding, { kind: K }> => finding.kind === kind);
  return findings.length > 0 ? build(findings, context) : [];
}
