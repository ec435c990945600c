/**
 * The case folder: the last scan report, the ledger of keys, authorized keys and consumers every
 * scan has seen, the checklist progress, the compromise windows the user changed, the owner's
 * remove-or-patch decisions, the hosts the user added by hand, the known-good artifacts' file hashes and the journal of what was done when, kept as JSON files in the app's data folder so they survive restarts. Holds
 * no secrets: reports and the ledger carry fingerprints and names only.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import { emptyLedger, mergeIntoLedger, type CaseLedger } from '../../shared/case/ledger.js';
import { TEARDOWN_PIECE_KINDS } from '../../shared/checklist/teardown.js';
import { mergeCaseScanIntoLedger } from '../../shared/case/host-merge.js';
import { revocationCheckSchema, type RevocationCheck, type ScanReport } from '../../shared/model/index.js';
import type { StepProgress, WindowRange } from '../../shared/ipc/contract.js';
import { componentDecisionSchema, type CaseDecisions, type ComponentDecisionKind } from '../../shared/case/decisions.js';
import { caseSuppressionsSchema, type CaseSuppressions } from '../../shared/case/suppressions.js';
import { registerAnnotationSchema, type RegisterAnnotations } from '../../shared/case/register-annotations.js';
import type { TrustLevel } from '../../shared/model/index.js';
import { removeInterruptedWrites, writeFileAtomic } from './atomic-write.js';
import { caseAdvisoriesFileSchema, caseAdvisoryLoads, changedAdvisoryLoads, type CaseAdvisoryLoad } from './case-advisories.js';
import { CaseJournal } from './journal.js';
import { knownGoodReferenceSchema, type KnownGoodReference } from '../../shared/domain/python/known-good.js';

/** A host the user added in the UI, as stored. */
export interface ManualHost {
  name: string;
  hostName: string;
  user?: string;
  port?: number;
  identityFile?: string;
}

const stepProgressSchema = z.object({
  done: z.boolean(),
  note: z.string(),
  updatedAt: z.string(),
  doneAt: z.string().nullable(),
  choice: z.string().optional(),
  watchedHosts: z.array(z.string()).optional(),
});
const progressFileSchema = z.object({ version: z.literal(1), steps: z.record(z.string(), stepProgressSchema) });
const seen = { firstSeen: z.string(), lastSeen: z.string() };
const locationSchema = z.object({
  host: z.string(),
  container: z.string().nullable(),
  source: z.string(),
  path: z.string().optional(),
  variable: z.string().optional(),
});
/** A move step's target as the ledger keeps it (a consumer's route-around choice). */
const routeChoiceSchema = z.object({
  value: z.string(),
  label: z.string(),
  detail: z.string(),
  route: z
    .object({
      kind: z.enum(['direct-backend', 'other-router', 'provider-sdk']),
      backend: z.string(),
      models: z.array(z.string()),
      url: z.string().nullable(),
      place: z.object({ host: z.string(), container: z.string().nullable(), port: z.number().nullable() }).nullable(),
      tunnel: z.object({ unitName: z.string(), unitText: z.string(), host: z.string() }).optional(),
    })
    .optional(),
});
const ledgerFileSchema = z.object({
  version: z.literal(1),
  secrets: z.array(
    z.object({
      fingerprint: z.string(),
      provider: z.string(),
      hosts: z.array(z.object({ name: z.string(), lastSeen: z.string() })),
      locations: z.array(locationSchema),
      ...seen,
    }),
  ),
  authorizedKeys: z.array(z.object({ fingerprint: z.string(), host: z.string(), user: z.string(), fromHosts: z.array(z.string()), ...seen })),
  consumers: z.array(
    z.object({
      consumer: z.string(),
      consumerHost: z.string(),
      container: z.string().nullable(),
      gateway: z.string(),
      gatewayHost: z.string(),
      ...seen,
      targets: z.array(routeChoiceSchema).optional(),
    }),
  ),
  // Written since teardowns are kept; a ledger from before has none.
  gateways: z
    .array(
      z.object({
        id: z.string(),
        host: z.string(),
        container: z.string().nullable(),
        name: z.string(),
        gateway: z.string(),
        judged: z.boolean(),
        pieces: z.array(
          z.object({ kind: z.enum(TEARDOWN_PIECE_KINDS), host: z.string(), name: z.string(), path: z.string().optional(), why: z.string() }),
        ),
        ...seen,
      }),
    )
    .optional(),
});
const windowsFileSchema = z.object({
  version: z.literal(1),
  overrides: z.record(z.string(), z.object({ start: z.string(), end: z.string() })),
});
const decisionsFileSchema = z.object({ version: z.literal(1), decisions: z.record(z.string(), componentDecisionSchema) });
/** The owner's trust level and notes per supply-chain register row, by row id. */
const registerFileSchema = z.object({ version: z.literal(1), annotations: z.record(z.string(), registerAnnotationSchema) });
/** The latest revocation check per key, by fingerprint: outcomes and status codes only, never a value. */
const revocationFileSchema = z.object({ version: z.literal(1), checks: z.record(z.string(), revocationCheckSchema) });
const manualHostsFileSchema = z.object({
  version: z.literal(1),
  hosts: z.array(
    z.object({
      name: z.string(),
      hostName: z.string(),
      user: z.string().optional(),
      port: z.number().optional(),
      identityFile: z.string().optional(),
    }),
  ),
});

