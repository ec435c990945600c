/**
 * Parses the Python scan script's records into PythonEnvironment[]. The script only ever read
 * files: `site` names a site-packages folder, `meta` a METADATA / PKG-INFO file and `head` the
 * Name: / Version: header lines taken from it (up to the first blank line); `pth`, `pth-sha256`,
 * `pth-head` and `pth-owner` describe a site folder's `.pth` files, `hook`, `hook-sha256` and
 * `hook-head` its `sitecustomize.py` / `usercustomize.py`; `installer` a `.dist-info/INSTALLER`'s
 * first line, `env-origin` the marker of a virtualenv or conda environment. The text of a start-up hook is matched
 * against the content signatures here, in the main process, and only the matches are kept (a
 * sitecustomize.py may set a key; its text never reaches the report). Pure.
 */
import type { EnvironmentOrigin, HostInventory, PackagePublisher, PthFile, PythonEnvironment, PythonPackage, SignatureHit, StartupHookFile } from '../../shared/model/index.js';
import { redactText } from '../readers/secrets/redact-text.js';
import { matchSignatures, type SignatureTarget } from '../../shared/domain/iocs/signatures.js';
import { classifyPthContent } from '../../shared/domain/python/pth-audit.js';
import { safeSignatureHits } from './signature-excerpt.js';
import { splitRecords } from './framing.js';

/** What one Python scan found and how far it got. */
export interface PythonScan {
  environments: PythonEnvironment[];
  /** The script printed its end record: nothing was cut off. */
  completed: boolean;
  /** The distribution cap was reached; later distributions were not read. */
  truncated: boolean;
  /** Utilities the scanned system lacks (e.g. `find`), so part of the scan could not run. */
  missingTools: string[];
  /** The ROOT to read (a container's MergedDir) did not exist or could not be entered. */
  rootMissing: boolean;
  /** Site folders not followed because, read from the host, an absolute symlink would leave the container. */
  skippedLinks: string[];
  /** Number of distributions read. */
  packageCount: number;
  /** Utilities whose absence weakens the .pth audit without stopping the inventory (`sha256sum` = no hash tool at all, `awk`, `wc`). */
  lackingTools: string[];
  /** The .pth cap was reached; later .pth files were not read. */
  pthTruncated: boolean;
  /** The sitecustomize.py / usercustomize.py cap was reached; later ones were not read. */
  hookTruncated: boolean;
  /** Wheels, sdists and unpacked wheels named in the pip and uv caches (`cached` records), with the name and version their file names carry. */
  cachedArtifacts: CachedArtifact[];
  /** The cached-artifact cap was reached; later names were not listed. */
  cachedTruncated: boolean;
}

/** A wheel, sdist or unpacked wheel in a pip or uv cache, named by its file name alone. */
export type CachedArtifact = NonNullable<HostInventory['cachedArtifacts']>[number];

/** Options for parsePythonScan. */
export interface ParsePythonOptions {
  /** Container name the scan belongs to, or null for the host. */
  container: string | null;
  /** Cap on distributions across the whole scan (the script caps per shell, this caps the total). */
  maxPackages: number;
}

