/**
 * Parses the IOC scan script's framed output (ioc-collector.ts) into hits and the blind spots it
 * reported. Pure: the output is data from the host, so every value is bounded and validated here
 * and nothing in it is ever interpreted.
 */
import type { IocHit } from '../../shared/model/index.js';
import { splitRecords } from './framing.js';

/** Most hits kept from one scan (the script stops emitting at its own cap as well). */
export const MAX_IOC_HITS = 500;
/** Most characters kept of a matched line. */
export const MAX_MATCHED_CHARS = 200;

const RULE_ID = /^[a-z0-9][a-z0-9.-]{1,79}$/;

/** What one IOC scan reported. */
export interface IocScan {
  hits: IocHit[];
  /** The script reached its end (output was not cut short). */
  completed: boolean;
  /** The filesystem root to read (a container's MergedDir) was not there. */
  rootMissing: boolean;
  /** Utilities the script needs that the host lacks. */
  missingTools: string[];
  /** Homes, files and folders that exist but this user may not read. */
  unreadable: string[];
  /** Paths not followed: an absolute symlink would have resolved on the host, not in the container. */
  skippedLinks: string[];
  /** More hits than the cap. */
  truncated: boolean;
  /** Log files larger than the read limit, of which only the end was searched. */
  bigLogs: string[];
  /** More log files than the cap; the rest were not searched. */
  logLimit: boolean;
  /** Folders (cron, units…) holding more files than the per-folder cap; the rest were not searched. */
  dirLimits: string[];
}

/** Parses one scan's output; `container` is stamped on every hit. */
export function parseIocScan(output: string, boundary: string, options: { container: string | null }): IocScan {
  const scan: IocScan = {
    hits: [],
    completed: false,
    rootMissing: false,
    missingTools: [],
    unreadable: [],
    skippedLinks: [],
    truncated: false,
    bigLogs: [],
    logLimit: false,
    dirLimits: [],
  };
  const seen = new Set<string>();
  let current: IocHit | null = null;
  const flush = (): void => {
    if (!current) return;
    const key = JSON.stringify([current.ruleId, current.path ?? null, current.unit ?? null]);
    // Homes listed twice (/home/* and /etc/passwd) or a unit found through two folders are one hit.
    if (!seen.has(key)) {
      seen.add(key);
      if (scan.hits.length < MAX_IOC_HITS) scan.hits.push(current);
      else scan.truncated = true;
    }
    current = null;
  };
  for (const record of splitRecords(output, boundary)) {
    switch (record.tag) {
      case 'hit':
        flush();
        current = RULE_ID.test(record.body) ? { ruleId: record.body, container: options.container, matched: '' } : null;
        break;
      case 'path':
        if (current && record.body.startsWith('/')) current.path = record.body;
        break;
      case 'unit':
        if (current && record.body !== '') current.unit = record.body;
        break;
      case 'matched':
        if (current) current.matched = bounded(record.body);
        break;
      case 'missing-tool':
        if (record.body !== '' && !scan.missingTools.includes(record.body)) scan.missingTools.push(record.body);
        break;
      case 'unreadable':
        pushUnique(scan.unreadable, record.body);
        break;
      case 'skipped-link':
        pushUnique(scan.skippedLinks, record.body);
        break;
      case 'big':
        for (const line of record.body.split('\n')) pushUnique(scan.bigLogs, line);
        break;
      case 'log-limit':
        scan.logLimit = true;
        break;
      case 'dir-limit':
        pushUnique(scan.dirLimits, record.body);
        break;
      case 'truncated':
        scan.truncated = true;
        break;
      case 'root-missing':
        scan.rootMissing = true;
        break;
      case 'end':
        flush();
        scan.completed = true;
        break;
      default:
        // Records of the wrappers (exec, rc, via) and any later additions: not this parser's business.
        break;
    }
  }
  flush();
  return scan;
}

function bounded(text: string): string {
  // The script cuts at 200 bytes, which can split a UTF-8 sequence (decoded as U+FFFD): trim it.
  const trimmed = text.replace(/\uFFFD+$/, '');
  return trimmed.length > MAX_MATCHED_CHARS ? trimmed.slice(0, MAX_MATCHED_CHARS) : trimmed;
}

function pushUnique(list: string[], value: string): void {
  // A bounded list: it only feeds one note, which names a handful.
  if (value !== '' && list.length < 1000 && !list.includes(value)) list.push(value);
}
