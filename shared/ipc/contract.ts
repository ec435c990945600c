/**
 * The one typed contract between the renderer and whatever serves it (the Electron main process
 * over IPC, or the browser host over a WebSocket). Each request channel maps to a zod schema for
 * its request and a TypeScript type for its response; each push channel to its payload type.
 * Nothing else names a channel.
 */
import { z } from 'zod';
import { COMPONENT_DECISIONS, MAX_DECISION_REASON, type CaseDecisions } from '../case/decisions.js';
import type { CaseLedger } from '../case/ledger-entries.js';
import type { CaseJournalView } from '../case/journal-entries.js';
import type { CaseSuppressions } from '../case/suppressions.js';
import { MAX_REGISTER_NOTE, type RegisterAnnotations } from '../case/register-annotations.js';
import { TRUST_LEVELS } from '../model/index.js';
import type { RevocationCheck, ScanReport } from '../model/index.js';
import { EXPORT_FORMATS, type ReportExport } from '../report-formats/formats.js';

/** A host the user can pick for a scan. */
export interface HostEntry {
  /** Unique name: the ssh_config Host alias, a hand-added name, or LOCAL_HOST_NAME. */
  name: string;
  /** Where it connects: `user@hostname:port`, or `local`. */
  address: string;
  source: 'ssh-config' | 'manual' | 'local';
}

/** The name of the machine the app runs on; it is scanned without SSH. */
export const LOCAL_HOST_NAME = 'This machine';

/** What a scan of one host is doing now. */
export type ScanPhase = 'queued' | 'connecting' | 'facts' | 'containers' | 'python' | 'iocs' | 'keys' | 'done' | 'failed' | 'cancelled';

/** One checklist step's recorded progress. */
export interface StepProgress {
  done: boolean;
  note: string;
  /** ISO time of the last change. */
  updatedAt: string;
  /** ISO time it was ticked, when done. */
  doneAt: string | null;
  /** The option picked on a step that offers a choice (where a consumer moves to); absent until one is picked. */
  choice?: string;
  /**
   * For a step a re-scan verifies by not finding something anywhere: the hosts it was on when the
   * step was ticked, so a host the next scan does not reach keeps the step unverified.
   */
  watchedHosts?: string[];
}

/** A compromise window as the user set it: ISO 8601 instants in UTC, start before end. */
export interface WindowRange {
  start: string;
  end: string;
}

/** Everything the UI shows on start: the last scan, the checklist progress and the windows the user changed. */
export interface CaseState {
  report: ScanReport | null;
  progress: Record<string, StepProgress>;
  /** The user's compromise windows by window id (see shared/domain/exposure/compromise-windows.ts). */
  windowOverrides: Record<string, WindowRange>;
  /**
   * What every scan of the case has seen that has steps verified by absence (fingerprints and names
   * only); absent from a backend older than the ledger.
   */
  ledger?: CaseLedger;
  /** The owner's remove-or-patch decisions by component id; absent from a backend older than decisions. */
  decisions?: CaseDecisions;
  /** The latest revocation check per key fingerprint (outcomes only, never a value); absent from a backend older than the check. */
  revocationChecks?: Record<string, RevocationCheck>;
  /** The known-good artifacts imported into the case (without their file lists); absent from a backend older than the import. */
  knownGood?: KnownGoodEntry[];
  /** Where the advisories loaded into the case came from (each load's path, kind, record count and modified dates); absent from a backend older than loading. */
  advisorySources?: AdvisorySourceEntry[];
  /** The suppression file loaded into the case (its entries, name and load time), or null; absent from a backend older than suppressions. */
  suppressions?: CaseSuppressions | null;
  /** The owner's trust level and notes per supply-chain register row, by row id; absent from a backend older than the register. */
  registerAnnotations?: RegisterAnnotations;
}

/** One case (incident) of the library, as listed. Times are ISO instants. */
export interface CaseSummary {
  /** The library's id for it (a plain folder name); names can change, ids do not. */
  id: string;
  name: string;
  createdAt: string;
  /** When it was last opened; null when never. */
  openedAt: string | null;
  /** When it was archived; null while it is not. */
  archivedAt: string | null;
}

/** Every case and which one is open (null when none is: case channels then refuse, and `case:get` answers an empty case). */
export interface CaseLibraryState {
  openCaseId: string | null;
  cases: CaseSummary[];
}

