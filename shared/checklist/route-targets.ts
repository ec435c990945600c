/**
 * The route-around plan of one consumer: the concrete targets its move step offers (each direct
 * backend the gateway sends its models to, each other router the scan found clean, each provider's
 * SDK), the systemd unit of the SSH tunnel a target on another host needs, and what a re-scan says
 * about the move to the picked target. The topology is computed in findings/topology/route-around.ts,
 * shared with the AI components view; this module turns it into choices and judges them.
 */
import { consumerReferences, otherRouters, routeTopology, routesAround, type OtherRouter, type RouteAround, type RouteTopology, type TunnelPlan } from '../findings/topology/route-around.js';
import { resolveEndpoint, urlHostPort } from '../findings/topology/resolve-endpoint.js';
import { normalizeAddress } from '../findings/topology/places.js';
import { hostWasRead } from '../domain/host-status.js';
import { isFindingOfKind } from '../model/index.js';
import type { ConsumerFinding, EndpointReference, Finding, GatewayFinding, HostInventory, ScanReport } from '../model/index.js';
import type { ChecklistStep, RouteAroundOutcome, RouteTarget, StepChoice } from './types.js';

/** The longest choice value the checklist channel accepts. */
const MAX_CHOICE_LENGTH = 100;

/** Where a consumer can move when the scan saw nothing behind its gateway; the pick is stored with the step's progress. */
export const CONSUMER_TARGETS: readonly StepChoice[] = [
  {
    value: 'direct-backend',
    label: 'A direct backend',
    detail: 'Point it straight at a model server that is not the gateway (Ollama, vLLM), through an SSH tunnel when it runs elsewhere.',
  },
  {
    value: 'other-router',
    label: 'Another router',
    detail: 'A router rebuilt from a clean, digest-pinned image, or a different one, with new keys of its own.',
  },
  {
    value: 'provider-sdk',
    label: "The provider's SDK with its own key",
    detail: 'Call the provider directly with a new key issued to this consumer alone, so one leak no longer exposes every service.',
  },
];

/**
 * The targets a consumer's move step offers, computed from the topology: one per direct backend,
 * one per other router (or a router to deploy when the scan found none), one per provider. With no
 * backend seen at all, the generic three (and any other router found). `topology` is the report's
 * routeTopology, when the caller asks for many consumers.
 */
export function routeChoices(
  consumer: ConsumerFinding,
  gateway: GatewayFinding | undefined,
  report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
  topology?: RouteTopology,
): StepChoice[] {
  if (!gateway) return [...CONSUMER_TARGETS];
  const shared = topology ?? routeTopology(report);
  const routers = otherRouters(consumer, gateway, report, shared).map((router) => routerChoice(consumer, router));
  const routes = routesAround(consumer, gateway, report.hosts, shared.modelsOf(gateway));
  if (routes.length === 0) return [...routers, ...CONSUMER_TARGETS];
  const direct = routes.filter((route) => route.target === 'direct-backend').map((route) => backendChoice(consumer, route));
  const providers = routes.filter((route) => route.target === 'provider-sdk').map((route) => providerChoice(consumer, route));
  const newRouter: StepChoice = {
    ...CONSUMER_TARGETS[1]!,
    detail: `The scan found no other router that is not exposed. ${CONSUMER_TARGETS[1]!.detail} A re-scan verifies only that ${consumer.consumer} no longer points at ${gateway.container ?? gateway.service ?? gateway.gateway}.`,
    route: { kind: 'other-router', backend: 'a router you deploy', models: [], url: null, place: null },
  };
  return [...direct, ...(routers.length > 0 ? routers : [newRouter]), ...providers];
}

function backendChoice(consumer: ConsumerFinding, route: RouteAround): StepChoice {
  const url = route.url ?? route.backend;
  const tunnel = route.tunnel ? tunnelUnit(consumer, route.tunnel, route.backend) : null;
  const models = route.models.length > 0 ? ` (${route.models.join(', ')})` : '';
  const how =
    route.tunnel && tunnel
      ? `It reaches it through an SSH tunnel to ${route.tunnel.destinationHost}: install the unit below on ${consumer.consumerHost}, then point it at ${url}.`
      : route.tunnel
        ? `It needs an SSH tunnel to reach it, but the names the scan read cannot go in a unit safely (${tunnelRefusal(route.tunnel)}): write the tunnel yourself.`
        : `Point it at ${url}.`;
  return {
    value: boundedValue(`direct-backend:${route.backend}`),
    label: `Direct backend ${route.backend}${models}`,
    detail: `${route.text} ${route.evidence} ${how} A re-scan verifies it once ${consumer.consumer}'s configured URL lands on ${route.backend}.`,
    route: {
      kind: 'direct-backend',
      backend: route.backend,
      models: [...route.models],
      url,
      place: route.place ?? null,
      ...(tunnel ? { tunnel } : {}),
    },
  };
}

