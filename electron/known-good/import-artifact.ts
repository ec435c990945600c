/**
 * Turns a known-good artifact the owner downloaded elsewhere into a reference the case keeps: a
 * wheel (zip: its files hashed here, and its own RECORD checked against them), an sdist (tar.gz:
 * its sources hashed, the top folder and a `src/` layout folder dropped so paths read as
 * installed), or a per-file hash manifest (JSON, `blast-radius-known-good/1`, see README). Runs in
 * the main process and reads bytes only: nothing in the artifact is ever run.
 */
import { createHash } from 'node:crypto';
import { knownGoodId, type KnownGoodReference } from '../../shared/domain/python/known-good.js';
import { parseRecord, recordDigestToHex } from '../../shared/domain/python/record.js';
import { readTarGz } from './tar-reader.js';
import { ArchiveError, readZip, type ArchiveEntry } from './zip-reader.js';

/** Largest artifact imported. */
export const MAX_ARTIFACT_BYTES = 512 * 1024 * 1024;

/** The manifest format's name, the value of its `format` field. */
export const MANIFEST_FORMAT = 'blast-radius-known-good/1';

/** An artifact that cannot serve as a known-good reference; the message never quotes its content. */
export class KnownGoodImportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'KnownGoodImportError';
  }
}

const sha256 = (bytes: Uint8Array): string => createHash('sha256').update(bytes).digest('hex');

/** Reads `bytes` (named `fileName`, only its last path part kept) as a wheel, an sdist or a manifest, by content. */
export function importKnownGood(bytes: Buffer, fileName: string, now = new Date()): KnownGoodReference {
  if (bytes.length > MAX_ARTIFACT_BYTES) throw new KnownGoodImportError(`the file is larger than ${MAX_ARTIFACT_BYTES} bytes`);
  const artifact = baseName(fileName);
  const artifactSha256 = sha256(bytes);
  let read: Pick<KnownGoodReference, 'name' | 'version' | 'source' | 'files'>;
  try {
    if (bytes.subarray(0, 4).equals(Buffer.from([0x50, 0x4b, 0x03, 0x04]))) read = fromWheel(readZip(bytes));
    else if (bytes[0] === 0x1f && bytes[1] === 0x8b) read = fromSdist(readTarGz(bytes));
    else read = fromManifest(bytes);
  } catch (error) {
    if (error instanceof ArchiveError) throw new KnownGoodImportError(`${artifact} is not a readable archive: ${error.message}`);
    throw error;
  }
  if (Object.keys(read.files).length === 0) throw new KnownGoodImportError(`${artifact} holds no files`);
  return { id: knownGoodId(read.name, read.version, artifactSha256), ...read, artifact, artifactSha256, importedAt: now.toISOString() };
}

/** The last part of a path, without control characters, at most 200 characters. */
function baseName(fileName: string): string {
  const base = fileName.split(/[\\/]/).pop() ?? '';
  // eslint-disable-next-line no-control-regex
  return base.replace(/[\u0000-\u001f\u007f]/g, '').slice(0, 200) || 'artifact';
}

/** Name and Version from METADATA / PKG-INFO headers (up to the first blank line). */
function nameAndVersion(text: string, what: string): { name: string; version: string } {
  const headers = text.split(/\r?\n\r?\n/, 1)[0] ?? '';
  const field = (key: string): string | undefined =>
    headers
      .split(/\r?\n/)
      .map((line) => /^([A-Za-z-]+)\s*:\s*(.*)$/.exec(line))
      .find((match) => match?.[1]?.toLowerCase() === key)?.[2]
      ?.trim();
  const name = field('name');
  const version = field('version');
  if (!name || !version) throw new KnownGoodImportError(`${what} names no Name and Version`);
  return { name, version };
}

/**
 * A wheel: every file hashed, and its RECORD held to them. A wheel whose own RECORD disagrees with
 * its content, lists a file it lacks or leaves one out, is no known-good artifact.
 */
