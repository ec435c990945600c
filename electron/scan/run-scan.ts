/** One scan, start to report: scan the hosts, then match what they hold against the advisories. */
import type { AdvisoryIndex } from '../../shared/domain/advisories/advisory-index.js';
import { bundledIocRules, type IocRule } from '../../shared/domain/iocs/rules.js';
import type { ScanReport } from '../../shared/model/index.js';
import { shouldVerifyRecord } from '../../shared/findings/record-mismatch.js';
import { referenceFor, type KnownGoodReference } from '../../shared/domain/python/known-good.js';
import { KNOWN_WINDOWS, windowFor } from '../../shared/domain/exposure/compromise-windows.js';
import type { ExposureOptions } from '../../shared/domain/exposure/verdicts.js';
import { buildReport } from '../../shared/findings/build-report.js';
import type { collectHost } from './collect-host.js';
import type { KeyValueSink } from '../readers/secrets/find-secrets.js';
import { toolInfo } from './tool-info.js';
import { scanHosts, type HostProgress, type ScanHostsOptions, type ScanTarget } from './scan-hosts.js';

/** Options of one scan. */
export interface RunScanOptions extends Pick<ScanHostsOptions, 'hostDeadlineMs' | 'giveUps' | 'waitReportMs' | 'probeTimeoutMs'> {
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
  /** Known-good artifacts the owner imported: their versions are hashed wherever installed and compared with them. */
  knownGood?: readonly KnownGoodReference[];
  /** Keeps the values of the keys read, in memory, for the opt-in revocation check (electron/revocation). */
  keyVault?: KeyValueSink;
}

/** Scans `targets` and returns the report with its findings. */
export async function runScan(targets: readonly ScanTarget[], options: RunScanOptions): Promise<ScanReport> {
  const startedAt = (options.now ?? (() => new Date()))();
  const verifyAll = options.verifyAllRecords ?? false;
  const iocRules = options.iocRules ?? bundledIocRules();
  const knownGood = options.knownGood ?? [];
  const gatewayLogWindow = gatewayLogWindowFor(options.windowOverrides ?? {}, startedAt);
  const hosts = await scanHosts(targets, {
    ...options,
    // What every host's collection shares: which distributions to verify, which IOCs to look for, how far back gateway logs go.
    collect: (runner, collectOptions) =>
      options.collect(runner, {
        ...collectOptions,
        iocRules,
        verifyRecords: (pkg) => shouldVerifyRecord(options.index, pkg, verifyAll) || referenceFor(knownGood, pkg.name, pkg.version) !== undefined,
        // Only flagged distributions: a signature's shape (exec of decoded text) is evidence there, noise in any package.
        searchSignatures: (pkg) => shouldVerifyRecord(options.index, pkg, false),
        gatewayLogWindow,
        ...(options.keyVault ? { keyVault: options.keyVault } : {}),
      }),
  });
  const judging = { ...(options.windowOverrides ? { windowOverrides: options.windowOverrides } : {}), knownGood };
  return buildReport(hosts, options.index, startedAt, iocRules, judging, toolInfo());
}

/**
 * The interval gateway logs are read over: from the LiteLLM compromise window's start (as the user
 * set it) to the scan, since a gateway that installed the bad release kept running it after PyPI
 * removed it. A start after the scan (a mistyped override) reads from the known start instead.
 */
export function gatewayLogWindowFor(overrides: NonNullable<RunScanOptions['windowOverrides']>, now: Date): { start: string; end: string } {
  const known = KNOWN_WINDOWS.find((window) => window.package === 'litellm')!;
  const window = windowFor(known.advisories, overrides) ?? known;
  const chosen = Date.parse(window.start);
  const start = Number.isNaN(chosen) || chosen > now.getTime() ? Date.parse(known.start) : chosen;
  return { start: new Date(start).toISOString(), end: now.toISOString() };
}
