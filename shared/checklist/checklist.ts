/**
 * The response checklist: steps generated from a report's findings, in the order an incident is
 * worked (contain, rotate, tear down, clean up). Step ids derive from hosts, containers and
 * finding ids, never from positions, so a re-scan with the same findings yields the same ids and
 * the progress the user recorded (kept by step id in the case folder) still applies.
 *
 * This module composes the steps; the step builders, the progress merge and the types live in
 * ./checklist/, and everything importers use is re-exported from here.
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import type { CaseLedger } from '../case/ledger.js';
import { isFindingOfKind } from '../model/index.js';
import type { ScanReport } from '../model/index.js';
import { CHECKLIST_GROUPS, type ChecklistStep } from './types.js';
import { containerSteps, hostCredentialsStep, isolateSteps, persistenceSteps, removePackageStep } from './package-steps.js';
import { keySteps, sshLateralSteps } from './key-steps.js';
import { moveConsumerStep } from './consumer-steps.js';
import { keptSteps } from './kept-steps.js';
import { iocCleanupSteps, purgeCacheStep } from './ioc-steps.js';
import { deploymentSteps } from './deployment-steps.js';
import { boundedId, unique } from './text.js';

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

  // Kinds this module does not know yet generate no steps (report-format.md: consumers ignore them).
  const findings = report.findings.filter((finding) => isFindingOfKind(finding, 'compromised-package'));
  // Hosts and containers in the order of their first finding, so the worst comes first.
  for (const host of unique(findings.map((finding) => finding.host))) {
    const onHost = findings.filter((finding) => finding.host === host);
    const inventory = report.hosts.find((candidate) => candidate.name === host);
    isolateSteps(host, onHost).forEach(add);
    for (const name of unique(onHost.flatMap((finding) => (finding.container === null ? [] : [finding.container])))) {
      const container = inventory?.containers.find((candidate) => candidate.name === name) ?? null;
      containerSteps(host, name, container, onHost.filter((finding) => finding.container === name)).forEach(add);
    }
    const outside = onHost.filter((finding) => finding.container === null);
    if (outside.length === 0) continue;
    add(hostCredentialsStep(host, outside));
    for (const finding of outside) {
      const pkg = inventory?.pythonEnvironments
        .find((environment) => environment.container === null && environment.path === finding.path)
        ?.packages.find(
          (candidate) =>
            normalizePackageName(candidate.name) === normalizePackageName(finding.package) && candidate.version.trim() === finding.version.trim(),
        );
      add(removePackageStep(finding, pkg ?? null));
    }
    for (const name of unique(outside.map((finding) => normalizePackageName(finding.package)))) {
      persistenceSteps(host, outside.filter((finding) => normalizePackageName(finding.package) === name)).forEach(add);
    }
  }

  const seenSecrets = new Map((ledger?.secrets ?? []).map((item) => [item.fingerprint, item]));
  report.findings
    .filter((finding) => isFindingOfKind(finding, 'secret'))
    .flatMap((finding) => keySteps(finding, seenSecrets.get(finding.fingerprint) ?? null))
    .forEach(add);
  sshLateralSteps(report).forEach(add);
  report.findings.filter((finding) => isFindingOfKind(finding, 'consumer')).map((finding) => moveConsumerStep(finding, report.hosts)).forEach(add);
  // After the current findings' steps, so a step the findings still generate is never replaced by a kept one.
  if (ledger) keptSteps(report, ledger).forEach(add);
  iocCleanupSteps(report.findings.filter((finding) => isFindingOfKind(finding, 'ioc'))).forEach(add);
  report.findings.filter((finding) => isFindingOfKind(finding, 'cached-compromised-artifact')).map(purgeCacheStep).forEach(add);
  deploymentSteps(report).forEach(add);

  const rank = (step: ChecklistStep): number => CHECKLIST_GROUPS.indexOf(step.group);
  // Array.prototype.sort is stable, so within a group the findings' order (most severe first) holds.
  return [...steps.values()].sort((a, b) => rank(a) - rank(b)).map((step) => ({ ...step, id: boundedId(step.id) }));
}
