/**
 * Reads a collection file, the output of the offline collector (collector-script.ts): its first
 * line names the format and the run's boundary, then each step is framed as `step` (family and
 * key), `boundaries` (the ones its script used, in the order they first appear in it), `stdout`,
 * `stderr` and `rc`. Hostile input like anything a host says: every field is checked, a step
 * that does not parse is dropped (its phase then reads as not collected), and nothing here keeps
 * or prints a body. The file is split into records as bytes, and each step's output is kept as a
 * view of the file's bytes (decoded only when a collector asks for it), so a collection larger than
 * the longest string a JavaScript engine holds is read all the same.
 */
import { isBoundary, type FramedRecord } from '../collectors/framing.js';

/** The format's name, first word of a collection file. */
export const COLLECTION_FORMAT = 'blast-radius-collection/1';

/** The kinds of step a collection holds, one per script a scan would run. */
export const STEP_FAMILIES = [
  'facts',
  'python',
  'iocs',
  'containers-list',
  'containers-list-sudo',
  'containers-inspect',
  'container-scan',
  'gateway-log',
  'artifacts',
] as const;

/** One kind of step. */
export type StepFamily = (typeof STEP_FAMILIES)[number];

/** Families recorded once per container, keyed by its id. */
const PER_CONTAINER: ReadonlySet<StepFamily> = new Set(['container-scan', 'gateway-log']);

/** Most bytes of stderr kept per step (the script keeps 64 KiB; a forged file is held to the same). */
const MAX_STDERR_CHARS = 65_536;

/** One script the collector ran and what it printed. */
export interface CollectedStep {
  family: StepFamily;
  /** The container id for per-container families, else null. */
  key: string | null;
  /** The boundaries its script used, in the order they first appear in the script. */
  boundaries: string[];
  /** What it printed, as bytes (a view of the file's). */
  stdout: Uint8Array;
  stderr: string;
  exitCode: number | null;
}

/** A collection file, read. */
export interface Collection {
  /** The blast-radius version that printed the collector, as the file says (never trusted for anything but a note). */
  tool: string | null;
  /** When the host's clock says it ran, ISO 8601 UTC; null when absent or unreadable. */
  collectedAt: string | null;
  /** False when the file stops before the collector's end (cut short, or the script was killed). */
  complete: boolean;
  steps: CollectedStep[];
  /** What was wrong with the file, one line each, quoting nothing from it. */
  problems: string[];
}

/** The file is no collection at all (wrong first line). */
export class CollectionFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CollectionFormatError';
  }
}

/** A framed record whose body stays bytes until read. */
interface ByteRecord extends FramedRecord {
  bytes: Uint8Array;
}

const decoder = new TextDecoder('utf-8');

/** Reads a collection file; throws CollectionFormatError when its first line is not a collection header. */
export function parseCollection(input: string | Uint8Array): Collection {
  const file = typeof input === 'string' ? new TextEncoder().encode(input) : input;
  const newline = file.indexOf(0x0a);
  const header = decoder.decode(file.subarray(0, newline === -1 ? Math.min(file.length, 200) : Math.min(newline, 200))).replace(/\r$/, '');
  const match = /^blast-radius-collection\/1 (BR[0-9a-f]{32})$/.exec(header);
  if (newline === -1 || !match || !isBoundary(match[1]!)) {
    throw new CollectionFormatError(`not a Blast Radius collection (its first line should start with ${COLLECTION_FORMAT})`);
  }
  const records = splitBytes(file.subarray(newline), match[1]!);
  const collection: Collection = { tool: null, collectedAt: null, complete: false, steps: [], problems: [] };
  const seen = new Set<string>();
  let dropped = 0;
  for (let index = 0; index < records.length; index++) {
    const record = records[index]!;
    if (record.tag === 'tool') collection.tool = /^[0-9A-Za-z.+-]{1,64}$/.test(record.body.trim()) ? record.body.trim() : null;
    else if (record.tag === 'collected-at') collection.collectedAt = instant(record.body.trim());
    else if (record.tag === 'end') collection.complete = true;
    else if (record.tag === 'step') {
      const step = readStep(records, index);
      index += 4;
      if (!step) {
        dropped++;
        continue;
      }
      // A step twice (a forged file): the first one stands, as a scan runs each script once.
      const id = `${step.family} ${step.key ?? ''}`;
      if (seen.has(id)) {
        dropped++;
        continue;
      }
      seen.add(id);
      collection.steps.push(step);
    }
  }
  if (dropped > 0) collection.problems.push(`${dropped} step${dropped === 1 ? '' : 's'} of the file could not be read and ${dropped === 1 ? 'was' : 'were'} left out`);
  if (!collection.complete) collection.problems.push('the file stops before the collector finished (cut short, or the collector was stopped)');
  if (!collection.collectedAt) collection.problems.push('the file does not say when it was collected');
  return collection;
}

