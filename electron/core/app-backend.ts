/**
 * The application core behind the contract: hosts, scans, case and checklist. The Electron shell
 * and the browser host both bind their transport to one AppBackend; neither holds logic of its own.
 */
import { randomUUID } from 'node:crypto';
import type { AdvisorySourceEntry, HostEntry, KnownGoodEntry, Pushes, PushChannel, RequestOf, ResponseOf, WindowRange } from '../../shared/ipc/contract.js';
import { mergeHostResults, withoutHost } from '../../shared/case/host-merge.js';
import { emptyLedger } from '../../shared/case/ledger.js';
import type { RevocationCheck, ScanReport } from '../../shared/model/index.js';
import type { CaseStore } from '../case/case-store.js';
import type { CaseLibrary } from '../case/case-library.js';
import { collectedAt, collectImportedHost, collectionTargets, importRefusal, readCollections } from '../offline/import-collection.js';
import { PromptBroker } from './prompt-broker.js';
import type { Handlers } from './dispatch.js';
import type { ScanTarget } from '../scan/scan-hosts.js';
import { HostGiveUps } from '../scan/host-give-ups.js';
import { redactText } from '../readers/secrets/redact-text.js';
import { MAX_REGISTER_NOTE, type RegisterAnnotations } from '../../shared/case/register-annotations.js';
import { exportCaseReport } from '../../shared/report-formats/case-export.js';
import { isPrintedFormat, type ExportFormat, type ReportExport } from '../../shared/report-formats/formats.js';
import { PDF_FORMAT, PRINTED_FROM, type PdfPrinter } from '../../shared/report-formats/pdf.js';
import type { JournalEvent } from '../../shared/case/journal-entries.js';
import { journalText, scanEvent, stepEvents, stepRef } from './journal-events.js';
import type { KnownGoodReference } from '../../shared/domain/python/known-good.js';
import { importKnownGood, knownGoodEntry, unhashedCopies } from '../known-good/case-import.js';
import { parseSuppressionFile, withSuppressions } from '../../shared/case/suppressions.js';
import type { OsvRecord } from '../../shared/domain/advisories/osv.js';
import { loadAdvisories as loadAdvisoryPath, type LoadedAdvisories } from '../advisories/load-advisories.js';
import type { CaseAdvisoryLoad } from '../case/case-advisories.js';

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
    /** The case's known-good artifacts: their versions are hashed and compared with them. */
    knownGood: readonly KnownGoodReference[];
    /** Advisories loaded into the case, matched beside the bundled ones. */
    advisories: readonly OsvRecord[];
    /** Where the user's give-ups on single hosts arrive. */
    giveUps: HostGiveUps;
    /** Each host's deadline; the runner's default when absent. */
    hostDeadlineMs?: number;
    /** Set when the targets replay offline collections (`scan:import`): their collector, and when they were collected. */
    offline?: OfflineScan;
  },
) => Promise<ScanReport>;

/** How an import of offline collections is read: collectImportedHost, and the collections' time as the scan's. */
export interface OfflineScan {
  collect: typeof collectImportedHost;
  collectedAt: Date;
}

/**
 * Judges a stored report's inventory again with other windows and the case's known-good artifacts:
 * same hosts and scan time, new findings and verdicts.
 */
export type RejudgeReport = (
  report: ScanReport,
  windowOverrides: Record<string, WindowRange>,
  knownGood?: readonly KnownGoodReference[],
  /** Advisories loaded into the case, judged with beside the bundled ones. */
  advisories?: readonly OsvRecord[],
) => ScanReport;

/** Sends a push to every connected renderer. */
export type Emit = <P extends PushChannel>(channel: P, payload: Pushes[P]) => void;

