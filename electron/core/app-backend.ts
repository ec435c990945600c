/**
 * The application core behind the contract: hosts, scans, case and checklist. The Electron shell
 * and the browser host both bind their transport to one AppBackend; neither holds logic of its own.
 */
import { randomUUID } from 'node:crypto';
import type { HostEntry, Pushes, PushChannel, RequestOf, WindowRange } from '../../shared/ipc/contract.js';
import { mergeHostResults, withoutHost } from '../../shared/case/host-merge.js';
import type { RevocationCheck, ScanReport } from '../../shared/model/index.js';
import type { CaseStore } from '../case/case-store.js';
import { PromptBroker } from './prompt-broker.js';
import type { Handlers } from './dispatch.js';
import type { ScanTarget } from '../scan/scan-hosts.js';
import { HostGiveUps } from '../scan/host-give-ups.js';
import { redactText } from '../readers/secrets/redact-text.js';
import { exportCaseReport } from '../../shared/report-formats/case-export.js';
import { parseSuppressionFile, withSuppressions } from '../../shared/case/suppressions.js';

/** Where hosts come from and how each is reached. */
export interface HostDirectory {
  /** Every host the user can pick, "This machine" first. */
  list(): Promise<HostEntry[]>;
  /** Adds a host by hand; it is kept in the case folder. */
  add(request: RequestOf<'hosts:add'>): Promise<HostEntry>;
  /** How to reach each named host; unknown names reject with a message naming them. */
  targets(names: readonly string[], prompts: PromptBroker, signal: AbortSignal): Promise<ScanTarget[]>;
}

/** Runs a scan over targets and builds its report, judging exposure with the user's windows. */
export type RunScan = (
  targets: ScanTarget[],
  options: {
    signal: AbortSignal;
    onProgress: (event: Omit<Pushes['scan:progress'], 'scanId'>) => void;
    windowOverrides: Record<string, WindowRange>;
    /** Where the user's give-ups on single hosts arrive. */
    giveUps: HostGiveUps;
    /** Each host's deadline; the runner's default when absent. */
    hostDeadlineMs?: number;
  },
) => Promise<ScanReport>;

/** Judges a stored report's inventory again with other windows: same hosts and scan time, new findings and verdicts. */
export type RejudgeReport = (report: ScanReport, windowOverrides: Record<string, WindowRange>) => ScanReport;

/** Sends a push to every connected renderer. */
export type Emit = <P extends PushChannel>(channel: P, payload: Pushes[P]) => void;

/** Dependencies of the backend, injected so tests and transports can swap them. */
export interface AppBackendOptions {
  store: CaseStore;
  hosts: HostDirectory;
  runScan: RunScan;
  rejudge: RejudgeReport;
  /** The ids of the windows a user may change (KNOWN_WINDOWS). */
  windowIds: readonly string[];
  emit: Emit;
  /**
   * The opt-in revocation check of one key (electron/revocation, over the values this session's
   * scans kept in memory), and how to forget those values; without it every check is indeterminate.
   */
  revocation?: { check(fingerprint: string): Promise<RevocationCheck>; forget(): void };
}

/** Implements every channel of the contract. */
export class AppBackend {
  readonly prompts: PromptBroker;
  private readonly scans = new Map<string, { controller: AbortController; giveUps: HostGiveUps }>();

  constructor(private readonly options: AppBackendOptions) {
    this.prompts = new PromptBroker(options.emit);
  }

  /** The handler table to bind to a transport. */
  handlers(): Handlers {
    const { store, hosts } = this.options;
    return {
      'hosts:list': async () => ({ hosts: await hosts.list() }),
      'hosts:add': async (request) => ({ host: await hosts.add(request) }),
      'scan:start': async (request) => ({ scanId: await this.startScan(request.hosts, request.hostDeadlineSeconds) }),
      'scan:cancel': async (request) => ({ cancelled: this.cancelScan(request.scanId) }),
      'scan:abandon-host': async (request) => ({ abandoned: this.scans.get(request.scanId)?.giveUps.giveUp(request.host) ?? false }),
      'case:get': async () => this.caseState(),
      'case:remove-host': async (request) => ({ removed: await this.removeHost(request.host) }),
      'checklist:set-step': async (request) => ({
        progress: await store.setStep(request.stepId, request.done, request.note, new Date(), {
          ...(request.choice !== undefined ? { choice: request.choice } : {}),
          ...(request.watchedHosts !== undefined ? { watchedHosts: request.watchedHosts } : {}),
        }),
      }),
      'windows:set-override': async (request) => ({ windowOverrides: await this.setWindowOverride(request.windowId, request.range) }),
      // Kept by the component's id whatever the current report holds: a re-scan that misses the gateway must not lose it.
      'case:set-decision': async (request) => ({ decisions: await store.setDecision(request.componentId, request.decision, request.reason) }),
      'keys:check-revoked': async (request) => {
        const check = await this.checkRevoked(request.fingerprint);
        return { check, checks: await store.saveRevocationCheck(check) };
      },
      'case:set-suppressions': async (request) => ({
        // Parsed here so a bad file is refused with its problems (never a value that could be a key) and the case keeps only entries.
        suppressions: await store.setSuppressions(
          request.text === null ? null : { fileName: request.fileName, loadedAt: new Date().toISOString(), entries: parseSuppressionFile(request.text) },
        ),
      }),
      'report:export': async (request) => {
        return { export: exportCaseReport(await this.caseState(), request.format) };
      },
      'prompt:answer-host-key': async (request) => {
        this.prompts.answer(request.promptId, request.accept);
        return { ok: true };
      },
      'prompt:answer-passphrase': async (request) => {
        this.prompts.answer(request.promptId, request.passphrase);
        return { ok: true };
      },
    };
  }

