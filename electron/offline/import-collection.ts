/**
 * Collection files as scan targets: each file is one host whose "connection" is a replay of the
 * file (replay-runner.ts), so `runScan` reads it with the scan's own collectors and judges it with
 * the scan's own findings, and the app, `serve` and the CLI put it in a case as they put a scan.
 * The file's text (which holds the keys the collector read) lives only in the main process for
 * the read: only the readers' fingerprint-only output outlives it, and it is never copied into a case.
 */
import { readFile, stat } from 'node:fs/promises';
import { collectHost, type CollectHostOptions, type HostCollection } from '../scan/collect-host.js';
import type { HostConnection, ScanTarget } from '../scan/scan-hosts.js';
import type { CommandRunner } from '../exec/command-runner.js';
import { decodeOutput } from '../collectors/framing.js';
import { parseHostFacts } from '../collectors/host-facts-parser.js';
import { blindSpot, remark, toReportNotes } from '../collectors/notes.js';
import { parseCollection, type Collection } from './collection-file.js';
import { COLLECTION_NOTES_SCRIPT, replayRunner } from './replay-runner.js';
import { OFFLINE_GAPS } from './collector-script.js';
import { redactText } from '../readers/secrets/redact-text.js';

/** The largest collection file read (held in memory while it is imported; each step's output is capped far below). */
export const MAX_COLLECTION_BYTES = 1536 * 1024 * 1024;

/** How a host read from a collection is addressed in the report. */
export const COLLECTION_ADDRESS = 'offline collection';

/** A collection read from a file, with the host name it is imported as. */
export interface ImportedCollection {
  name: string;
  collection: Collection;
}

/** A host name as the report and the case keep it: a DNS-like label, nothing a file could smuggle. */
const HOST_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,252}$/;

/** The host name the collection's own facts give, when it is a plain name. */
export function collectedHostName(collection: Collection): string | null {
  const facts = collection.steps.find((step) => step.family === 'facts');
  if (!facts || facts.boundaries.length !== 1) return null;
  const parsed = parseHostFacts(decodeOutput(facts.stdout), facts.boundaries[0]!);
  const name = parsed.facts.hostname.trim();
  return HOST_NAME.test(name) ? name : null;
}

/**
 * Reads collection files for import, one host each: named `hostName` when given (one file only),
 * else by the hostname the file's facts carry. Errors name the file and never quote it.
 */
export async function readCollections(files: readonly string[], hostName: string | null = null): Promise<ImportedCollection[]> {
  if (hostName !== null && files.length !== 1) throw new Error('--host names the host of one file: import files of several hosts without it');
  if (hostName !== null && !HOST_NAME.test(hostName)) throw new Error('--host must be a plain host name (letters, digits, dots, dashes, underscores)');
  const read: ImportedCollection[] = [];
  for (const file of files) {
    const size = await fileSize(file);
    if (size > MAX_COLLECTION_BYTES) throw new Error(`${file}: ${size} bytes, more than a collection may hold (${MAX_COLLECTION_BYTES})`);
    let text: Buffer;
    try {
      text = await readFile(file);
    } catch (error) {
      throw new Error(`${file}: ${unreadable(error)}`);
    }
    let collection: Collection;
    try {
      collection = parseCollection(text);
    } catch (error) {
      throw new Error(`${file}: ${(error as Error).message}`);
    }
    const name = hostName ?? collectedHostName(collection);
    if (!name) throw new Error(`${file}: the collection names no usable host name; give one with --host`);
    if (read.some((other) => other.name === name)) throw new Error(`${file}: a second collection of host ${name}; import one file per host`);
    read.push({ name, collection });
  }
  return read;
}

/** The size of a regular file at `file`; refused in words a person reads (the path as given, no errno jargon) otherwise. */
async function fileSize(file: string): Promise<number> {
  let found;
  try {
    found = await stat(file);
  } catch (error) {
    throw new Error(`${file}: ${unreadable(error)}`);
  }
  if (found.isDirectory()) throw new Error(`${file}: a folder, not a collection file (name the files in it)`);
  if (!found.isFile()) throw new Error(`${file}: not a regular file`);
  return found.size;
}

