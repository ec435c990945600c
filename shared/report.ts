/** Assembles the report document (docs/report-format.md) from scanned hosts. */
import type { AdvisoryIndex } from './advisories/advisory-index.js';
import { findCompromisedPackages } from './findings.js';
import type { HostInventory, ScanReport } from './model.js';

/** Builds a schemaVersion 1 report: the hosts as scanned and the findings derived from them. */
export function buildReport(hosts: HostInventory[], index: AdvisoryIndex, scannedAt: Date): ScanReport {
  return { schemaVersion: 1, scannedAt: scannedAt.toISOString(), hosts, findings: findCompromisedPackages(hosts, index) };
}
