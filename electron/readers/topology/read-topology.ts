/** Reads where a host's services send requests, and what listens and talks on it. */
import { posix } from 'node:path';
import type { Container, EndpointReference, GatewayConfig, GatewayService, ProxyRoute, SshTunnel, TcpConnection } from '../../../shared/model/index.js';
import type { HostArtifacts, TextArtifact } from '../artifacts.js';
import { caddyRoutes } from './caddyfile.js';
import { gatewayServicesIn, type ReadGatewayService } from './gateway-units.js';
import { referencesInEnvironment, referencesInFile, type ReferenceContext } from './endpoint-references.js';
import { parseFibTrie, parseIfInet6 } from './host-addresses.js';
import { litellmGatewayConfig, type Fingerprinter } from './litellm-config.js';
import { nginxRoutes, nginxUpstreams, parseNginx, type NginxFile } from './nginx-conf.js';
import { parseProcNetTcp } from './proc-net-tcp.js';
import { tunnelsInFile } from './ssh-tunnels.js';
import { traefikRoutes } from './traefik-labels.js';

/** One host's network facts, ready for the report. */
export interface HostTopology {
  addresses: string[];
  endpointReferences: EndpointReference[];
  tunnels: SshTunnel[];
  proxyRoutes: ProxyRoute[];
  connections: TcpConnection[];
  gatewayConfigs: GatewayConfig[];
  /** Gateways systemd units start on the host. */
  gatewayServices: GatewayService[];
}

/** What the caller can add to the reading. */
export interface TopologyOptions {
  /** Fingerprints gateway keys (electron/readers/secrets `fingerprintSecret`); without it routes carry no key fingerprint. */
  fingerprint?: Fingerprinter;
}

/**
 * Interprets a host's artifacts (and its containers' labels) into network facts. A file that
 * cannot be read is skipped, never thrown on; every URL is cleaned of users, passwords, queries
 * and token-like paths, and keys appear only as fingerprints.
 */
export function readTopology(artifacts: HostArtifacts, containers: readonly Container[], options: TopologyOptions = {}): HostTopology {
  const files = artifacts.files;
  const addresses = new Set<string>();
  const connections: TcpConnection[] = [];
  const endpointReferences: EndpointReference[] = [];
  const tunnels: SshTunnel[] = [];
  const proxyRoutes: ProxyRoute[] = [];
  const gatewayConfigs: GatewayConfig[] = [];
  const context = referenceContext(files, containers);
  let services: ReadGatewayService[] = [];
  attempt(() => (services = gatewayServicesIn(files)));

  for (const environment of artifacts.environments) {
    attempt(() => endpointReferences.push(...referencesInEnvironment(environment)));
  }
  for (const container of containers) attempt(() => proxyRoutes.push(...traefikRoutes(container)));

  for (const file of files) {
    attempt(() => {
      switch (file.kind) {
        case 'proc-fib-trie':
          if (file.container === null) parseFibTrie(file.text).forEach((address) => addresses.add(address));
          break;
        case 'proc-if-inet6':
          if (file.container === null) parseIfInet6(file.text).forEach((address) => addresses.add(address));
          break;
        case 'proc-net-tcp':
        case 'proc-net-tcp6':
          connections.push(...parseProcNetTcp(file.text, file.container));
          break;
        case 'caddyfile':
          proxyRoutes.push(...caddyRoutes(file.text, file.path).map((route) => ({ ...route, container: file.container })));
          break;
        case 'litellm-config': {
          const config = gatewayConfig(file, artifacts, containers, services, options.fingerprint);
          if (config) gatewayConfigs.push(config);
          break;
        }
        default:
          break;
      }
      endpointReferences.push(...referencesInFile(file, context));
      tunnels.push(...tunnelsInFile(file));
    });
  }
  proxyRoutes.push(...nginxRoutesOf(files));

  return {
    addresses: [...addresses],
    endpointReferences: unique(endpointReferences),
    tunnels: unique(tunnels),
    proxyRoutes: unique(proxyRoutes),
    connections: unique(connections),
    gatewayConfigs,
    gatewayServices: services.map((read) => read.service),
  };
}

