/**
 * PEP 440 version parsing and ordering, as `packaging.version.Version` does it
 * (https://packaging.python.org/en/latest/specifications/version-specifiers/).
 * OSV ECOSYSTEM ranges for PyPI are defined over this ordering, so it has to be exact:
 * `1.0.dev0 < 1.0a1 < 1.0rc1 < 1.0 < 1.0+local < 1.0.post1`, and `1.0 == 1.0.0`.
 */

/** A pre-release phase, normalised (`alpha` → `a`, `beta` → `b`, `c`/`pre`/`preview` → `rc`). */
export type PreReleasePhase = 'a' | 'b' | 'rc';

/** A parsed PEP 440 version. Numbers are bigint so that date-like segments never lose precision. */
export interface Pep440Version {
  epoch: bigint;
  release: readonly bigint[];
  pre: { phase: PreReleasePhase; number: bigint } | null;
  post: bigint | null;
  dev: bigint | null;
  /** Local label parts, lower-cased; numeric parts as bigint. Empty when there is no `+local`. */
  local: ReadonlyArray<bigint | string>;
}

// The regular expression of packaging.version.VERSION_PATTERN, which the specification quotes.
const VERSION_PATTERN = new RegExp(
  '^\\s*v?' +
    '(?:(?<epoch>[0-9]+)!)?' +
    '(?<release>[0-9]+(?:\\.[0-9]+)*)' +
    '(?<pre>[-_.]?(?<preL>alpha|a|beta|b|preview|pre|c|rc)[-_.]?(?<preN>[0-9]+)?)?' +
    '(?<post>(?:-(?<postN1>[0-9]+))|(?:[-_.]?(?<postL>post|rev|r)[-_.]?(?<postN2>[0-9]+)?))?' +
    '(?<dev>[-_.]?(?<devL>dev)[-_.]?(?<devN>[0-9]+)?)?' +
    '(?:\\+(?<local>[a-z0-9]+(?:[-_.][a-z0-9]+)*))?' +
    '\\s*$',
  'i',
);

/** Parses a PEP 440 version; null when the text is not one (e.g. `latest`, `1.0-foo`). */
export function parseVersion(text: string): Pep440Version | null {
  const groups = VERSION_PATTERN.exec(text)?.groups;
  if (!groups || groups['release'] === undefined) return null;
  return {
    epoch: BigInt(groups['epoch'] ?? '0'),
    release: groups['release'].split('.').map((part) => BigInt(part)),
    pre: groups['preL'] === undefined ? null : { phase: prePhase(groups['preL']), number: BigInt(groups['preN'] ?? '0') },
    post:
      groups['post'] === undefined ? null : BigInt(groups['postN1'] ?? groups['postN2'] ?? '0'),
    dev: groups['devL'] === undefined ? null : BigInt(groups['devN'] ?? '0'),
    local:
      groups['local'] === undefined
        ? []
        : groups['local']
            .toLowerCase()
            .split(/[-_.]/)
            .map((part) => (/^[0-9]+$/.test(part) ? BigInt(part) : part)),
  };
}

/** True when `text` is a valid PEP 440 version. */
export function isValidVersion(text: string): boolean {
  return parseVersion(text) !== null;
}

/** The canonical spelling of a version (`V1.0RC1` → `1.0rc1`), or the trimmed input when invalid. */
export function normalizeVersion(text: string): string {
  const version = parseVersion(text);
  return version ? formatVersion(version) : text.trim();
}

/** Renders a parsed version in its canonical form, as `str(packaging.version.Version(...))` does. */
export function formatVersion(version: Pep440Version): string {
  let out = version.epoch === 0n ? '' : `${version.epoch}!`;
  out += version.release.join('.');
  if (version.pre) out += `${version.pre.phase}${version.pre.number}`;
  if (version.post !== null) out += `.post${version.post}`;
  if (version.dev !== null) out += `.dev${version.dev}`;
  if (version.local.length > 0) out += `+${version.local.join('.')}`;
  return out;
}

