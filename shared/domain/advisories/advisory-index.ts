/**
 * Matches installed PyPI distributions against OSV records. Records that name each other
 * (id or aliases overlap) are merged into one advisory group, so one compromise reported by
 * several databases (MAL-2026-2144 = PYSEC-2026-2) is one advisory with several ids.
 */
import type { AdvisorySnapshotEntry, Severity } from '../../model/index.js';
import { compareSeverity } from '../../model/index.js';
import type { OsvAffected, OsvRange, OsvRecord } from './osv.js';
import type { Pep440Version } from './pep440.js';
import { compareParsedVersions, compareVersions, parseVersion, publicVersion } from './pep440.js';
import { normalizePackageName } from './pep503.js';

/** Ecosystems the index can match; version ordering is only implemented for PyPI (PEP 440). */
export type AdvisoryEcosystem = 'PyPI';

/** What an advisory group says, independent of which installed version matched it. */
export interface AdvisorySummary {
  /** Every id the group is known by, primary first (see `compareAdvisoryIds`). */
  ids: readonly string[];
  summary: string;
  /** The first few hundred characters of the details, boilerplate removed, whitespace collapsed. */
  detailsExcerpt: string;
  /** True when the advisory reports malicious code rather than a vulnerability. */
  malicious: boolean;
  severity: Severity;
  /** Earliest `published` of the group's records (when the world first knew). */
  published: string | null;
  /** Latest `modified` of the group's records. */
  modified: string | null;
  /** Reference URLs of all records, de-duplicated, primary record first. */
  references: readonly string[];
}

/** The union of what a group's records say is affected, for one package. */
export interface AdvisoryPackage {
  /** PEP 503 normalised name. */
  name: string;
  /** Explicitly listed versions, de-duplicated and in PEP 440 order. */
  versions: readonly string[];
  /** ECOSYSTEM ranges in words, e.g. `introduced 1.82.7, last_affected 1.82.8`. */
  ranges: readonly string[];
}

/** One advisory: the merged records and what they cover. */
export interface AdvisoryGroup extends AdvisorySummary {
  /** The member records, primary first. */
  records: readonly OsvRecord[];
  /** PyPI packages the group covers. */
  packages: readonly AdvisoryPackage[];
}

/** Why a version matched: which record said so, and through which list or range. */
export interface MatchReason {
  /** Id of the record whose `affected` entry matched. */
  advisoryId: string;
  via: 'versions' | 'range';
  /** The listed versions, or the range's events, in words. */
  description: string;
}

/** An advisory group that covers an installed version, with the reasons it does. */
export interface AdvisoryMatch extends AdvisorySummary {
  reasons: readonly MatchReason[];
}

/** Advisory groups indexed by package, ready to match installed versions. */
export interface AdvisoryIndex {
  /** All groups, most severe first, then by primary id. */
  readonly groups: readonly AdvisoryGroup[];
  /** Groups affecting this version of this package, most severe first; empty when none. */
  match(ecosystem: AdvisoryEcosystem, name: string, version: string): AdvisoryMatch[];
}

interface IndexEntry {
  group: AdvisoryGroup;
  record: OsvRecord;
  affected: OsvAffected;
}

/**
 * Orders advisory ids primary first: MAL- (the malicious-packages verdict, the most direct
 * statement that the artifact is hostile), then GHSA- (reviewed, carries a severity), then
 * PYSEC- (the PyPA's own record), then anything else (CVE-…); ties by plain string order.
 */
export function compareAdvisoryIds(a: string, b: string): number {
  return idRank(a) - idRank(b) || (a < b ? -1 : a > b ? 1 : 0);
}

/** Builds the index: drops withdrawn records, keeps the newest copy of a repeated id, merges aliases. */
export function buildAdvisoryIndex(records: readonly OsvRecord[]): AdvisoryIndex {
  const groups = groupRecords(latestPerId(records).filter((record) => record.withdrawn === null)).map(toGroup);
  groups.sort(compareGroups);

  const byPackage = new Map<string, IndexEntry[]>();
  for (const group of groups) {
    for (const record of group.records) {
      for (const affected of record.affected) {
        if (!affected.package || !isPyPI(affected.package.ecosystem)) continue;
        const key = normalizePackageName(affected.package.name);
        const entries = byPackage.get(key) ?? [];
        entries.push({ group, record, affected });
        byPackage.set(key, entries);
      }
    }
  }

  return {
    groups,
    match(ecosystem, name, version) {
      if (ecosystem !== 'PyPI') return [];
      const reasonsByGroup = new Map<AdvisoryGroup, MatchReason[]>();
      for (const { group, record, affected } of byPackage.get(normalizePackageName(name)) ?? []) {
        const reasons = matchAffected(record.id, affected, version);
        if (reasons.length === 0) continue;
        reasonsByGroup.set(group, [...(reasonsByGroup.get(group) ?? []), ...reasons]);
      }
      // Groups are already in index order, and Map keeps insertion order.
      return [...reasonsByGroup].map(([group, reasons]) => ({ ...summaryOf(group), reasons }));
    },
  };
}

