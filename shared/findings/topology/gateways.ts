/**
 * AI gateways: the containers and host services every prompt and provider key passes through
 * (LiteLLM and the other OpenAI-compatible proxies of domain/containers/gateway-images.ts, or
 * anything a gateway config file configures), where clients reach them and where they send
 * requests. A gateway that ran compromised code exposed every key it held and every backend it
 * could call.
 */
import type { GatewayConfig, GatewayFinding, GatewayService, HostInventory } from '../../model/index.js';
import { compareSeverity } from '../../model/index.js';
import type { ExposedPlaces } from './exposed-places.js';
import { GATEWAY_DEFAULT_PORTS, containerPorts, serviceImageOf } from '../../domain/containers/gateway-images.js';
import { describeClientTraffic, describeLogClient, describeLogWindow, logClient, trafficOf } from './log-clients.js';
import { type Place, addressHost, describePlace, isLoopback, normalizeAddress } from './places.js';
import { type ResolvedEndpoint, resolveEndpoint, urlHostPort } from './resolve-endpoint.js';

/** A recognised gateway and what recognised it. */
export interface Gateway extends Place {
  /** `litellm`, `olla`, `localai`, `vllm`, `one-api`, `any-llm`, or the `gateway` of its config. */
  kind: string;
  /** The container name, or the service name for a host service. */
  name: string;
  /** Set for a host service: its systemd unit when one names it, else the gateway kind. */
  service?: string;
  /** Ports it listens on inside its place (container ports, or the host's for a service). */
  ports: number[];
  /** Its configuration files. */
  configs: GatewayConfig[];
  /** Why it counts as a gateway. */
  recognisedBy: string;
  /** For a gateway a systemd unit starts: what the unit file says. */
  unit?: GatewayService;
}

/** Names people know the gateway kinds by. */
const GATEWAY_LABELS: Readonly<Record<string, string>> = {
  litellm: 'LiteLLM',
  olla: 'Olla',
  localai: 'LocalAI',
  vllm: 'vLLM',
  'one-api': 'One API',
  'any-llm': 'any-llm',
};

/** Secret providers that are not a backend the gateway calls (its own keys, databases, logins). */
const NOT_BACKEND_PROVIDERS: ReadonlySet<string> = new Set(['litellm', 'ssh', 'database', 'unknown', 'github', 'aws']);

/** The display name of a gateway kind. */
export function gatewayLabel(kind: string): string {
  return GATEWAY_LABELS[kind] ?? kind;
}

/** Every gateway on every host: containers by image or config file, host services by config file. */
export function recogniseGateways(hosts: readonly HostInventory[]): Gateway[] {
  const gateways: Gateway[] = [];
  for (const host of hosts) {
    const configs = host.gatewayConfigs ?? [];
    for (const container of host.containers) {
      const image = serviceImageOf(container.image);
      const own = configs.filter((config) => config.container === container.name);
      if (image?.role !== 'gateway' && own.length === 0) continue;
      gateways.push({
        host: host.name,
        container: container.name,
        kind: image?.role === 'gateway' ? image.kind : own[0]!.gateway,
        name: container.name,
        // An unknown image configured as a gateway is assumed to listen where that gateway does by default.
        ports: [...new Set([...containerPorts(container), ...own.flatMap((config) => defaultPortOf(config.gateway))])],
        configs: own,
        recognisedBy:
          image?.role === 'gateway'
            ? `Image ${container.image} is ${gatewayLabel(image.kind)}${container.running ? '' : ' (container stopped now)'}`
            : `${own[0]!.path} configures container ${container.name} as ${gatewayLabel(own[0]!.gateway)}`,
      });
    }
    // Gateways systemd starts on the host: each unit is one gateway, with the configs its command names.
    const services = host.gatewayServices ?? [];
    const claimed = new Set(services.flatMap((service) => service.configPaths));
    for (const service of services) {
      const own = configs.filter((config) => config.container === null && service.configPaths.includes(config.path));
      gateways.push({
        host: host.name,
        container: null,
        kind: service.gateway,
        name: service.unit,
        service: service.unit,
        ports: service.ports,
        configs: own,
        unit: service,
        recognisedBy: `Unit ${service.path} starts ${gatewayLabel(service.gateway)} (${service.program}${service.venv !== null ? `, virtualenv ${service.venv}` : ''}) as a service of host ${host.name}`,
      });
    }
    const hostConfigs = configs.filter((config) => config.container === null && !claimed.has(config.path));
    for (const kind of [...new Set(hostConfigs.map((config) => config.gateway))]) {
      // A config on the host whose kind a unit already starts belongs to that service when it is the only one.
      const running = services.filter((service) => service.gateway === kind);
      if (running.length === 1) {
        gateways.find((gateway) => gateway.unit === running[0])!.configs.push(...hostConfigs.filter((config) => config.gateway === kind));
        continue;
      }
      const own = hostConfigs.filter((config) => config.gateway === kind);
      const service = serviceUnit(host, kind) ?? kind;
      gateways.push({
        host: host.name,
        container: null,
        kind,
        name: service,
        service,
        ports: defaultPortOf(kind),
        configs: own,
        recognisedBy: `${own.map((config) => config.path).join(', ')} configures ${gatewayLabel(kind)} as a service of host ${host.name}`,
      });
    }
  }
  return gateways;
}