/** nginx routes, with `upstream` blocks resolved across all files of the same host or container. */
function nginxRoutesOf(files: readonly TextArtifact[]): ProxyRoute[] {
  const groups = new Map<string | null, { container: string | null; parsed: NginxFile[] }>();
  for (const file of files) {
    if (file.kind !== 'nginx-conf') continue;
    attempt(() => {
      const group = groups.get(file.container) ?? { container: file.container, parsed: [] };
      group.parsed.push(parseNginx(file.text, file.path));
      groups.set(file.container, group);
    });
  }
  const routes: ProxyRoute[] = [];
  for (const { container, parsed } of groups.values()) {
    const upstreams = nginxUpstreams(parsed);
    for (const file of parsed) attempt(() => routes.push(...nginxRoutes(file, upstreams).map((route) => ({ ...route, container }))));
  }
  return routes;
}

/**
 * A LiteLLM config, attributed to the host service whose command names it, else to the container it configures: its own, or for a file on the host
 * the one container that mounts it (preferring a LiteLLM image when several do). Keys named by
 * `os.environ/NAME` resolve against that container's environment.
 */
function gatewayConfig(
  file: TextArtifact,
  artifacts: HostArtifacts,
  containers: readonly Container[],
  services: readonly ReadGatewayService[],
  fingerprint: Fingerprinter | undefined,
): GatewayConfig | null {
  // A config a host service's command names is that service's: its keys resolve against the unit's environment.
  const service = file.container === null ? services.find((read) => read.service.configPaths.includes(file.path)) : undefined;
  if (service) return litellmGatewayConfig(file.text, { path: file.path, container: null }, service.environment, fingerprint);
  const container = file.container ?? mountingContainer(file.path, containers);
  const variables = artifacts.environments.find((environment) => environment.container === container)?.variables ?? [];
  return litellmGatewayConfig(file.text, { path: file.path, container }, new Map(variables), fingerprint);
}

function mountingContainer(path: string, containers: readonly Container[]): string | null {
  const mounting = containers.filter((container) =>
    (container.mounts ?? []).some((mount) => mount.source === path || (mount.source.length > 1 && path.startsWith(`${mount.source.replace(/\/+$/, '')}/`))),
  );
  const litellm = mounting.filter((container) => /litellm/i.test(container.image));
  const candidates = litellm.length > 0 ? litellm : mounting;
  return candidates.length === 1 ? (candidates[0]?.name ?? null) : null;
}

/** How files point at each other: units naming env files, compose services becoming containers. */
function referenceContext(files: readonly TextArtifact[], containers: readonly Container[]): ReferenceContext {
  const unitByEnvFile = new Map<string, string>();
  for (const file of files) {
    if (file.kind !== 'systemd-unit') continue;
    const unit = file.path.slice(file.path.lastIndexOf('/') + 1);
    for (const match of file.text.matchAll(/^\s*EnvironmentFile\s*=\s*(.+)$/gm)) {
      // `-` marks an optional file; several paths may share a line.
      for (const path of (match[1] ?? '').trim().split(/\s+/)) unitByEnvFile.set(`${file.container}\0${path.replace(/^-/, '')}`, unit);
    }
  }
  return {
    unitOfEnvFile: (path, container) => unitByEnvFile.get(`${container}\0${path}`),
    containerOfEnvFile: (path) =>
      containers.find((container) => {
        const compose = container.compose;
        if (!compose) return false;
        const base = compose.workingDir ?? posix.dirname(compose.configFiles[0] ?? '/');
        return compose.envFiles.some((envFile) => posix.resolve(base, envFile) === path);
      })?.name ?? null,
    containerOfService: (composePath, service) =>
      containers.find(
        (container) =>
          container.compose?.service === service &&
          container.compose.configFiles.some((configFile) => configFile === composePath),
      )?.name ?? null,
  };
}

/** Runs one file's reading; a malformed file is skipped so the rest of the host still reads. */
function attempt(read: () => void): void {
  try {
    read();
  } catch {
    // Deliberately silent: the message could quote the file, and the file may hold secrets.
  }
}

function unique<T>(items: readonly T[]): T[] {
  const seen = new Set<string>();
  return items.filter((item) => {
    const key = JSON.stringify(item);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
