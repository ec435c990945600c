/**
 * The owner's suppression file: findings accepted for a reason, until a date. Entries name an
 * advisory (any id of it: MAL ↔ PYSEC ↔ GHSA ↔ CVE through the OSV records' aliases), a key by
 * fingerprint, or one finding by id. Parsing refuses the whole file on any bad entry (a typo must
 * not silently un-suppress or over-suppress), and never echoes a value that is not a fingerprint
 * (someone may paste a key where its fingerprint belongs). Matching is pure: the time is given.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { isFindingOfKind, SUPPRESSION_TARGETS, type AppliedSuppression, type Finding, type ScanReport, type SuppressionTarget } from '../model/index.js';

/** One entry of a suppression file. */
export interface SuppressionEntry {
  by: SuppressionTarget;
  /** The advisory id, fingerprint or finding id, as written (an SSH fingerprint given without `ssh:` gains it). */
  value: string;
  reason: string;
  /** `YYYY-MM-DD`: from that day (00:00 UTC) on, the entry no longer suppresses; null for never. */
  expires: string | null;
}

/** Longest reason kept: a paragraph, not a file. */
export const MAX_SUPPRESSION_REASON = 2000;
/** Most entries a file may hold: more is not a suppression list but a mistake (or hostile). */
export const MAX_SUPPRESSION_ENTRIES = 10_000;

/** A suppression file that cannot be used, with every problem found, one a line. */
export class SuppressionFileError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.length === 1 ? problems[0]! : `${problems.length} problems: ${problems.join('; ')}`);
    this.name = 'SuppressionFileError';
  }
}

const API_KEY_FINGERPRINT = /^[a-z0-9][a-z0-9._-]*:[0-9a-f]{12}:[^\n]{1,4}$/;
const SSH_FINGERPRINT = /^(ssh:)?SHA256:[A-Za-z0-9+/]{43}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const FIELDS = new Set(['advisory', 'fingerprint', 'finding', 'reason', 'expires']);

/**
 * Parses a suppression file (YAML, JSON being YAML too):
 *
 * ```yaml
 * suppressions:
 *   - advisory: CVE-2026-33634
 *     reason: trivy runs only in an air-gapped CI
 *     expires: 2026-06-30
 *   - fingerprint: openai:0123456789ab:WXYZ
 *     reason: revoked at the provider on 2026-03-25
 * ```
 *
 * Throws SuppressionFileError naming every bad entry.
 */
export function parseSuppressionFile(text: string): SuppressionEntry[] {
  let document: unknown;
  try {
    document = parseYaml(text, { maxAliasCount: 100 });
  } catch (error) {
    throw new SuppressionFileError([`not valid YAML: ${(error as Error).message.split('\n')[0]}`]);
  }
  if (document === null || document === undefined) return [];
  const list = isRecord(document) ? document['suppressions'] : undefined;
  if (!isRecord(document) || !Array.isArray(list)) throw new SuppressionFileError(['expected a mapping with a `suppressions:` list']);
  if (list.length > MAX_SUPPRESSION_ENTRIES) throw new SuppressionFileError([`more than ${MAX_SUPPRESSION_ENTRIES} entries`]);
  const problems: string[] = [];
  const entries: SuppressionEntry[] = [];
  list.forEach((raw: unknown, index) => {
    const entry = parseEntry(raw, `entry ${index + 1}`, problems);
    if (entry) entries.push(entry);
  });
  if (problems.length > 0) throw new SuppressionFileError(problems);
  return entries;
}

function parseEntry(raw: unknown, where: string, problems: string[]): SuppressionEntry | null {
  if (!isRecord(raw)) {
    problems.push(`${where}: expected a mapping with advisory, fingerprint or finding, and reason`);
    return null;
  }
  const before = problems.length;
  // Unknown keys are named, never their values.
  for (const key of Object.keys(raw)) if (!FIELDS.has(key)) problems.push(`${where}: unknown field ${JSON.stringify(key.slice(0, 40))}`);
  const targets = (['advisory', 'fingerprint', 'finding'] as const).filter((key) => raw[key] !== undefined);
  if (targets.length !== 1) problems.push(`${where}: needs exactly one of advisory, fingerprint or finding`);
  const by = targets[0];
  const value = by ? raw[by] : undefined;
  if (by && (typeof value !== 'string' || value.trim() === '')) problems.push(`${where}: ${by} must be a non-empty string`);
  if (by === 'fingerprint' && typeof value === 'string' && !API_KEY_FINGERPRINT.test(value.trim()) && !SSH_FINGERPRINT.test(value.trim())) {
    // Not echoed: it may be the key itself.
    problems.push(`${where}: fingerprint is not a fingerprint (provider:<12 hex>:<last 4> or SHA256:<base64>); the value is not shown in case it is a key`);
  }
  const reason = raw['reason'];
  if (typeof reason !== 'string' || reason.trim() === '') problems.push(`${where}: reason is required`);
  else if (reason.length > MAX_SUPPRESSION_REASON) problems.push(`${where}: reason is longer than ${MAX_SUPPRESSION_REASON} characters`);
  const expires = raw['expires'];
  if (expires !== undefined && expires !== null && (typeof expires !== 'string' || !isDate(expires))) {
    problems.push(`${where}: expires must be a date, YYYY-MM-DD`);
  }
  if (problems.length > before || !by) return null;
  const trimmed = (value as string).trim();
  return {
    by,
    value: by === 'fingerprint' && trimmed.startsWith('SHA256:') ? `ssh:${trimmed}` : trimmed,
    reason: (reason as string).trim(),
    expires: typeof expires === 'string' ? expires : null,
  };
}