/** The gateway a resolved endpoint lands on, or null. A host service counts only on a port it listens on. */
export function gatewayAt(gateways: readonly Gateway[], place: Place & { port: number }): Gateway | null {
  return (
    gateways.find(
      (gateway) =>
        gateway.host === place.host && gateway.container === place.container && (gateway.container !== null || gateway.ports.includes(place.port)),
    ) ?? null
  );
}

/** The stable id of a gateway finding: the same gateway on a re-scan keeps it. */
export function gatewayFindingId(gateway: Gateway): string {
  return gateway.container !== null ? `gateway:${gateway.host}:container=${gateway.container}` : `gateway:${gateway.host}:service=${gateway.name}`;
}

/** One finding per gateway, with its endpoints and backends; critical when the gateway's place is exposed. */
export function findGateways(hosts: readonly HostInventory[], exposed: ExposedPlaces, gateways: readonly Gateway[] = recogniseGateways(hosts)): GatewayFinding[] {
  return gateways
    .map((gateway) => gatewayFinding(gateway, hosts, gateways, exposed))
    .sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(a.id, b.id));
}

function gatewayFinding(gateway: Gateway, hosts: readonly HostInventory[], gateways: readonly Gateway[], exposed: ExposedPlaces): GatewayFinding {
  const host = hosts.find((candidate) => candidate.name === gateway.host)!;
  const exposure = exposed.place(gateway.host, gateway.container);
  const endpoints = endpointsOf(gateway, host);
  const backends = backendsOf(gateway, host, hosts, gateways);
  const label = gatewayLabel(gateway.kind);
  const where = gateway.container !== null ? `container ${gateway.container} on ${gateway.host}` : `service ${gateway.name} on ${gateway.host}`;
  return {
    id: gatewayFindingId(gateway),
    kind: 'gateway',
    severity: exposure ? 'critical' : 'info',
    title: exposure
      ? `${label} gateway ${where} is exposed: every key it holds and every backend it calls is in the blast radius`
      : `${label} gateway ${where} routes to ${backends.list.length} ${backends.list.length === 1 ? 'backend' : 'backends'}`,
    host: gateway.host,
    container: gateway.container,
    gateway: gateway.kind,
    ...(gateway.service !== undefined ? { service: gateway.service } : {}),
    endpoints,
    backends: backends.list,
    evidence: [
      gateway.recognisedBy,
      ...(gateway.unit ? unitEvidence(gateway.unit) : []),
      ...(exposure ? [`Place judged exposed: ${exposure}`] : []),
      ...gateway.configs.map(configSummary),
      ...virtualKeyEvidence(gateway.configs),
      ...(endpoints.length > 0 ? [`Reached at ${endpoints.join(', ')}`] : ['No endpoint known: no network, published port or default port']),
      ...backends.evidence,
      ...logEvidence(gateway, hosts),
    ],
  };
}