/** Why a file could not be read, from Node's error code (its message repeats the path and the syscall). */
function unreadable(error: unknown): string {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such file';
  if (code === 'EACCES' || code === 'EPERM') return 'not readable (permission denied)';
  if (code === 'EISDIR') return 'a folder, not a collection file (name the files in it)';
  return `could not be read (${code ?? 'unknown error'})`;
}

/**
 * A refused import's message made safe to show, with the paths the user gave kept as they typed
 * them: the rest is redacted as any error text is, but a path is the user's own input (and a
 * temporary folder's random name would otherwise read as a key and be masked).
 */
export function importRefusal(message: string, paths: readonly string[]): string {
  const kept = [...new Set(paths)].filter((path) => path !== '').sort((a, b) => b.length - a.length);
  if (kept.length === 0) return redactText(message);
  const pattern = new RegExp(`(${kept.map((path) => path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|')})`);
  return message
    .split(pattern)
    .map((piece, index) => (index % 2 === 1 ? piece : piece === '' ? '' : redactText(piece)))
    .join('');
}

/** The latest collection time of `collections` (the import's "scanned at"), or now when none says. */
export function collectedAt(collections: readonly ImportedCollection[], now = new Date()): Date {
  const times = collections.map((entry) => entry.collection.collectedAt).filter((time): time is string => time !== null).map((time) => Date.parse(time));
  return times.length > 0 ? new Date(Math.max(...times)) : now;
}

/** Scan targets that replay the collections instead of connecting. */
export function collectionTargets(collections: readonly ImportedCollection[]): ScanTarget[] {
  return collections.map(({ name, collection }) => ({
    name,
    address: COLLECTION_ADDRESS,
    async connect(): Promise<HostConnection> {
      const runner = replayRunner(collection);
      return { runScript: (script, options) => runner.runScript(script, options), close: async () => undefined };
    },
  }));
}

/**
 * collectHost over a replayed collection, with the collection's own notes: what the offline
 * collector never gathers (worth knowing, as a scan's RECORD check is), and a file cut short or
 * with unreadable steps (a blind spot: part of the host is missing). RECORDs and content
 * signatures are not asked for: their scripts depend on the environments read, so no collection holds them.
 */
export async function collectImportedHost(runner: CommandRunner, options: CollectHostOptions): Promise<HostCollection> {
  const { verifyRecords: _records, searchSignatures: _signatures, ...rest } = options;
  const collected = await collectHost(runner, rest);
  const own = await collectionNotes(runner, options.signal);
  if (!own) return collected;
  const issues = [remark('offline', `read from an offline collection${own.collectedAt ? ` made ${own.collectedAt}` : ''}; it does not gather: ${OFFLINE_GAPS.join('; ')}`)];
  for (const problem of own.problems) issues.push(blindSpot('offline', problem));
  const notes = [...collected.notes, ...toReportNotes(issues)];
  const incomplete = issues.filter((issue) => issue.incomplete);
  if (incomplete.length === 0) return { ...collected, notes };
  return { ...collected, notes, status: 'partial', error: collected.error ?? `offline: ${incomplete[0]!.message}` };
}

/** The collection's own notes, asked of the replay (the runner scanHosts hands over wraps it); null for a runner that is no replay. */
async function collectionNotes(runner: CommandRunner, signal: AbortSignal): Promise<{ collectedAt: string | null; problems: string[] } | null> {
  try {
    const result = await runner.runScript(COLLECTION_NOTES_SCRIPT, { signal, timeoutMs: 5_000, maxOutputBytes: 64 * 1024 });
    if (result.exitCode !== 0) return null;
    const parsed = JSON.parse(result.stdout.toString('utf8')) as { collectedAt?: unknown; problems?: unknown };
    const problems = Array.isArray(parsed.problems) ? parsed.problems.filter((problem): problem is string => typeof problem === 'string') : [];
    return { collectedAt: typeof parsed.collectedAt === 'string' ? parsed.collectedAt : null, problems };
  } catch {
    return null;
  }
}