function isDate(value: string): boolean {
  if (!DATE.test(value)) return false;
  const time = Date.parse(`${value}T00:00:00Z`);
  return !Number.isNaN(time) && new Date(time).toISOString().startsWith(value);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The schema of a suppression file as a case keeps it: its entries, the file's name and when it was loaded. */
export const caseSuppressionsSchema = z
  .object({
    fileName: z.string().max(255),
    loadedAt: z.string(),
    entries: z.array(
      z.object({ by: z.enum(SUPPRESSION_TARGETS), value: z.string().min(1), reason: z.string().min(1).max(MAX_SUPPRESSION_REASON), expires: z.string().nullable() }).strict(),
    ),
  })
  .strict();

/** A suppression file as a case keeps it. */
export type CaseSuppressions = z.infer<typeof caseSuppressionsSchema>;

/** Every advisory's ids as a report's provenance knows them (each record's id with its aliases), for applySuppressions. */
export function advisoryIdsOf(report: Pick<ScanReport, 'provenance'>): string[][] {
  return (report.provenance?.advisories ?? []).map((entry) => [entry.id, ...entry.aliases]);
}

/** The report with the suppressions judged at `now` (none when the case has no suppression file). */
export function withSuppressions<R extends ScanReport>(report: R, suppressions: CaseSuppressions | null | undefined, now: string): R {
  if (!suppressions) return report;
  return { ...report, suppressions: applySuppressions(report.findings, suppressions.entries, { now, advisoryIds: advisoryIdsOf(report) }) };
}

/** Options of applySuppressions. */
export interface ApplySuppressionsOptions {
  /** The time to judge expiry at (ISO 8601). */
  now: string;
  /** Every advisory's ids (an advisory index's `groups[].ids`), so an entry naming one alias matches the others. */
  advisoryIds?: ReadonlyArray<readonly string[]>;
}

/** Which entries match which findings, in finding order then entry order, each marked expired or not. */
export function applySuppressions(findings: readonly Finding[], entries: readonly SuppressionEntry[], options: ApplySuppressionsOptions): AppliedSuppression[] {
  const now = Date.parse(options.now);
  const aliases = aliasTable(options.advisoryIds ?? []);
  const matchers = entries.map((entry) => ({ entry, matches: matcherOf(entry, aliases) }));
  const applied: AppliedSuppression[] = [];
  for (const finding of findings) {
    for (const { entry, matches } of matchers) {
      if (!matches(finding)) continue;
      const expired = entry.expires !== null && now >= Date.parse(`${entry.expires}T00:00:00Z`);
      applied.push({ findingId: finding.id, by: entry.by, value: entry.value, reason: entry.reason, expires: entry.expires, expired });
    }
  }
  return applied;
}

/** Each advisory id (upper case) to every id of its advisory. */
function aliasTable(groups: ReadonlyArray<readonly string[]>): Map<string, readonly string[]> {
  const table = new Map<string, readonly string[]>();
  for (const ids of groups) {
    const upper = ids.map((id) => id.toUpperCase());
    for (const id of upper) table.set(id, [...new Set([...(table.get(id) ?? []), ...upper])]);
  }
  return table;
}

function matcherOf(entry: SuppressionEntry, aliases: Map<string, readonly string[]>): (finding: Finding) => boolean {
  switch (entry.by) {
    case 'finding':
      return (finding) => finding.id === entry.value;
    case 'fingerprint':
      return (finding) =>
        (isFindingOfKind(finding, 'secret') && finding.fingerprint === entry.value) ||
        (isFindingOfKind(finding, 'ssh-lateral') && finding.keyFingerprint === entry.value);
    case 'advisory': {
      const id = entry.value.toUpperCase();
      const ids = new Set(aliases.get(id) ?? [id]);
      return (finding) => advisoriesOf(finding).some((advisory) => ids.has(advisory.toUpperCase()));
    }
    default: {
      const unknown: never = entry.by;
      throw new Error(`unknown suppression target ${String(unknown)}`);
    }
  }
}

function advisoriesOf(finding: Finding): readonly string[] {
  return isFindingOfKind(finding, 'compromised-package') ? finding.advisories : [];
}

/** A finding's suppression as reports show it: suppressed by an active entry, or back because its entry expired. */
export type SuppressionState = { state: 'suppressed' | 'expired'; applied: AppliedSuppression };

/** The finding's suppression state (an active entry wins over an expired one), or null when no entry names it. */
export function suppressionState(suppressions: readonly AppliedSuppression[] | undefined, findingId: string): SuppressionState | null {
  const active = activeSuppression(suppressions, findingId);
  if (active) return { state: 'suppressed', applied: active };
  const expired = suppressions?.find((applied) => applied.findingId === findingId && applied.expired);
  return expired ? { state: 'expired', applied: expired } : null;
}

/** The entry that suppresses a finding now (the first active one), or null when none does. */
export function activeSuppression(suppressions: readonly AppliedSuppression[] | undefined, findingId: string): AppliedSuppression | null {
  return suppressions?.find((applied) => applied.findingId === findingId && !applied.expired) ?? null;
}

/** What a finding's suppression state reads as: `suppressed: REASON (until DATE)`, `suppression expired DATE: REASON`, or null. */
export function suppressionNote(suppressions: readonly AppliedSuppression[] | undefined, findingId: string): string | null {
  const found = suppressionState(suppressions, findingId);
  if (!found) return null;
  const { reason, expires } = found.applied;
  return found.state === 'suppressed' ? `suppressed: ${reason}${expires ? ` (until ${expires})` : ''}` : `suppression expired ${expires ?? ''}: ${reason}`;
}
