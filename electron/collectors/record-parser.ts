/**
 * Parses the RECORD verification script's records into one observation per distribution: the
 * RECORD text as read, the sha256 of each listed file (from `sha256sum` / `openssl dgst -r`
 * batches), missing files, first lines of bin/ scripts and the files of its package folders. Pure.
 */
import type { RecordObservation } from '../../shared/domain/python/record.js';
import { splitRecords, type FramedRecord } from './framing.js';

/** What the script read for one distribution. */
export interface RecordReading extends RecordObservation {
  /** The `.dist-info` folder, as seen inside its host or container. */
  distInfo: string;
  /** The RECORD file's text (null when the folder has no RECORD). */
  recordText: string | null;
  /** More unlisted files than the script hashes per distribution: some were listed, not hashed. */
  hashCapped: boolean;
  /** Read in one overlay layer that lacks the site folder: the layer holds none of its files. */
  siteAbsent?: boolean;
}

/** Everything one verification run read. */
export interface RecordScan {
  readings: RecordReading[];
  /** The script printed its end record. */
  completed: boolean;
  /** The host has no sha256sum/openssl or no awk: nothing could be hashed. */
  cannotHash: boolean;
}

// "<64 hex><space><space or *>./<path>": sha256sum prints two spaces, openssl -r " *".
const SUM_LINE = /^([0-9a-fA-F]{64}) [ *]\.\/(.*)$/;

/** Reads a RECORD verification script's framed output. */
export function parseRecordScan(output: string, boundary: string): RecordScan {
  return readRecordScan(splitRecords(output, boundary));
}

/**
 * Reads the output of a script that verified many places, each opened by a `place` record (its
 * tag as body): one scan per place. A place followed by another ran to its end; the last one did
 * when the script's end record came.
 */
export function parseRecordScansByPlace(output: string, boundary: string): { places: Map<string, RecordScan>; completed: boolean; cannotHash: boolean } {
  const groups: { tag: string; records: FramedRecord[] }[] = [];
  let completed = false;
  let cannotHash = false;
  for (const record of splitRecords(output, boundary)) {
    if (record.tag === 'place') groups.push({ tag: record.body.trim(), records: [] });
    else if (record.tag === 'end') completed = true;
    else if (record.tag === 'cannot-hash') cannotHash = true;
    else groups[groups.length - 1]?.records.push(record);
  }
  const places = new Map<string, RecordScan>();
  for (const [index, group] of groups.entries()) {
    const finished = index < groups.length - 1 || completed;
    places.set(group.tag, readRecordScan(finished ? [...group.records, { tag: 'end', body: '' }] : group.records));
  }
  return { places, completed, cannotHash };
}

function readRecordScan(records: FramedRecord[]): RecordScan {
  const scan: RecordScan = { readings: [], completed: false, cannotHash: false };
  const cut = !records.some((record) => record.tag === 'end');
  // Without the end record the output was cut: its last record may be partial.
  if (cut) records.pop();
  let current: (RecordReading & { hashes: Map<string, string>; missing: Set<string>; firstLines: Map<string, string>; present: string[] }) | null = null;
  let pendingOne: string | null = null;
  let pendingFirst: string | null = null;

  for (const { tag, body } of records) {
    if (tag === 'dist') {
      current = {
        distInfo: body,
        recordText: null,
        hashes: new Map(),
        missing: new Set(),
        firstLines: new Map(),
        present: [],
        incomplete: false,
        hashCapped: false,
      };
      scan.readings.push(current);
      continue;
    }
    if (tag === 'end') {
      scan.completed = true;
      continue;
    }
    if (tag === 'cannot-hash') {
      scan.cannotHash = true;
      continue;
    }
    if (!current) continue;
    switch (tag) {
      case 'record':
        current.recordText = body;
        break;
      case 'record-cut':
      case 'capped':
      case 'link':
      case 'unreadable':
      case 'no-site':
        current.incomplete = true;
        break;
      case 'layer-no-site':
        current.siteAbsent = true;
        break;
      case 'sums':
        for (const line of body.split('\n')) {
          const match = SUM_LINE.exec(line);
          if (match) current.hashes.set(match[2]!, match[1]!.toLowerCase());
        }
        break;
      case 'hash-capped':
        current.hashCapped = true;
        break;
      case 'one':
        pendingOne = body;
        break;
      case 'sum': {
        const hex = /^([0-9a-fA-F]{64})(?:\s|$)/.exec(body)?.[1];
        if (pendingOne !== null && hex) current.hashes.set(pendingOne, hex.toLowerCase());
        pendingOne = null;
        break;
      }
      case 'missing':
        current.missing.add(body);
        break;
      case 'first':
        pendingFirst = body;
        break;
      case 'first-line':
        if (pendingFirst !== null) current.firstLines.set(pendingFirst, body.split('\n')[0] ?? '');
        pendingFirst = null;
        break;
      case 'file':
        current.present.push(body);
        break;
      default:
        // Records of the wrapping script (exec rc, via…) belong to its caller.
        break;
    }
  }
  if (cut && current) current.incomplete = true;
  return scan;
}
