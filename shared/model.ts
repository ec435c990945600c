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

/** Kinds of finding; later work adds more, consumers must ignore unknown kinds. */
export type FindingKind = 'compromised-package';

/** One thing the user must act on, with the evidence that led to it. */
export interface Finding {
  /** Stable id: the same finding on a re-scan has the same id. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  host: string;
  container: string | null;
  package: string;
  version: string;
  /** Path of the Python environment the package sits in. */
  path: string;
  /** Advisory ids, primary first, aliases merged (e.g. MAL-2026-2144, PYSEC-2026-2). */
  advisories: string[];
  evidence: string[];
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
