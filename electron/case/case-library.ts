/**
 * The case library: one folder per case (incident) under `<data>/cases/<id>/`, each a CaseStore
 * folder with its own hosts, scans, ledger, windows, decisions, progress and revocation checks, and
 * an index (`<data>/cases/index.json`) with each case's name, when it was created, last opened and
 * archived, and which case is open, so the open case is remembered across restarts.
 *
 * Before the library, the data folder itself was the one case folder. On first start its files
 * move, by rename, into the first case's folder, and the index is written last: a start killed
 * midway finds no index and finishes the same move, so nothing is lost or duplicated.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { z } from 'zod';
import type { CaseLibraryState, CaseSummary } from '../../shared/ipc/contract.js';
import { CASE_NAME_MAX } from '../../shared/ipc/contract.js';
import { CASE_FOLDER_FILES, CaseFileError, CaseStore } from './case-store.js';
import { removeInterruptedWrites, writeFileAtomic } from './atomic-write.js';

/** The library's folder inside the data folder. */
export const CASES_FOLDER = 'cases';
const INDEX_FILE = 'index.json';
/** The folder the case found in an old single-case data folder moves to; fixed so a killed upgrade resumes into it. */
export const UPGRADED_CASE_ID = 'first';
/** The name of the first case, made on a fresh start or from an old single-case folder. */
export const FIRST_CASE_NAME = 'First case';
const summarySchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  openedAt: z.string().nullable(),
  archivedAt: z.string().nullable(),
});
const indexSchema = z.object({ version: z.literal(1), openCaseId: z.string().nullable(), cases: z.array(summarySchema) });
type CaseIndex = z.infer<typeof indexSchema>;

/** A case id as the library makes them: lower-case letters, digits and dashes, so it is always a plain folder name. */
const CASE_ID = /^[a-z0-9][a-z0-9-]{0,63}$/;

/** A request the library refuses (unknown case, a name taken, an archived case opened); its message is for the user. */
export class CaseLibraryError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CaseLibraryError';
  }
}

/** Keeps the index of cases and hands out each case's store. Index writes are serialised. */
export class CaseLibrary {
  private queue: Promise<unknown> = Promise.resolve();

  private constructor(
    readonly dataDir: string,
    private index: CaseIndex,
  ) {}

  /**
   * Opens the library in `dataDir`: reads its index, or makes it — from an old single-case folder
   * (its files become the first case, opened) or, on a fresh start, with one empty case, opened.
   */
  static async open(dataDir: string, now = new Date()): Promise<CaseLibrary> {
    const root = join(dataDir, CASES_FOLDER);
    await removeInterruptedWrites(root, [INDEX_FILE]);
    const indexPath = join(root, INDEX_FILE);
    const raw = await readJson(indexPath);
    if (raw !== undefined) {
      const parsed = indexSchema.safeParse(raw);
      if (!parsed.success) throw new CaseFileError(indexPath, parsed.error.issues[0]?.message ?? 'bad shape');
      return new CaseLibrary(dataDir, parsed.data);
    }
    const upgraded = await moveOldCase(dataDir, root);
    const id = upgraded ? UPGRADED_CASE_ID : newCaseId();
    await mkdir(join(root, id), { recursive: true, mode: 0o700 });
    const stamp = now.toISOString();
    const library = new CaseLibrary(dataDir, {
      version: 1,
      openCaseId: id,
      cases: [{ id, name: FIRST_CASE_NAME, createdAt: upgraded?.createdAt ?? stamp, openedAt: stamp, archivedAt: null }],
    });
    await library.writeIndex();
    return library;
  }

  /** Every case (archived ones included, flagged) and the open case's id. */
  state(): CaseLibraryState {
    return { openCaseId: this.index.openCaseId, cases: this.index.cases.map((summary) => ({ ...summary })) };
  }

  /** The open case's id, or null when none is open. */
  get openCaseId(): string | null {
    return this.index.openCaseId;
  }

  /** Opens the store of a case of the library (its interrupted saves cleared). */
  async store(caseId: string): Promise<CaseStore> {
    return CaseStore.open(this.folderOf(this.find(caseId).id));
  }

  /** Makes a new, empty case named `name` (not opened). */
  create(name: string, now = new Date()): Promise<CaseSummary> {
    return this.serialised(async () => {
      const cleanName = this.freeName(name, null);
      const id = newCaseId();
      await mkdir(this.folderOf(id), { recursive: true, mode: 0o700 });
      const summary: CaseSummary = { id, name: cleanName, createdAt: now.toISOString(), openedAt: null, archivedAt: null };
      this.index = { ...this.index, cases: [...this.index.cases, summary] };
      await this.writeIndex();
      return { ...summary };
    });
  }

  /** Renames a case; names are unique, ignoring case and surrounding spaces. */
  rename(caseId: string, name: string): Promise<CaseLibraryState> {
    return this.serialised(async () => {
      this.find(caseId);
      const cleanName = this.freeName(name, caseId);
      await this.change(caseId, (summary) => ({ ...summary, name: cleanName }));
      return this.state();
    });
  }