/** The longest case name. */
export const CASE_NAME_MAX = 100;
/** A load of advisories the case keeps ("Load advisories…"), as listed: its source, not its records. */
export interface AdvisorySourceEntry {
  /** The folder tree or `all.zip` read, absolute, on the machine the main process runs on. */
  path: string;
  kind: 'folder' | 'zip';
  /** Records read from it. */
  records: number;
  /** Files or entries that were not OSV records. */
  skipped: number;
  /** The oldest and newest `modified` of its records; null when none says. */
  oldestModified: string | null;
  newestModified: string | null;
  loadedAt: string;
}

/** A known-good artifact the case keeps, as the renderer sees it: what it is, not its files' hashes. */
export interface KnownGoodEntry {
  id: string;
  name: string;
  version: string;
  source: 'wheel' | 'sdist' | 'manifest';
  artifact: string;
  artifactSha256: string;
  importedAt: string;
  /** How many files it lists. */
  files: number;
}

/** Largest known-good artifact the app imports through the contract, base64 included (a wheel of about 48 MiB). */
export const MAX_KNOWN_GOOD_BASE64 = 64 * 1024 * 1024;

/** An instant with a zone (`Z` or an offset); a bare local time would mean a different hour on every machine. */
const isoInstant = z.iso.datetime({ offset: true });

/** A window range: two ISO instants, the start strictly before the end. */
export const windowRangeSchema = z
  .object({ start: isoInstant, end: isoInstant })
  .strict()
  .refine((range) => Date.parse(range.start) < Date.parse(range.end), { message: 'the window must start before it ends', path: ['end'] });

const hostName = z.string().min(1).max(200);
const caseId = z.string().regex(/^[a-z0-9][a-z0-9-]{0,63}$/, 'a case id');

/** Request schemas, one per channel. Main validates every request against these. */
export const requestSchemas = {
  'hosts:list': z.object({}).strict(),
  'hosts:add': z
    .object({
      name: hostName.regex(/^[^\s*?!]+$/, 'a host name has no spaces or wildcards'),
      hostName: z.string().min(1).max(255),
      user: z.string().min(1).max(64).optional(),
      port: z.number().int().min(1).max(65535).optional(),
      identityFile: z.string().min(1).max(4096).optional(),
    })
    .strict(),
  /** `hostDeadlineSeconds`: how long each host may take before it is given up on; the backend's default (300 s) unless given. */
  'scan:start': z.object({ hosts: z.array(hostName).min(1).max(500), hostDeadlineSeconds: z.number().int().min(1).max(86_400).optional() }).strict(),
  /**
   * Reads offline collection files (`blast-radius collector`'s output) by their paths on the machine
   * the backend runs on, as a scan of their hosts into the open case: the files hold keys in clear,
   * so they are read in the main process only, never sent through the renderer. `host` names the
   * host of one file (else each file's hostname does). Progress and the end come as a scan's pushes.
   */
  'scan:import': z.object({ paths: z.array(z.string().min(1).max(4096)).min(1).max(500), host: hostName.optional() }).strict(),
  'scan:cancel': z.object({ scanId: z.string().min(1).max(100) }).strict(),
  /** Gives up on one host of a running scan (what it gave is kept); the scan goes on with the others. */
  'scan:abandon-host': z.object({ scanId: z.string().min(1).max(100), host: hostName }).strict(),
  'case:get': z.object({}).strict(),
  /** Removes one host's results from the case (its findings and steps go; the ledger keeps what it saw). */
  'case:remove-host': z.object({ host: hostName }).strict(),
  'checklist:set-step': z
    .object({
      stepId: z.string().min(1).max(500),
      done: z.boolean(),
      note: z.string().max(10_000),
      choice: z.string().max(100).optional(),
      watchedHosts: z.array(hostName).max(500).optional(),
    })
    .strict(),
  /** Sets a compromise window's start and end, or resets it to the known window with `range: null`. */
  'windows:set-override': z.object({ windowId: z.string().min(1).max(100), range: windowRangeSchema.nullable() }).strict(),
  /** Records the owner's decision for an AI component (its gateway finding's id), or clears it with `decision: null`. */
  'case:set-decision': z
    .object({ componentId: z.string().min(1).max(500), decision: z.enum(COMPONENT_DECISIONS).nullable(), reason: z.string().max(MAX_DECISION_REASON) })
    .strict(),
  /**
   * Asks the key's provider, once, whether it still accepts the old key (opt-in: the renderer asks
   * after the owner confirms a request will go to the provider). Only the fingerprint crosses.
   */
  /** Sets the owner's trust level (null: unset) and notes for a supply-chain register row; both empty forgets the row's annotation. */
  'register:annotate': z
    .object({ rowId: z.string().min(1).max(1000), trust: z.enum(TRUST_LEVELS).nullable(), note: z.string().max(MAX_REGISTER_NOTE) })
    .strict(),
  'keys:check-revoked': z
    .object({ fingerprint: z.string().min(3).max(300).regex(/^[a-z0-9_-]+:[^\s]+$/, 'a key fingerprint, <provider>:<hex>:<last4>') })
    .strict(),
  /** Renders the case's report in one format (PDF: its HTML printed, in base64) for the renderer to save (the report holds no secret value). */
  'report:export': z.object({ format: z.enum(EXPORT_FORMATS) }).strict(),
  'cases:list': z.object({}).strict(),
  /** Makes a new, empty case; it is not opened. */
  'cases:create': z.object({ name: z.string().min(1).max(CASE_NAME_MAX) }).strict(),
  'cases:rename': z.object({ caseId, name: z.string().min(1).max(CASE_NAME_MAX) }).strict(),
  /** Opens a case: every case channel acts on it from then on (refused while a scan runs). */
  'cases:open': z.object({ caseId }).strict(),
  /** Leaves no case open (refused while a scan runs). */
  'cases:close': z.object({}).strict(),
  /** Archives a case (closing it when open) or unarchives it with `archived: false`; nothing in it is deleted. */
  'cases:archive': z.object({ caseId, archived: z.boolean() }).strict(),
  /** The open case's journal: every scan, tick, note, decision, window change and export, in order. */
  'journal:get': z.object({}).strict(),
  /**
   * Imports a known-good wheel, sdist or hash manifest the owner picked (its bytes, base64); the main
   * process reads and hashes it, keeps its file hashes in the case and judges the report again.
   */
  'known-good:import': z
    .object({ fileName: z.string().min(1).max(255), contentBase64: z.string().min(1).max(MAX_KNOWN_GOOD_BASE64).regex(/^[A-Za-z0-9+/]+=*$/, 'base64') })
    .strict(),
  /** Forgets an imported known-good artifact; the report is judged again without it. */
  'known-good:remove': z.object({ id: z.string().min(1).max(300) }).strict(),
  /**
   * Loads OSV advisories into the case from a folder tree or an osv.dev `all.zip` at `path` on the
   * machine the main process runs on (the desktop app's own, or the browser host's); the report is
   * judged again with them, and every later scan uses them.
   */
  'advisories:load': z.object({ path: z.string().min(1).max(4096) }).strict(),
  /** Forgets the advisories loaded from `path`; the report is judged again without them. */
  'advisories:remove': z.object({ path: z.string().min(1).max(4096) }).strict(),
  /**
   * Loads a suppression file's text into the case (refused whole, every problem named, when an
   * entry is bad), or drops the case's suppressions with `text: null`.
   */
  'case:set-suppressions': z.object({ fileName: z.string().max(255), text: z.string().max(1_000_000).nullable() }).strict(),
  'prompt:answer-host-key': z.object({ promptId: z.string().min(1).max(100), accept: z.boolean() }).strict(),
  'prompt:answer-passphrase': z
    .object({ promptId: z.string().min(1).max(100), passphrase: z.string().max(4096).nullable() })
    .strict(),
} as const;

