/**
 * Advisory matching: PEP 440/503 helpers, OSV parsing, the alias-merging index and the
 * records bundled with the app.
 */
import type { AdvisoryIndex } from './advisory-index.js';
import { buildAdvisoryIndex } from './advisory-index.js';
import { BUNDLED_ADVISORY_FILES } from './bundled-data.js';
import type { OsvRecord } from './osv.js';
import { parseAdvisoryFile } from './osv.js';

export * from './advisory-index.js';
export * from './fixed-release.js';
export * from './osv.js';
export * from './pep440.js';
export * from './pep503.js';
export { BUNDLED_ADVISORY_FILES } from './bundled-data.js';

let bundledRecords: readonly OsvRecord[] | undefined;
let bundledIndex: AdvisoryIndex | undefined;

/** The bundled OSV records, parsed once; throws if a bundled file does not parse (a build defect). */
export function bundledAdvisoryRecords(): readonly OsvRecord[] {
  bundledRecords ??= BUNDLED_ADVISORY_FILES.map((file) => parseAdvisoryFile(file.fileName, file.text));
  return bundledRecords;
}

/** The index over the bundled records, built once and shared. */
export function bundledAdvisoryIndex(): AdvisoryIndex {
  bundledIndex ??= buildAdvisoryIndex(bundledAdvisoryRecords());
  return bundledIndex;
}
