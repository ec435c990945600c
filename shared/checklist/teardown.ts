/**
 * What tearing down a gateway leaves to remove, and whether a re-scan still finds each piece: its
 * container and image, its database container, volumes and the config files that held keys, the
 * proxy routes and SSH tunnels (with their units) that reach it, and the auto-updater watching it.
 * Each piece is named by host and name or path, derived from the inventory alone; a fact the
 * inventory lacks (where the database is, a volume also mounted by a container that stays) is
 * said as a gap, never guessed. Names and paths are data: they are compared, never interpreted.
 */
import { watchSetOf } from '../domain/containers/auto-updaters.js';
import { hostWasRead } from '../domain/host-status.js';
import { resolveEndpoint } from '../findings/topology/resolve-endpoint.js';
import type { Container, GatewayFinding, GatewayService, HostInventory, ProxyRoute, ScanReport, SshTunnel } from '../model/index.js';
import { describeKey } from './key-names.js';
import { joinAnd, unique } from './text.js';

/** What kind of thing a teardown piece is. */
export const TEARDOWN_PIECE_KINDS = ['container', 'image', 'database-container', 'volume', 'config-file', 'route', 'tunnel', 'unit', 'updater-watch', 'service-unit', 'venv'] as const;

/** What kind of thing a teardown piece is. */
export type TeardownPieceKind = (typeof TEARDOWN_PIECE_KINDS)[number];

/**
 * One thing a gateway's teardown removes. `host` and `name` (and `path` when it lives in a file)
 * are its identity: the same inventory gives the same piece on every scan, so a re-scan can be
 * asked about it after the gateway itself is gone.
 */
export interface TeardownPiece {
  kind: TeardownPieceKind;
  host: string;
  /** A container or unit name, an image digest (or reference), a volume name, a route or a forward as written. */
  name: string;
  /** The file it lives in or is (a unit file, a Caddyfile, a volume's folder), when it has one. */
  path?: string;
  /** Why it belongs to the gateway, and what "gone" can mean for it as far as the scan sees. */
  why: string;
}

/** A piece as a re-scan finds it: gone, still there, or on a host (or a part of one) the scan did not read. */
export type TeardownPieceState = 'gone' | 'present' | 'not-read';

/** One piece with what a scan says about it. */
export interface TeardownPieceOutcome {
  piece: TeardownPiece;
  state: TeardownPieceState;
  /** For `present` and `not-read`: where it remains, or what was not read. */
  reason?: string;
}

/** A gateway's pieces, and the facts the inventory lacks to list them all. */
export interface TeardownInventory {
  pieces: TeardownPiece[];
  /** What the inventory does not say (each a sentence), so the owner checks it by hand. */
  gaps: string[];
}

/** What the pieces are derived from. */
export type TeardownReport = Pick<ScanReport, 'hosts'>;

/** The key of a piece: two pieces with the same key are the same thing. */
export function teardownPieceKey(piece: Pick<TeardownPiece, 'kind' | 'host' | 'name' | 'path'>): string {
  return JSON.stringify([piece.kind, piece.host, piece.name, piece.path ?? null]);
}

/** The pieces with repeats (by key) dropped, the first kept. */
export function uniquePieces(pieces: readonly TeardownPiece[]): TeardownPiece[] {
  const seen = new Map<string, TeardownPiece>();
  for (const piece of pieces) if (!seen.has(teardownPieceKey(piece))) seen.set(teardownPieceKey(piece), piece);
  return [...seen.values()];
}

/**
 * Every teardown piece of a gateway the report shows: on its own host its container, image,
 * database container, volumes, key-holding config files and updater watch; on any host the routes
 * and tunnels that resolve to it. Pieces a container that stays also uses are left out, as gaps.
 */