/** Reads a Python scan's framed output. */
export function parsePythonScan(output: string, boundary: string, options: ParsePythonOptions): PythonScan {
  const scan: PythonScan = {
    environments: [],
    completed: false,
    truncated: false,
    missingTools: [],
    rootMissing: false,
    skippedLinks: [],
    packageCount: 0,
    lackingTools: [],
    pthTruncated: false,
    hookTruncated: false,
    cachedArtifacts: [],
    cachedTruncated: false,
  };
  let pendingPth: PthFile | null = null;
  let pendingHook: StartupHookFile | null = null;
  // Owners are resolved at the end: a site's .pth records come before its distributions.
  const pthOwners: Array<{ distInfo: string; name: string }> = [];
  const byPath = new Map<string, PythonEnvironment>();
  const seenMetadata = new Set<string>();
  let current: PythonEnvironment | null = null;
  let pendingMeta: string | null = null;

  const addPackage = (metaFile: string, header: string): void => {
    if (seenMetadata.has(metaFile)) return;
    const environment = environmentFor(metaFile, current, byPath);
    if (!environment) return;
    if (scan.packageCount >= options.maxPackages) {
      scan.truncated = true;
      return;
    }
    seenMetadata.add(metaFile);
    environment.packages.push(packageFrom(metaFile, header));
    scan.packageCount++;
  };

  // INSTALLER files and environment markers come beside the metadata they describe; matched at the end.
  const installers: Array<{ distInfo: string; installer: string }> = [];
  const origins: EnvironmentOrigin[] = [];

  const records = splitRecords(output, boundary);
  // Without the end record the output was cut (size cap, timeout): its last record may be partial.
  if (!records.some((record) => record.tag === 'end')) records.pop();

  for (const { tag, body } of records) {
    if (tag !== 'head' && pendingMeta !== null) {
      // A meta record whose header never came (cut off, or the file vanished): still a distribution.
      addPackage(pendingMeta, '');
      pendingMeta = null;
    }
    switch (tag) {
      case 'site': {
        const existing = byPath.get(body);
        if (existing) current = existing;
        else {
          current = { path: body, container: options.container, packages: [] };
          byPath.set(body, current);
          scan.environments.push(current);
        }
        break;
      }
      case 'meta':
        pendingMeta = body;
        break;
      case 'head':
        if (pendingMeta !== null) addPackage(pendingMeta, body);
        pendingMeta = null;
        break;
      case 'truncated':
        scan.truncated = true;
        break;
      case 'pth': {
        pendingPth = null;
        const environment = environmentFor(body, current, byPath);
        if (!environment) break;
        pendingPth = { path: body, sha256: null, owner: null, lines: [] };
        (environment.pthFiles ??= []).push(pendingPth);
        break;
      }
      case 'pth-sha256': {
        // sha256sum prints "<hex>  -", openssl -r "<hex> *stdin".
        const hex = /^([0-9a-fA-F]{64})(?:\s|$)/.exec(body)?.[1];
        if (pendingPth && hex) pendingPth.sha256 = hex.toLowerCase();
        break;
      }
      case 'pth-head':
        if (pendingPth) {
          const { lines, truncated } = classifyPthContent(body);
          pendingPth.lines = lines;
          if (truncated) pendingPth.truncated = true;
          // On the whole text read, not the kept lines: a stager line is longer than a kept line.
          const hits = signatureHits(body, 'pth');
          if (hits.length > 0) pendingPth.signatures = hits;
        }
        break;
      case 'hook': {
        pendingHook = null;
        const environment = environmentFor(body, current, byPath);
        if (!environment) break;
        const kind = body.endsWith('/usercustomize.py') ? 'usercustomize' : 'sitecustomize';
        pendingHook = { path: body, kind, sha256: null, owner: null, signatures: [] };
        (environment.startupHooks ??= []).push(pendingHook);
        break;
      }
      case 'hook-sha256': {
        const hex = /^([0-9a-fA-F]{64})(?:\s|$)/.exec(body)?.[1];
        if (pendingHook && hex) pendingHook.sha256 = hex.toLowerCase();
        break;
      }
      case 'hook-head':
        if (pendingHook) pendingHook.signatures = signatureHits(body, 'customize');
        break;
      case 'hook-more':
        if (pendingHook) pendingHook.truncated = true;
        break;
      case 'hook-truncated':
        scan.hookTruncated = true;
        break;
      case 'pth-more':
        if (pendingPth) pendingPth.truncated = true;
        break;
      case 'installer': {
        const newline = body.lastIndexOf('\n');
        const installer = safeField(body.slice(newline + 1), 60);
        if (newline > 0 && installer !== '') installers.push({ distInfo: body.slice(0, newline).replace(/\/INSTALLER$/, ''), installer });
        break;
      }
      case 'env-origin': {
        const origin = environmentOrigin(body);
        if (origin) origins.push(origin);
        break;
      }
      case 'pth-owner': {
        const newline = body.lastIndexOf('\n');
        if (newline > 0) pthOwners.push({ distInfo: body.slice(0, newline), name: body.slice(newline + 1) });
        break;
      }
      case 'cached': {
        const named = artifactNameVersion(body);
        // A container's cache entries carry its name; the host's carry none (as they always have).
        const where = options.container === null ? {} : { container: options.container };
        if (named && !scan.cachedArtifacts.some((artifact) => artifact.path === body)) scan.cachedArtifacts.push({ path: body, ...named, ...where });
        break;
      }
      case 'cached-truncated':
        scan.cachedTruncated = true;
        break;
      case 'pth-truncated':
        scan.pthTruncated = true;
        break;
      case 'lacks':
        if (!scan.lackingTools.includes(body)) scan.lackingTools.push(body);
        break;
      case 'missing-tool':
        if (!scan.missingTools.includes(body)) scan.missingTools.push(body);
        break;
      case 'root-missing':
        scan.rootMissing = true;
        break;
      case 'skipped-link':
        scan.skippedLinks.push(body);
        break;
      case 'end':
        scan.completed = true;
        break;
      default:
        // Records of the wrapping script (exec rc, via…) belong to its caller.
        break;
    }
  }
  if (pendingMeta !== null) addPackage(pendingMeta, '');
  assignPthOwners(scan.environments, pthOwners);
  assignInstallers(scan.environments, installers, origins);
  return scan;
}

