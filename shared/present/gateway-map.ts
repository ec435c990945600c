/**
 * The gateway map: each gateway with everything that sends it requests (the consumer findings, and
 * the clients its own access log shows that no scan accounts for, with their request counts), the
 * kinds of evidence behind each edge, and what it forwards to (backends and providers). Built on
 * the consumer and gateway findings, `aiComponents` (backends, keys, the route-around answer) and
 * the log attribution of `log-clients.ts`, so it says nothing they do not. Its logs are the access
 * log (`gateway-log`) and the request log in the gateway's database (`gateway-db`): a client both
 * show is one client, its requests counted from the access log when there is one.
 */
import { isUnidentifiedLogClient, logClient, trafficOf } from '../findings/topology/log-clients.js';
import { isFindingOfKind } from '../model/index.js';
import type { ConsumerFinding, GatewayClientTraffic, GatewayFinding, GatewayTraffic, HostInventory, ScanReport, Severity } from '../model/index.js';
import type { CaseDecisions } from '../case/decisions.js';
import { aiComponents, type AiComponent, type ComponentConsumer } from './ai-components.js';
import { hostAnswersTo, urlHost } from './graph-canvas.js';
import { containerNodeId, endpointNodeId, hostNodeId, providerNodeId } from './graph-model.js';

/** What shows a consumer uses its gateway, in the order the map lists them. */
export const GATEWAY_EVIDENCE_KINDS = ['env-url', 'shared-network', 'published-port', 'ssh-tunnel', 'proxy-route', 'live-connection', 'gateway-log', 'gateway-db'] as const;
/** One kind of evidence on a consumer's edge. */
export type GatewayEvidenceKind = (typeof GATEWAY_EVIDENCE_KINDS)[number];

/** How each evidence kind reads on an edge. */
export const GATEWAY_EVIDENCE_LABELS: Readonly<Record<GatewayEvidenceKind, string>> = {
  'env-url': 'env URL',
  'shared-network': 'shared network',
  'published-port': 'published port',
  'ssh-tunnel': 'SSH tunnel',
  'proxy-route': 'proxy route',
  'live-connection': 'live connection',
  'gateway-log': 'gateway log',
  'gateway-db': 'gateway database',
};

/** The evidence kind of each way a consumer finding says it reaches its gateway (an open set: unknown ways are left out). */
const VIA_EVIDENCE: Readonly<Record<string, GatewayEvidenceKind>> = {
  'shared-network': 'shared-network',
  'host-port': 'published-port',
  'ssh-tunnel': 'ssh-tunnel',
  'proxy-route': 'proxy-route',
  'live-connection': 'live-connection',
  'gateway-log': 'gateway-log',
  'gateway-db': 'gateway-db',
};

/** What a consumer on the map is. */
export type GatewayConsumerKind = 'container' | 'host-service' | 'tunnel' | 'proxy-route' | 'host' | 'log-client';

/**
 * Where the plan moves a consumer and how far that got: the picked target of its move step
 * (`choice`, null until one is picked) and whether a re-scan verified the move.
 */
export interface ConsumerRouteTarget {
  stepId: string;
  choice: string | null;
  /** The picked option's label, as the checklist offers it. */
  choiceLabel: string | null;
  done: boolean;
  verified: boolean;
}

/** The fields of a merged checklist step the map reads (a structural type: any step with progress fits). */
export interface MoveStepLike {
  id: string;
  findingIds: readonly string[];
  choices?: ReadonlyArray<{ value: string; label: string }>;
  progress: { choice?: string } | null;
  done: boolean;
  verified: boolean;
}