/** Response types, one per request channel. */
export interface Responses {
  'hosts:list': { hosts: HostEntry[] };
  'hosts:add': { host: HostEntry };
  'scan:start': { scanId: string };
  'scan:import': { scanId: string };
  'scan:cancel': { cancelled: boolean };
  /** False when the scan is over or has no such host still to finish. */
  'scan:abandon-host': { abandoned: boolean };
  'case:get': CaseState;
  /** False when the case holds no such host; the report without it follows as a `case:report-updated` push. */
  'case:remove-host': { removed: boolean };
  'checklist:set-step': { progress: Record<string, StepProgress> };
  /** The overrides now stored; the recomputed report follows as a `case:report-updated` push. */
  'windows:set-override': { windowOverrides: Record<string, WindowRange> };
  /** Every decision now stored. */
  'case:set-decision': { decisions: CaseDecisions };
  /** Every register annotation now stored. */
  'register:annotate': { annotations: RegisterAnnotations };
  /** The check's result (fingerprint, outcome, status or error class, time, endpoint) and every check the case keeps. */
  'keys:check-revoked': { check: RevocationCheck; checks: Record<string, RevocationCheck> };
  /**
   * The artifact as kept, every artifact the case keeps, and how many installed copies of its version
   * the stored report holds without file hashes (a scan must hash them before they can be compared).
   */
  'known-good:import': { imported: KnownGoodEntry; knownGood: KnownGoodEntry[]; unhashedCopies: number };
  'known-good:remove': { knownGood: KnownGoodEntry[] };
  /** The load as kept, and every load the case keeps. */
  'advisories:load': { loaded: AdvisorySourceEntry; sources: AdvisorySourceEntry[] };
  'advisories:remove': { sources: AdvisorySourceEntry[] };
  /** The suppressions the case now keeps, or null after they were dropped. */
  'case:set-suppressions': { suppressions: CaseSuppressions | null };
  /** The rendered report and the file name to save it as; null when the case has no report yet. */
  'report:export': { export: ReportExport | null };
  'cases:list': { library: CaseLibraryState };
  /** The new case and the library with it. */
  'cases:create': { created: CaseSummary; library: CaseLibraryState };
  'cases:rename': { library: CaseLibraryState };
  /** The library with the case open; the renderer loads its case and hosts next. */
  'cases:open': { library: CaseLibraryState };
  'cases:close': { library: CaseLibraryState };
  'cases:archive': { library: CaseLibraryState };
  /** The journal's whole records in order, and how many damaged ones were skipped. */
  'journal:get': CaseJournalView;
  'prompt:answer-host-key': { ok: true };
  'prompt:answer-passphrase': { ok: true };
}

