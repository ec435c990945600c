/**
 * The step that moves a consumer of a compromised gateway to another backend, with the concrete
 * targets it could go to (route-targets.ts), the settings and tunnels that point it at the gateway today, and the
 * gone check a re-scan verifies it by.
 */
import { decisionFor, type CaseDecisions } from '../case/decisions.js';
import type { LedgerConsumer } from '../case/ledger-entries.js';
import { exposedPlaces } from '../findings/topology/exposed-places.js';
import { isFindingOfKind } from '../model/index.js';
import { consumerReferences, routeTopology, type RouteTopology } from '../findings/topology/route-around.js';
import type { ConsumerFinding, GatewayFinding, HostInventory, ScanReport } from '../model/index.js';
import type { ChecklistStep, GoneCheck } from './types.js';
import { consumerGateway, consumerGateways, routeChoices } from './route-targets.js';

export { CONSUMER_TARGETS } from './route-targets.js';
import { joinAnd, lines, part, shellQuote, unique } from './text.js';
import { patchGatewaySteps, redeployStepId } from './patch-steps.js';

const VIA_TEXT: Record<ConsumerFinding['via'], string> = {
  'shared-network': 'on a container network they share',
  'host-port': "through the port the gateway publishes on its host",
  'ssh-tunnel': 'through an SSH tunnel',
  'proxy-route': 'through a reverse-proxy route',
  'live-connection': 'over a connection the scan saw open',
  'gateway-log': "as the gateway's own access log shows",
  'gateway-db': "as the request log in the gateway's database shows",
};

/**
 * Each consumer's step: moved off its gateway (the default, and when the owner decided to remove
 * it), or given a new key of its own once the gateway is patched (when the owner decided to patch).
 */
export function consumerSteps(findings: readonly ConsumerFinding[], report: Pick<ScanReport, 'hosts' | 'findings'>, decisions: CaseDecisions | null = null): ChecklistStep[] {
  // Read once for every consumer: a plan of thousands of consumers read every finding once per consumer.
  const gatewayOf = consumerGateways(report.findings);
  const topology = routeTopology(report);
  return findings.map((finding) => {
    const gateway = gatewayOf(finding);
    return gateway && decisionFor(decisions, gateway.id)?.decision === 'patch' ? rekeyConsumerStep(finding, report.hosts) : moveConsumerStep(finding, report, { gateway, topology });
  });
}

/** For a gateway the owner patches: the consumer stays on it, with a new key issued after the gateway's keys are rotated. */
export function rekeyConsumerStep(finding: ConsumerFinding, hosts: readonly HostInventory[]): ChecklistStep {
  const host = hosts.find((candidate) => candidate.name === finding.consumerHost);
  const isContainer = host?.containers.some((container) => container.name === finding.consumer) ?? false;
  const where = `${part(finding.gatewayHost)}/${part(finding.gateway)}`;
  return {
    id: `recover:rekey-consumer:${part(finding.consumerHost)}/${part(finding.consumer)}:${where}`,
    phase: 'recover',
    title: `Give ${finding.consumer}${finding.consumer === finding.consumerHost ? '' : ` on ${finding.consumerHost}`} a new key for the patched ${finding.gateway} on ${finding.gatewayHost}`,
    detail: lines(
      `You decided to patch ${finding.gateway} rather than remove it, so ${finding.consumer} stays on it. It sent its prompts and its key ${VIA_TEXT[finding.via] ?? `(${finding.via})`} while the gateway ran compromised code: issue it a new virtual key of its own, and replace the old one wherever it is configured.`,
      `The old key was rotated with the gateway's; until it has the new one, ${finding.consumer} cannot use the gateway.`,
    ),
    host: finding.consumerHost,
    container: isContainer ? finding.consumer : null,
    findingIds: [finding.id],
    verification: 'manual',
    // The gateway's rotation step exists when it ran compromised code; otherwise the re-deploy is the last step before this one.
    blockedBy: [`rotate:container-keys:${where}`, redeployStepId(finding.gatewayHost, finding.gateway)],
    blockedReason: 'A consumer gets its new key once the gateway is rebuilt and its old keys are rotated.',
  };
}

/**
 * "Move <consumer> off the gateway", with the concrete targets it could go to, and the settings that
 * point it there today. `known` is its gateway and the report's routeTopology, when the caller has read them.
 */
export function moveConsumerStep(
  finding: ConsumerFinding,
  report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
  known?: { gateway: GatewayFinding | undefined; topology: RouteTopology },
): ChecklistStep {
  const host = report.hosts.find((candidate) => candidate.name === finding.consumerHost);
  const isContainer = host?.containers.some((container) => container.name === finding.consumer) ?? false;
  const references = consumerReferences(finding, host);
  const tunnels = finding.via === 'ssh-tunnel' ? (host?.tunnels ?? []) : [];
  return {
    id: moveConsumerId(finding),
    phase: 'recover',
    title: `Move ${finding.consumer}${finding.consumer === finding.consumerHost ? '' : ` on ${finding.consumerHost}`} off ${finding.gateway} on ${finding.gatewayHost}`,
    detail: lines(
      `${finding.consumer} sends its requests to ${finding.gateway} ${VIA_TEXT[finding.via] ?? `(${finding.via})`}: the gateway saw its prompts and the key it sent. Pick where it goes instead, move it, and give it a new key.`,
      ...references.map(
        (reference) =>
          `- it is pointed there by ${[reference.variable, reference.unit, reference.path].filter(Boolean).join(' in ')} (${reference.source}) = ${reference.url}`,
      ),
      ...tunnels.map((tunnel) => `- the tunnel ${tunnel.unit ?? tunnel.path} (${tunnel.localAddress}:${tunnel.localPort} → ${tunnel.sshDestination}) can go once nothing uses it`),
      `A re-scan verifies it: once a scan reads ${finding.consumerHost} and finds ${finding.consumer} no longer pointing at ${finding.gateway}, and, for a backend or router, its configured URL pointing at the one you picked.`,
    ),
    host: finding.consumerHost,
    container: isContainer ? finding.consumer : null,
    findingIds: [finding.id],
    verification: 'rescan',
    choices: known ? routeChoices(finding, known.gateway, report, known.topology) : routeChoices(finding, consumerGateway(finding, report.findings), report),
    gone: consumerCheck(finding),
  };
}