/** One consumer of a gateway: a consumer finding, or a logged client no scanned place accounts for. */
export interface GatewayMapConsumer {
  /** Stable key: the consumer finding's id, or `log-client:<gateway id>:<address>`. */
  id: string;
  findingId: string | null;
  /** The blast-graph node it is drawn as (its container, else its host); null for an unidentified client. */
  nodeId: string | null;
  name: string;
  /** Its host, or null for an unidentified client. */
  host: string | null;
  kind: GatewayConsumerKind;
  /** The evidence kind the edge is drawn as: the most direct way in the finding names. */
  edge: GatewayEvidenceKind;
  /** Every evidence kind seen, in GATEWAY_EVIDENCE_KINDS order. */
  evidence: GatewayEvidenceKind[];
  /** The lines behind it (the finding's evidence, or the client's traffic). */
  evidenceLines: string[];
  /** Requests the gateway's log attributes to it over the window; null when no logged client is it. */
  requests: number | null;
  /** The logged addresses its requests came from. */
  addresses: string[];
  /** True for a logged client no scanned place holds (or one forwarded through the gateway host's published port). */
  unidentified: boolean;
  /** Whether it could route around the gateway, from `aiComponents`; null for an unidentified client. */
  routeAround: ComponentConsumer['routeAround'] | null;
  routeAnswer: string | null;
  /** The target its move step picked and whether the move is verified; null when the plan has no move step for it. */
  routeAroundTarget: ConsumerRouteTarget | null;
}

/** One thing on the far side of a gateway: a model server it routes to, or a provider it calls. */
export interface GatewayMapBackend {
  id: string;
  /** The backend URL or provider name. */
  label: string;
  kind: 'model-server' | 'provider' | 'endpoint';
  nodeId: string;
  /** The gateway's models that go there. */
  models: string[];
  /** Fingerprints of the keys the gateway holds for this provider. */
  keys: string[];
}

/** The gateway's access log over the window, as the map summarises it. */
export interface GatewayMapLog {
  window: { start: string; end: string };
  truncated: boolean;
  requests: number;
  clients: number;
  /** Requests from the gateway itself (health checks). */
  selfRequests: number;
}

/** One gateway with its consumers and backends. */
export interface GatewayMap {
  /** The gateway finding's id. */
  id: string;
  name: string;
  host: string;
  /** `litellm`… */
  gateway: string;
  severity: Severity;
  exposed: boolean;
  nodeId: string;
  endpoints: string[];
  evidenceLines: string[];
  consumers: GatewayMapConsumer[];
  backends: GatewayMapBackend[];
  /** Null when its log was not read: unidentified clients are then unknown, not none. */
  log: GatewayMapLog | null;
}