function fromWheel(entries: ArchiveEntry[]): Pick<KnownGoodReference, 'name' | 'version' | 'source' | 'files'> {
  const records = entries.filter((entry) => /^[^/]+\.dist-info\/RECORD$/.test(entry.path));
  if (records.length !== 1) throw new KnownGoodImportError(`the wheel has ${records.length} .dist-info/RECORD files, not one`);
  const distInfo = records[0]!.path.slice(0, -'/RECORD'.length);
  const metadata = entries.find((entry) => entry.path === `${distInfo}/METADATA`);
  if (!metadata) throw new KnownGoodImportError(`the wheel has no ${distInfo}/METADATA`);
  const { name, version } = nameAndVersion(metadata.bytes.toString('utf8'), 'its METADATA');
  const record = parseRecord(records[0]!.bytes.toString('utf8'));
  const listed = new Map(record.entries.map((entry) => [entry.path, entry.sha256]));
  const files: Record<string, string> = {};
  const problems: string[] = [];
  for (const entry of entries) {
    const hex = sha256(entry.bytes);
    files[entry.path] = hex;
    if (entry.path === records[0]!.path || /\.dist-info\/RECORD\.(jws|p7s)$/.test(entry.path)) continue;
    if (!listed.has(entry.path)) problems.push(`${entry.path} is not in its RECORD`);
    else if (listed.get(entry.path) !== null && listed.get(entry.path) !== hex) problems.push(`${entry.path} does not match its RECORD hash`);
  }
  for (const path of listed.keys()) if (!(path in files)) problems.push(`its RECORD lists ${path}, which it lacks`);
  if (problems.length > 0) {
    throw new KnownGoodImportError(`the wheel disagrees with its own RECORD (${problems.length} files, first: ${problems[0]}): not a known-good artifact`);
  }
  return { name, version, source: 'wheel', files };
}

/** An sdist: its sources under `<name>-<version>/`, that folder and a `src/` layout folder dropped. */
function fromSdist(entries: ArchiveEntry[]): Pick<KnownGoodReference, 'name' | 'version' | 'source' | 'files'> {
  const tops = new Set(entries.map((entry) => entry.path.split('/')[0]));
  if (tops.size !== 1) throw new KnownGoodImportError('the sdist does not hold one top folder');
  const top = [...tops][0]!;
  const pkgInfo = entries.find((entry) => entry.path === `${top}/PKG-INFO`);
  if (!pkgInfo) throw new KnownGoodImportError(`the sdist has no ${top}/PKG-INFO`);
  const { name, version } = nameAndVersion(pkgInfo.bytes.toString('utf8'), 'its PKG-INFO');
  const files: Record<string, string> = {};
  for (const entry of entries) {
    let path = entry.path.slice(top.length + 1);
    if (path.startsWith('src/')) path = path.slice(4);
    if (path === '' || path in files) continue;
    files[path] = sha256(entry.bytes);
  }
  return { name, version, source: 'sdist', files };
}

/**
 * A manifest: `{"format": "blast-radius-known-good/1", "name", "version", "files": {path: hash}}`,
 * each hash 64 hex digits or RECORD's `sha256=<urlsafe base64>`; paths as installed, relative to the site folder.
 */
function fromManifest(bytes: Buffer): Pick<KnownGoodReference, 'name' | 'version' | 'source' | 'files'> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(bytes.toString('utf8'));
  } catch {
    throw new KnownGoodImportError('neither a wheel (zip), an sdist (tar.gz) nor a JSON manifest');
  }
  const manifest = parsed as { format?: unknown; name?: unknown; version?: unknown; files?: unknown };
  if (typeof manifest !== 'object' || manifest === null || manifest.format !== MANIFEST_FORMAT) {
    throw new KnownGoodImportError(`a JSON manifest must say "format": "${MANIFEST_FORMAT}"`);
  }
  if (typeof manifest.name !== 'string' || manifest.name.trim() === '' || typeof manifest.version !== 'string' || manifest.version.trim() === '') {
    throw new KnownGoodImportError('the manifest needs a "name" and a "version"');
  }
  if (typeof manifest.files !== 'object' || manifest.files === null || Array.isArray(manifest.files)) {
    throw new KnownGoodImportError('the manifest needs "files": an object of path to sha256');
  }
  const files: Record<string, string> = {};
  for (const [path, value] of Object.entries(manifest.files as Record<string, unknown>)) {
    const hex =
      typeof value !== 'string' ? null : /^[0-9a-fA-F]{64}$/.test(value) ? value.toLowerCase() : value.startsWith('sha256=') ? recordDigestToHex(value.slice(7)) : null;
    if (path === '' || hex === null) throw new KnownGoodImportError(`the manifest's hash of file ${JSON.stringify(path.slice(0, 120))} is not a sha256`);
    files[path] = hex;
  }
  return { name: manifest.name.trim(), version: manifest.version.trim(), source: 'manifest', files };
}
