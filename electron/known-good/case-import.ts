/**
 * The app's side of a known-good import: the artifact arrives from the renderer as base64, is read
 * here, and is shown back without its file list. Also counts the copies of its version a stored
 * report holds without hashes, which only a new scan can compare.
 */
import type { KnownGoodEntry } from '../../shared/ipc/contract.js';
import { normalizePackageName } from '../../shared/domain/advisories/pep503.js';
import type { KnownGoodReference } from '../../shared/domain/python/known-good.js';
import type { ScanReport } from '../../shared/model/index.js';
import { importKnownGood as readArtifact, KnownGoodImportError } from './import-artifact.js';

/** Reads a base64 artifact named `fileName` into a reference; a file that is none is a KnownGoodImportError. */
export function importKnownGood(fileName: string, contentBase64: string, now = new Date()): KnownGoodReference {
  const bytes = Buffer.from(contentBase64, 'base64');
  if (bytes.length === 0) throw new KnownGoodImportError('the file is empty');
  return readArtifact(bytes, fileName, now);
}

/** A reference as the renderer sees it: what it is and how many files it lists, not their hashes. */
export function knownGoodEntry(reference: KnownGoodReference): KnownGoodEntry {
  const { id, name, version, source, artifact, artifactSha256, importedAt } = reference;
  return { id, name, version, source, artifact, artifactSha256, importedAt, files: Object.keys(reference.files).length };
}

/** Installed copies of the reference's version in `report` whose files were not hashed by its scan. */
export function unhashedCopies(report: ScanReport, reference: Pick<KnownGoodReference, 'name' | 'version'>): number {
  const wanted = normalizePackageName(reference.name);
  let count = 0;
  for (const host of report.hosts) {
    for (const environment of host.pythonEnvironments) {
      for (const pkg of environment.packages) {
        if (!pkg.files && normalizePackageName(pkg.name) === wanted && pkg.version.trim() === reference.version.trim()) count++;
      }
    }
  }
  return count;
}