/** The gateway maps of a report, the gateway with most consumers first; `routeTargets` by consumer finding id. */
export function buildGatewayMaps(
  report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
  routeTargets: Readonly<Record<string, ConsumerRouteTarget>> = {},
  decisions: CaseDecisions | null = null,
): GatewayMap[] {
  const components = aiComponents(report, decisions).filter((component) => component.role === 'gateway');
  const gateways = report.findings.filter((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway'));
  const consumers = report.findings.filter((finding): finding is ConsumerFinding => isFindingOfKind(finding, 'consumer'));
  const maps = gateways.map((gateway) => gatewayMap(gateway, components.find((component) => component.id === gateway.id), consumers, report.hosts, routeTargets));
  return maps.sort((a, b) => b.consumers.length - a.consumers.length || compareText(a.id, b.id));
}

/** The move step of each consumer finding (a step offering choices that names it), with its picked target and state. */
export function consumerRouteTargets(steps: readonly MoveStepLike[]): Record<string, ConsumerRouteTarget> {
  const targets: Record<string, ConsumerRouteTarget> = {};
  for (const step of steps) {
    if (!step.choices || step.choices.length === 0) continue;
    const choice = step.progress?.choice ?? null;
    const target: ConsumerRouteTarget = {
      stepId: step.id,
      choice,
      choiceLabel: step.choices.find((option) => option.value === choice)?.label ?? null,
      done: step.done,
      verified: step.verified,
    };
    for (const findingId of step.findingIds) targets[findingId] ??= target;
  }
  return targets;
}

function gatewayMap(
  gateway: GatewayFinding,
  component: AiComponent | undefined,
  consumers: readonly ConsumerFinding[],
  hosts: readonly HostInventory[],
  routeTargets: Readonly<Record<string, ConsumerRouteTarget>>,
): GatewayMap {
  const name = gateway.container ?? gateway.service ?? gateway.gateway;
  const place = { host: gateway.host, container: gateway.container, ...(gateway.service !== undefined ? { service: gateway.service } : {}) };
  const own = consumers.filter((consumer) => consumer.gatewayHost === gateway.host && consumer.gateway === name);
  const allTraffic = trafficOf(place, hosts);
  // The access log counts when there is one; the database's request log stands in when there is not.
  const accessLog = allTraffic.filter((entry) => entry.source !== 'gateway-db');
  const counted = accessLog.length > 0 ? accessLog : allTraffic;
  const traffic = counted;
  // Each logged client, resolved once: to a consumer it backs, the gateway itself, or nobody scanned.
  const everyLogged = allTraffic.flatMap((entry) => entry.clients.map((client) => ({ client, who: logClient(place, client.address, hosts), kind: sourceKind(entry) })));
  const logged = everyLogged.filter(({ kind }) => counted.some((entry) => sourceKind(entry) === kind));
  const backs = (consumer: ConsumerFinding) => ({ who }: { who: ReturnType<typeof logClient> }): boolean =>
    who.kind === 'container'
      ? who.host === consumer.consumerHost && who.container === consumer.container
      : who.kind === 'host' && who.host === consumer.consumerHost && consumer.container === null;
  const sourcesOf = (consumer: ConsumerFinding): GatewayEvidenceKind[] => [...new Set(everyLogged.filter(backs(consumer)).map(({ kind }) => kind))];
  const sentBy = (consumer: ConsumerFinding): GatewayClientTraffic[] =>
    logged
      .filter(({ who }) =>
        who.kind === 'container'
          ? who.host === consumer.consumerHost && who.container === consumer.container
          : who.kind === 'host' && who.host === consumer.consumerHost && consumer.container === null,
      )
      .map(({ client }) => client);

  const identified = own
    .map((consumer): GatewayMapConsumer => {
      const clients = sentBy(consumer);
      const answer = component?.consumers.find((candidate) => candidate.findingId === consumer.id);
      return {
        id: consumer.id,
        findingId: consumer.id,
        nodeId: consumerNodeId(consumer, hosts),
        name: consumer.consumer,
        host: consumer.consumerHost,
        kind: consumerKind(consumer),
        edge: VIA_EVIDENCE[consumer.via] ?? 'gateway-log',
        evidence: evidenceKinds(consumer, hosts, sourcesOf(consumer)),
        evidenceLines: [...consumer.evidence],
        requests: clients.length > 0 ? sum(clients) : null,
        addresses: clients.map((client) => client.address),
        unidentified: false,
        routeAround: answer?.routeAround ?? null,
        routeAnswer: answer?.answer ?? null,
        routeAroundTarget: routeTargets[consumer.id] ?? null,
      };
    })
    .sort((a, b) => naturalOrder(a.host ?? '', b.host ?? '') || naturalOrder(a.name, b.name));

  // One entry per address, whichever logs show it: counted from the access log when it is there.
  const unidentifiedAddresses = [...new Set(everyLogged.filter(({ who }) => isUnidentifiedLogClient(who)).map(({ client }) => client.address))];
  const unidentified = unidentifiedAddresses
    .map((address) => {
      const seen = everyLogged.filter(({ client }) => client.address === address);
      const kinds = GATEWAY_EVIDENCE_KINDS.filter((kind) => seen.some((one) => one.kind === kind));
      const shown = seen.find((one) => one.kind === 'gateway-log') ?? seen[0]!;
      return { client: shown.client, who: shown.who, kinds };
    })
    .map(({ client, who, kinds }): GatewayMapConsumer => ({
      id: `log-client:${gateway.id}:${client.address}`,
      findingId: null,
      nodeId: null,
      name: client.address,
      host: null,
      kind: 'log-client',
      edge: kinds[0] ?? 'gateway-log',
      evidence: kinds,
      evidenceLines: [
        `${client.requests} ${client.requests === 1 ? 'request' : 'requests'} from ${client.address}, ${client.first} to ${client.last}`,
        who.kind === 'gateway-host'
          ? `${client.address} is ${gateway.host} itself: a client that came through the port it publishes shows so`
          : `${client.address} is held by no scanned host or container`,
        ...(kinds.includes('gateway-log') ? [`Paths: ${client.paths.join(', ') || 'none logged'}`, `Statuses: ${client.statuses.map((status) => `${status.status} × ${status.requests}`).join(', ') || 'none logged'}`] : []),
        ...databaseLines(everyLogged.find((one) => one.kind === 'gateway-db' && one.client.address === client.address)?.client),
      ],
      requests: client.requests,
      addresses: [client.address],
      unidentified: true,
      routeAround: null,
      routeAnswer: null,
      routeAroundTarget: null,
    }))
    .sort((a, b) => (b.requests ?? 0) - (a.requests ?? 0) || compareText(a.name, b.name));

  const [log] = traffic;
  return {
    id: gateway.id,
    name,
    host: gateway.host,
    gateway: gateway.gateway,
    severity: gateway.severity,
    exposed: gateway.severity === 'critical' || component?.verdict === 'exposed' || component?.verdict === 'likely-exposed',
    nodeId: gateway.container !== null ? containerNodeId(gateway.host, gateway.container) : hostNodeId(gateway.host),
    endpoints: [...gateway.endpoints],
    evidenceLines: [...gateway.evidence],
    consumers: [...identified, ...unidentified],
    backends: backendsOf(gateway, component, hosts),
    log: log
      ? {
          window: log.window,
          truncated: traffic.some((entry) => entry.truncated === true),
          requests: sum(logged.map(({ client }) => client)),
          clients: logged.length,
          selfRequests: sum(logged.filter(({ who }) => who.kind === 'self').map(({ client }) => client)),
        }
      : null,
  };
}

/** Container, host service (a unit), tunnel, proxy route or the host itself. */
function consumerKind(consumer: ConsumerFinding): GatewayConsumerKind {
  if (consumer.container !== null) return 'container';
  if (consumer.via === 'ssh-tunnel') return 'tunnel';
  if (consumer.via === 'proxy-route') return 'proxy-route';
  return consumer.consumer === consumer.consumerHost ? 'host' : 'host-service';
}

/** The graph node a consumer is drawn as: its container, else its host (units and tunnels are drawn on their host). */
function consumerNodeId(consumer: ConsumerFinding, hosts: readonly HostInventory[]): string {
  const host = hosts.find((candidate) => candidate.name === consumer.consumerHost);
  return host?.containers.some((container) => container.name === consumer.consumer) ? containerNodeId(consumer.consumerHost, consumer.consumer) : hostNodeId(consumer.consumerHost);
}

/**
 * The kinds of evidence behind a consumer: its way in, a configured URL among its evidence (a
 * setting of its own that names the gateway), a live connection, and the gateway's log.
 */
function evidenceKinds(consumer: ConsumerFinding, hosts: readonly HostInventory[], logged: readonly GatewayEvidenceKind[]): GatewayEvidenceKind[] {
  const kinds = new Set<GatewayEvidenceKind>();
  const via = VIA_EVIDENCE[consumer.via];
  if (via) kinds.add(via);
  const host = hosts.find((candidate) => candidate.name === consumer.consumerHost);
  const urls = (host?.endpointReferences ?? [])
    .filter((reference) => (consumer.container !== null ? reference.container === consumer.container : reference.container === null))
    .map((reference) => reference.url);
  // A setting of its own place whose URL its evidence quotes (consumers.ts: `<setting> = <url>: <path>`).
  if (urls.some((url) => consumer.evidence.some((line) => line.includes(url)))) kinds.add('env-url');
  // …and each connection it saw as `ESTABLISHED <peer> → <gateway> in <namespace>: peer is …`.
  if (consumer.evidence.some((line) => line.startsWith('ESTABLISHED '))) kinds.add('live-connection');
  for (const kind of logged) kinds.add(kind);
  return GATEWAY_EVIDENCE_KINDS.filter((kind) => kinds.has(kind));
}

/** The evidence kind of a log: the access log, or the request log in the gateway's database. */
function sourceKind(traffic: GatewayTraffic): 'gateway-log' | 'gateway-db' {
  return traffic.source === 'gateway-db' ? 'gateway-db' : 'gateway-log';
}

/** What the database's request log adds about a client: the virtual keys and models it used. */
function databaseLines(client: GatewayClientTraffic | undefined): string[] {
  if (!client) return [];
  const keys = (client.keys ?? []).map((key) => `${key.key} × ${key.requests}`).join(', ');
  const models = (client.models ?? []).map((model) => `${model.model} × ${model.requests}`).join(', ');
  return [`Gateway database: ${client.requests} ${client.requests === 1 ? 'request' : 'requests'}, ${client.first} to ${client.last}`, `Virtual keys: ${keys || 'none recorded'}`, `Models: ${models || 'none recorded'}`];
}

/** Where the gateway sends requests: each backend with its models and the keys held for it, then providers it holds keys for only. */
function backendsOf(gateway: GatewayFinding, component: AiComponent | undefined, hosts: readonly HostInventory[]): GatewayMapBackend[] {
  const models = component?.models ?? [];
  const keys = component?.keys ?? [];
  const backends = [...new Set([...gateway.backends, ...models.map((model) => model.backend)])];
  const keysFor = (provider: string) => keys.filter((key) => key.provider.toLowerCase() === provider.toLowerCase()).map((key) => key.fingerprint);
  const listed = backends.map((backend): GatewayMapBackend => {
    const served = models.filter((model) => model.backend === backend).map((model) => model.name);
    const target = urlHost(backend);
    if (target === null) return { id: `provider:${backend}`, label: backend, kind: 'provider', nodeId: providerNodeId(backend), models: served, keys: keysFor(backend) };
    const gatewayHost = hosts.find((host) => host.name === gateway.host);
    const container = gatewayHost?.containers.find((candidate) => candidate.name === target || (candidate.networks ?? []).some((network) => network.aliases.includes(target)));
    const serverHost = container ? null : hosts.find((host) => hostAnswersTo(host, target));
    const server = container ? containerNodeId(gateway.host, container.name) : serverHost ? hostNodeId(serverHost.name) : null;
    return { id: `backend:${backend}`, label: backend, kind: server ? 'model-server' : 'endpoint', nodeId: server ?? endpointNodeId(backend), models: served, keys: [] };
  });
  // A provider key the gateway holds is a provider it can call, even when no route names it.
  const routed = new Set(listed.filter((backend) => backend.kind === 'provider').map((backend) => backend.label.toLowerCase()));
  const providers = [...new Set(keys.map((key) => key.provider))].filter((provider) => !routed.has(provider.toLowerCase()) && !NOT_PROVIDERS.has(provider));
  return [...listed, ...providers.map((provider): GatewayMapBackend => ({ id: `provider:${provider}`, label: provider, kind: 'provider', nodeId: providerNodeId(provider), models: [], keys: keysFor(provider) }))];
}

/** Keys that are the gateway's own or its database's, not a provider it calls. */
const NOT_PROVIDERS: ReadonlySet<string> = new Set(['litellm', 'database', 'ssh', 'unknown']);

function sum(clients: ReadonlyArray<Pick<GatewayClientTraffic, 'requests'>>): number {
  return clients.reduce((total, client) => total + client.requests, 0);
}

/** `app3` before `app12`: hosts and services are often numbered. */
function naturalOrder(a: string, b: string): number {
  return a.localeCompare(b, 'en', { numeric: true });
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