export function teardownPieces(gateway: Pick<GatewayFinding, 'host' | 'container' | 'gateway' | 'service'>, report: TeardownReport): TeardownInventory {
  const pieces: TeardownPiece[] = [];
  const gaps: string[] = [];
  const host = report.hosts.find((candidate) => candidate.name === gateway.host);
  const name = gateway.container ?? gateway.service ?? gateway.gateway;
  const own = gateway.container === null ? undefined : host?.containers.find((candidate) => candidate.name === gateway.container);
  const service = gateway.container === null ? host?.gatewayServices?.find((candidate) => candidate.unit === gateway.service) : undefined;
  if (gateway.container === null && service) {
    pieces.push(...servicePieces(host!, service));
  } else if (gateway.container === null) {
    gaps.push(`${name} runs as a host service on ${gateway.host}: the scan does not list a service's own files, so stop and disable it and delete its program and unit by hand.`);
  } else if (!own) {
    gaps.push(`The inventory of ${gateway.host} does not list container ${gateway.container}: its image, mounts and networks are unknown.`);
  }
  if (own) {
    pieces.push({ kind: 'container', host: gateway.host, name: own.name, why: `The gateway itself (${gateway.gateway}).` });
    pieces.push({
      kind: 'image',
      host: gateway.host,
      name: own.imageDigest ?? own.image,
      why: `The image ${own.image} it ran${own.imageDigest ? '' : ' (digest unknown)'}. The scan does not list images: gone means no container on ${gateway.host} runs it any more; confirm with docker image ls --digests.`,
    });
  }
  const database = host && own ? databaseOf(host, own) : null;
  if (database && 'container' in database) {
    pieces.push({ kind: 'database-container', host: gateway.host, name: database.container.name, why: database.why });
  } else if (database) {
    gaps.push(database.gap);
  }
  const removed = [own, database && 'container' in database ? database.container : undefined].filter((container): container is Container => container !== undefined);
  if (host && removed.length > 0) {
    const survivors = host.containers.filter((candidate) => !removed.includes(candidate));
    pieces.push(...volumePieces(host, removed, survivors, gaps));
    pieces.push(...configFilePieces(host, removed, survivors, gaps));
    pieces.push(...updaterPieces(host, own!));
  }
  pieces.push(...routePieces(gateway, report.hosts), ...tunnelPieces(gateway, report.hosts));
  return { pieces: uniquePieces(pieces), gaps: unique(gaps) };
}