/**
 * True when `version` falls inside an OSV ECOSYSTEM range, using the specification's algorithm:
 * events sorted by version; `introduced` inclusive (`0` = from the beginning), `fixed`
 * exclusive, `last_affected` inclusive; `limit` does not decide affectedness. Several
 * introduced/fixed pairs in one range describe several affected stretches.
 */
export function rangeContains(range: OsvRange, version: string): boolean {
  const events = range.events
    .map((event, order) => ({ event, order, bound: eventVersion(event) }))
    .filter((item) => item.bound !== undefined)
    .sort((a, b) => compareEventVersions(a.bound ?? '', b.bound ?? '') || a.order - b.order);
  let affected = false;
  for (const { event } of events) {
    if (event.introduced !== undefined) {
      if (event.introduced === '0' || compareToBound(version, event.introduced) >= 0) affected = true;
    } else if (event.fixed !== undefined) {
      if (compareToBound(version, event.fixed) >= 0) affected = false;
    } else if (event.last_affected !== undefined) {
      if (compareToBound(version, event.last_affected) > 0) affected = false;
    }
  }
  return affected;
}

/** Describes a range's events in words, in the order the record gives them. */
export function describeRange(range: OsvRange): string {
  return range.events
    .flatMap((event) =>
      Object.entries(event)
        .filter(([, value]) => typeof value === 'string')
        .map(([key, value]) => (key === 'introduced' && value === '0' ? 'introduced 0 (all earlier versions)' : `${key} ${value}`)),
    )
    .join(', ');
}

function matchAffected(recordId: string, affected: OsvAffected, version: string): MatchReason[] {
  const reasons: MatchReason[] = [];
  if (affected.versions.some((listed) => sameVersion(version, listed))) {
    reasons.push({ advisoryId: recordId, via: 'versions', description: `listed versions ${listVersions(affected.versions)}` });
  }
  for (const range of affected.ranges) {
    // SEMVER and GIT ranges do not use PEP 440 ordering (GIT ranges are commits); a PyPI
    // record that has them also has versions or an ECOSYSTEM range to match on.
    if (range.type !== 'ECOSYSTEM') continue;
    if (rangeContains(range, version)) {
      reasons.push({ advisoryId: recordId, via: 'range', description: `range ${describeRange(range)}` });
    }
  }
  return reasons;
}

// Listed versions follow PEP 440 `==`: a listed public version matches any local build of it
// (1.82.8 matches 1.82.8+cpu), because a local label does not make a rebuilt artifact safe.
function sameVersion(installed: string, listed: string): boolean {
  const parsedInstalled = parseVersion(installed);
  const parsedListed = parseVersion(listed);
  if (!parsedInstalled || !parsedListed) return compareVersions(installed, listed) === 0;
  return compareParsedVersions(boundSide(parsedInstalled, parsedListed), parsedListed) === 0;
}

// As `packaging` does for <= and ==, the installed version's local label is ignored when the
// bound has none; otherwise last_affected 1.82.8 would miss 1.82.8+local.
function compareToBound(version: string, bound: string): number {
  const parsedVersion = parseVersion(version);
  const parsedBound = parseVersion(bound);
  if (!parsedVersion || !parsedBound) return compareVersions(version, bound);
  return compareParsedVersions(boundSide(parsedVersion, parsedBound), parsedBound);
}

function boundSide(version: Pep440Version, bound: Pep440Version): Pep440Version {
  return bound.local.length === 0 ? publicVersion(version) : version;
}

function eventVersion(event: OsvRange['events'][number]): string | undefined {
  return event.introduced ?? event.fixed ?? event.last_affected ?? event.limit;
}