/** A request channel name. */
export type Channel = keyof typeof requestSchemas;
/** The request payload of a channel. */
export type RequestOf<C extends Channel> = z.infer<(typeof requestSchemas)[C]>;
/** The response payload of a channel. */
export type ResponseOf<C extends Channel> = Responses[C];

/** Push payloads from main to the renderer. */
export interface Pushes {
  /**
   * `waitingSeconds` and `remainingSeconds` are set on "still waiting" reports: how long the host
   * has not answered the phase, and how long it has before it is given up on.
   */
  'scan:progress': { scanId: string; host: string; phase: ScanPhase; message: string; waitingSeconds?: number; remainingSeconds?: number };
  /** The ledger is the case's, updated with this scan (absent from a backend older than the ledger). */
  'scan:finished': { scanId: string; report: ScanReport; cancelled: boolean; ledger?: CaseLedger };
  /** The stored report was judged again (a window changed, a host was removed from the case). */
  'case:report-updated': { report: ScanReport; windowOverrides: Record<string, WindowRange> };
  'prompt:host-key': { promptId: string; host: string; address: string; keyType: string; fingerprint: string };
  'prompt:passphrase': { promptId: string; host: string; keyPath: string };
}

/** A push channel name. */
export type PushChannel = keyof Pushes;

/** All push channel names, for transports that must subscribe to each. */
export const PUSH_CHANNELS: readonly PushChannel[] = [
  'scan:progress',
  'scan:finished',
  'case:report-updated',
  'prompt:host-key',
  'prompt:passphrase',
];

/** Calls one channel; used by the transports to implement BlastRadiusApi. */
export type Invoke = <C extends Channel>(channel: C, request: RequestOf<C>) => Promise<ResponseOf<C>>;
/** Subscribes to one push channel; returns the unsubscribe function. */
export type Subscribe = <P extends PushChannel>(channel: P, listener: (payload: Pushes[P]) => void) => () => void;

/**
 * The API the renderer sees as `window.api` (Electron preload) or through the WebSocket client
 * (browser host): one method per channel, never a generic invoke.
 */
