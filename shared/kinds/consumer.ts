/** A container, host service or tunnel that sends requests to a gateway. */
import { recordConsumer } from '../case/ledger-entries.js';
import { consumerSteps } from '../checklist/consumer-steps.js';
import type { ConsumerFinding, GatewayFinding, HostInventory, ProxyRoute, SshTunnel } from '../model/index.js';
import { hostAnswersTo, type GraphCanvas } from '../present/graph-canvas.js';
import { hostNodeId, routeNodeId, tunnelNodeId, type RouteNode, type TunnelNode } from '../present/graph-model.js';
import { attachToPlace, type FindingKindSpec } from './kind-spec.js';

/** The consumer kind. */
export const consumer: FindingKindSpec<'consumer'> = {
  label: 'Gateway consumer',
  facts: (finding) => [
    { label: 'Consumer', value: `${finding.consumer} on ${finding.consumerHost}` },
    { label: 'Gateway', value: `${finding.gateway} on ${finding.gatewayHost}` },
    { label: 'Via', value: finding.via },
  ],
  graph: { attached: attachToPlace, consumers: drawConsumer },
  checklist: (findings, { report, decisions }) => consumerSteps(findings, report, decisions ?? null),
  ledger: recordConsumer,
};

/** `consumes` edges from the consumer to its gateway, through the tunnel or route nodes it goes by. */
function drawConsumer(finding: ConsumerFinding, canvas: GraphCanvas): void {
  const gateways = canvas.gatewayFindings;
  const consumerHost = canvas.ensureHost(finding.consumerHost);
  const source = consumerHost.containers.some((container) => container.name === finding.consumer)
    ? canvas.ensureContainer(consumerHost, finding.consumer)
    : hostNodeId(consumerHost.name);
  const gateway = gatewayNodeId(finding, gateways, canvas);
  // A host service (a systemd unit) is drawn as its host; the edge says which unit it is.
  const label = source === hostNodeId(consumerHost.name) && finding.consumer !== consumerHost.name ? `${finding.via} · ${finding.consumer}` : finding.via;
  const hops = viaNodes(finding, consumerHost, gateways, canvas);
  if (hops.length === 0) {
    canvas.addEdge('consumes', source, gateway, label);
    return;
  }
  for (const hop of hops) {
    canvas.addEdge('consumes', source, hop, label);
    canvas.addEdge('consumes', hop, gateway, finding.via === 'ssh-tunnel' ? 'forwards' : 'proxies');
  }
}

/** The node a consumer's gateway is: the gateway finding's container or host, or the container of that name. */
function gatewayNodeId(finding: ConsumerFinding, gateways: readonly GatewayFinding[], canvas: GraphCanvas): string {
  const gateway = gateways.find(
    (candidate) => candidate.host === finding.gatewayHost && (candidate.container === finding.gateway || candidate.service === finding.gateway),
  );
  const host = canvas.ensureHost(finding.gatewayHost);
  if (gateway) return gateway.container === null ? hostNodeId(host.name) : canvas.ensureContainer(host, gateway.container);
  return host.containers.some((container) => container.name === finding.gateway) ? canvas.ensureContainer(host, finding.gateway) : hostNodeId(host.name);
}

/**
 * The tunnel or route nodes a consumer goes through: SSH forwards on its host to one of the
 * gateway's ports (on the gateway's host when the destination says so), or proxy routes on its
 * host or the gateway's whose upstream is the gateway. Empty for the other ways in.
 */
function viaNodes(finding: ConsumerFinding, consumerHost: HostInventory, gateways: readonly GatewayFinding[], canvas: GraphCanvas): string[] {
  const gateway = gateways.find((candidate) => candidate.host === finding.gatewayHost && (candidate.container === finding.gateway || candidate.service === finding.gateway));
  const gatewayHost = canvas.hostsByName.get(finding.gatewayHost);
  const ports = new Set<number>();
  for (const endpoint of gateway?.endpoints ?? []) {
    const port = Number(/:(\d+)$/.exec(endpoint)?.[1]);
    if (Number.isInteger(port) && port > 0) ports.add(port);
  }
  const container = gatewayHost?.containers.find((candidate) => candidate.name === finding.gateway);
  for (const published of container?.ports ?? []) {
    ports.add(Number(published.hostPort));
    ports.add(Number(published.containerPort.split('/')[0]));
  }

  if (finding.via === 'ssh-tunnel') {
    const toGatewayHost = (tunnel: SshTunnel): boolean => {
      const destination = tunnel.sshDestination.replace(/^[^@]*@/, '').replace(/:\d+$/, '');
      return gatewayHost !== undefined && hostAnswersTo(gatewayHost, destination);
    };
    const onPort = (consumerHost.tunnels ?? []).filter((tunnel) => ports.size === 0 || ports.has(tunnel.remotePort));
    const chosen = onPort.some(toGatewayHost) ? onPort.filter(toGatewayHost) : onPort;
    return chosen.map((tunnel) => {
      const id = tunnelNodeId(consumerHost.name, tunnel);
      if (!canvas.nodes.has(id)) {
        canvas.nodes.set(id, tunnelNode(id, consumerHost.name, tunnel));
        canvas.link(hostNodeId(consumerHost.name), id);
      }
      return id;
    });
  }
  if (finding.via === 'proxy-route') {
    const hosts = [consumerHost, ...(gatewayHost && gatewayHost !== consumerHost ? [gatewayHost] : [])];
    const ids: string[] = [];
    for (const host of hosts) {
      for (const route of host.proxyRoutes ?? []) {
        const upstream = route.upstreamHost === finding.gateway || (ports.has(route.upstreamPort) && (gatewayHost === undefined || hostAnswersTo(gatewayHost, route.upstreamHost) || route.upstreamHost === finding.gateway));
        if (!upstream && !(route.container === finding.gateway && host === gatewayHost)) continue;
        const id = routeNodeId(host.name, route);
        if (!canvas.nodes.has(id)) {
          canvas.nodes.set(id, routeNode(id, host.name, route));
          const holder = route.container !== null && host.containers.some((candidate) => candidate.name === route.container)
            ? canvas.ensureContainer(host, route.container)
            : hostNodeId(host.name);
          canvas.link(holder, id);
        }
        ids.push(id);
      }
    }
    return ids;
  }
  return [];
}

function tunnelNode(id: string, host: string, tunnel: SshTunnel): TunnelNode {
  return {
    id,
    kind: 'tunnel',
    label: `${tunnel.localAddress}:${tunnel.localPort} → ${tunnel.remoteHost}:${tunnel.remotePort}`,
    sublabel: [`ssh ${tunnel.sshDestination}`, tunnel.unit ?? tunnel.path].join(' · '),
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `SSH forward on ${host}: ${tunnel.localAddress}:${tunnel.localPort} to ${tunnel.remoteHost}:${tunnel.remotePort} as seen from ${tunnel.sshDestination}`,
      `From ${tunnel.source} ${tunnel.unit ?? ''} ${tunnel.path}`.replace(/\s+/g, ' '),
      `Command: ${tunnel.command}`,
    ],
    data: { ...tunnel, host },
  };
}

function routeNode(id: string, host: string, route: ProxyRoute): RouteNode {
  return {
    id,
    kind: 'route',
    label: route.match,
    sublabel: `${route.proxy} → ${route.upstreamHost}:${route.upstreamPort}`,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `${route.proxy} route on ${host}${route.container === null ? '' : ` (container ${route.container})`}: ${route.match} → ${route.upstreamHost}:${route.upstreamPort}`,
      ...(route.path ? [`Declared in ${route.path}`] : []),
    ],
    data: { ...route, host },
  };
}