  /** Makes a case the open one, stamping when it was opened; an archived case must be unarchived first. */
  openCase(caseId: string, now = new Date()): Promise<CaseLibraryState> {
    return this.serialised(async () => {
      const summary = this.find(caseId);
      if (summary.archivedAt) throw new CaseLibraryError(`the case ${JSON.stringify(summary.name)} is archived: unarchive it to open it`);
      this.index = { ...this.index, openCaseId: caseId };
      await this.change(caseId, (current) => ({ ...current, openedAt: now.toISOString() }));
      return this.state();
    });
  }

  /** Leaves no case open. */
  close(): Promise<CaseLibraryState> {
    return this.serialised(async () => {
      this.index = { ...this.index, openCaseId: null };
      await this.writeIndex();
      return this.state();
    });
  }

  /** Archives a case (closing it if it is open) or brings it back; its folder is kept as it is either way. */
  setArchived(caseId: string, archived: boolean, now = new Date()): Promise<CaseLibraryState> {
    return this.serialised(async () => {
      this.find(caseId);
      if (archived && this.index.openCaseId === caseId) this.index = { ...this.index, openCaseId: null };
      await this.change(caseId, (summary) => ({ ...summary, archivedAt: archived ? (summary.archivedAt ?? now.toISOString()) : null }));
      return this.state();
    });
  }

  /** The folder of a case id the library made (checked, so a request can never name a path). */
  private folderOf(caseId: string): string {
    if (!CASE_ID.test(caseId)) throw new CaseLibraryError(`not a case id: ${JSON.stringify(caseId)}`);
    return join(this.dataDir, CASES_FOLDER, caseId);
  }

  private find(caseId: string): CaseSummary {
    const summary = this.index.cases.find((candidate) => candidate.id === caseId);
    if (!summary) throw new CaseLibraryError(`no case with id ${JSON.stringify(caseId)}`);
    return summary;
  }

  /** `name` trimmed, refused when empty, too long or another case's. */
  private freeName(name: string, exceptId: string | null): string {
    const trimmed = name.trim();
    if (trimmed === '') throw new CaseLibraryError('a case needs a name');
    if (trimmed.length > CASE_NAME_MAX) throw new CaseLibraryError(`a case name has at most ${CASE_NAME_MAX} characters`);
    const clash = this.index.cases.find((summary) => summary.id !== exceptId && summary.name.toLowerCase() === trimmed.toLowerCase());
    if (clash) throw new CaseLibraryError(`a case named ${JSON.stringify(clash.name)} already exists`);
    return trimmed;
  }

  private async change(caseId: string, update: (summary: CaseSummary) => CaseSummary): Promise<void> {
    this.index = { ...this.index, cases: this.index.cases.map((summary) => (summary.id === caseId ? update(summary) : summary)) };
    await this.writeIndex();
  }

  private writeIndex(): Promise<void> {
    return writeFileAtomic(join(this.dataDir, CASES_FOLDER, INDEX_FILE), JSON.stringify(this.index, null, 2));
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}

/** A fresh case id: `c-` and 12 random hex digits. */
function newCaseId(): string {
  return `c-${randomBytes(6).toString('hex')}`;
}

/**
 * Moves the case files an old single-case data folder holds (CaseStore's own, by name) into the
 * upgraded case's folder. Nothing else moves: the folder may be one the user named with
 * `--data-dir` that holds other things too (the app's known_hosts stays, as any file of theirs). Answers null when there was no old case (nothing to move and no upgrade
 * begun before), else the earliest modification time of what moved, as the case's creation time.
 */
async function moveOldCase(dataDir: string, root: string): Promise<{ createdAt: string } | null> {
  const target = join(root, UPGRADED_CASE_ID);
  const entries = (await readdir(dataDir, { withFileTypes: true }).catch(ignoreMissing)) ?? [];
  const old = entries.filter((entry) => entry.isFile() && CASE_FOLDER_FILES.includes(entry.name));
  const begun = (await stat(target).catch(ignoreMissing)) !== undefined;
  if (old.length === 0 && !begun) return null;
  await mkdir(target, { recursive: true, mode: 0o700 });
  let earliest = Number.POSITIVE_INFINITY;
  for (const entry of old) {
    const from = join(dataDir, entry.name);
    earliest = Math.min(earliest, (await stat(from)).mtimeMs);
    await rename(from, join(target, entry.name));
  }
  // A resumed upgrade finds the files it moved before being killed in the target folder.
  for (const name of await readdir(target)) earliest = Math.min(earliest, (await stat(join(target, name))).mtimeMs);
  return { createdAt: new Date(Number.isFinite(earliest) ? earliest : Date.now()).toISOString() };
}

function ignoreMissing(error: unknown): undefined {
  if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
  throw error;
}

async function readJson(path: string): Promise<unknown> {
  const text = await readFile(path, 'utf8').catch(ignoreMissing);
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CaseFileError(path, (error as Error).message);
  }
}