/** The known-good artifacts imported into the case, reduced to their files' hashes (never the artifacts themselves). */
const knownGoodFileSchema = z.object({ version: z.literal(1), references: z.array(knownGoodReferenceSchema) });

/** A case file exists but cannot be read as what it should be; never silently replaced. */
export class CaseFileError extends Error {
  constructor(path: string, reason: string) {
    super(`case file ${path} is unreadable: ${reason}`);
    this.name = 'CaseFileError';
  }
}

/** The files a case folder holds. */
const CASE_FILES = ['report.json', 'ledger.json', 'checklist.json', 'windows.json', 'decisions.json', 'hosts.json', 'revocation.json', 'known-good.json', 'suppressions.json', 'advisories.json', 'register.json'] as const;
/** Every file a case folder can hold, the journal included: what an upgrade moves, and nothing else. */
export const CASE_FOLDER_FILES: readonly string[] = [...CASE_FILES, 'journal.jsonl'];
type CaseFileName = (typeof CASE_FILES)[number];

/** Reads and writes one case folder. Writes are serialised so concurrent ticks never lose one another. */
export class CaseStore {
  private queue: Promise<unknown> = Promise.resolve();
  /** The case's journal (`journal.jsonl` beside the other files): it follows whichever case folder is open. */
  readonly journal: CaseJournal;

  constructor(readonly folder: string) {
    this.journal = new CaseJournal(join(folder, 'journal.jsonl'));
  }

  /**
   * Opens a case folder for the app: first deletes the temporary files of saves that were killed
   * midway (the case's own files only; anything else in the folder is left alone).
   */
  static async open(folder: string): Promise<CaseStore> {
    await removeInterruptedWrites(folder, CASE_FILES);
    return new CaseStore(folder);
  }

  /** The last saved report, or null before the first scan. */
  async loadReport(): Promise<ScanReport | null> {
    const raw = await this.readJson(this.file('report.json'));
    return raw === undefined ? null : (raw as ScanReport);
  }

  /** Replaces the saved report (a report judged again: the same scan, so the ledger is left as it is). */
  saveReport(report: ScanReport): Promise<void> {
    return this.serialised(() => writeFileAtomic(this.file('report.json'), JSON.stringify(report, null, 2)));
  }

