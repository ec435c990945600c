/**
 * Which release leaves an advisory behind: the `fixed` events of the OSV ranges that cover an
 * installed version, or, when the records name none (malicious-package records usually end with
 * `last_affected`), the last affected version, so a plan can say "a release after 1.82.8" without
 * inventing a number.
 */
import type { AdvisoryIndex } from './advisory-index.js';
import { rangeContains } from './advisory-index.js';
import { compareVersions } from './pep440.js';
import { normalizePackageName } from './pep503.js';

/** What the advisories say an upgrade must reach; both null when they say nothing usable. */
export interface FixedRelease {
  /** The lowest `fixed` version above the installed one, across the records that cover it. */
  fixed: string | null;
  /** The highest `last_affected` (or listed) version, for records that name no fix. */
  lastAffected: string | null;
  /** The record that says so (the fix's, else the last affected one's). */
  advisoryId: string | null;
}

/** The release an upgrade of `name` from `version` must reach, per the advisory groups known by any of `advisoryIds`. */
export function fixedRelease(index: AdvisoryIndex, name: string, version: string, advisoryIds: readonly string[]): FixedRelease {
  const wanted = normalizePackageName(name);
  const fixes: Array<{ version: string; id: string }> = [];
  const lasts: Array<{ version: string; id: string }> = [];
  for (const group of index.groups) {
    if (!group.ids.some((id) => advisoryIds.includes(id))) continue;
    for (const record of group.records) {
      for (const affected of record.affected) {
        if (!affected.package || normalizePackageName(affected.package.name) !== wanted) continue;
        for (const range of affected.ranges) {
          if (range.type !== 'ECOSYSTEM' || !rangeContains(range, version)) continue;
          for (const event of range.events) {
            if (event.fixed !== undefined && compareVersions(event.fixed, version) > 0) fixes.push({ version: event.fixed, id: record.id });
            if (event.last_affected !== undefined) lasts.push({ version: event.last_affected, id: record.id });
          }
        }
        for (const listed of affected.versions) lasts.push({ version: listed, id: record.id });
      }
    }
  }
  fixes.sort((a, b) => compareVersions(a.version, b.version));
  lasts.sort((a, b) => compareVersions(b.version, a.version));
  const fix = fixes[0];
  const last = lasts[0];
  return { fixed: fix?.version ?? null, lastAffected: last?.version ?? null, advisoryId: fix?.id ?? last?.id ?? null };
}
