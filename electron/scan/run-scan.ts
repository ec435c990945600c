/** One scan, start to report: scan the hosts, then match what they hold against the advisories. */
import type { AdvisoryIndex } from '../../shared/advisories/advisory-index.js';
import type { ScanReport } from '../../shared/model.js';
import { shouldVerifyRecord } from '../../shared/record-findings.js';
import { buildReport } from '../../shared/report.js';
import { scanHosts, type CollectHost, type HostProgress, type ScanTarget } from './scan-hosts.js';

/** Options of one scan. */
export interface RunScanOptions {
  index: AdvisoryIndex;
  collect: CollectHost;
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: HostProgress) => void;
  now?: () => Date;
  /** Verify the RECORD of every installed distribution, not only those an advisory covers (slower). */
  verifyAllRecords?: boolean;
}

/** Scans `targets` and returns the report with its findings. */
export async function runScan(targets: readonly ScanTarget[], options: RunScanOptions): Promise<ScanReport> {
  const startedAt = (options.now ?? (() => new Date()))();
  const verifyAll = options.verifyAllRecords ?? false;
  const hosts = await scanHosts(targets, { ...options, verifyRecords: (pkg) => shouldVerifyRecord(options.index, pkg, verifyAll) });
  return buildReport(hosts, options.index, startedAt);
}