/** The signatures a start-up hook's text matches, each excerpt made safe to keep (secrets become fingerprints). */
function signatureHits(text: string, target: SignatureTarget): SignatureHit[] {
  return safeSignatureHits(matchSignatures(text, target));
}

/** Names the distribution whose RECORD lists each .pth file or start-up hook (the one in the same site folder as the RECORD). */
function assignPthOwners(environments: readonly PythonEnvironment[], owners: ReadonlyArray<{ distInfo: string; name: string }>): void {
  for (const { distInfo, name } of owners) {
    const site = distInfo.slice(0, distInfo.lastIndexOf('/'));
    const environment = environments.find((candidate) => candidate.path === site);
    const path = `${site}/${name}`;
    const file = environment?.pthFiles?.find((candidate) => candidate.path === path) ?? environment?.startupHooks?.find((candidate) => candidate.path === path);
    if (!environment || !file || file.owner !== null) continue;
    const pkg = environment.packages.find((candidate) => candidate.metadataPath === distInfo);
    file.owner = pkg?.name ?? nameVersionFromFolder(distInfo).name;
  }
}

/** The environment a metadata file belongs to: the current site when it contains the file, else the longest containing one. */
function environmentFor(
  metaFile: string,
  current: PythonEnvironment | null,
  byPath: Map<string, PythonEnvironment>,
): PythonEnvironment | null {
  if (current && metaFile.startsWith(`${current.path}/`)) return current;
  let best: PythonEnvironment | null = null;
  for (const environment of byPath.values()) {
    if (metaFile.startsWith(`${environment.path}/`) && (!best || environment.path.length > best.path.length)) {
      best = environment;
    }
  }
  return best;
}

/** Builds a package from a metadata file path and its header lines (Name, Version and the publisher fields). */
export function packageFrom(metaFile: string, header: string): PythonPackage {
  const fields = parseHeaderFields(header);
  const metadataPath = distributionFolder(metaFile);
  const fallback = nameVersionFromFolder(metadataPath);
  const publisher = parsePublisher(header);
  return {
    name: fields.name ?? fallback.name,
    version: fields.version ?? fallback.version,
    metadataPath,
    ...(publisher ? { publisher } : {}),
  };
}

/** Longest publisher field kept. */
const MAX_PUBLISHER_FIELD = 200;
/** Most `Project-URL` values kept. */
const MAX_PROJECT_URLS = 8;

/**
 * The publisher fields of a METADATA header (`Author`, `Maintainer`, their `-email` forms when the
 * plain field is absent or `UNKNOWN`, `Home-page`, `Project-URL`), or null when it names nobody.
 * Self-declared by whoever built the distribution, and remote text: bounded, secrets redacted.
 */
export function parsePublisher(header: string): PackagePublisher | null {
  const values = new Map<string, string[]>();
  for (const line of header.split('\n')) {
    const match = /^([A-Za-z-]+)[ \t]*:(.*)$/.exec(line.replace(/\r$/, ''));
    if (!match) continue;
    const value = match[2]!.trim();
    if (value === '' || value.toUpperCase() === 'UNKNOWN') continue;
    const key = match[1]!.toLowerCase();
    values.set(key, [...(values.get(key) ?? []), value]);
  }
  const first = (key: string): string | undefined => values.get(key)?.[0];
  // `Author-email: Jane <jane@x>` names a person when `Author` is absent (PEP 621 builds write only the email form).
  const person = (plain: string, email: string): string | undefined => {
    const value = first(plain) ?? first(email);
    return value === undefined ? undefined : safeField(value, MAX_PUBLISHER_FIELD);
  };
  const publisher: PackagePublisher = {};
  const author = person('author', 'author-email');
  const maintainer = person('maintainer', 'maintainer-email');
  const homePage = first('home-page');
  const projectUrls = (values.get('project-url') ?? []).slice(0, MAX_PROJECT_URLS).map((value) => safeField(value, MAX_PUBLISHER_FIELD));
  if (author) publisher.author = author;
  if (maintainer) publisher.maintainer = maintainer;
  if (homePage) publisher.homePage = safeField(homePage, MAX_PUBLISHER_FIELD);
  if (projectUrls.length > 0) publisher.projectUrls = projectUrls;
  return Object.keys(publisher).length > 0 ? publisher : null;
}

