/**
 * Wires the application core for the long-running hosts (Electron main process, browser host):
 * the case library, the host directory, the advisories and the scanner.
 */
import { join } from 'node:path';
import type { AdvisoryIndex } from '../../shared/domain/advisories/advisory-index.js';
import { buildAdvisoryIndex, bundledAdvisoryIndex, bundledAdvisoryRecords } from '../../shared/domain/advisories/index.js';
import type { OsvRecord } from '../../shared/domain/advisories/osv.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { buildReport } from '../../shared/findings/build-report.js';
import { CaseLibrary } from '../case/case-library.js';
import { collectHost } from '../scan/collect-host.js';
import { SshHostDirectory } from '../hosts/host-directory.js';
import { adoptKnownHosts } from '../ssh/known-hosts-store.js';
import { runScan } from '../scan/run-scan.js';
import { toolInfo } from '../scan/tool-info.js';
import { AppBackend, type Emit, type RejudgeReport } from './app-backend.js';
import { checkRevoked, type CheckRevokedOptions } from '../revocation/check-revoked.js';
import { KeyVault } from '../revocation/key-vault.js';
import type { PdfPrinter } from '../../shared/report-formats/pdf.js';

/** Where the backend keeps its cases and reads its hosts. */
export interface BackendOptions {
  /** The app's data folder: the case library (`cases/`) and the app's known_hosts. */
  dataDir: string;
  sshConfigPath: string;
  /**
   * The known_hosts accepted host keys are written to: the store the CLI and the other hosts share
   * (sharedKnownHostsFile) in the app and `serve`; a test's own file in tests.
   */
  knownHostsFile: string;
  /** True when sshConfigPath is the default ~/.ssh/config (a missing one is then no error). */
  sshConfigOptional?: boolean;
  emit: Emit;
  concurrency?: number;
  /** Tests only: options of the revocation check (a fake provider's origin); never set from the command line or environment. */
  revocationCheck?: CheckRevokedOptions;
  /** Prints the HTML report to PDF for the PDF export (the shell's printToPDF, or headless Chromium). */
  printPdf?: PdfPrinter;
}

/** Hosts scanned at once by the app; each holds one SSH connection. */
const DEFAULT_CONCURRENCY = 4;

/**
 * Judges a stored report again from its inventory with other windows and the case's known-good
 * artifacts. The app scans with the bundled IOC rules (run-scan's default), so it judges again with them.
 */
export function rejudgeReport(index: AdvisoryIndex, withLoaded = indexWithLoaded(index)): RejudgeReport {
  return (report, windowOverrides, knownGood = [], advisories = []) =>
    buildReport(report.hosts, withLoaded(advisories), new Date(report.scannedAt), bundledIocRules(), { windowOverrides, knownGood }, toolInfo());
}

/**
 * The bundled index, or one built from the bundled records and a case's loaded ones (a newer copy
 * of a record wins). Built once per array of loaded records: the backend hands the same array
 * until the case's advisories change.
 */
export function indexWithLoaded(bundled: AdvisoryIndex): (loaded: readonly OsvRecord[]) => AdvisoryIndex {
  const built = new WeakMap<readonly OsvRecord[], AdvisoryIndex>();
  return (loaded) => {
    if (loaded.length === 0) return bundled;
    let index = built.get(loaded);
    if (!index) {
      index = buildAdvisoryIndex([...bundledAdvisoryRecords(), ...loaded]);
      built.set(loaded, index);
    }
    return index;
  };
}

/** Builds the backend that serves the contract. */
export async function createBackend(options: BackendOptions): Promise<AppBackend> {
  // The data folder holds the case library (one folder per case).
  const cases = await CaseLibrary.open(options.dataDir);
  const store = cases.openCaseId === null ? null : await cases.store(cases.openCaseId);
  // Keys an earlier version accepted into the data folder's own known_hosts stay trusted.
  await adoptKnownHosts(join(options.dataDir, 'known_hosts'), options.knownHostsFile);
  let backend: AppBackend | null = null;
  const hosts = new SshHostDirectory({
    sshConfigPath: options.sshConfigPath,
    sshConfigOptional: options.sshConfigOptional ?? false,
    // Hand-added hosts are the open case's.
    store: () => backend?.currentStore() ?? null,
    appKnownHostsFile: options.knownHostsFile,
    hostKeyPolicy: 'ask',
    includeLocal: true,
  });
  const index = bundledAdvisoryIndex();
  const withLoaded = indexWithLoaded(index);
  // The values of the keys this session's scans read, in memory only, for the opt-in revocation check.
  const keyVault = new KeyVault();
  backend = new AppBackend({
    store,
    cases,
    hosts,
    emit: options.emit,
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    rejudge: rejudgeReport(index, withLoaded),
    runScan: (targets, { advisories, offline, ...scanOptions }) =>
      runScan(targets, {
        index: withLoaded(advisories),
        collect: offline?.collect ?? collectHost,
        concurrency: options.concurrency ?? DEFAULT_CONCURRENCY,
        keyVault,
        ...scanOptions,
        // An import is judged as of its collection: "scanned at" and the gateway logs' window end then.
        ...(offline ? { now: () => offline.collectedAt } : {}),
      }),
    revocation: { check: (fingerprint) => checkRevoked(fingerprint, keyVault, options.revocationCheck), forget: () => keyVault.clear() },
    ...(options.printPdf ? { printPdf: options.printPdf } : {}),
  });
  return backend;
}