// "0" is OSV's "before every version", whatever the ecosystem's ordering says about it.
function compareEventVersions(a: string, b: string): number {
  if (a === '0' || b === '0') return (a === '0' ? 0 : 1) - (b === '0' ? 0 : 1);
  return compareVersions(a, b);
}

function listVersions(versions: readonly string[]): string {
  const sorted = [...versions].sort(compareVersions);
  const shown = sorted.slice(0, 8).join(', ');
  return versions.length > 8 ? `${shown}, … (${versions.length} in all)` : shown;
}

function isPyPI(ecosystem: string): boolean {
  // OSV allows a `:suffix` on ecosystems (e.g. `Debian:11`); PyPI has none today, but accept it.
  return ecosystem === 'PyPI' || ecosystem.startsWith('PyPI:');
}

function idRank(id: string): number {
  if (id.startsWith('MAL-')) return 0;
  if (id.startsWith('GHSA-')) return 1;
  if (id.startsWith('PYSEC-')) return 2;
  return 3;
}

// The same id can arrive twice (bundled data plus a user's newer folder): the copy modified
// last wins, and on a tie the later one, so a folder loaded after the bundle overrides it.
function latestPerId(records: readonly OsvRecord[]): OsvRecord[] {
  const byId = new Map<string, OsvRecord>();
  for (const record of records) {
    const previous = byId.get(record.id);
    if (!previous || compareDates(record.modified, previous.modified) >= 0) byId.set(record.id, record);
  }
  return [...byId.values()];
}

// Union-find over ids: a record joins every id it names (its own and its aliases), so
// A aliasing B and C aliasing B end up in one group even when A and C never name each other.
function groupRecords(records: readonly OsvRecord[]): Array<{ ids: string[]; records: OsvRecord[] }> {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.get(root) !== root) root = parent.get(root) ?? root;
    parent.set(id, root);
    return root;
  };
  const union = (a: string, b: string): void => {
    for (const id of [a, b]) if (!parent.has(id)) parent.set(id, id);
    const rootA = find(a);
    const rootB = find(b);
    if (rootA !== rootB) parent.set(rootB, rootA);
  };
  for (const record of records) {
    union(record.id, record.id);
    for (const alias of record.aliases) if (alias.trim() !== '') union(record.id, alias.trim());
  }

  const groups = new Map<string, { ids: string[]; records: OsvRecord[] }>();
  for (const id of parent.keys()) {
    const root = find(id);
    const group = groups.get(root) ?? { ids: [], records: [] };
    group.ids.push(id);
    groups.set(root, group);
  }
  for (const record of records) groups.get(find(record.id))?.records.push(record);
  return [...groups.values()].filter((group) => group.records.length > 0);
}

function toGroup(members: { ids: string[]; records: OsvRecord[] }): AdvisoryGroup {
  const records = [...members.records].sort((a, b) => compareAdvisoryIds(a.id, b.id));
  const malicious = records.some(isMaliciousRecord);
  return {
    ids: [...members.ids].sort(compareAdvisoryIds),
    summary: records.find((record) => record.summary.trim() !== '')?.summary.trim() ?? records[0]?.id ?? '',
    detailsExcerpt: records.map((record) => excerpt(record.details)).find((text) => text !== '') ?? '',
    malicious,
    severity: malicious ? 'critical' : (githubSeverity(records) ?? 'high'),
    published: pickDate(records.map((record) => record.published), -1),
    modified: pickDate(records.map((record) => record.modified), 1),
    references: [...new Set(records.flatMap((record) => record.references.map((reference) => reference.url)))],
    records,
    packages: packagesOf(records),
  };
}

function summaryOf(group: AdvisoryGroup): AdvisorySummary {
  const { ids, summary, detailsExcerpt, malicious, severity, published, modified, references } = group;
  return { ids, summary, detailsExcerpt, malicious, severity, published, modified, references };
}

function compareGroups(a: AdvisoryGroup, b: AdvisoryGroup): number {
  return (
    compareSeverity(a.severity, b.severity) ||
    Number(b.malicious) - Number(a.malicious) ||
    compareAdvisoryIds(a.ids[0] ?? '', b.ids[0] ?? '')
  );
}

