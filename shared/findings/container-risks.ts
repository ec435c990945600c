/**
 * Findings about how containers are deployed, answering INCIDENT.md's "could it have been
 * re-pulled?" and "was there a build-time path?": mutable image tags, engine sockets handed to
 * containers, auto-updaters and what they watch, and image histories that installed Python
 * packages from a live index without hashes. Pure: reads inventories, never hosts.
 */
import { UPDATER_NAMES, watchSetOf } from '../domain/containers/auto-updaters.js';
import { isGatewayImage } from '../domain/containers/gateway-images.js';
import { isPinnedReference } from '../domain/containers/image-reference.js';
import type {
  AutoUpdaterFinding,
  BuildInstallStep,
  BuildTimeInstallFinding,
  Container,
  DockerSocketMountFinding,
  Finding,
  HostInventory,
  MutableImageTagFinding,
  Severity,
} from '../model/index.js';
import { compareSeverity } from '../model/index.js';

/** Finding kinds that mark a container as carrying a flagged package. */
const FLAGGING_KINDS = new Set<Finding['kind']>(['compromised-package', 'executable-pth', 'content-signature']);

/** The stable id of a container finding: the same container on a re-scan keeps it. */
export function containerFindingId(kind: Finding['kind'], host: string, container: string): string {
  return `${kind}:${host}:container=${container}`;
}

/**
 * Deployment findings for every container of every host. `flagged` are the findings already made
 * (compromised packages, executable .pth files): a container they name raises the severity of its
 * mutable tag, its build-time installs and any updater that watches it.
 */
export function findContainerRisks(hosts: readonly HostInventory[], flagged: readonly Finding[]): Finding[] {
  const findings: Finding[] = [];
  for (const host of hosts) {
    const flaggedHere = new Map<string, Set<string>>();
    for (const finding of flagged) {
      if (finding.host !== host.name || finding.container === null || !FLAGGING_KINDS.has(finding.kind)) continue;
      const packages = flaggedHere.get(finding.container) ?? new Set<string>();
      if ('package' in finding && typeof finding.package === 'string') packages.add(finding.package);
      flaggedHere.set(finding.container, packages);
    }
    for (const container of host.containers) {
      const mutable = mutableTagFinding(host, container, flaggedHere.has(container.name));
      if (mutable) findings.push(mutable);
      const socket = socketMountFinding(host, container);
      if (socket) findings.push(socket);
      const updater = autoUpdaterFinding(host, container, flaggedHere);
      if (updater) findings.push(updater);
      const build = buildTimeInstallFinding(host, container, flaggedHere.get(container.name));
      if (build) findings.push(build);
    }
  }
  return findings.sort(
    (a, b) => compareSeverity(a.severity, b.severity) || compareText(a.host, b.host) || compareText(a.container ?? '', b.container ?? '') || compareText(a.id, b.id),
  );
}

function mutableTagFinding(host: HostInventory, container: Container, isFlagged: boolean): MutableImageTagFinding | null {
  if (container.image === '' || (container.pinnedByDigest ?? isPinnedReference(container.image))) return null;
  const evidence = [`Deployed from ${container.image}: a tag the registry can re-point, so a re-pull or re-create may fetch other content`];
  evidence.push(...imageFacts(container));
  if (container.compose) {
    const compose = container.compose;
    evidence.push(
      compose.image !== null
        ? `Compose service ${compose.service ?? '?'} (${compose.configFiles.join(', ')}) writes image: ${compose.image}`
        : `Compose project ${compose.project}: ${compose.problem ?? 'service image not found'}`,
    );
  }
  if (isFlagged) evidence.push('The container holds a flagged package');
  return {
    id: containerFindingId('mutable-image-tag', host.name, container.name),
    kind: 'mutable-image-tag',
    severity: isFlagged ? 'high' : 'medium',
    title: `Container ${container.name} on ${host.name} runs the mutable tag ${container.image}`,
    host: host.name,
    container: container.name,
    image: container.image,
    evidence,
  };
}

function socketMountFinding(host: HostInventory, container: Container): DockerSocketMountFinding | null {
  const risky = (container.mounts ?? []).filter((mount) => mount.risk === 'engine-socket' || mount.risk === 'host-root');
  if (risky.length === 0) return null;
  return {
    id: containerFindingId('docker-socket-mount', host.name, container.name),
    kind: 'docker-socket-mount',
    severity: 'high',
    title: `Container ${container.name} on ${host.name} can drive the container engine (and so the host)`,
    host: host.name,
    container: container.name,
    evidence: [
      ...risky.map(
        (mount) =>
          `Bind mount ${mount.source} → ${mount.destination}${mount.risk === 'host-root' ? ' (the host root, sockets included)' : ''}${mount.readOnly ? ' (read-only: the API behind the socket still answers)' : ''}`,
      ),
      `Image ${container.image}${container.running ? ', running' : ', stopped'}`,
    ],
  };
}