/**
 * Splits bytes into records at each `\n<boundary> ` (ASCII, so never inside a UTF-8 character):
 * each tag decoded, each body kept as bytes and decoded only when read as text.
 */
function splitBytes(bytes: Uint8Array, boundary: string): ByteRecord[] {
  const needle = new TextEncoder().encode(`\n${boundary} `);
  const starts: number[] = [];
  for (let at = indexOfBytes(bytes, needle, 0); at !== -1; at = indexOfBytes(bytes, needle, at + needle.length)) starts.push(at);
  return starts.map((start, index) => {
    const from = start + needle.length;
    const to = index + 1 < starts.length ? starts[index + 1]! : bytes.length;
    const piece = bytes.subarray(from, to);
    const newline = piece.indexOf(0x0a);
    const tag = decoder.decode(newline === -1 ? piece.subarray(0, 200) : piece.subarray(0, Math.min(newline, 200)));
    const body = newline === -1 ? new Uint8Array(0) : piece.subarray(newline + 1);
    return {
      tag,
      bytes: body,
      // Only small records are read as text (tags, boundaries, times, exit statuses); outputs stay bytes.
      get body() {
        return decoder.decode(body.subarray(0, MAX_STDERR_CHARS * 4));
      },
    };
  });
}

/** The first index of `needle` in `bytes` at or after `from`, or -1. */
function indexOfBytes(bytes: Uint8Array, needle: Uint8Array, from: number): number {
  const first = needle[0]!;
  for (let at = bytes.indexOf(first, from); at !== -1 && at <= bytes.length - needle.length; at = bytes.indexOf(first, at + 1)) {
    let matches = true;
    for (let offset = 1; offset < needle.length; offset++) {
      if (bytes[at + offset] !== needle[offset]) {
        matches = false;
        break;
      }
    }
    if (matches) return at;
  }
  return -1;
}

/** The step starting at `index`: `step`, `boundaries`, `stdout`, `stderr`, `rc` in this order, or null. */
function readStep(records: readonly ByteRecord[], index: number): CollectedStep | null {
  const [head, boundaries, stdout, stderr, rc] = records.slice(index, index + 5);
  if (!head || boundaries?.tag !== 'boundaries' || stdout?.tag !== 'stdout' || stderr?.tag !== 'stderr' || rc?.tag !== 'rc') return null;
  const [familyText, keyText, ...rest] = head.body.split(' ');
  if (rest.length > 0 || !STEP_FAMILIES.includes(familyText as StepFamily)) return null;
  const family = familyText as StepFamily;
  let key: string | null = null;
  if (PER_CONTAINER.has(family)) {
    if (!/^[0-9a-f]{64}$/.test(keyText ?? '')) return null;
    key = keyText!;
  } else if (keyText !== '-') return null;
  const used = boundaries.body.split(' ');
  if (used.length === 0 || used.length > 8 || !used.every(isBoundary) || new Set(used).size !== used.length) return null;
  const code = rc.body.trim();
  return {
    family,
    key,
    boundaries: used,
    stdout: stdout.bytes,
    stderr: stderr.body.slice(0, MAX_STDERR_CHARS),
    exitCode: /^\d{1,3}$/.test(code) ? Number(code) : null,
  };
}

/** An ISO 8601 UTC instant as the collector's `date -u` prints it, or null. */
function instant(value: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/.test(value)) return null;
  const time = Date.parse(value);
  return Number.isNaN(time) ? null : new Date(time).toISOString();
}