// A bare "malicious" is too common in ordinary vulnerability text ("a malicious user could…"),
// so the text must name a malicious artifact ("malicious code", "malicious crypto miner
// software") or say malware. CWE-506 is "Embedded Malicious Code"; the malicious-packages
// origins only exist on records of that database.
const MALICIOUS_TEXT =
  /\bmalware\b|\bmalicious\s+(?:[\w-]+\s+){0,2}?(?:code|software|versions?|packages?|releases?|payloads?|artifacts?|builds?)\b/i;

function isMaliciousRecord(record: OsvRecord): boolean {
  if (record.id.startsWith('MAL-')) return true;
  if ('malicious-packages-origins' in record.databaseSpecific) return true;
  const cwes = record.databaseSpecific['cwe_ids'];
  if (Array.isArray(cwes) && cwes.includes('CWE-506')) return true;
  return MALICIOUS_TEXT.test(record.summary) || MALICIOUS_TEXT.test(record.details);
}

const GITHUB_SEVERITIES: Record<string, Severity> = {
  CRITICAL: 'critical',
  HIGH: 'high',
  MODERATE: 'medium',
  LOW: 'low',
};

// GHSA records carry their reviewed severity in database_specific.severity; the most severe
// one of the group counts.
function githubSeverity(records: readonly OsvRecord[]): Severity | null {
  const severities = records
    .filter((record) => record.id.startsWith('GHSA-'))
    .map((record) => record.databaseSpecific['severity'])
    .map((value) => (typeof value === 'string' ? GITHUB_SEVERITIES[value.toUpperCase()] : undefined))
    .filter((value): value is Severity => value !== undefined)
    .sort(compareSeverity);
  return severities[0] ?? null;
}

function packagesOf(records: readonly OsvRecord[]): AdvisoryPackage[] {
  const byName = new Map<string, { versions: string[]; ranges: Set<string> }>();
  for (const record of records) {
    for (const affected of record.affected) {
      if (!affected.package || !isPyPI(affected.package.ecosystem)) continue;
      const name = normalizePackageName(affected.package.name);
      const entry = byName.get(name) ?? { versions: [], ranges: new Set<string>() };
      for (const version of affected.versions) {
        if (!entry.versions.some((known) => compareVersions(known, version) === 0)) entry.versions.push(version);
      }
      for (const range of affected.ranges) if (range.type === 'ECOSYSTEM') entry.ranges.add(describeRange(range));
      byName.set(name, entry);
    }
  }
  return [...byName].map(([name, entry]) => ({
    name,
    versions: [...entry.versions].sort(compareVersions),
    ranges: [...entry.ranges],
  }));
}

// The malicious-packages records open with an editing marker and per-source headings, and
// GHSA details are markdown with "## Summary"-style headings; none of that says anything in a
// one-paragraph excerpt, so those lines are dropped before cutting.
function excerpt(details: string, limit = 300): string {
  const text = details
    .split('\n')
    .filter((line) => !/^\s*(?:-{3,}|_-=.*=-_|#{1,6}\s.*)\s*$/.test(line))
    .join(' ')
    .replace(/\s+/g, ' ')
    .trim();
  if (text.length <= limit) return text;
  const cut = text.slice(0, limit);
  const lastSpace = cut.lastIndexOf(' ');
  return `${(lastSpace > limit / 2 ? cut.slice(0, lastSpace) : cut).trimEnd()}…`;
}

// Picks the earliest (direction -1) or latest (direction 1) of some ISO dates.
function pickDate(dates: ReadonlyArray<string | null>, direction: -1 | 1): string | null {
  let best: string | null = null;
  for (const date of dates) {
    if (date && (best === null || compareDates(date, best) * direction > 0)) best = date;
  }
  return best;
}

function compareDates(a: string | null, b: string | null): number {
  const timeA = a ? Date.parse(a) : Number.NaN;
  const timeB = b ? Date.parse(b) : Number.NaN;
  if (Number.isNaN(timeA) || Number.isNaN(timeB)) {
    // A missing or unreadable date loses to a readable one.
    return Number(!Number.isNaN(timeA)) - Number(!Number.isNaN(timeB));
  }
  return timeA - timeB;
}

/** Every record the index matches against (withdrawn ones are not in it), by id, with its own modified time and the ids merged with it. */
export function advisorySnapshot(index: AdvisoryIndex): AdvisorySnapshotEntry[] {
  const entries = index.groups.flatMap((group) =>
    group.records.map((record) => ({ id: record.id, modified: record.modified, aliases: group.ids.filter((id) => id !== record.id) })),
  );
  return entries.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}