function routerChoice(consumer: ConsumerFinding, router: OtherRouter): StepChoice {
  const tunnel = router.tunnel ? tunnelUnit(consumer, router.tunnel, router.name) : null;
  const to = router.url ? `Point ${consumer.consumer} at ${router.url}` : `Point ${consumer.consumer} at it once you know the port it serves on`;
  return {
    value: boundedValue(`other-router:${router.findingId}`),
    label: `Another router: ${router.name}`,
    detail: `${router.name} is not judged exposed; it routes to ${router.backends.length > 0 ? router.backends.join(', ') : 'backends the scan did not read'}. ${router.evidence} ${to}${tunnel ? ', through the SSH tunnel unit below' : ''}, with a new key of its own. A re-scan verifies it once ${consumer.consumer}'s configured URL lands on ${router.name}.`,
    route: { kind: 'other-router', backend: router.name, models: [], url: router.url, place: router.place, ...(tunnel ? { tunnel } : {}) },
  };
}

function providerChoice(consumer: ConsumerFinding, route: RouteAround): StepChoice {
  const models = route.models.length > 0 ? ` (${route.models.join(', ')})` : '';
  return {
    value: boundedValue(`provider-sdk:${route.backend}`),
    label: `The ${route.backend} SDK with its own key${models}`,
    detail: `${route.text} ${route.evidence} A re-scan can only verify that ${consumer.consumer} no longer points at the gateway: a provider's SDK leaves no setting that points at a place the scan knows.`,
    route: { kind: 'provider-sdk', backend: route.backend, models: [...route.models], url: null, place: null },
  };
}

/** A choice value within the channel's limit, still unique: a long one keeps its start and a hash of the rest. */
function boundedValue(value: string): string {
  if (value.length <= MAX_CHOICE_LENGTH) return value;
  let hash = 0x811c9dc5;
  for (let index = 0; index < value.length; index++) hash = Math.imul(hash ^ value.charCodeAt(index), 0x01000193) >>> 0;
  return `${value.slice(0, MAX_CHOICE_LENGTH - 9)}#${hash.toString(16).padStart(8, '0')}`;
}

/** A host name or address ssh accepts and a unit can carry as is: no option, no space, no systemd specifier or quote. */
const SAFE_HOST = /^(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,62})(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,62}))*|\d{1,3}(?:\.\d{1,3}){3})$/;
/** A login name as useradd accepts it. */
const SAFE_USER = /^[a-z_][a-z0-9_-]{0,31}$/;

/** Why a tunnel's names cannot go in a unit, or null when they can. */
function tunnelRefusal(plan: TunnelPlan): string | null {
  if (!SAFE_HOST.test(plan.destinationHost)) return 'the destination host';
  if (plan.user !== null && !SAFE_USER.test(plan.user)) return 'the login name';
  if (![plan.localPort, plan.remotePort].every((port) => Number.isInteger(port) && port > 0 && port < 65536)) return 'a port';
  return null;
}

/**
 * The systemd unit of an SSH tunnel a consumer reaches its target through: a forward on its own
 * loopback to the port on the far host's loopback, failing fast when the port is taken and
 * restarted when the link drops. Null when a name the scan read (hostile: a host chose it) is not
 * a plain host or login name; the consumer's name only appears in the description, reduced to safe
 * characters.
 */
export function tunnelUnit(consumer: Pick<ConsumerFinding, 'consumer'>, plan: TunnelPlan, target: string): { unitName: string; unitText: string; host: string } | null {
  if (tunnelRefusal(plan) !== null) return null;
  const safe = (text: string): string => text.replace(/[^A-Za-z0-9._:/-]/g, '_').slice(0, 80);
  const destination = plan.user ? `${plan.user}@${plan.destinationHost}` : plan.destinationHost;
  const unitName = `route-around-${safe(consumer.consumer).replace(/[^A-Za-z0-9_-]/g, '-')}-${plan.localPort}.service`;
  const unitText = [
    '[Unit]',
    `Description=SSH tunnel for ${safe(consumer.consumer)} to ${safe(target)} (route around the gateway)`,
    'Wants=network-online.target',
    'After=network-online.target',
    '',
    '[Service]',
    `ExecStart=/usr/bin/ssh -N -o ExitOnForwardFailure=yes -o ServerAliveInterval=30 -o ServerAliveCountMax=3 -L 127.0.0.1:${plan.localPort}:127.0.0.1:${plan.remotePort} -- ${destination}`,
    'Restart=always',
    'RestartSec=10',
    '',
    '[Install]',
    'WantedBy=multi-user.target',
    '',
  ].join('\n');
  return { unitName, unitText, host: plan.destinationHost };
}

/**
 * What the hosts of a scan made after the tick say about a consumer's move to its picked target:
 * for a direct backend or another router, whether a URL it is configured with (through a tunnel on
 * its host, if one forwards there) lands on the target; for a provider's SDK, only whether it left
 * the gateway (`leftGateway`). Null when the pick has no concrete target.
 */