/** The version without its local label (`1.0+ubuntu1` → `1.0`). */
export function publicVersion(version: Pep440Version): Pep440Version {
  return version.local.length === 0 ? version : { ...version, local: [] };
}

/** Orders two parsed versions: negative when `a` is older than `b`, 0 when equal, positive when newer. */
export function compareParsedVersions(a: Pep440Version, b: Pep440Version): number {
  return (
    compareBigint(a.epoch, b.epoch) ||
    compareRelease(a.release, b.release) ||
    compareNumber(preKey(a), preKey(b)) ||
    compareBigint(a.pre?.number ?? 0n, b.pre?.number ?? 0n) ||
    compareOptional(a.post, b.post, -1) ||
    compareOptional(a.dev, b.dev, 1) ||
    compareLocal(a.local, b.local)
  );
}

/**
 * Orders two version strings by PEP 440. When either side is not a valid PEP 440 version the
 * two are compared as trimmed, lower-cased strings instead: advisories and installed metadata
 * occasionally carry legacy versions, and a scan must degrade rather than throw on them. That
 * fallback is only a best effort (it is not transitive across valid and invalid versions).
 */
export function compareVersions(a: string, b: string): number {
  const parsedA = parseVersion(a);
  const parsedB = parseVersion(b);
  if (parsedA && parsedB) return compareParsedVersions(parsedA, parsedB);
  const textA = a.trim().toLowerCase();
  const textB = b.trim().toLowerCase();
  return textA < textB ? -1 : textA > textB ? 1 : 0;
}

/** True when two version strings denote the same PEP 440 version (`1.0` equals `1.0.0`). */
export function versionsEqual(a: string, b: string): boolean {
  return compareVersions(a, b) === 0;
}

function prePhase(label: string): PreReleasePhase {
  const lower = label.toLowerCase();
  if (lower === 'a' || lower === 'alpha') return 'a';
  if (lower === 'b' || lower === 'beta') return 'b';
  return 'rc';
}

// packaging's _cmpkey: a dev release without pre or post sorts before every pre-release of the
// same release (1.0.dev0 < 1.0a0); a final release sorts after all of them.
function preKey(version: Pep440Version): number {
  if (version.pre) return { a: 0, b: 1, rc: 2 }[version.pre.phase];
  if (version.post === null && version.dev !== null) return -1;
  return 3;
}

// Trailing zeros do not count: 1.0 == 1.0.0.
function compareRelease(a: readonly bigint[], b: readonly bigint[]): number {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const order = compareBigint(a[i] ?? 0n, b[i] ?? 0n);
    if (order !== 0) return order;
  }
  return 0;
}

// `absent` says where a missing segment sorts: -1 before any value (post), 1 after (dev).
function compareOptional(a: bigint | null, b: bigint | null, absent: -1 | 1): number {
  if (a === null && b === null) return 0;
  if (a === null) return absent;
  if (b === null) return -absent;
  return compareBigint(a, b);
}

// Local labels: no label sorts first; alphanumeric parts sort before numeric parts; a label
// that is a prefix of another sorts first (packaging compares them as tuples).
function compareLocal(a: ReadonlyArray<bigint | string>, b: ReadonlyArray<bigint | string>): number {
  const length = Math.min(a.length, b.length);
  for (let i = 0; i < length; i += 1) {
    const partA = a[i] as bigint | string;
    const partB = b[i] as bigint | string;
    if (typeof partA === 'bigint' && typeof partB === 'bigint') {
      const order = compareBigint(partA, partB);
      if (order !== 0) return order;
    } else if (typeof partA === 'string' && typeof partB === 'string') {
      if (partA !== partB) return partA < partB ? -1 : 1;
    } else {
      return typeof partA === 'string' ? -1 : 1;
    }
  }
  return compareNumber(a.length, b.length);
}

function compareBigint(a: bigint, b: bigint): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

function compareNumber(a: number, b: number): number {
  return a - b;
}