  /**
   * What every scan of the case has seen (keys, authorized keys, consumers). A case saved before
   * the ledger existed has none: it starts from the stored report.
   */
  async loadLedger(): Promise<CaseLedger> {
    const raw = await this.readJson(this.file('ledger.json'));
    if (raw === undefined) {
      const report = await this.loadReport();
      return report ? mergeIntoLedger(null, report) : emptyLedger();
    }
    const parsed = ledgerFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('ledger.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data as CaseLedger;
  }

  /**
   * Saves a finished scan: merges what it found into the ledger (never dropping anything), then
   * replaces the report. The ledger is written first, so a crash between the two leaves a ledger
   * ahead of the report, which can only keep a step unverified, never verify one.
   */
  saveScan(report: ScanReport): Promise<CaseLedger> {
    return this.serialised(async () => {
      const ledger = mergeIntoLedger(await this.loadLedger(), report);
      await writeFileAtomic(this.file('ledger.json'), JSON.stringify(ledger, null, 2));
      await writeFileAtomic(this.file('report.json'), JSON.stringify(report, null, 2));
      return ledger;
    });
  }

  /**
   * Saves a finished scan of some of the case's hosts: `combine` makes the case's report from the
   * stored one (null before the first scan) and this scan, inside the write queue so two scans
   * finishing together both land. The ledger takes what this scan found and the combined report's
   * findings (shared/case/host-merge.ts), and is written first, as in saveScan.
   */
  saveMergedScan(scan: ScanReport, combine: (previous: ScanReport | null) => ScanReport): Promise<{ report: ScanReport; ledger: CaseLedger }> {
    return this.serialised(async () => {
      const report = combine(await this.loadReport());
      const ledger = mergeCaseScanIntoLedger(await this.loadLedger(), scan, report);
      await writeFileAtomic(this.file('ledger.json'), JSON.stringify(ledger, null, 2));
      await writeFileAtomic(this.file('report.json'), JSON.stringify(report, null, 2));
      return { report, ledger };
    });
  }

  /**
   * Changes the saved report inside the write queue (a host removed, the report judged again):
   * answers the new report, or null when there is none or `change` leaves it as it is (returns
   * null). The ledger is left as it is: it never forgets.
   */
  updateReport(change: (report: ScanReport) => ScanReport | null): Promise<ScanReport | null> {
    return this.serialised(async () => {
      const current = await this.loadReport();
      const next = current ? change(current) : null;
      if (next) await writeFileAtomic(this.file('report.json'), JSON.stringify(next, null, 2));
      return next;
    });
  }

  /** Checklist progress by step id, including steps no longer generated (kept, never dropped). */
  async loadProgress(): Promise<Record<string, StepProgress>> {
    const raw = await this.readJson(this.file('checklist.json'));
    if (raw === undefined) return {};
    const parsed = progressFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('checklist.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.steps;
  }

  /**
   * Records a step's done state and note, stamping when it changed and when it was ticked. A
   * choice is kept until another is given (an empty one clears it); watched hosts are taken when
   * the step is ticked, kept while it stays done and dropped when it is unticked.
   */
  async setStep(
    stepId: string,
    done: boolean,
    note: string,
    now = new Date(),
    extra: { choice?: string; watchedHosts?: string[] } = {},
  ): Promise<Record<string, StepProgress>> {
    return (await this.changeStep(stepId, done, note, now, extra)).progress;
  }

  /** As setStep, and also answers the step's progress before the change (read inside the write queue, so it is the one replaced). */
  changeStep(
    stepId: string,
    done: boolean,
    note: string,
    now = new Date(),
    extra: { choice?: string; watchedHosts?: string[] } = {},
  ): Promise<{ progress: Record<string, StepProgress>; previous: StepProgress | undefined }> {
    return this.serialised(async () => {
      const steps = await this.loadProgress();
      const previous = steps[stepId];
      const stamp = now.toISOString();
      const choice = extra.choice ?? previous?.choice;
      const watchedHosts = done ? (previous?.done ? (previous.watchedHosts ?? extra.watchedHosts) : extra.watchedHosts) : undefined;
      steps[stepId] = {
        done,
        note,
        updatedAt: stamp,
        doneAt: done ? (previous?.done ? previous.doneAt : stamp) : null,
        ...(choice ? { choice } : {}),
        ...(watchedHosts ? { watchedHosts } : {}),
      };
      await writeFileAtomic(this.file('checklist.json'), JSON.stringify({ version: 1, steps }, null, 2));
      return { progress: steps, previous };
    });
  }

  /** The compromise windows the user narrowed or widened, by window id; they apply to every report of the case. */
  async loadWindowOverrides(): Promise<Record<string, WindowRange>> {
    const raw = await this.readJson(this.file('windows.json'));
    if (raw === undefined) return {};
    const parsed = windowsFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('windows.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.overrides;
  }

  /** Sets one window's override, or removes it with `range` null; answers with all overrides. */
  setWindowOverride(windowId: string, range: WindowRange | null): Promise<Record<string, WindowRange>> {
    return this.serialised(async () => {
      const overrides = await this.loadWindowOverrides();
      if (range) overrides[windowId] = { start: range.start, end: range.end };
      else delete overrides[windowId];
      await writeFileAtomic(this.file('windows.json'), JSON.stringify({ version: 1, overrides }, null, 2));
      return overrides;
    });
  }

  /** The owner's remove-or-patch decisions by component id (a gateway finding's id). */
  async loadDecisions(): Promise<CaseDecisions> {
    const raw = await this.readJson(this.file('decisions.json'));
    if (raw === undefined) return {};
    const parsed = decisionsFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('decisions.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.decisions;
  }

  /** Records a component's decision and reason, stamped now, or clears it with `decision` null; answers with all decisions. */
  setDecision(componentId: string, decision: ComponentDecisionKind | null, reason: string, now = new Date()): Promise<CaseDecisions> {
    return this.serialised(async () => {
      const decisions = await this.loadDecisions();
      if (decision) decisions[componentId] = { decision, reason, decidedAt: now.toISOString() };
      else delete decisions[componentId];
      await writeFileAtomic(this.file('decisions.json'), JSON.stringify({ version: 1, decisions }, null, 2));
      return decisions;
    });
  }

  /** The owner's trust level and notes per supply-chain register row, by row id. */
  async loadRegisterAnnotations(): Promise<RegisterAnnotations> {
    const raw = await this.readJson(this.file('register.json'));
    if (raw === undefined) return {};
    const parsed = registerFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('register.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.annotations;
  }

  /**
   * Sets a register row's trust level and notes, stamped now; a row with neither (trust null, note
   * empty) is forgotten. Answers with every annotation and the row's previous one.
   */
  setRegisterAnnotation(rowId: string, trust: TrustLevel | null, note: string, now = new Date()): Promise<{ annotations: RegisterAnnotations; previous: RegisterAnnotations[string] | undefined }> {
    return this.serialised(async () => {
      const annotations = await this.loadRegisterAnnotations();
      const previous = annotations[rowId];
      if (trust === null && note === '') delete annotations[rowId];
      else annotations[rowId] = { trust, note, updatedAt: now.toISOString() };
      await writeFileAtomic(this.file('register.json'), JSON.stringify({ version: 1, annotations }, null, 2));
      return { annotations, previous };
    });
  }

  /** The suppression file loaded into the case (its parsed entries), or null when none is. */
  async loadSuppressions(): Promise<CaseSuppressions | null> {
    const raw = await this.readJson(this.file('suppressions.json'));
    if (raw === undefined) return null;
    const parsed = z.object({ version: z.literal(1), suppressions: caseSuppressionsSchema.nullable() }).safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('suppressions.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.suppressions;
  }

  /** Keeps a suppression file's entries with the case, replacing any before, or drops them with null. */
  setSuppressions(suppressions: CaseSuppressions | null): Promise<CaseSuppressions | null> {
    return this.serialised(async () => {
      await writeFileAtomic(this.file('suppressions.json'), JSON.stringify({ version: 1, suppressions }, null, 2));
      return suppressions;
    });
  }

  /** The latest revocation check of each key the owner asked about, by fingerprint. */
  async loadRevocationChecks(): Promise<Record<string, RevocationCheck>> {
    const raw = await this.readJson(this.file('revocation.json'));
    if (raw === undefined) return {};
    const parsed = revocationFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('revocation.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.checks;
  }

  /** Keeps a check as its key's latest (parsed first, so only the schema's fields reach the disk); answers with every check. */
  saveRevocationCheck(check: RevocationCheck): Promise<Record<string, RevocationCheck>> {
    return this.serialised(async () => {
      const checks = await this.loadRevocationChecks();
      checks[check.fingerprint] = revocationCheckSchema.strip().parse(check);
      await writeFileAtomic(this.file('revocation.json'), JSON.stringify({ version: 1, checks }, null, 2));
      return checks;
    });
  }

  /** The known-good artifacts the owner imported, oldest first. */
  async loadKnownGood(): Promise<KnownGoodReference[]> {
    const raw = await this.readJson(this.file('known-good.json'));
    if (raw === undefined) return [];
    const parsed = knownGoodFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('known-good.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.references;
  }

  /** The advisories loaded into the case, each load with its source; none before the first load. */
  async loadAdvisoryLoads(): Promise<CaseAdvisoryLoad[]> {
    const raw = await this.readJson(this.file('advisories.json'));
    if (raw === undefined) return [];
    const parsed = caseAdvisoriesFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('advisories.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    try {
      return caseAdvisoryLoads(parsed.data);
    } catch (error) {
      throw new CaseFileError(this.file('advisories.json'), (error as Error).message);
    }
  }

  /** Keeps a load of advisories (replacing an earlier load of the same path), or drops the one from `removePath`; answers with all of them. */
  updateAdvisoryLoads(change: { add: CaseAdvisoryLoad } | { removePath: string }): Promise<CaseAdvisoryLoad[]> {
    return this.serialised(async () => {
      const loads = changedAdvisoryLoads(await this.loadAdvisoryLoads(), change);
      await writeFileAtomic(this.file('advisories.json'), JSON.stringify({ version: 1, loads }));
      return loads;
    });
  }

  /** Keeps a known-good reference (one with the same id is replaced), or removes the one with `removeId`; answers with all of them. */
  updateKnownGood(change: { add: KnownGoodReference } | { removeId: string }): Promise<KnownGoodReference[]> {
    return this.serialised(async () => {
      const references = await this.loadKnownGood();
      const id = 'add' in change ? change.add.id : change.removeId;
      const next = references.filter((reference) => reference.id !== id);
      if ('add' in change) next.push(knownGoodReferenceSchema.strip().parse(change.add));
      await writeFileAtomic(this.file('known-good.json'), JSON.stringify({ version: 1, references: next }, null, 2));
      return next;
    });
  }

  /** Hosts added by hand in the UI. */
  async loadManualHosts(): Promise<ManualHost[]> {
    const raw = await this.readJson(this.file('hosts.json'));
    if (raw === undefined) return [];
    const parsed = manualHostsFileSchema.safeParse(raw);
    if (!parsed.success) throw new CaseFileError(this.file('hosts.json'), parsed.error.issues[0]?.message ?? 'bad shape');
    return parsed.data.hosts;
  }

  /** Adds or replaces a hand-added host by name. */
  saveManualHost(host: ManualHost): Promise<void> {
    return this.serialised(async () => {
      const hosts = (await this.loadManualHosts()).filter((existing) => existing.name !== host.name);
      hosts.push(host);
      await writeFileAtomic(this.file('hosts.json'), JSON.stringify({ version: 1, hosts }, null, 2));
    });
  }

  private file(name: CaseFileName): string {
    return join(this.folder, name);
  }

  private async readJson(path: string): Promise<unknown> {
    let text: string;
    try {
      text = await readFile(path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw error;
    }
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new CaseFileError(path, (error as Error).message);
    }
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
