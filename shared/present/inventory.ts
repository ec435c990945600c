/**
 * The inventory as the dashboard lists it: every host with its containers and Python
 * environments, each package marked with the findings that name it and each container with the
 * auto-updaters that watch it.
 */
import type { Container, HostInventory, PthFile, ScanReport } from '../model/index.js';

/** The key under which a package in one environment is flagged. */
export function packageKey(host: string, container: string | null, path: string, name: string, version: string): string {
  return JSON.stringify([host, container, path, name.toLowerCase(), version]);
}

/** The key of one Python environment, unique in a report (used for expand state and test ids). */
export function environmentKey(host: string, container: string | null, path: string): string {
  return `${host}:${container ?? 'host'}:${path}`;
}

/** The key of one container, unique in a report (used for expand state). */
export function containerKey(host: string, name: string): string {
  return `${host}/${name}`;
}

/** One package row of the inventory. */
export interface PackageRow {
  name: string;
  version: string;
  metadataPath: string | undefined;
  /** Ids of the findings about this package here; empty when it is not flagged. */
  findingIds: string[];
}

/** One Python environment of the inventory. */
export interface EnvironmentRow {
  key: string;
  path: string;
  container: string | null;
  packageCount: number;
  flaggedCount: number;
  /** Flagged packages first, then by name. */
  packages: PackageRow[];
  /** The `.pth` files at the top of the folder (empty when none were read). */
  pthFiles: PthFile[];
  /** How many of those have a line Python executes at every start. */
  executablePthCount: number;
}

/** One container of the inventory, with what the report says about it elsewhere. */
export interface InventoryContainer extends Container {
  /** `host/name`: unique in a report, used for expand state. */
  key: string;
  /** Auto-updaters (container names) on the same host whose findings say they watch this container. */
  watchedBy: string[];
  /** Mounts with a risk (engine socket, host root, home). */
  riskyMountCount: number;
}

/** One host of the inventory with its containers and environments. */
export interface InventoryHost {
  name: string;
  address: string;
  status: HostInventory['status'];
  error: string | undefined;
  facts: HostInventory['facts'];
  notes: NonNullable<HostInventory['notes']>;
  containers: InventoryContainer[];
  environments: EnvironmentRow[];
  findingCount: number;
  /** Where IOC rules matched; null when the IOC search did not run on this host. */
  iocHits: NonNullable<HostInventory['iocHits']> | null;
}

/**
 * The auto-updaters watching each container, by `containerKey`: what the report's auto-updater
 * findings name, an updater known by its container name when it runs in one.
 */
export function containerWatchers(report: ScanReport): Map<string, string[]> {
  const watchers = new Map<string, string[]>();
  for (const finding of report.findings) {
    if (finding.kind !== 'auto-updater') continue;
    for (const watched of finding.watches) {
      const key = containerKey(finding.host, watched);
      watchers.set(key, [...(watchers.get(key) ?? []), finding.container ?? finding.updater]);
    }
  }
  return watchers;
}

/** The inventory of the report, with each package marked when a finding names it. */
export function buildInventory(report: ScanReport): InventoryHost[] {
  const findingsByPackage = new Map<string, string[]>();
  for (const finding of report.findings) {
    if (finding.kind !== 'compromised-package') continue;
    const key = packageKey(finding.host, finding.container, finding.path, finding.package, finding.version);
    findingsByPackage.set(key, [...(findingsByPackage.get(key) ?? []), finding.id]);
  }
  const watchers = containerWatchers(report);
  return report.hosts.map((host) => ({
    name: host.name,
    address: host.address,
    status: host.status,
    error: host.error,
    facts: host.facts,
    notes: host.notes ?? [],
    containers: host.containers.map((container) => ({
      ...container,
      key: containerKey(host.name, container.name),
      watchedBy: watchers.get(containerKey(host.name, container.name)) ?? [],
      riskyMountCount: (container.mounts ?? []).filter((mount) => mount.risk !== undefined).length,
    })),
    iocHits: host.iocHits ?? null,
    findingCount: report.findings.filter((finding) => finding.host === host.name).length,
    environments: host.pythonEnvironments.map((environment) => {
      const packages = environment.packages
        .map((pkg) => ({
          name: pkg.name,
          version: pkg.version,
          metadataPath: pkg.metadataPath,
          findingIds: findingsByPackage.get(packageKey(host.name, environment.container, environment.path, pkg.name, pkg.version)) ?? [],
        }))
        .sort((a, b) => Number(b.findingIds.length > 0) - Number(a.findingIds.length > 0) || a.name.localeCompare(b.name));
      return {
        key: environmentKey(host.name, environment.container, environment.path),
        path: environment.path,
        container: environment.container,
        packageCount: packages.length,
        flaggedCount: packages.filter((pkg) => pkg.findingIds.length > 0).length,
        packages,
        pthFiles: environment.pthFiles ?? [],
        executablePthCount: (environment.pthFiles ?? []).filter((file) => file.lines.some((line) => line.executable)).length,
      };
    }),
  }));
}
