/**
 * Known-good artifacts of a distribution version (a wheel, an sdist or a per-file hash manifest the
 * owner downloaded elsewhere) and the file-by-file comparison of an installed copy with one. The
 * attacker who builds the wheel also writes its RECORD, so RECORD verification passes a trojaned
 * wheel; only a reference from outside the install can show what it added or changed. Pure.
 */
import { z } from 'zod';
import type { ArtifactFileDifference, InstalledFiles } from '../../model/index.js';
import { normalizePackageName } from '../advisories/pep503.js';
import { isBytecodeCache } from './record.js';

/** What a known-good reference was made from. */
export const KNOWN_GOOD_SOURCES = ['wheel', 'sdist', 'manifest'] as const;

/** The schema of a known-good reference as the case keeps it. */
export const knownGoodReferenceSchema = z.object({
  /** Stable: the normalised name, the version and the artifact's sha256. */
  id: z.string().min(1),
  name: z.string().min(1),
  version: z.string().min(1),
  source: z.enum(KNOWN_GOOD_SOURCES),
  /** The file the owner imported (base name only) and its sha256 (hex). */
  artifact: z.string(),
  artifactSha256: z.string().regex(/^[0-9a-f]{64}$/),
  importedAt: z.string(),
  /** sha256 (hex) of each file, by its path relative to the site folder (the installed layout). */
  files: z.record(z.string(), z.string().regex(/^[0-9a-f]{64}$/)),
});
/** A known-good artifact of one distribution version, reduced to its files' hashes. */
export type KnownGoodReference = z.infer<typeof knownGoodReferenceSchema>;

/** The stable id of a reference. */
export function knownGoodId(name: string, version: string, artifactSha256: string): string {
  return `${normalizePackageName(name)}@${version.trim()}:${artifactSha256.slice(0, 16)}`;
}

/** How a reference reads in evidence: the artifact's name and the start of its sha256. */
export function describeReference(reference: Pick<KnownGoodReference, 'artifact' | 'artifactSha256' | 'source'>): string {
  return `${reference.source} ${reference.artifact} (sha256 ${reference.artifactSha256.slice(0, 16)}…)`;
}

/** The reference for a distribution version, if the owner imported one (the latest import wins). */
export function referenceFor(references: readonly KnownGoodReference[], name: string, version: string): KnownGoodReference | undefined {
  const wanted = normalizePackageName(name);
  return references
    .filter((reference) => normalizePackageName(reference.name) === wanted && reference.version.trim() === version.trim())
    .sort((a, b) => (a.importedAt < b.importedAt ? 1 : a.importedAt > b.importedAt ? -1 : 0))[0];
}

/**
 * Files of a `.dist-info` folder that the installer writes (so no artifact carries them and they
 * differ between installs): RECORD and its signatures, INSTALLER, REQUESTED, direct_url.json.
 */
const INSTALL_TIME_FILES = new Set(['RECORD', 'RECORD.jws', 'RECORD.p7s', 'INSTALLER', 'REQUESTED', 'direct_url.json']);

/**
 * True for a path two installs of the same artifact can hold differently or not at all: files
 * outside the site folder (`../` scripts, whose `#!` pip rewrites), byte-code caches, the
 * installer's own dist-info files, and a wheel's `.data/` folders (installed elsewhere).
 */
export function isInstallSpecific(path: string): boolean {
  if (path.startsWith('../') || path.startsWith('/') || isBytecodeCache(path)) return true;
  const slash = path.indexOf('/');
  const top = slash < 0 ? path : path.slice(0, slash);
  if (top.endsWith('.data')) return true;
  return top.endsWith('.dist-info') && INSTALL_TIME_FILES.has(path.slice(slash + 1));
}

/** The paths of `files` that compare across installs, with their hashes. */
export function comparableFiles(files: Readonly<Record<string, string>>): Map<string, string> {
  const out = new Map<string, string>();
  for (const [path, hex] of Object.entries(files)) if (!isInstallSpecific(path)) out.set(path, hex.toLowerCase());
  return out;
}

function sortByPath(differences: ArtifactFileDifference[]): ArtifactFileDifference[] {
  return differences.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/**
 * An installed copy compared with a known-good reference, file by file: files the reference lacks
 * (`added`), files whose bytes differ (`modified`), reference files not installed (`missing`; not
 * claimed when the copy's hashes are incomplete, since an unhashed file is not a missing one). An
 * sdist holds sources, not the installed layout: its dist-info is not compared, and only its files
 * in folders the copy installed can be missing.
 */
export function compareWithReference(installed: InstalledFiles, reference: KnownGoodReference): ArtifactFileDifference[] {
  const mine = comparableFiles(installed.sha256);
  const theirs = comparableFiles(reference.files);
  const sdist = reference.source === 'sdist';
  const isDistInfo = (path: string): boolean => /^[^/]+\.dist-info\//.test(path);
  const differences: ArtifactFileDifference[] = [];
  for (const [path, hex] of mine) {
    if (sdist && isDistInfo(path)) continue;
    const expected = theirs.get(path);
    if (expected === undefined) differences.push({ path, difference: 'added' });
    else if (expected !== hex) differences.push({ path, difference: 'modified' });
  }
  if (!installed.incomplete) {
    const installedTops = new Set([...mine.keys()].map((path) => path.split('/')[0]!));
    for (const path of theirs.keys()) {
      if (mine.has(path)) continue;
      if (sdist && (isDistInfo(path) || !path.includes('/') || !installedTops.has(path.split('/')[0]!))) continue;
      differences.push({ path, difference: 'missing' });
    }
  }
  return sortByPath(differences);
}
