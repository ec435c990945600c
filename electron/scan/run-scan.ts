/** One scan, start to report: scan the hosts, then match what they hold against the advisories. */
import type { AdvisoryIndex } from '../../shared/advisories/advisory-index.js';
import { bundledIocRules, type IocRule } from '../../shared/iocs/rules.js';
import type { ScanReport } from '../../shared/model.js';
import { shouldVerifyRecord } from '../../shared/record-findings.js';
import type { ExposureOptions } from '../../shared/exposure/verdicts.js';
import { buildReport } from '../../shared/report.js';
import type { collectHost } from '../collectors/collect-host.js';
import { scanHosts, type HostProgress, type ScanTarget } from './scan-hosts.js';

/** Options of one scan. */
export interface RunScanOptions {
  index: AdvisoryIndex;
  /** The host collector (collectHost, or a stand-in in tests). */
  collect: typeof collectHost;
  concurrency: number;
  signal?: AbortSignal;
  onProgress?: (progress: HostProgress) => void;
  now?: () => Date;
  /** Verify the RECORD of every installed distribution, not only those an advisory covers (slower). */
  verifyAllRecords?: boolean;
  /** IOC rules to search for and judge by; the bundled rules unless given. */
  iocRules?: readonly IocRule[];
  /** Compromise windows the user narrowed or widened, by window id. */
  windowOverrides?: ExposureOptions['windowOverrides'];
}

/** Scans `targets` and returns the report with its findings. */
export async function runScan(targets: readonly ScanTarget[], options: RunScanOptions): Promise<ScanReport> {
  const startedAt = (options.now ?? (() => new Date()))();
  const verifyAll = options.verifyAllRecords ?? false;
  const iocRules = options.iocRules ?? bundledIocRules();
  const hosts = await scanHosts(targets, {
    ...options,
    // What every host's collection shares: which distributions to verify and which IOCs to look for.
    collect: (runner, collectOptions) =>
      options.collect(runner, { ...collectOptions, iocRules, verifyRecords: (pkg) => shouldVerifyRecord(options.index, pkg, verifyAll) }),
  });
  return buildReport(hosts, options.index, startedAt, iocRules, options.windowOverrides ? { windowOverrides: options.windowOverrides } : {});
}