/** Dependencies of the backend, injected so tests and transports can swap them. */
export interface AppBackendOptions {
  /** The open case's store; null when no case is open. */
  store: CaseStore | null;
  /** The case library: without it the backend serves its one store and the `cases:` channels refuse. */
  cases?: CaseLibrary;
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
  /**
   * Prints the HTML report to PDF (Electron's printToPDF in the app, headless Chromium in the
   * browser host); without it a PDF export is refused with a message saying so.
   */
  printPdf?: PdfPrinter;
}

/** Why a PDF export fails where nothing can print. */
export const NO_PDF_PRINTER = 'PDF export is not available here; export HTML and print it from a browser';

/** Implements every channel of the contract. */
export class AppBackend {
  readonly prompts: PromptBroker;
  private readonly scans = new Map<string, { controller: AbortController; giveUps: HostGiveUps }>();
  /** The open case's store, swapped when another case opens. */
  private openStore: CaseStore | null;
  /** The loaded advisories of the case last asked about (see loadedAdvisories). */
  private advisoryCache: { store: CaseStore; records: readonly OsvRecord[] } | null = null;
  /** True while another case is being opened: a scan started then would land in the case being left. */
  private switching = false;

  constructor(private readonly options: AppBackendOptions) {
    this.prompts = new PromptBroker(options.emit);
    this.openStore = options.store;
  }

  /** The open case's store, or null when none is open (the host directory asks for it this way). */
  currentStore(): CaseStore | null {
    return this.openStore;
  }

  /** The open case's store; every case channel refuses while none is open. */
  private get store(): CaseStore {
    if (!this.openStore) throw new Error('no case is open: open or create a case under Cases');
    return this.openStore;
  }

  /** The case's report in `format`; a printed format is its source format's rendering printed, in base64. */
  private async exportReport(format: ExportFormat): Promise<ReportExport | null> {
    const kept = await this.caseState();
    // The owner's notes leave the case only redacted: a key pasted into one reaches the file as its fingerprint.
    const state = { ...kept, registerAnnotations: redactedAnnotations(kept.registerAnnotations) };
    if (!isPrintedFormat(format)) return exportCaseReport(state, format);
    const source = exportCaseReport(state, PRINTED_FROM[format]);
    if (!source) return null;
    if (!this.options.printPdf) throw new Error(NO_PDF_PRINTER);
    const bytes = await this.options.printPdf(source.text);
    return {
      format,
      fileName: source.fileName.replace(/\.[^.]+$/, `.${PDF_FORMAT.extension}`),
      mediaType: PDF_FORMAT.mediaType,
      text: Buffer.from(bytes).toString('base64'),
      encoding: 'base64',
    };
  }