/** What a gateway's unit says about it: the command that places it, its config, environment files and port. */
function unitEvidence(service: GatewayService): string[] {
  return [
    `Command: ${[service.program, ...service.arguments].join(' ')}${service.serviceUser !== undefined ? `, as user ${service.serviceUser}` : ''}${service.workingDirectory !== undefined ? `, in ${service.workingDirectory}` : ''}`,
    ...(service.venv !== null ? [`Installed in virtualenv ${service.venv}`] : []),
    ...service.configPaths.map((path) => `Config named by its command: ${path}`),
    ...service.environmentFiles.map((path) => `Environment file: ${path}`),
    `Listens on port ${service.ports.join(', ') || 'unknown'}`,
  ];
}

/** Most virtual keys listed one a line in a gateway finding's evidence; the rest are counted. */
const MAX_LISTED_VIRTUAL_KEYS = 50;

/** A gateway's virtual keys, wherever they were read, with the config each came from. */
export function virtualKeysOf(configs: readonly GatewayConfig[]): { key: NonNullable<GatewayConfig['virtualKeys']>[number]; config: GatewayConfig }[] {
  return configs.flatMap((config) => (config.virtualKeys ?? []).map((key) => ({ key, config })));
}

/** `open-webui (gpt-4o, claude)`: a virtual key as evidence names it (an empty allowlist allows every model). */
export function describeVirtualKey(key: NonNullable<GatewayConfig['virtualKeys']>[number]): string {
  const state = [...(key.blocked ? ['blocked'] : []), ...(key.expires ? [`expires ${key.expires}`] : [])];
  return `${key.alias ?? key.fingerprint} (${key.models.length > 0 ? key.models.join(', ') : 'every model'})${state.length > 0 ? `, ${state.join(', ')}` : ''}`;
}

function configSummary(config: GatewayConfig): string {
  const keys = config.virtualKeys ? `${config.virtualKeys.length} virtual ${config.virtualKeys.length === 1 ? 'key' : 'keys'}` : '';
  // A config with keys and no routes is the gateway's database, not a file.
  if (config.models.length === 0 && config.virtualKeys) return `Virtual keys read from ${config.path}: ${keys}`;
  return `Config ${config.path}: ${config.models.length} model ${config.models.length === 1 ? 'route' : 'routes'}${keys ? `, ${keys}` : ''}`;
}

function virtualKeyEvidence(configs: readonly GatewayConfig[]): string[] {
  const keys = virtualKeysOf(configs);
  const lines = keys.slice(0, MAX_LISTED_VIRTUAL_KEYS).map(({ key, config }) => `Virtual key ${describeVirtualKey(key)}: ${key.fingerprint} (${config.path})`);
  if (keys.length > MAX_LISTED_VIRTUAL_KEYS) lines.push(`and ${keys.length - MAX_LISTED_VIRTUAL_KEYS} more virtual keys`);
  return lines;
}

/** Unknown clients listed one a line beyond which the rest are summed up. */
const MAX_UNKNOWN_CLIENT_LINES = 20;