/**
 * For each gateway the scan judged not exposed (a package an advisory covers is in it, and nothing
 * says it ran compromised code) and that has consumers: remove it once every consumer has moved
 * (migrate first, remove after). A gateway that ran compromised code is cut
 * off first and removed with its package's steps instead, so it gets none here.
 */
export function retireGatewaySteps(
  gateways: readonly GatewayFinding[],
  report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
  decisions: CaseDecisions | null = null,
): ChecklistStep[] {
  const exposed = exposedPlaces(report.findings, report.exposures ?? []);
  const consumers = report.findings.filter((finding): finding is ConsumerFinding => isFindingOfKind(finding, 'consumer'));
  return gateways.flatMap((gateway): ChecklistStep[] => {
    if (exposed.place(gateway.host, gateway.container) !== null) return [];
    // Only a gateway the scan judged (an advisory covers a package in it) and found not exposed: a model server nobody judged is a backend, not a subject.
    const judged = (report.exposures ?? []).some((exposure) => exposure.host === gateway.host && exposure.container === gateway.container);
    if (!judged) return [];
    const names = unique([gateway.container, gateway.service].filter((name): name is string => typeof name === 'string' && name.length > 0));
    const moving = consumers.filter((consumer) => consumer.gatewayHost === gateway.host && names.includes(consumer.gateway));
    if (moving.length === 0) return [];
    const name = gateway.container ?? gateway.service ?? gateway.gateway;
    if (decisionFor(decisions, gateway.id)?.decision === 'patch') {
      // Kept by the owner's decision: upgraded and pinned while it keeps serving, nothing to migrate.
      const judged = (report.exposures ?? []).filter((exposure) => exposure.host === gateway.host && exposure.container === gateway.container);
      const packages = judged.map((exposure) => ({ package: exposure.package, version: exposure.installedVersion, advisories: exposure.advisories }));
      const container = report.hosts.find((host) => host.name === gateway.host)?.containers.find((candidate) => candidate.name === gateway.container) ?? null;
      return patchGatewaySteps(gateway.host, name, container, packages, { containment: [], findingIds: [gateway.id] });
    }
    const who = unique(moving.map((consumer) => (consumer.consumer === consumer.consumerHost ? consumer.consumer : `${consumer.consumer} on ${consumer.consumerHost}`)));
    return [
      {
        id: `recover:retire-gateway:${part(gateway.host)}/${part(name)}`,
        phase: 'recover',
        title: `Remove gateway ${name} on ${gateway.host} once its consumers have moved`,
        detail: lines(
          `The scan does not judge ${name} exposed: nothing found says it ran compromised code. So it keeps serving while ${joinAnd(who)} move${who.length === 1 ? 's' : ''} off it, and it goes after the last one.`,
          `A gateway every service depends on sees every prompt and holds every key: that is a reason to remove it. If you keep it instead (a fixed release, pinned by digest), leave this step open and note why.`,
          `Remove its ingress route, DNS name and any tunnel that served it with it. A re-scan confirms it: the gateway finding disappears once it is gone.`,
        ),
        host: gateway.host,
        container: gateway.container,
        findingIds: [gateway.id],
        verification: 'rescan',
        blockedBy: moving.map(moveConsumerId),
        blockedReason: 'Migrate first, remove after: a gateway judged not exposed keeps serving until every consumer has moved.',
        ...(gateway.container !== null
          ? {
              command: `docker logs --timestamps ${shellQuote(gateway.container)} > ${shellQuote(`${gateway.container}-logs.txt`)} 2>&1; docker stop ${shellQuote(gateway.container)} && docker rm ${shellQuote(gateway.container)}`,
              removes: { host: gateway.host, container: gateway.container, envFiles: [] },
            }
          : {}),
      },
    ];
  });
}

/** The gone check of a consumer's way to its gateway. */
export function consumerCheck(item: Pick<LedgerConsumer, 'consumer' | 'consumerHost' | 'gateway' | 'gatewayHost'>): GoneCheck {
  return { kind: 'consumer', consumer: item.consumer, consumerHost: item.consumerHost, gateway: item.gateway, gatewayHost: item.gatewayHost };
}

/** The id of a consumer's move step, from the consumer and gateway it names. */
export function moveConsumerId(item: Pick<LedgerConsumer, 'consumer' | 'consumerHost' | 'gateway' | 'gatewayHost'>): string {
  return `teardown:move-consumer:${part(item.consumerHost)}/${part(item.consumer)}:${part(item.gatewayHost)}/${part(item.gateway)}`;
}