function autoUpdaterFinding(host: HostInventory, container: Container, flagged: ReadonlyMap<string, Set<string>>): AutoUpdaterFinding | null {
  const set = watchSetOf(container, host.containers);
  if (!set) return null;
  const byName = new Map(host.containers.map((candidate) => [candidate.name, candidate]));
  const sensitive = (name: string): string | null => {
    if (flagged.has(name)) return 'holds a flagged package';
    const watched = byName.get(name);
    return watched && isGatewayImage(watched.image) ? `runs the gateway image ${watched.image}` : null;
  };
  const sensitiveUpdates = set.updates.filter((name) => sensitive(name) !== null);
  const severity: Severity = set.notifyOnly ? 'info' : sensitiveUpdates.length > 0 ? 'high' : 'medium';
  const label = UPDATER_NAMES[set.kind];
  const evidence = [`${label} container ${container.name} runs ${container.image}${container.running ? '' : ' (stopped now; it may have run during the window)'}`, ...set.reasons];
  evidence.push(set.watches.length > 0 ? `Watches: ${set.watches.join(', ')}` : 'Watches no container on this host right now');
  if (!set.notifyOnly) evidence.push(`Replaces with newly pulled images: ${set.updates.join(', ')}`);
  for (const name of set.watches) {
    const why = sensitive(name);
    if (why) evidence.push(`${name} ${why}${set.updates.includes(name) ? '' : ' (notified only)'}`);
  }
  return {
    id: containerFindingId('auto-updater', host.name, container.name),
    kind: 'auto-updater',
    severity,
    title: set.notifyOnly
      ? `${label} (${container.name}) on ${host.name} watches ${plural(set.watches.length)} but only notifies`
      : `${label} (${container.name}) on ${host.name} can re-pull ${plural(set.updates.length)} unattended`,
    host: host.name,
    container: container.name,
    updater: set.kind,
    watches: set.watches,
    evidence,
  };
}

function buildTimeInstallFinding(host: HostInventory, container: Container, flaggedPackages: ReadonlySet<string> | undefined): BuildTimeInstallFinding | null {
  const unpinned = (container.buildInstalls ?? []).filter((step) => !step.hashPinned);
  if (unpinned.length === 0) return null;
  // The step that names a flagged package speaks for the finding; otherwise the newest one, usually the application's own.
  const names = [...(flaggedPackages ?? [])].map((name) => name.toLowerCase());
  const lead = unpinned.find((step) => names.some((name) => step.command.toLowerCase().includes(name))) ?? (unpinned[unpinned.length - 1] as BuildInstallStep);
  return {
    id: containerFindingId('build-time-install', host.name, container.name),
    kind: 'build-time-install',
    severity: flaggedPackages ? 'high' : 'medium',
    title: `Image ${container.image} of ${container.name} on ${host.name} installed Python packages from a live index without hashes`,
    host: host.name,
    container: container.name,
    image: container.image,
    command: lead.command,
    evidence: [
      ...(container.buildInstalls ?? []).map((step) => `${step.createdAt ? `${step.createdAt}: ` : ''}${step.command} (${step.reason})`),
      ...imageFacts(container),
      ...(flaggedPackages ? ['The container holds a flagged package'] : []),
    ],
  };
}

function imageFacts(container: Container): string[] {
  const facts: string[] = [];
  if (container.repoDigests && container.repoDigests.length > 0) facts.push(`RepoDigests: ${container.repoDigests.join(', ')}`);
  if (container.imageCreated) facts.push(`Image built ${container.imageCreated}`);
  if (container.created) facts.push(`Container created ${container.created}${container.startedAt ? `, last started ${container.startedAt}` : ''}`);
  const labels = container.labels ?? {};
  for (const key of ['org.opencontainers.image.version', 'org.opencontainers.image.created', 'com.centurylinklabs.watchtower.enable']) {
    if (labels[key] !== undefined) facts.push(`Label ${key}=${labels[key]}`);
  }
  return facts;
}

function plural(count: number): string {
  return `${count} ${count === 1 ? 'container' : 'containers'}`;
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