/** What the gateway's own log shows: a summary, then the clients no scanned place accounts for (consumer findings carry the others). */
function logEvidence(gateway: Gateway, hosts: readonly HostInventory[]): string[] {
  const lines: string[] = [];
  for (const traffic of trafficOf(gateway, hosts)) {
    const requests = traffic.clients.reduce((sum, client) => sum + client.requests, 0);
    lines.push(`${requests} ${requests === 1 ? 'request' : 'requests'} from ${traffic.clients.length} ${traffic.clients.length === 1 ? 'client' : 'clients'} in ${describeLogWindow(traffic)}`);
    const unaccounted = traffic.clients
      .map((client) => ({ client, place: logClient(gateway, client.address, hosts) }))
      .filter(({ place }) => place.kind === 'unknown' || place.kind === 'gateway-host');
    for (const { client, place } of unaccounted.slice(0, MAX_UNKNOWN_CLIENT_LINES)) lines.push(`${describeClientTraffic(client)}, ${describeLogClient(place)}`);
    const rest = unaccounted.slice(MAX_UNKNOWN_CLIENT_LINES);
    if (rest.length > 0) {
      lines.push(`${rest.reduce((sum, { client }) => sum + client.requests, 0)} more requests from ${rest.length} more addresses that are not scanned places`);
    }
  }
  return lines;
}

/** `name:port` on each network it is attached to, `address:port` for each port published on the host. */
function endpointsOf(gateway: Gateway, host: HostInventory): string[] {
  const endpoints: string[] = [];
  const addresses = hostAddresses(host);
  if (gateway.container === null) {
    for (const port of gateway.ports) {
      const listening = (host.connections ?? []).filter((socket) => socket.container === null && socket.state === 'LISTEN' && socket.localPort === port);
      const bound = listening.length > 0 ? listening.map((socket) => socket.localAddress) : ['0.0.0.0'];
      for (const address of bound) endpoints.push(...boundEndpoints(address, port, addresses));
    }
    return [...new Set(endpoints)];
  }
  const container = host.containers.find((candidate) => candidate.name === gateway.container)!;
  // A pod's network carries only its address: clients reach it by its Services' names (below), never its report name.
  for (const network of container.kubernetes ? [] : (container.networks ?? [])) {
    // Docker adds the short container id as an alias; it names nothing a client is configured with.
    const names = [container.name, ...network.aliases.filter((alias) => !container.id.startsWith(alias))];
    for (const name of names) for (const port of gateway.ports) endpoints.push(`${name}:${port}`);
  }
  // A pod is reached by its Services' cluster names.
  for (const service of container.kubernetes?.services ?? []) {
    endpoints.push(`${service.name}.${container.kubernetes!.namespace}.svc.cluster.local:${service.port}`);
  }
  for (const published of container.ports ?? []) {
    if (/\/(?:udp|sctp)$/i.test(published.containerPort)) continue;
    endpoints.push(...boundEndpoints(published.hostIp, Number.parseInt(published.hostPort, 10), addresses));
  }
  return [...new Set(endpoints)];
}

function boundEndpoints(bound: string, port: number, addresses: readonly string[]): string[] {
  const address = normalizeAddress(bound);
  const wildcard = address === '' || address === '0.0.0.0' || address === '::' || address === '*';
  return (wildcard ? addresses : [address]).map((one) => `${one.includes(':') ? `[${one}]` : one}:${port}`);
}

/** The addresses other hosts reach `host` by: the one it was scanned at, then its own non-loopback IPs. */
function hostAddresses(host: HostInventory): string[] {
  const scanned = addressHost(host.address);
  // Loopback and link-local addresses reach nothing from another machine (a lab scanned over 127.0.0.x included).
  const all = [...new Set([...(scanned !== null ? [scanned] : []), ...(host.addresses ?? [])].map(normalizeAddress))].filter(
    (address) => !isLoopback(address) && !address.startsWith('fe80:'),
  );
  return all.length > 0 ? all : [host.name];
}