export interface BlastRadiusApi {
  listHosts(): Promise<ResponseOf<'hosts:list'>>;
  addHost(request: RequestOf<'hosts:add'>): Promise<ResponseOf<'hosts:add'>>;
  startScan(request: RequestOf<'scan:start'>): Promise<ResponseOf<'scan:start'>>;
  cancelScan(request: RequestOf<'scan:cancel'>): Promise<ResponseOf<'scan:cancel'>>;
  abandonHost(request: RequestOf<'scan:abandon-host'>): Promise<ResponseOf<'scan:abandon-host'>>;
  getCase(): Promise<ResponseOf<'case:get'>>;
  removeHostFromCase(request: RequestOf<'case:remove-host'>): Promise<ResponseOf<'case:remove-host'>>;
  setChecklistStep(request: RequestOf<'checklist:set-step'>): Promise<ResponseOf<'checklist:set-step'>>;
  setWindowOverride(request: RequestOf<'windows:set-override'>): Promise<ResponseOf<'windows:set-override'>>;
  setDecision(request: RequestOf<'case:set-decision'>): Promise<ResponseOf<'case:set-decision'>>;
  annotateRegister(request: RequestOf<'register:annotate'>): Promise<ResponseOf<'register:annotate'>>;
  checkRevoked(request: RequestOf<'keys:check-revoked'>): Promise<ResponseOf<'keys:check-revoked'>>;
  importKnownGood(request: RequestOf<'known-good:import'>): Promise<ResponseOf<'known-good:import'>>;
  removeKnownGood(request: RequestOf<'known-good:remove'>): Promise<ResponseOf<'known-good:remove'>>;
  loadAdvisories(request: RequestOf<'advisories:load'>): Promise<ResponseOf<'advisories:load'>>;
  importCollections(request: RequestOf<'scan:import'>): Promise<ResponseOf<'scan:import'>>;
  removeAdvisories(request: RequestOf<'advisories:remove'>): Promise<ResponseOf<'advisories:remove'>>;
  exportReport(request: RequestOf<'report:export'>): Promise<ResponseOf<'report:export'>>;
  listCases(): Promise<ResponseOf<'cases:list'>>;
  createCase(request: RequestOf<'cases:create'>): Promise<ResponseOf<'cases:create'>>;
  renameCase(request: RequestOf<'cases:rename'>): Promise<ResponseOf<'cases:rename'>>;
  openCase(request: RequestOf<'cases:open'>): Promise<ResponseOf<'cases:open'>>;
  closeCase(): Promise<ResponseOf<'cases:close'>>;
  archiveCase(request: RequestOf<'cases:archive'>): Promise<ResponseOf<'cases:archive'>>;
  getJournal(): Promise<ResponseOf<'journal:get'>>;
  setSuppressions(request: RequestOf<'case:set-suppressions'>): Promise<ResponseOf<'case:set-suppressions'>>;
  answerHostKey(request: RequestOf<'prompt:answer-host-key'>): Promise<ResponseOf<'prompt:answer-host-key'>>;
  answerPassphrase(request: RequestOf<'prompt:answer-passphrase'>): Promise<ResponseOf<'prompt:answer-passphrase'>>;
  onScanProgress(listener: (payload: Pushes['scan:progress']) => void): () => void;
  onScanFinished(listener: (payload: Pushes['scan:finished']) => void): () => void;
  onReportUpdated(listener: (payload: Pushes['case:report-updated']) => void): () => void;
  onHostKeyPrompt(listener: (payload: Pushes['prompt:host-key']) => void): () => void;
  onPassphrasePrompt(listener: (payload: Pushes['prompt:passphrase']) => void): () => void;
}

/** Builds the one-method-per-channel API over a transport's invoke and subscribe. */
export function createApi(invoke: Invoke, subscribe: Subscribe): BlastRadiusApi {
  return {
    listHosts: () => invoke('hosts:list', {}),
    addHost: (request) => invoke('hosts:add', request),
    startScan: (request) => invoke('scan:start', request),
    cancelScan: (request) => invoke('scan:cancel', request),
    abandonHost: (request) => invoke('scan:abandon-host', request),
    getCase: () => invoke('case:get', {}),
    removeHostFromCase: (request) => invoke('case:remove-host', request),
    setChecklistStep: (request) => invoke('checklist:set-step', request),
    setWindowOverride: (request) => invoke('windows:set-override', request),
    setDecision: (request) => invoke('case:set-decision', request),
    annotateRegister: (request) => invoke('register:annotate', request),
    checkRevoked: (request) => invoke('keys:check-revoked', request),
    importKnownGood: (request) => invoke('known-good:import', request),
    removeKnownGood: (request) => invoke('known-good:remove', request),
    loadAdvisories: (request) => invoke('advisories:load', request),
    importCollections: (request) => invoke('scan:import', request),
    removeAdvisories: (request) => invoke('advisories:remove', request),
    exportReport: (request) => invoke('report:export', request),
    listCases: () => invoke('cases:list', {}),
    createCase: (request) => invoke('cases:create', request),
    renameCase: (request) => invoke('cases:rename', request),
    openCase: (request) => invoke('cases:open', request),
    closeCase: () => invoke('cases:close', {}),
    archiveCase: (request) => invoke('cases:archive', request),
    getJournal: () => invoke('journal:get', {}),
    setSuppressions: (request) => invoke('case:set-suppressions', request),
    answerHostKey: (request) => invoke('prompt:answer-host-key', request),
    answerPassphrase: (request) => invoke('prompt:answer-passphrase', request),
    onScanProgress: (listener) => subscribe('scan:progress', listener),
    onScanFinished: (listener) => subscribe('scan:finished', listener),
    onReportUpdated: (listener) => subscribe('case:report-updated', listener),
    onHostKeyPrompt: (listener) => subscribe('prompt:host-key', listener),
    onPassphrasePrompt: (listener) => subscribe('prompt:passphrase', listener),
  };
}