  /** Resolves the hosts, then scans in the background; progress and the result arrive as pushes. */
  /** Everything the case keeps, as `case:get` answers it and an export renders it. */
  private async caseState() {
    const { store } = this.options;
    const report = await store.loadReport();
    const suppressions = await store.loadSuppressions();
    return {
      // Judged now: an entry that expired since the last look no longer suppresses.
      report: report && withSuppressions(report, suppressions, new Date().toISOString()),
      suppressions,
      progress: await store.loadProgress(),
      windowOverrides: await store.loadWindowOverrides(),
      ledger: await store.loadLedger(),
      decisions: await store.loadDecisions(),
      revocationChecks: await store.loadRevocationChecks(),
    };
  }

  private async startScan(names: string[], hostDeadlineSeconds: number | undefined): Promise<string> {
    const scanId = randomUUID();
    const controller = new AbortController();
    const giveUps = new HostGiveUps();
    const targets = await this.options.hosts.targets(names, this.prompts, controller.signal);
    this.scans.set(scanId, { controller, giveUps });
    void this.runInBackground(scanId, targets, controller, giveUps, hostDeadlineSeconds);
    return scanId;
  }

  private async runInBackground(
    scanId: string,
    targets: ScanTarget[],
    controller: AbortController,
    giveUps: HostGiveUps,
    hostDeadlineSeconds: number | undefined,
  ): Promise<void> {
    const { emit, runScan, store } = this.options;
    try {
      const scan = await runScan(targets, {
        signal: controller.signal,
        onProgress: (event) => emit('scan:progress', { scanId, ...event }),
        windowOverrides: await store.loadWindowOverrides(),
        giveUps,
        ...(hostDeadlineSeconds !== undefined ? { hostDeadlineMs: hostDeadlineSeconds * 1000 } : {}),
      });
      // A cancelled scan still saves what it read: nothing the user waited for is lost. The windows
      // are read again, as the user may have changed one while the scan ran.
      const windowOverrides = await store.loadWindowOverrides();
      const { report, ledger } = await store.saveMergedScan(scan, (previous) => this.mergeScan(previous, scan, windowOverrides));
      emit('scan:finished', { scanId, report, cancelled: controller.signal.aborted, ledger });
    } catch (error) {
      // Pushed to the renderer: an error can quote what a host said.
      const message = redactText(error instanceof Error ? error.message : String(error));
      for (const target of targets) emit('scan:progress', { scanId, host: target.name, phase: 'failed', message });
    } finally {
      this.scans.delete(scanId);
    }
  }

  /**
   * The case's report after a scan of some of its hosts: the latest result per host
   * (shared/case/host-merge.ts), and every finding derived again from the merged hosts, so keys on
   * two hosts, consumers and lateral paths are judged across the whole case. `scannedAt` is the
   * latest scan's; each host carries its own.
   */
  private mergeScan(previous: ScanReport | null, scan: ScanReport, windowOverrides: Record<string, WindowRange>): ScanReport {
    const hosts = mergeHostResults(previous, scan);
    const scannedAt = previous && Date.parse(previous.scannedAt) > Date.parse(scan.scannedAt) ? previous.scannedAt : scan.scannedAt;
    return this.options.rejudge({ ...scan, scannedAt, hosts }, windowOverrides);
  }

  /**
   * Removes a host's results from the case and judges the rest again (a key it shared with another
   * host, or a path through it, is weighed without it); the ledger keeps what it saw, so a key
   * seen only there keeps its steps. Answers false when the case holds no such host.
   */
  private async removeHost(name: string): Promise<boolean> {
    const { store, rejudge, emit } = this.options;
    const windowOverrides = await store.loadWindowOverrides();
    const report = await store.updateReport((current) => {
      const rest = withoutHost(current, name);
      return rest && rejudge(rest, windowOverrides);
    });
    if (!report) return false;
    emit('case:report-updated', { report, windowOverrides });
    return true;
  }

  /**
   * Stores the window, then judges the saved report again from its inventory (no re-scan) and
   * pushes it. Scans started later use the stored windows too.
   */
  private async setWindowOverride(windowId: string, range: WindowRange | null): Promise<Record<string, WindowRange>> {
    const { store, rejudge, emit, windowIds } = this.options;
    if (!windowIds.includes(windowId)) throw new Error(`unknown compromise window ${JSON.stringify(windowId)} (known: ${windowIds.join(', ')})`);
    // Stored as UTC instants whatever offset the request used, as the known windows are written.
    const normalised = range ? { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() } : null;
    const windowOverrides = await store.setWindowOverride(windowId, normalised);
    // Inside the store's queue, so a scan saved meanwhile is judged again, not overwritten.
    const rejudged = await store.updateReport((report) => rejudge(report, windowOverrides));
    if (rejudged) emit('case:report-updated', { report: rejudged, windowOverrides });
    return windowOverrides;
  }

  /** Forgets the key values this session's scans kept for the revocation check (the app is quitting). */
  forgetKeys(): void {
    this.options.revocation?.forget();
  }

  private async checkRevoked(fingerprint: string): Promise<RevocationCheck> {
    const { revocation } = this.options;
    if (revocation) return revocation.check(fingerprint);
    const provider = fingerprint.slice(0, fingerprint.indexOf(':'));
    return { fingerprint, provider, outcome: 'indeterminate', errorClass: 'not-in-memory', reason: 'this backend keeps no key values', checkedAt: new Date().toISOString() };
  }

  private cancelScan(scanId: string): boolean {
    const scan = this.scans.get(scanId);
    if (!scan) return false;
    scan.controller.abort();
    return true;
  }
}
