/**
 * A case's journal (`journal.jsonl` in the case folder): append-only, one JSON record per line,
 * each carrying its place in the sequence, its time and a checksum of itself. An append is
 * acknowledged only once its bytes are synced to disk. A crash can only tear the last record: the
 * journal reads every whole record before it, and the first append after the crash cuts the torn
 * tail off (recording how many bytes it dropped) so new records never glue onto half of an old one.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs/promises';
import { dirname } from 'node:path';
import { journalEntrySchema, type CaseJournalView, type JournalEntry, type JournalEvent } from '../../shared/case/journal-entries.js';

/** Bytes of the checksum kept per record, as hex (64 bits of sha256: detects tearing and stray bytes, not an attacker). */
const SUM_HEX = 16;
const NEWLINE = 0x0a;

/** A journal file's content read record by record. */
export interface ParsedJournal extends CaseJournalView {
  /** Bytes up to and including the last whole, valid record's newline: what a repair keeps. */
  validBytes: number;
}

/** The checksum of a record's JSON text. */
function checksum(body: string): string {
  return createHash('sha256').update(body, 'utf8').digest('hex').slice(0, SUM_HEX);
}

/** One entry as its line in the file: its JSON with the checksum as the last field, then a newline. */
export function encodeJournalRecord(entry: JournalEntry): string {
  const body = JSON.stringify(entry);
  return `${body.slice(0, -1)},"sum":"${checksum(body)}"}\n`;
}

/** The entry a line holds, or null when the line is not a whole record whose checksum and shape hold. */
function decodeLine(line: string): JournalEntry | null {
  let parsed: unknown;
  try {
    parsed = JSON.parse(line);
  } catch {
    return null;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return null;
  const { sum, ...rest } = parsed as Record<string, unknown>;
  if (typeof sum !== 'string' || checksum(JSON.stringify(rest)) !== sum) return null;
  const entry = journalEntrySchema.safeParse(rest);
  return entry.success ? entry.data : null;
}

/**
 * Reads a journal file's bytes: every whole record whose checksum holds, in order. A line without
 * its newline, or anything after the last good record, is a torn tail (left out of `validBytes`);
 * a bad line between good ones is counted as damaged and skipped, never the good ones around it.
 */
export function parseJournal(bytes: Uint8Array): ParsedJournal {
  const entries: JournalEntry[] = [];
  const decoder = new TextDecoder('utf-8', { fatal: false });
  let damaged = 0;
  let badSinceLastGood = 0;
  let validBytes = 0;
  let start = 0;
  while (start < bytes.length) {
    const end = bytes.indexOf(NEWLINE, start);
    // No newline: the last write was cut short.
    if (end === -1) break;
    const entry = decodeLine(decoder.decode(bytes.subarray(start, end)));
    if (entry) {
      entries.push(entry);
      damaged += badSinceLastGood;
      badSinceLastGood = 0;
      validBytes = end + 1;
    } else {
      badSinceLastGood++;
    }
    start = end + 1;
  }
  return { entries, damaged, validBytes };
}

/** Appends to and reads one case's journal file; appends are serialised and each is on disk when it resolves. */
export class CaseJournal {
  private queue: Promise<unknown> = Promise.resolve();
  /** The next record's sequence number, known once the file has been read (and repaired) by the first append. */
  private nextSeq: number | null = null;

  constructor(readonly path: string) {}

  /**
   * Records an event, stamped `now`, and answers the entry once it is synced to disk. The first
   * append of a session cuts a torn tail left by a crash and records that it did.
   */
  append(event: JournalEvent, now = new Date()): Promise<JournalEntry> {
    return this.serialised(async () => {
      if (this.nextSeq === null) await this.recover(now);
      try {
        return await this.write(event, now);
      } catch (error) {
        // A failed write (disk full) may have left part of its line: read and cut again before the next one.
        this.nextSeq = null;
        throw error;
      }
    });
  }

  /** Every whole record, in order (a torn tail is left out until the next append cuts it off). */
  read(): Promise<CaseJournalView> {
    return this.serialised(async () => {
      const { entries, damaged } = parseJournal(await this.readBytes());
      return { entries, damaged };
    });
  }

  /** Reads the file, cuts anything after its last good record and syncs the cut, then records the repair. */
  private async recover(now: Date): Promise<void> {
    const bytes = await this.readBytes();
    const parsed = parseJournal(bytes);
    this.nextSeq = (parsed.entries.at(-1)?.seq ?? 0) + 1;
    if (parsed.validBytes === bytes.length) return;
    const handle = await fs.open(this.path, 'r+');
    try {
      await handle.truncate(parsed.validBytes);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await this.write({ kind: 'journal-repaired', droppedBytes: bytes.length - parsed.validBytes }, now);
  }

  private async write(event: JournalEvent, now: Date): Promise<JournalEntry> {
    const entry = { seq: this.nextSeq ?? 1, at: now.toISOString(), ...event } as JournalEntry;
    const line = encodeJournalRecord(entry);
    await fs.mkdir(dirname(this.path), { recursive: true, mode: 0o700 });
    const handle = await fs.open(this.path, 'a', 0o600);
    let created = false;
    try {
      created = (await handle.stat()).size === 0;
      await handle.write(line, null, 'utf8');
      await handle.sync();
    } finally {
      await handle.close();
    }
    // A new file's name lives in the folder: sync it too, or a power cut could lose the whole file.
    if (created && process.platform !== 'win32') {
      const folder = await fs.open(dirname(this.path), 'r');
      try {
        await folder.sync();
      } finally {
        await folder.close();
      }
    }
    this.nextSeq = entry.seq + 1;
    return entry;
  }

  private async readBytes(): Promise<Uint8Array> {
    try {
      return await fs.readFile(this.path);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return new Uint8Array();
      throw error;
    }
  }

  private serialised<T>(work: () => Promise<T>): Promise<T> {
    const next = this.queue.then(work, work);
    this.queue = next.catch(() => undefined);
    return next;
  }
}
