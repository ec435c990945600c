/**
 * The inventory and report model: what a scan learns about hosts, and what the findings say.
 * This is the report contract of docs/report-format.md (schemaVersion 1); change it only by
 * adding optional fields or new finding kinds.
 */

/** How far a host's scan got. Every status but `ok` carries an `error` message. */
export type HostStatus =
  | 'ok'
  | 'partial'
  | 'unreachable'
  | 'auth-failed'
  | 'host-key-mismatch'
  | 'host-key-unknown'
  | 'error';

/** Finding severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** How bad a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** Facts read off a host without running anything it owns (uname, /etc/os-release). */
export interface HostFacts {
  hostname: string;
  os: string;
  kernel: string;
}

/** A container as `docker inspect` describes it. */
export interface Container {
  id: string;
  name: string;
  /** The image reference as deployed (Config.Image), e.g. `ghcr.io/berriai/litellm:main-latest`. */
  image: string;
  /** The image's content digest (`sha256:…`, from RepoDigests or the image id); null when unknown. */
  imageDigest: string | null;
  running: boolean;
}

/** One installed distribution, read from its METADATA or PKG-INFO. */
export interface PythonPackage {
  /** The name as its metadata spells it. */
  name: string;
  version: string;
  /** The `.dist-info` / `.egg-info` path it was read from. */
  metadataPath?: string;
}

/** A folder of installed distributions (a site-packages, dist-packages or virtualenv). */
export interface PythonEnvironment {
  /** Path of the site-packages folder, as seen inside its host or container. */
  path: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  packages: PythonPackage[];
}

/** Something that went wrong in one collector without failing the host (e.g. docker denied). */
export interface CollectorNote {
  collector: string;
  message: string;
}

/** Everything one host's scan produced. */
export interface HostInventory {
  /** The name the user knows the host by (ssh_config Host alias, or `This machine`). */
  name: string;
  /** Where it was reached: `user@host:port`, or `local`. */
  address: string;
  status: HostStatus;
  error?: string;
  facts: HostFacts | null;
  containers: Container[];
  pythonEnvironments: PythonEnvironment[];
  /** What the collectors noted: blind spots that made the status `partial`, and harmless remarks. */
  notes?: CollectorNote[];
}

/** Every kind of finding; consumers must ignore kinds they do not know. */
export const FINDING_KINDS = [
  'compromised-package',
  'executable-pth',
  'record-mismatch',
  'ioc',
  'mutable-image-tag',
  'auto-updater',
  'build-time-install',
  'docker-socket-mount',
  'cached-compromised-artifact',
] as const;
/** The kind of a finding. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What every finding has, whatever its kind: enough to sort, filter and fail a CI run on it. */
export interface FindingBase {
  /** Stable id: the same finding on a re-scan has the same id. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  host: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  /** Human-readable facts that led to the finding. */
  evidence: string[];
}

/** Whether a place was exposed to a compromise: `not-exposed` needs positive evidence. */
export type Verdict = 'exposed' | 'likely-exposed' | 'unknown' | 'not-exposed';

/** An installed distribution that an advisory covers. */
export interface CompromisedPackageFinding extends FindingBase {
  kind: 'compromised-package';
  package: string;
  version: string;
  /** Path of the Python environment the package sits in. */
  path: string;
  /** Advisory ids, primary first, aliases merged (e.g. MAL-2026-2144, PYSEC-2026-2). */
  advisories: string[];
  /** Exposure verdict for this place (added in schema 1.1; absent in older reports). */
  verdict?: Verdict;
  /** Why the verdict is what it is, one reason a line. */
  reasons?: string[];
}

/** A `.pth` file with a line Python executes at every start. */
export interface ExecutablePthFinding extends FindingBase {
  kind: 'executable-pth';
  path: string;
  sha256: string;
  /** The distribution whose RECORD lists the file, or null when none does. */
  package: string | null;
}

/** One file of a distribution that does not match its RECORD. */
export interface RecordFileProblem {
  path: string;
  problem: 'modified' | 'missing' | 'unlisted';
}

/** A distribution whose files differ from what its RECORD says was installed. */
export interface RecordMismatchFinding extends FindingBase {
  kind: 'record-mismatch';
  package: string;
  version: string;
  /** Path of the Python environment. */
  path: string;
  files: RecordFileProblem[];
}

/** An indicator of compromise from the rules file matched. */
export interface IocFinding extends FindingBase {
  kind: 'ioc';
  rule: string;
  path?: string;
  unit?: string;
  /** Where the rule comes from (advisory or write-up). */
  source: string;
}

/** A container deployed from a mutable tag rather than a digest. */
export interface MutableImageTagFinding extends FindingBase {
  kind: 'mutable-image-tag';
  image: string;
}

/** An auto-updater that can pull new images unattended. */
export interface AutoUpdaterFinding extends FindingBase {
  kind: 'auto-updater';
  updater: string;
  /** Container names it watches. */
  watches: string[];
}

/** An image whose history installs Python packages from a live index. */
export interface BuildTimeInstallFinding extends FindingBase {
  kind: 'build-time-install';
  image: string;
  command: string;
}

/** A container that mounts the Docker socket (and so controls the host). */
export interface DockerSocketMountFinding extends FindingBase {
  kind: 'docker-socket-mount';
}

/** A compromised wheel or sdist in a pip/uv cache, which would reinstall silently. */
export interface CachedCompromisedArtifactFinding extends FindingBase {
  kind: 'cached-compromised-artifact';
  path: string;
  package: string;
  version: string;
}

/** One thing the user must act on, with the evidence that led to it. */
export type Finding =
  | CompromisedPackageFinding
  | ExecutablePthFinding
  | RecordMismatchFinding
  | IocFinding
  | MutableImageTagFinding
  | AutoUpdaterFinding
  | BuildTimeInstallFinding
  | DockerSocketMountFinding
  | CachedCompromisedArtifactFinding;

/** Narrows a finding to its kind. */
export function isFindingOfKind<K extends FindingKind>(finding: Finding, kind: K): finding is Extract<Finding, { kind: K }> {
  return finding.kind === kind;
}

/** The document a scan produces: `blast-radius scan --json`, case files and the UI all use it. */
export interface ScanReport {
  schemaVersion: 1;
  scannedAt: string;
  hosts: HostInventory[];
  findings: Finding[];
}

/** Compares severities: negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** True when `severity` is at least as severe as `threshold`. */
export function reachesSeverity(severity: Severity, threshold: Severity): boolean {
  return compareSeverity(severity, threshold) <= 0;
}