export function routeAroundOutcome(
  consumer: { consumer: string; consumerHost: string; container: string | null },
  choice: StepChoice | undefined,
  hosts: readonly HostInventory[],
  leftGateway: boolean,
): RouteAroundOutcome | null {
  const route = choice?.route;
  if (!route) return null;
  const target = route.url ?? route.backend;
  if (route.kind === 'provider-sdk' || (route.place === null && route.url === null)) {
    return {
      target,
      pointsAtTarget: leftGateway,
      evidence: [
        leftGateway
          ? `${consumer.consumer} no longer points at the gateway; the scan cannot see a call made with ${route.kind === 'provider-sdk' ? `the ${route.backend} SDK` : route.backend}, so that is all it verifies.`
          : `${consumer.consumer} still points at the gateway.`,
      ],
    };
  }
  const host = hosts.find((candidate) => candidate.name === consumer.consumerHost);
  if (!host || !hostWasRead(host.status) || host.endpointReferences === undefined) {
    return { target, pointsAtTarget: false, evidence: [`${consumer.consumerHost} was not read, so where ${consumer.consumer} points is not known.`] };
  }
  const references = consumerReferences(consumer, host);
  if (references.length === 0) {
    return { target, pointsAtTarget: false, evidence: [`The scan read no URL ${consumer.consumer} is configured with on ${consumer.consumerHost}.`] };
  }
  const judged = references.map((reference) => ({ reference, ...landing(consumer, reference, route, hosts) }));
  const hits = judged.filter((entry) => entry.hits);
  if (hits.length > 0 && leftGateway) return { target, pointsAtTarget: true, evidence: hits.map((entry) => describeReference(entry.reference)) };
  return { target, pointsAtTarget: false, evidence: judged.map((entry) => `${describeReference(entry.reference)}: ${entry.where}`) };
}

/** Whether one configured URL lands on the target, and where it lands in words. */
function landing(
  consumer: { consumerHost: string; container: string | null },
  reference: EndpointReference,
  route: RouteTarget,
  hosts: readonly HostInventory[],
): { hits: boolean; where: string } {
  const resolved = resolveEndpoint(consumer.consumerHost, reference.container, reference.targetHost, reference.targetPort, hosts);
  const place = route.place;
  if (place && resolved) {
    const hits = resolved.host === place.host && resolved.container === place.container && (place.port === null || resolved.port === place.port);
    const at = `${resolved.container === null ? `host ${resolved.host}` : `container ${resolved.container} on ${resolved.host}`} port ${resolved.port}`;
    return { hits, where: hits ? at : `lands on ${at}, not on the chosen target` };
  }
  // The target or the URL is outside the scanned places: the URL itself must name the target.
  const wanted = route.url ? urlHostPort(route.url) : null;
  const hits = wanted !== null && normalizeAddress(wanted.host) === normalizeAddress(reference.targetHost) && wanted.port === reference.targetPort;
  return { hits, where: hits ? 'the chosen URL' : resolved ? `lands on host ${resolved.host} port ${resolved.port}, not on the chosen target` : 'not on the chosen target' };
}

/** `http://127.0.0.1:11434 (OPENAI_BASE_URL in /opt/chat-app/.env)`. */
function describeReference(reference: EndpointReference): string {
  const where = [reference.variable, reference.path ?? reference.unit].filter((part): part is string => typeof part === 'string' && part.length > 0).join(' in ');
  return `${reference.url} (${where || reference.source})`;
}

/** For a consumer's move step with a concrete target picked: what the given hosts say about the move; null otherwise. */
export function moveOutcome(step: ChecklistStep, picked: string | undefined, hosts: readonly HostInventory[], leftGateway: boolean): RouteAroundOutcome | null {
  if (step.gone?.kind !== 'consumer' || picked === undefined) return null;
  const choice = step.choices?.find((candidate) => candidate.value === picked);
  return routeAroundOutcome({ consumer: step.gone.consumer, consumerHost: step.gone.consumerHost, container: step.container }, choice, hosts, leftGateway);
}

/** Finds the gateway finding a consumer sends its requests to. */
export function consumerGateway(consumer: ConsumerFinding, findings: readonly Finding[]): GatewayFinding | undefined {
  return findings.find(
    (finding): finding is GatewayFinding =>
      isFindingOfKind(finding, 'gateway') && finding.host === consumer.gatewayHost && (finding.container === consumer.gateway || finding.service === consumer.gateway),
  );
}

/**
 * consumerGateway for many consumers of one report: the gateways are indexed once by host and
 * container or service name, the first in report order winning as consumerGateway's search does.
 */
export function consumerGateways(findings: readonly Finding[]): (consumer: ConsumerFinding) => GatewayFinding | undefined {
  const byName = new Map<string, GatewayFinding>();
  for (const finding of findings) {
    if (!isFindingOfKind(finding, 'gateway')) continue;
    for (const name of [finding.container, finding.service]) {
      const key = typeof name === 'string' ? JSON.stringify([finding.host, name]) : null;
      if (key !== null && !byName.has(key)) byName.set(key, finding);
    }
  }
  return (consumer) => byName.get(JSON.stringify([consumer.gatewayHost, consumer.gateway]));
}
