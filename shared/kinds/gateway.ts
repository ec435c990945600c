/** An AI gateway (LiteLLM and others) and what it routes to. */
import { recordGateway } from '../case/ledger-entries.js';
import { retireGatewaySteps } from '../checklist/consumer-steps.js';
import { serviceGatewaySteps } from '../checklist/service-gateway-steps.js';
import { teardownPieces } from '../checklist/teardown.js';
import { gatewayTeardownSteps, isJudgedGateway } from '../checklist/teardown-steps.js';
import type { GatewayFinding, HostInventory } from '../model/index.js';
import { hostAnswersTo, urlHost, type GraphCanvas } from '../present/graph-canvas.js';
import { endpointNodeId, hostNodeId, type EndpointNode } from '../present/graph-model.js';
import { attachToPlace, type FindingKindSpec } from './kind-spec.js';

/** The gateway kind. */
export const gateway: FindingKindSpec<'gateway'> = {
  label: 'AI gateway',
  facts: (finding) => [
    { label: 'Gateway', value: finding.service ? `${finding.gateway} (${finding.service})` : finding.gateway },
    { label: 'Endpoints', value: finding.endpoints.join(', ') || 'none seen' },
    { label: 'Backends', value: finding.backends.join(', ') || 'none seen' },
  ],
  graph: { attached: attachToPlace, routes: drawRoutes },
  // An exposed gateway's removal comes with its compromised package; one judged not exposed is retired after its consumers moved.
  // A gateway systemd starts on a compromised host is stopped and disabled, then its unit and virtualenv removed.
  // Either way, a gateway the plan removes gets a step that checks every piece of its teardown on re-scan.
  checklist: (findings, { report, ledger, decisions }) => [
    ...retireGatewaySteps(findings, report, decisions ?? null),
    ...serviceGatewaySteps(findings, report, decisions ?? null),
    ...gatewayTeardownSteps(findings, report, ledger, decisions ?? null),
  ],
  // Its teardown pieces are kept, so the teardown step outlives the gateway's finding.
  ledger: (ledger, finding, at, report) =>
    recordGateway(ledger, finding, at, {
      pieces: report?.hosts ? teardownPieces(finding, { hosts: report.hosts }).pieces : [],
      judged: isJudgedGateway(finding, { hosts: report?.hosts ?? [], findings: report?.findings ?? [], ...(report?.exposures ? { exposures: report.exposures } : {}) }),
    }),
};

/** A `routes` edge from the gateway to each backend. */
function drawRoutes(finding: GatewayFinding, canvas: GraphCanvas): void {
  const source = canvas.place(finding.host, finding.container);
  const host = canvas.hostsByName.get(finding.host);
  for (const backend of finding.backends) canvas.addEdge('routes', source, backendNodeId(backend, host, canvas));
}

/** Where a gateway backend is drawn: a provider name is a provider; a URL is the scanned container or host it names, or an endpoint. */
function backendNodeId(backend: string, gatewayHost: HostInventory | undefined, canvas: GraphCanvas): string {
  const target = urlHost(backend);
  if (target === null) return canvas.ensureProvider(backend);
  // A name on the gateway's own networks is a container beside it before it is a host anywhere.
  const container = gatewayHost?.containers.find(
    (candidate) => candidate.name === target || (candidate.networks ?? []).some((network) => network.aliases.includes(target)),
  );
  if (gatewayHost && container) return canvas.ensureContainer(gatewayHost, container.name);
  const host = [...canvas.hostsByName.values()].find((candidate) => hostAnswersTo(candidate, target));
  if (host) return hostNodeId(host.name);
  const id = endpointNodeId(backend);
  if (!canvas.nodes.has(id)) canvas.nodes.set(id, endpointNode(id, backend));
  return id;
}

function endpointNode(id: string, url: string): EndpointNode {
  return {
    id,
    kind: 'endpoint',
    label: urlHost(url) ?? url,
    sublabel: url,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [`Backend URL ${url}, on no scanned host`],
    data: { url },
  };
}
