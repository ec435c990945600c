/**
 * "Same version, different bytes": the installed copies of one distribution version compared with
 * each other, without any reference. Two installs of the same release hold the same bytes (once
 * the installer's own files are set aside), so a copy that differs from the others was changed
 * after install or came from another artifact. Pure.
 */
import type { ArtifactFileDifference, InstalledFiles } from '../../model/index.js';
import { comparableFiles } from './known-good.js';

/** One installed copy to compare. */
export interface InstalledCopy {
  files: InstalledFiles;
}

/** How one copy compares with the others. */
export interface CopyVerdict {
  /** Copies with the same number hold the same files with the same bytes; 1 is the variant most copies hold. */
  variant: number;
  /**
   * Files where this copy departs from what most copies hold. A path the copies split on evenly has
   * no majority: every copy on it is listed, and `contested` says so.
   */
  differences: ArtifactFileDifference[];
  /** Some of its differences are on paths with no majority (two copies that disagree, say). */
  contested: boolean;
}

// A copy's value for a path: its hash, ABSENT when it certainly does not hold the file, or unknown (undefined).
const ABSENT = '-';

/** Compares copies of one version; the verdicts come back in the order of `copies`. */
export function compareCopies(copies: readonly InstalledCopy[]): CopyVerdict[] {
  const maps = copies.map((copy) => comparableFiles(copy.files.sha256));
  const variants = numberVariants(maps);
  const paths = [...new Set(maps.flatMap((map) => [...map.keys()]))].sort();
  const verdicts: CopyVerdict[] = copies.map((_, index) => ({ variant: variants[index]!, differences: [], contested: false }));
  for (const path of paths) {
    const values = copies.map((copy, index) => maps[index]!.get(path) ?? (copy.files.incomplete ? undefined : ABSENT));
    const votes = new Map<string, number>();
    for (const value of values) if (value !== undefined) votes.set(value, (votes.get(value) ?? 0) + 1);
    if (votes.size <= 1) continue;
    const ranked = [...votes.entries()].sort((a, b) => b[1] - a[1]);
    const majority = ranked[0]![1] > ranked[1]![1] ? ranked[0]![0] : null;
    for (const [index, value] of values.entries()) {
      if (value === undefined || value === majority) continue;
      const others = values.filter((other, at) => at !== index && other !== undefined && other !== value);
      const difference: ArtifactFileDifference['difference'] =
        value === ABSENT ? 'missing' : (majority ?? (others.includes(ABSENT) ? ABSENT : '')) === ABSENT ? 'added' : 'modified';
      verdicts[index]!.differences.push({ path, difference });
      if (majority === null) verdicts[index]!.contested = true;
    }
  }
  return verdicts;
}

/** Numbers the distinct file sets, the one most copies hold first (ties in the order first seen). */
function numberVariants(maps: readonly Map<string, string>[]): number[] {
  const keys = maps.map((map) => [...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([path, hex]) => `${path}\u0000${hex}`).join('\n'));
  const counts = new Map<string, { count: number; first: number }>();
  keys.forEach((key, index) => {
    const entry = counts.get(key) ?? { count: 0, first: index };
    entry.count++;
    counts.set(key, entry);
  });
  const order = [...counts.entries()].sort((a, b) => b[1].count - a[1].count || a[1].first - b[1].first).map(([key]) => key);
  return keys.map((key) => order.indexOf(key) + 1);
}
