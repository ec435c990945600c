/**
 * Merges finished scans into the case ledger (ledger-entries.ts): each finding is recorded by its
 * kind's ledger part (shared/kinds/), so a kind whose steps are verified by absence says so in
 * its own module.
 */
import type { LedgerReport } from '../kinds/kind-spec.js';
import { isKnownFinding, kindSpec } from '../kinds/registry.js';
import { consumerGateways, routeChoices } from '../checklist/route-targets.js';
import { routeTopology } from '../findings/topology/route-around.js';
import { isFindingOfKind, type Finding, type ScanReport } from '../model/index.js';
import { emptyLedger, ledgerConsumer, type CaseLedger } from './ledger-entries.js';

export * from './ledger-entries.js';

/**
 * Merges what a finished scan found into the ledger: new items are added, known ones gain hosts,
 * places and a later last-seen time; nothing is ever removed. Returns a new ledger.
 */
export function mergeIntoLedger(
  ledger: CaseLedger | null,
  report: Pick<ScanReport, 'scannedAt' | 'findings'> & Partial<Pick<ScanReport, 'hosts' | 'exposures'>>,
): CaseLedger {
  const next: CaseLedger = JSON.parse(JSON.stringify(ledger ?? emptyLedger())) as CaseLedger;
  for (const finding of report.findings.filter(isKnownFinding)) record(next, finding, report.scannedAt, report);
  if (report.hosts) recordRouteTargets(next, { ...report, hosts: report.hosts });
  return next;
}

/** Keeps, for each consumer this scan saw, the targets its move step offers now (the topology they come from may be gone later). */
function recordRouteTargets(ledger: CaseLedger, report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>): void {
  // Read once for every consumer: a case of thousands of consumers read every finding once per consumer.
  const gatewayOf = consumerGateways(report.findings);
  const topology = routeTopology(report);
  for (const finding of report.findings) {
    if (!isFindingOfKind(finding, 'consumer')) continue;
    const item = ledgerConsumer(ledger, finding);
    if (item) item.targets = routeChoices(finding, gatewayOf(finding), report, topology);
  }
}

function record<K extends Finding['kind']>(ledger: CaseLedger, finding: Extract<Finding, { kind: K }>, at: string, report: LedgerReport): void {
  kindSpec(finding.kind as K).ledger?.(ledger, finding, at, report);
}
