/**
 * The report's copy comparisons as rows for people: per hashed distribution version, whether its
 * copies are byte-identical everywhere they were hashed, which copy holds which variant, and how
 * they compare with a known-good artifact. Pure.
 */
import type { CopyComparison } from '../model/index.js';

/** One version's row: package, version, verdict, known-good outcome, the copies with their variant. */
export interface CopyComparisonRow {
  package: string;
  version: string;
  verdict: string;
  knownGood: string;
  copies: string;
}

/** The verdict on one version's copies, in words. */
export function copyVerdict(comparison: Pick<CopyComparison, 'copies' | 'variants'>): string {
  const incomplete = comparison.copies.some((copy) => copy.incomplete) ? ' (some files of some copies could not be hashed)' : '';
  if (comparison.copies.length === 1) return `one copy hashed: nothing to compare it with${incomplete}`;
  if (comparison.variants === 1) return `identical everywhere: ${comparison.copies.length} copies hold the same bytes${incomplete}`;
  return `${comparison.variants} different file sets among ${comparison.copies.length} copies${incomplete}`;
}

/** Rows for every comparison, in the report's order. */
export function copyComparisonRows(comparisons: readonly CopyComparison[]): CopyComparisonRow[] {
  return comparisons.map((comparison) => {
    const matches = comparison.copies.filter((copy) => copy.knownGood === 'matches').length;
    const differs = comparison.copies.filter((copy) => copy.knownGood === 'differs').length;
    return {
      package: comparison.package,
      version: comparison.version,
      verdict: copyVerdict(comparison),
      knownGood: comparison.knownGood ? `${matches} match, ${differs} differ: ${comparison.knownGood}` : 'none imported',
      copies: comparison.copies
        .map((copy) => `${copy.host}${copy.container === null ? '' : `/${copy.container}`}:${copy.path} (variant ${copy.variant}${copy.knownGood ? `, ${copy.knownGood}` : ''})`)
        .join('; '),
    };
  });
}