/** Backend URLs (resolved to scanned places where they land) and provider names, with how each was found. */
function backendsOf(gateway: Gateway, host: HostInventory, hosts: readonly HostInventory[], gateways: readonly Gateway[]): { list: string[]; evidence: string[] } {
  const list: string[] = [];
  const evidence: string[] = [];
  const add = (backend: string, why: string): void => {
    if (!list.includes(backend)) list.push(backend);
    evidence.push(why);
  };
  for (const config of gateway.configs) {
    for (const model of config.models) {
      if (model.apiBase === undefined) {
        add(model.provider, `Model ${model.name} calls provider ${model.provider} (${config.path})`);
        continue;
      }
      const target = urlHostPort(model.apiBase);
      const found = target ? resolveEndpoint(gateway.host, gateway.container, target.host, target.port, hosts) : null;
      // Its own loopback is the gateway itself, never a backend.
      const resolved = found?.via === 'same-place' ? null : found;
      const backend = resolved ? `${model.apiBase} (${describeBackend(resolved, hosts, gateways)})` : model.apiBase;
      add(backend, `Model ${model.name} calls ${model.apiBase} (${config.path})${resolved ? `: ${resolved.path.join('; ')}` : ': not a scanned place'}`);
    }
  }
  // URLs in the gateway's own environment and files that land on a backend or another gateway.
  for (const reference of host.endpointReferences ?? []) {
    if (reference.container !== gateway.container) continue;
    if (gateway.container === null && reference.unit !== undefined && reference.unit !== gateway.service) continue;
    const resolved = resolveEndpoint(gateway.host, gateway.container, reference.targetHost, reference.targetPort, hosts);
    if (!resolved || resolved.via === 'same-place' || !isBackendPlace(resolved, hosts, gateways)) continue;
    add(`${reference.url} (${describeBackend(resolved, hosts, gateways)})`, `${reference.variable ?? reference.path ?? reference.source} = ${reference.url}: ${resolved.path.join('; ')}`);
  }
  for (const sighting of host.secrets ?? []) {
    if (sighting.container !== gateway.container || NOT_BACKEND_PROVIDERS.has(sighting.provider)) continue;
    add(sighting.provider, `Holds the ${sighting.provider} key ${sighting.fingerprint} (${sighting.variable ?? sighting.path ?? sighting.source})`);
  }
  return { list, evidence };
}

/** True when a place is a model backend (an Ollama container, or a host service on Ollama's port) or another gateway. */
function isBackendPlace(resolved: ResolvedEndpoint, hosts: readonly HostInventory[], gateways: readonly Gateway[]): boolean {
  return backendKind(resolved, hosts) !== null || gatewayAt(gateways, resolved) !== null;
}

function backendKind(resolved: ResolvedEndpoint, hosts: readonly HostInventory[]): string | null {
  if (resolved.container === null) return resolved.port === (GATEWAY_DEFAULT_PORTS.ollama ?? 11434) ? 'ollama' : null;
  const container = hosts.find((host) => host.name === resolved.host)?.containers.find((candidate) => candidate.name === resolved.container);
  const image = container ? serviceImageOf(container.image) : null;
  return image?.role === 'backend' ? image.kind : null;
}

function describeBackend(resolved: ResolvedEndpoint, hosts: readonly HostInventory[], gateways: readonly Gateway[]): string {
  const other = gatewayAt(gateways, resolved);
  if (other) return `${gatewayLabel(other.kind)} gateway ${describePlace(other.host, other.container)}`;
  const kind = backendKind(resolved, hosts);
  const where = describePlace(resolved.host, resolved.container);
  return kind === 'ollama' ? `Ollama, ${where}` : `${where}, port ${resolved.port}`;
}

/** The systemd unit on `host` whose file or references name the gateway kind, when one does. */
function serviceUnit(host: HostInventory, kind: string): string | null {
  const units = [
    ...(host.endpointReferences ?? []).filter((reference) => reference.container === null).map((reference) => reference.unit ?? ''),
    ...(host.secrets ?? []).filter((sighting) => sighting.container === null && sighting.source === 'systemd').map((sighting) => (sighting.path ?? '').split('/').pop() ?? ''),
  ];
  return units.find((unit) => unit.endsWith('.service') && unit.toLowerCase().includes(kind)) ?? null;
}

function defaultPortOf(kind: string): number[] {
  const port = GATEWAY_DEFAULT_PORTS[kind];
  return port === undefined ? [] : [port];
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