  /** The handler table to bind to a transport. */
  handlers(): Handlers {
    const { hosts } = this.options;
    return {
      'hosts:list': async () => ({ hosts: await hosts.list() }),
      'hosts:add': async (request) => ({ host: await hosts.add(request) }),
      'scan:start': async (request) => ({ scanId: await this.startScan(request.hosts, request.hostDeadlineSeconds) }),
      'scan:import': async (request) => ({ scanId: await this.importCollections(request.paths, request.host) }),
      'scan:cancel': async (request) => ({ cancelled: this.cancelScan(request.scanId) }),
      'scan:abandon-host': async (request) => ({ abandoned: this.scans.get(request.scanId)?.giveUps.giveUp(request.host) ?? false }),
      'case:get': async () => this.caseState(),
      'case:remove-host': async (request) => {
        const store = this.store;
        const removed = await this.removeHost(request.host);
        if (removed) await this.journal(store, { kind: 'host-removed', host: request.host });
        return { removed };
      },
      // Answered only once the step and its journal entries are synced to disk: an acknowledged tick survives a crash.
      'checklist:set-step': async (request) => {
        const store = this.store;
        const { progress, previous } = await store.changeStep(request.stepId, request.done, request.note, new Date(), {
          ...(request.choice !== undefined ? { choice: request.choice } : {}),
          ...(request.watchedHosts !== undefined ? { watchedHosts: request.watchedHosts } : {}),
        });
        const after = progress[request.stepId];
        if (after) await this.journal(store, ...stepEvents(await this.stepRef(store, request.stepId), previous, after));
        return { progress };
      },
      'windows:set-override': async (request) => {
        const store = this.store;
        const windowOverrides = await this.setWindowOverride(request.windowId, request.range);
        await this.journal(store, { kind: 'window', windowId: request.windowId, range: windowOverrides[request.windowId] ?? null });
        return { windowOverrides };
      },
      // Kept by the component's id whatever the current report holds: a re-scan that misses the gateway must not lose it.
      'case:set-decision': async (request) => {
        const store = this.store;
        const decisions = await store.setDecision(request.componentId, request.decision, request.reason);
        await this.journal(store, { kind: 'decision', componentId: request.componentId, decision: request.decision, reason: journalText(request.reason) });
        return { decisions };
      },
      // Kept by the row's id whatever the current report holds, like decisions: a re-scan that misses the component keeps its notes.
      'register:annotate': async (request) => {
        const store = this.store;
        const { annotations, previous } = await store.setRegisterAnnotation(request.rowId, request.trust, request.note);
        if ((previous?.trust ?? null) !== request.trust || (previous?.note ?? '') !== request.note) {
          await this.journal(store, { kind: 'register', rowId: request.rowId, trust: request.trust, note: journalText(request.note) });
        }
        return { annotations };
      },
      'keys:check-revoked': async (request) => {
        const store = this.store;
        const check = await this.checkRevoked(request.fingerprint);
        const checks = await store.saveRevocationCheck(check);
        await this.journal(store, { kind: 'revocation-check', fingerprint: check.fingerprint, outcome: check.outcome });
        return { check, checks };
      },
      'known-good:import': async (request) => this.importKnownGood(request.fileName, request.contentBase64),
      'known-good:remove': async (request) => ({ knownGood: await this.changeKnownGood({ removeId: request.id }) }),
      'advisories:load': async (request) => this.loadAdvisories(request.path),
      'advisories:remove': async (request) => ({ sources: await this.changeAdvisories(this.store, { removePath: request.path }) }),
      'case:set-suppressions': async (request) => ({
        // Parsed here so a bad file is refused with its problems (never a value that could be a key) and the case keeps only entries.
        suppressions: await this.store.setSuppressions(
          request.text === null ? null : { fileName: request.fileName, loadedAt: new Date().toISOString(), entries: parseSuppressionFile(request.text) },
        ),
      }),
      'report:export': async (request) => {
        const store = this.store;
        const rendered = await this.exportReport(request.format);
        if (rendered) await this.journal(store, { kind: 'export', format: rendered.format, fileName: rendered.fileName });
        return { export: rendered };
      },
      'cases:list': async () => ({ library: this.library().state() }),
      'cases:create': async (request) => {
        const created = await this.library().create(request.name);
        return { created, library: this.library().state() };
      },
      'cases:rename': async (request) => ({ library: await this.library().rename(request.caseId, request.name) }),
      'cases:open': async (request) => ({ library: await this.openCase(request.caseId) }),
      'cases:close': async () => {
        this.refuseWhileScanning();
        const library = await this.library().close();
        this.openStore = null;
        return { library };
      },
      'cases:archive': async (request) => {
        const cases = this.library();
        if (request.archived && request.caseId === cases.openCaseId) this.refuseWhileScanning();
        const library = await cases.setArchived(request.caseId, request.archived);
        if (library.openCaseId === null) this.openStore = null;
        return { library };
      },
      'journal:get': async () => this.store.journal.read(),
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
  /** Everything the case keeps, as `case:get` answers it and an export renders it; an empty case while none is open. */
  private async caseState() {
    const store = this.openStore;
    if (!store) return { report: null, progress: {}, windowOverrides: {}, ledger: emptyLedger(), decisions: {}, revocationChecks: {}, knownGood: [], suppressions: null, advisorySources: [], registerAnnotations: {} };
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
      knownGood: (await store.loadKnownGood()).map(knownGoodEntry),
      advisorySources: (await store.loadAdvisoryLoads()).map((load) => load.source),
      registerAnnotations: await store.loadRegisterAnnotations(),
    };
  }

  private library(): CaseLibrary {
    if (!this.options.cases) throw new Error('this backend keeps one case only');
    return this.options.cases;
  }

  /**
   * Opens another case: its store replaces the open one. Refused while a scan runs, whose result
   * belongs to the case it was started in.
   */
  private async openCase(caseId: string) {
    this.refuseWhileScanning();
    const cases = this.library();
    this.switching = true;
    try {
      const store = await cases.store(caseId);
      const library = await cases.openCase(caseId);
      this.openStore = store;
      return library;
    } finally {
      this.switching = false;
    }
  }

  private refuseWhileScanning(): void {
    if (this.scans.size > 0) throw new Error('a scan is running in the open case: wait for it or cancel it before switching cases');
  }

  private async startScan(names: string[], hostDeadlineSeconds: number | undefined): Promise<string> {
    // Taken before anything awaits: the case may not change while this scan runs (refuseWhileScanning).
    if (this.switching) throw new Error('another case is being opened: start the scan once it is open');
    const store = this.store;
    const scanId = randomUUID();
    const controller = new AbortController();
    const giveUps = new HostGiveUps();
    // Counted as running while its hosts resolve (a host-key question can wait on the user), so no case switch slips in.
    this.scans.set(scanId, { controller, giveUps });
    let targets: ScanTarget[];
    try {
      targets = await this.options.hosts.targets(names, this.prompts, controller.signal);
    } catch (error) {
      this.scans.delete(scanId);
      throw error;
    }
    void this.runInBackground(store, scanId, targets, controller, giveUps, hostDeadlineSeconds);
    return scanId;
  }

  /**
   * Reads offline collection files from this machine's disk (never through the renderer: they hold
   * keys in clear) and runs them as a scan into the open case; refused, naming the file, when one
   * is no collection or names no usable host, and refused while a scan runs.
   */
  private async importCollections(paths: string[], host: string | undefined): Promise<string> {
    if (this.switching) throw new Error('another case is being opened: import once it is open');
    // The app follows one scan at a time; an import beside a running scan (from another window of `serve`) would be invisible there.
    if (this.scans.size > 0) throw new Error('a scan is running in the open case: import once it has finished or been cancelled');
    const store = this.store;
    let collections;
    try {
      collections = await readCollections(paths, host ?? null);
    } catch (error) {
      throw new Error(importRefusal(error instanceof Error ? error.message : String(error), paths));
    }
    const scanId = randomUUID();
    const controller = new AbortController();
    const giveUps = new HostGiveUps();
    this.scans.set(scanId, { controller, giveUps });
    const offline: OfflineScan = { collect: collectImportedHost, collectedAt: collectedAt(collections) };
    void this.runInBackground(store, scanId, collectionTargets(collections), controller, giveUps, undefined, offline);
    return scanId;
  }

  private async runInBackground(
    store: CaseStore,
    scanId: string,
    targets: ScanTarget[],
    controller: AbortController,
    giveUps: HostGiveUps,
    hostDeadlineSeconds: number | undefined,
    offline?: OfflineScan,
  ): Promise<void> {
    const { emit, runScan } = this.options;
    try {
      const scan = await runScan(targets, {
        signal: controller.signal,
        onProgress: (event) => emit('scan:progress', { scanId, ...event }),
        windowOverrides: await store.loadWindowOverrides(),
        knownGood: await store.loadKnownGood(),
        advisories: await this.loadedAdvisories(store),
        giveUps,
        ...(hostDeadlineSeconds !== undefined ? { hostDeadlineMs: hostDeadlineSeconds * 1000 } : {}),
        ...(offline ? { offline } : {}),
      });
      // A cancelled scan still saves what it read: nothing the user waited for is lost. The windows
      // are read again, as the user may have changed one while the scan ran.
      const windowOverrides = await store.loadWindowOverrides();
      const knownGood = await store.loadKnownGood();
      const advisories = await this.loadedAdvisories(store);
      const { report, ledger } = await store.saveMergedScan(scan, (previous) => this.mergeScan(previous, scan, windowOverrides, knownGood, advisories));
      await this.journal(store, scanEvent(scanId, scan, report, controller.signal.aborted));
      emit('scan:finished', { scanId, report, cancelled: controller.signal.aborted, ledger });
    } catch (error) {
      // Pushed to the renderer: an error can quote what a host said.
      const message = redactText(error instanceof Error ? error.message : String(error));
      for (const target of targets) emit('scan:progress', { scanId, host: target.name, phase: 'failed', message });
      await this.journal(store, { kind: 'scan-failed', scanId, hosts: targets.map((target) => target.name) }).catch(() => undefined);
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
  private mergeScan(
    previous: ScanReport | null,
    scan: ScanReport,
    windowOverrides: Record<string, WindowRange>,
    knownGood: readonly KnownGoodReference[],
    advisories: readonly OsvRecord[],
  ): ScanReport {
    const hosts = mergeHostResults(previous, scan);
    const scannedAt = previous && Date.parse(previous.scannedAt) > Date.parse(scan.scannedAt) ? previous.scannedAt : scan.scannedAt;
    return this.options.rejudge({ ...scan, scannedAt, hosts }, windowOverrides, knownGood, advisories);
  }

  /**
   * Removes a host's results from the case and judges the rest again (a key it shared with another
   * host, or a path through it, is weighed without it); the ledger keeps what it saw, so a key
   * seen only there keeps its steps. Answers false when the case holds no such host.
   */
  private async removeHost(name: string): Promise<boolean> {
    const { rejudge, emit } = this.options;
    const store = this.store;
    const windowOverrides = await store.loadWindowOverrides();
    const knownGood = await store.loadKnownGood();
    const advisories = await this.loadedAdvisories(store);
    const report = await store.updateReport((current) => {
      const rest = withoutHost(current, name);
      return rest && rejudge(rest, windowOverrides, knownGood, advisories);
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
    const { rejudge, emit, windowIds } = this.options;
    const store = this.store;
    if (!windowIds.includes(windowId)) throw new Error(`unknown compromise window ${JSON.stringify(windowId)} (known: ${windowIds.join(', ')})`);
    // Stored as UTC instants whatever offset the request used, as the known windows are written.
    const normalised = range ? { start: new Date(range.start).toISOString(), end: new Date(range.end).toISOString() } : null;
    const windowOverrides = await store.setWindowOverride(windowId, normalised);
    // Inside the store's queue, so a scan saved meanwhile is judged again, not overwritten.
    const knownGood = await store.loadKnownGood();
    const advisories = await this.loadedAdvisories(store);
    const rejudged = await store.updateReport((report) => rejudge(report, windowOverrides, knownGood, advisories));
    if (rejudged) emit('case:report-updated', { report: rejudged, windowOverrides });
    return windowOverrides;
  }

  /** Records events in the journal of the case they happened in, in order; resolves once they are on disk. */
  private async journal(store: CaseStore, ...events: JournalEvent[]): Promise<void> {
    for (const event of events) await store.journal.append(event);
  }

  /** A step's id with its title and phase in the case's current plan, for the journal. */
  private async stepRef(store: CaseStore, stepId: string) {
    const report = await store.loadReport();
    return stepRef({ report, ledger: report ? await store.loadLedger() : undefined, decisions: report ? await store.loadDecisions() : undefined }, stepId);
  }

  /**
   * Reads the artifact here in the main process (its bytes only: nothing in it runs), keeps its
   * file hashes in the case and judges the stored report again with it. A file that is no
   * known-good artifact is refused with a message that never quotes its content.
   */
  private async importKnownGood(fileName: string, contentBase64: string): Promise<{ imported: KnownGoodEntry; knownGood: KnownGoodEntry[]; unhashedCopies: number }> {
    const reference = importKnownGood(fileName, contentBase64);
    const knownGood = await this.changeKnownGood({ add: reference });
    const report = await this.store.loadReport();
    return { imported: knownGoodEntry(reference), knownGood, unhashedCopies: report ? unhashedCopies(report, reference) : 0 };
  }

  /** Adds or removes a known-good artifact, then judges the stored report again and pushes it. */
  private async changeKnownGood(change: { add: KnownGoodReference } | { removeId: string }): Promise<KnownGoodEntry[]> {
    const { rejudge, emit } = this.options;
    const store = this.store;
    const references = await store.updateKnownGood(change);
    const windowOverrides = await store.loadWindowOverrides();
    const advisories = await this.loadedAdvisories(store);
    const rejudged = await store.updateReport((report) => rejudge(report, windowOverrides, references, advisories));
    if (rejudged) emit('case:report-updated', { report: rejudged, windowOverrides });
    return references.map(knownGoodEntry);
  }

  /**
   * The records of the advisories loaded into `store`'s case, read once and kept while that case
   * stays unchanged: the same array each time, so the index built from it is built once.
   */
  private async loadedAdvisories(store: CaseStore): Promise<readonly OsvRecord[]> {
    if (this.advisoryCache?.store !== store) this.advisoryCache = { store, records: (await store.loadAdvisoryLoads()).flatMap((load) => load.records) };
    return this.advisoryCache.records;
  }

  /**
   * Reads a folder tree or an `all.zip` of OSV records here in the main process, keeps them with the
   * case and judges the stored report again with them. A path that cannot be read, or that holds no
   * record, is refused naming the path and the reason, never a file's content.
   */
  private async loadAdvisories(path: string): Promise<ResponseOf<'advisories:load'>> {
    const store = this.store;
    let loaded: LoadedAdvisories;
    try {
      loaded = await loadAdvisoryPath(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      throw new Error(`cannot read advisories at ${JSON.stringify(path)}: ${code ?? redactText((error as Error).message)}`);
    }
    if (loaded.records.length === 0) {
      throw new Error(`no OSV advisory records in ${JSON.stringify(loaded.source.path)} (${loaded.source.skipped} file${loaded.source.skipped === 1 ? '' : 's'} that are not)`);
    }
    const source: AdvisorySourceEntry = { ...loaded.source, loadedAt: new Date().toISOString() };
    const sources = await this.changeAdvisories(store, { add: { source, records: loaded.records } });
    return { loaded: source, sources };
  }

  /** Keeps or drops a load of advisories, then judges the stored report again and pushes it. */
  private async changeAdvisories(store: CaseStore, change: { add: CaseAdvisoryLoad } | { removePath: string }): Promise<AdvisorySourceEntry[]> {
    const { rejudge, emit } = this.options;
    const loads = await store.updateAdvisoryLoads(change);
    this.advisoryCache = { store, records: loads.flatMap((load) => load.records) };
    const windowOverrides = await store.loadWindowOverrides();
    const knownGood = await store.loadKnownGood();
    const advisories = this.advisoryCache.records;
    const rejudged = await store.updateReport((report) => rejudge(report, windowOverrides, knownGood, advisories));
    if (rejudged) emit('case:report-updated', { report: rejudged, windowOverrides });
    return loads.map((load) => load.source);
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

/** The register annotations with each note redacted (secrets replaced by fingerprints), as exports carry them. */
function redactedAnnotations(annotations: RegisterAnnotations): RegisterAnnotations {
  return Object.fromEntries(Object.entries(annotations).map(([id, annotation]) => [id, { ...annotation, note: redactText(annotation.note, { maxChars: MAX_REGISTER_NOTE }) }]));
}