/** The gateway's database container, or a sentence saying what the inventory does not tell. */
function databaseOf(host: HostInventory, gateway: Container): { container: Container; why: string } | { gap: string } | null {
  // The LiteLLM database read names the URL it used (`postgresql://db:5432/litellm`, no credentials).
  for (const config of host.gatewayConfigs ?? []) {
    if (config.container !== gateway.name) continue;
    const target = /^postgres(?:ql)?:\/\/([^/:?#]+)/i.exec(config.path)?.[1]?.toLowerCase();
    if (!target) continue;
    for (const candidate of host.containers) {
      if (candidate === gateway) continue;
      const network = (candidate.networks ?? []).find(
        (own) =>
          own.name !== 'bridge' &&
          (gateway.networks ?? []).some((theirs) => theirs.name === own.name) &&
          [candidate.name, ...own.aliases].some((alias) => alias.toLowerCase() === target),
      );
      if (network) {
        return {
          container: candidate,
          why: `${gateway.name}'s database (${config.path}): ${target} is ${candidate.name === target ? 'its name' : `${candidate.name}'s alias`} on network ${network.name}.`,
        };
      }
    }
  }
  // Otherwise the password in DATABASE_URL is the one another container on the host was started with.
  const secrets = host.secrets ?? [];
  for (const held of secrets.filter((secret) => secret.container === gateway.name && /DATABASE_URL/i.test(secret.variable ?? ''))) {
    const other = secrets.find((secret) => secret.fingerprint === held.fingerprint && secret.container !== null && secret.container !== gateway.name);
    const candidate = other ? host.containers.find((container) => container.name === other.container) : undefined;
    if (other && candidate) {
      return {
        container: candidate,
        why: `${gateway.name}'s ${held.variable} holds the password ${describeKey(held.provider, held.fingerprint)} that ${candidate.name} has in ${other.variable ?? 'its environment'}.`,
      };
    }
  }
  const named = (gateway.envNames ?? []).includes('DATABASE_URL') || secrets.some((secret) => secret.container === gateway.name && secret.variable === 'DATABASE_URL');
  return named
    ? { gap: `${gateway.name} has a DATABASE_URL, but the inventory does not say which container holds that database: find it (docker inspect ${gateway.name}) and remove it with its volumes.` }
    : null;
}

/** A gateway service's own pieces: its unit, the virtualenv it runs from, the configs its command names and its environment files. */
function servicePieces(host: HostInventory, service: GatewayService): TeardownPiece[] {
  const pieces: TeardownPiece[] = [
    {
      kind: 'service-unit',
      host: host.name,
      name: service.unit,
      path: service.path,
      why: `Starts the gateway (${service.scope === 'user' ? 'a user unit' : 'a system unit'}): stop and disable it, then delete ${service.path}. Gone when no unit file there starts a gateway.`,
    },
  ];
  if (service.venv !== null) {
    pieces.push({
      kind: 'venv',
      host: host.name,
      name: service.venv,
      path: service.venv,
      why: `The virtualenv ${service.program} runs from: the compromised package lives in it. Delete the folder, never run anything in it. Gone when the scan finds no Python environment under it.`,
    });
  }
  const keyed = (path: string): string => {
    const keys = unique((host.secrets ?? []).filter((secret) => secret.container === null && secret.path === path).map((secret) => describeKey(secret.provider, secret.fingerprint)));
    return keys.length > 0 ? `; it held ${joinAnd(keys)}` : '';
  };
  for (const path of service.configPaths) {
    pieces.push({ kind: 'config-file', host: host.name, name: path, path, why: `The config ${service.unit}'s command names${keyed(path)}. Gone when no unit names it and it holds no key.` });
  }
  for (const path of service.environmentFiles) {
    pieces.push({ kind: 'config-file', host: host.name, name: path, path, why: `The environment file ${service.unit} reads${keyed(path)}. Gone when no unit names it and it holds no key.` });
  }
  return pieces;
}

/** Docker's and Podman's default folders of a named volume: `…/volumes/<name>/_data`. */
const VOLUME_FOLDER = /^\/var\/lib\/(?:docker|containers\/storage)\/volumes\/([^/]+)\/_data\/?$/;

/** A volume mount's name: read from the engine's volume folder, else its source as the engine gave it. */
function volumeName(source: string): string {
  return VOLUME_FOLDER.exec(source)?.[1] ?? source;
}

/** Named volumes of the removed containers that no container that stays mounts. */
function volumePieces(host: HostInventory, removed: readonly Container[], survivors: readonly Container[], gaps: string[]): TeardownPiece[] {
  const pieces: TeardownPiece[] = [];
  for (const container of removed) {
    for (const mount of (container.mounts ?? []).filter((candidate) => candidate.type === 'volume')) {
      const name = volumeName(mount.source);
      const sharers = survivors.filter((other) => (other.mounts ?? []).some((theirs) => theirs.type === 'volume' && volumeName(theirs.source) === name));
      if (sharers.length > 0) {
        gaps.push(`Volume ${name} is also mounted by ${joinAnd(sharers.map((other) => other.name))}, which stay${sharers.length === 1 ? 's' : ''}: it is kept; check what ${container.name} left in it.`);
        continue;
      }
      pieces.push({
        kind: 'volume',
        host: host.name,
        name,
        path: mount.source,
        why: `Mounted by ${container.name} at ${mount.destination}. The scan sees volumes only through the containers that mount them: gone means no container mounts it; confirm with docker volume ls.`,
      });
    }
  }
  return pieces;
}

/** A compose path as the host sees it (relative ones against the compose working folder). */
function absolutePath(container: Container, path: string): string {
  return path.startsWith('/') ? path : `${(container.compose?.workingDir ?? '').replace(/\/+$/, '')}/${path.replace(/^\.\//, '')}`;
}

/** The host files a container reads: its bind-mount sources, its compose env files and compose files. */
function filesOf(container: Container): { exact: string[]; folders: string[] } {
  const binds = (container.mounts ?? []).filter((mount) => mount.type === 'bind' && mount.source.startsWith('/'));
  return {
    exact: unique([
      ...binds.map((mount) => mount.source),
      ...(container.compose?.envFiles ?? []).map((path) => absolutePath(container, path)),
      ...(container.compose?.configFiles ?? []),
    ]),
    folders: binds.map((mount) => `${mount.source.replace(/\/+$/, '')}/`),
  };
}

function uses(files: { exact: string[]; folders: string[] }, path: string): boolean {
  return files.exact.includes(path) || files.folders.some((folder) => path.startsWith(folder));
}

/** Host files the removed containers read that held keys, unless a container that stays reads them too. */
function configFilePieces(host: HostInventory, removed: readonly Container[], survivors: readonly Container[], gaps: string[]): TeardownPiece[] {
  const files = removed.map((container) => ({ container, files: filesOf(container) }));
  const paths = unique((host.secrets ?? []).filter((secret) => secret.container === null && secret.path !== undefined).map((secret) => secret.path!));
  const pieces: TeardownPiece[] = [];
  for (const path of paths) {
    const readers = files.filter((entry) => uses(entry.files, path)).map((entry) => entry.container.name);
    if (readers.length === 0) continue;
    const keys = unique((host.secrets ?? []).filter((secret) => secret.container === null && secret.path === path).map((secret) => describeKey(secret.provider, secret.fingerprint)));
    const sharers = survivors.filter((other) => uses(filesOf(other), path)).map((other) => other.name);
    if (sharers.length > 0) {
      gaps.push(`${path} (it held ${joinAnd(keys)}) is also read by ${joinAnd(sharers)}, which stay${sharers.length === 1 ? 's' : ''}: take ${joinAnd(readers)} and ${readers.length === 1 ? 'its' : 'their'} keys out of it rather than deleting it.`);
      continue;
    }
    pieces.push({
      kind: 'config-file',
      host: host.name,
      name: path,
      path,
      why: `Read by ${joinAnd(readers)}; it held ${joinAnd(keys)}. The scan sees a file through the keys it finds in it: one emptied of keys but left in place also counts as gone.`,
    });
  }
  return pieces;
}

/** The auto-updaters on the gateway's host that watch it. */
function updaterPieces(host: HostInventory, gateway: Container): TeardownPiece[] {
  return host.containers.flatMap((updater): TeardownPiece[] => {
    const set = updater === gateway ? null : watchSetOf(updater, host.containers);
    if (!set?.watches.includes(gateway.name)) return [];
    return [
      {
        kind: 'updater-watch',
        host: host.name,
        name: updater.name,
        why: `${updater.name} (${set.kind}) watches ${gateway.name}: it would pull ${gateway.image} again. Gone when it no longer watches a container named ${gateway.name}.`,
      },
    ];
  });
}

/** Whether a resolved place is the gateway. */
function isGateway(gateway: Pick<GatewayFinding, 'host' | 'container'>, place: { host: string; container: string | null } | null): boolean {
  return place !== null && place.host === gateway.host && place.container === gateway.container && gateway.container !== null;
}

/** How a route is named: its proxy, what it serves and where it forwards (with the container whose labels declare it). */
export function routeName(route: ProxyRoute): string {
  return `${route.proxy} ${route.match} → ${route.upstreamHost}:${route.upstreamPort}${route.container !== null ? ` (labels of container ${route.container})` : ''}`;
}

/** How a forward is named: where it listens, where it lands and through which ssh destination. */
export function tunnelName(tunnel: SshTunnel): string {
  return `${tunnel.localAddress}:${tunnel.localPort} → ${tunnel.remoteHost}:${tunnel.remotePort} via ${tunnel.sshDestination}`;
}

/** The reverse-proxy routes, on any host, whose upstream resolves to the gateway. */
function routePieces(gateway: Pick<GatewayFinding, 'host' | 'container'>, hosts: readonly HostInventory[]): TeardownPiece[] {
  return hosts.flatMap((host) =>
    (host.proxyRoutes ?? []).flatMap((route): TeardownPiece[] => {
      const resolved = resolveEndpoint(host.name, route.container, route.upstreamHost, route.upstreamPort, hosts);
      if (!isGateway(gateway, resolved)) return [];
      return [
        {
          kind: 'route',
          host: host.name,
          name: routeName(route),
          ...(route.path !== undefined ? { path: route.path } : {}),
          why: `Forwards to the gateway: ${resolved!.path.join('; ')}. Remove the route and its DNS name, so nothing reaches a later service by it.`,
        },
      ];
    }),
  );
}

/** The SSH local forwards, on any host, whose far end is the gateway, and the systemd units that start them. */
function tunnelPieces(gateway: Pick<GatewayFinding, 'host' | 'container'>, hosts: readonly HostInventory[]): TeardownPiece[] {
  return hosts.flatMap((host) =>
    (host.tunnels ?? []).flatMap((tunnel): TeardownPiece[] => {
      const resolved = resolveEndpoint(host.name, null, '127.0.0.1', tunnel.localPort, hosts);
      if (resolved?.via !== 'ssh-tunnel' || resolved.tunnel?.tunnel !== tunnel || !isGateway(gateway, resolved)) return [];
      const pieces: TeardownPiece[] = [
        {
          kind: 'tunnel',
          host: host.name,
          name: tunnelName(tunnel),
          path: tunnel.path,
          why: `Forwards to the gateway (${tunnel.source} ${tunnel.path}): ${resolved.path.join('; ')}.`,
        },
      ];
      if (tunnel.source === 'systemd' && tunnel.unit !== undefined) {
        pieces.push({
          kind: 'unit',
          host: host.name,
          name: tunnel.unit,
          path: tunnel.path,
          why: `Starts that tunnel: disable it and delete ${tunnel.path}. The scan reads a unit file that starts a tunnel or sets an environment; one that does neither counts as gone.`,
        });
      }
      return pieces;
    }),
  );
}

/**
 * What a scan says about each piece of the teardown of `gateway` (its container or service name, which an updater's watch names): `not-read` when its host was not read or the part of the
 * inventory that holds it was not collected, else `present` (with where) or `gone`.
 */
export function teardownOutcomes(gateway: string, pieces: readonly TeardownPiece[], hosts: readonly HostInventory[]): TeardownPieceOutcome[] {
  const byName = new Map(hosts.map((host) => [host.name, host]));
  return pieces.map((piece): TeardownPieceOutcome => {
    const host = byName.get(piece.host);
    if (!host || !hostWasRead(host.status)) return { piece, state: 'not-read', reason: `${piece.host} was not read` };
    const missing = unreadPart(piece.kind, host);
    if (missing) return { piece, state: 'not-read', reason: `${missing} on ${piece.host} were not read` };
    const where = presentAt(piece, host, gateway);
    return where === null ? { piece, state: 'gone' } : { piece, state: 'present', reason: where };
  });
}

/** The part of a read host's inventory a piece is judged from, named when it was not collected. */
function unreadPart(kind: TeardownPieceKind, host: HostInventory): string | null {
  switch (kind) {
    case 'container':
    case 'image':
    case 'database-container':
    case 'volume':
    case 'updater-watch':
      return containersRead(host) ? null : 'its containers';
    case 'config-file':
      return host.secrets !== undefined ? null : 'its files with keys';
    case 'route':
      return host.proxyRoutes !== undefined ? null : 'its proxy routes';
    case 'tunnel':
    case 'unit':
    case 'service-unit':
      return host.tunnels !== undefined ? null : 'its tunnels and units';
    case 'venv':
      return null;
  }
}

/** Engine notes that do not leave containers unlisted: no engine at all, or read through sudo. */
const HARMLESS_ENGINE_NOTES = [/^neither docker nor podman is installed/, /read through sudo -n/, /disappeared between ps and inspect/, /were not container ids/];

/** Whether a read host's container list is complete: a `partial` host with an engine note (denied, failed, capped) is not. */
function containersRead(host: HostInventory): boolean {
  if (host.status === 'ok') return true;
  return !(host.notes ?? []).some(
    (note) => (note.collector === 'docker' || note.collector === 'podman') && !HARMLESS_ENGINE_NOTES.some((pattern) => pattern.test(note.message)),
  );
}

/** Where a read host still has the piece, in words, or null when it is gone. */
function presentAt(piece: TeardownPiece, host: HostInventory, gateway: string): string | null {
  switch (piece.kind) {
    case 'container':
    case 'database-container': {
      const container = host.containers.find((candidate) => candidate.name === piece.name);
      return container ? `container ${piece.name} is still on ${host.name} (${container.running ? 'running' : 'stopped'})` : null;
    }
    case 'image': {
      const users = host.containers.filter((container) => container.imageDigest === piece.name || container.image === piece.name);
      return users.length > 0 ? `${joinAnd(users.map((container) => container.name))} on ${host.name} still run${users.length === 1 ? 's' : ''} it` : null;
    }
    case 'volume': {
      const users = host.containers.filter((container) => (container.mounts ?? []).some((mount) => mount.type === 'volume' && volumeName(mount.source) === piece.name));
      return users.length > 0 ? `${joinAnd(users.map((container) => container.name))} on ${host.name} still mount${users.length === 1 ? 's' : ''} it` : null;
    }
    case 'config-file': {
      if ((host.secrets ?? []).some((secret) => secret.container === null && secret.path === piece.path)) return `${piece.path} on ${host.name} still holds keys`;
      const naming = (host.gatewayServices ?? []).find((service) => service.configPaths.includes(piece.path ?? '') || service.environmentFiles.includes(piece.path ?? ''));
      return naming ? `${naming.unit} on ${host.name} still names ${piece.path}` : null;
    }
    case 'service-unit':
      return (host.gatewayServices ?? []).some((service) => service.path === piece.path) ? `${piece.path} on ${host.name} still starts a gateway` : null;
    case 'venv': {
      const inside = host.pythonEnvironments.filter((environment) => environment.container === null && (environment.path === piece.path || environment.path.startsWith(`${piece.path}/`)));
      return inside.length > 0 ? `${inside[0]!.path} on ${host.name} is still there` : null;
    }
    case 'route':
      return (host.proxyRoutes ?? []).some((route) => routeName(route) === piece.name && route.path === piece.path) ? `the route is still in ${piece.path ?? 'the labels'} on ${host.name}` : null;
    case 'tunnel':
      return (host.tunnels ?? []).some((tunnel) => tunnelName(tunnel) === piece.name && tunnel.path === piece.path) ? `the forward is still in ${piece.path} on ${host.name}` : null;
    case 'unit': {
      const still =
        (host.tunnels ?? []).some((tunnel) => tunnel.path === piece.path) ||
        (host.endpointReferences ?? []).some((reference) => reference.path === piece.path && reference.unit === piece.name);
      return still ? `${piece.path} on ${host.name} is still there` : null;
    }
    case 'updater-watch': {
      const updater = host.containers.find((container) => container.name === piece.name);
      const watched = updater ? (watchSetOf(updater, host.containers)?.watches ?? []) : [];
      return watched.includes(gateway) ? `${piece.name} on ${host.name} still watches ${gateway}` : null;
    }
  }
}
