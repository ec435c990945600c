/**
 * Merges finished scans into the case ledger (ledger-entries.ts): each finding is recorded by its
 * kind's ledger part (shared/kinds/), so a kind whose steps are verified by absence says so in
 * its own module.
 */
import type { LedgerReport } from '../kinds/kind-spec.js';
import { isKnownFinding, kindSpec } from '../kinds/registry.js';
import type { Finding, ScanReport } from '../model/index.js';
import { emptyLedger, type CaseLedger } from './ledger-entries.js';

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
  return next;
}

function record<K extends Finding['kind']>(ledger: CaseLedger, finding: Extract<Finding, { kind: K }>, at: string, report: LedgerReport): void {
  kindSpec(finding.kind as K).ledger?.(ledger, finding, at, report);
}
