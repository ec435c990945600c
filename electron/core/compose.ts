/**
 * Wires the application core for the long-running hosts (Electron main process, browser host):
 * the case folder, the host directory, the advisories and the scanner.
 */
import { join } from 'node:path';
import type { AdvisoryIndex } from '../../shared/domain/advisories/advisory-index.js';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import { buildReport } from '../../shared/findings/build-report.js';
import { CaseStore } from '../case/case-store.js';
import { collectHost } from '../scan/collect-host.js';
import { SshHostDirectory } from '../hosts/host-directory.js';
import { runScan } from '../scan/run-scan.js';
import { toolInfo } from '../scan/tool-info.js';
import { AppBackend, type Emit, type RejudgeReport } from './app-backend.js';
import { checkRevoked, type CheckRevokedOptions } from '../revocation/check-revoked.js';
import { KeyVault } from '../revocation/key-vault.js';

/** Where the backend keeps its case and reads its hosts. */
export interface BackendOptions {
  dataDir: string;
  sshConfigPath: string;
  /** True when sshConfigPath is the default ~/.ssh/config (a missing one is then no error). */
  sshConfigOptional?: boolean;
  emit: Emit;
  concurrency?: number;
  /** Tests only: options of the revocation check (a fake provider's origin); never set from the command line or environment. */
  revocationCheck?: CheckRevokedOptions;
}

/** Hosts scanned at once by the app; each holds one SSH connection. */
const DEFAULT_CONCURRENCY = 4;

/**
 * Judges a stored report again from its inventory with other windows and the case's known-good
 * artifacts. The app scans with the bundled IOC rules (run-scan's default), so it judges again with them.
 */
export function rejudgeReport(index: AdvisoryIndex): RejudgeReport {
  return (report, windowOverrides, knownGood = []) =>
    buildReport(report.hosts, index, new Date(report.scannedAt), bundledIocRules(), { windowOverrides, knownGood }, toolInfo());
}

/** Builds the backend that serves the contract. */
export async function createBackend(options: BackendOptions): Promise<AppBackend> {
  const store = await CaseStore.open(options.dataDir);
  const hosts = new SshHostDirectory({
    sshConfigPath: options.sshConfigPath,
    sshConfigOptional: options.sshConfigOptional ?? false,
    store,
    appKnownHostsFile: join(options.dataDir, 'known_hosts'),
    hostKeyPolicy: 'ask',
    includeLocal: true,
  });
  const index = bundledAdvisoryIndex();
  // The values of the keys this session's scans read, in memory only, for the opt-in revocation check.
  const keyVault = new KeyVault();
  return new AppBackend({
    store,
    hosts,
    emit: options.emit,
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    rejudge: rejudgeReport(index),
    runScan: (targets, scanOptions) =>
      runScan(targets, { index, collect: collectHost, concurrency: options.concurrency ?? DEFAULT_CONCURRENCY, keyVault, ...scanOptions }),
    revocation: { check: (fingerprint) => checkRevoked(fingerprint, keyVault, options.revocationCheck), forget: () => keyVault.clear() },
  });
}