/** One field of remote text as a report may keep it: one line, bounded, any secret replaced by its fingerprint. */
function safeField(value: string, maxChars: number): string {
  return redactText(value.replace(/[\r\n]+/g, ' ').trim(), { maxChars });
}

/** An `env-origin` record (`ROOT\nKIND\nUV-VERSION`), or null when it is not one. */
function environmentOrigin(body: string): EnvironmentOrigin | null {
  const lines = body.split('\n');
  if (lines.length < 3) return null;
  const uvVersion = lines.pop()!;
  const kind = lines.pop()!;
  const root = lines.join('\n');
  if ((kind !== 'venv' && kind !== 'uv' && kind !== 'conda') || root === '') return null;
  const version = safeField(uvVersion, 40);
  return { root, kind, ...(kind === 'uv' && version !== '' ? { uvVersion: version } : {}) };
}

/** Puts each INSTALLER's first line on its distribution, and each environment marker on the site folders inside it. */
function assignInstallers(environments: readonly PythonEnvironment[], installers: ReadonlyArray<{ distInfo: string; installer: string }>, origins: readonly EnvironmentOrigin[]): void {
  const byMetadata = new Map<string, PythonPackage>();
  for (const environment of environments) for (const pkg of environment.packages) if (pkg.metadataPath) byMetadata.set(pkg.metadataPath, pkg);
  for (const { distInfo, installer } of installers) {
    const pkg = byMetadata.get(distInfo);
    if (pkg && pkg.installer === undefined) pkg.installer = installer;
  }
  for (const environment of environments) {
    // The innermost environment holding the folder (a venv inside a conda env's tree is its own).
    const origin = origins.filter((candidate) => environment.path.startsWith(`${candidate.root}/`)).sort((a, b) => b.root.length - a.root.length)[0];
    if (origin && environment.origin === undefined) environment.origin = origin;
  }
}

/**
 * Reads the first `Name:` and `Version:` headers (RFC 822 style: case-insensitive field names,
 * value after the colon, surrounding whitespace and CR trimmed).
 */
export function parseHeaderFields(header: string): { name?: string; version?: string } {
  const fields: { name?: string; version?: string } = {};
  for (const line of header.split('\n')) {
    const match = /^([A-Za-z-]+)[ \t]*:(.*)$/.exec(line.replace(/\r$/, ''));
    if (!match) continue;
    const key = match[1]!.toLowerCase();
    const value = match[2]!.trim();
    if (value === '') continue;
    if (key === 'name' && fields.name === undefined) fields.name = value;
    else if (key === 'version' && fields.version === undefined) fields.version = value;
  }
  return fields;
}

/** `…/x.dist-info/METADATA` → `…/x.dist-info`; `…/x.egg-info/PKG-INFO` → `…/x.egg-info`; an egg-info file stays itself. */
function distributionFolder(metaFile: string): string {
  return metaFile.replace(/\/(?:METADATA|PKG-INFO)$/, '');
}

/** `name-version.dist-info` / `name-version-pyX.Y.egg-info`: the installer's own spelling, used only when headers are missing. */
function nameVersionFromFolder(folder: string): { name: string; version: string } {
  const base = folder.slice(folder.lastIndexOf('/') + 1).replace(/\.(?:dist|egg)-info$/, '');
  const [name = base, version = ''] = base.split('-');
  return { name, version };
}

/**
 * The project name and version a cached artifact's file name carries, or null when it carries
 * none: a wheel `{distribution}-{version}(-{build})?-{python}-{abi}-{platform}.whl` (the wheel spec:
 * no `-` inside a field), an sdist `{name}-{version}.tar.gz|.zip` and an unpacked wheel
 * `{name}-{version}.dist-info` (both split at the last `-` followed by a digit).
 */
export function artifactNameVersion(path: string): { package: string; version: string } | null {
  const base = path.slice(path.lastIndexOf('/') + 1);
  if (base.endsWith('.whl')) {
    const parts = base.slice(0, -'.whl'.length).split('-');
    if (parts.length !== 5 && parts.length !== 6) return null;
    const [name, version] = parts as [string, string];
    if (name === '' || !/^\d/.test(version)) return null;
    // A build tag starts with a digit; anything else is not a wheel name.
    if (parts.length === 6 && !/^\d/.test(parts[2]!)) return null;
    return { package: name, version };
  }
  const stem = /^(.+)\.(?:tar\.gz|zip|dist-info)$/.exec(base)?.[1];
  if (!stem) return null;
  const match = /^(.+)-(\d[^-]*)$/.exec(stem);
  return match ? { package: match[1]!, version: match[2]! } : null;
}
