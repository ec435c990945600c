/**
 * The step that moves a consumer of a compromised gateway to another backend, with the choice of
 * where to (CONSUMER_TARGETS), the settings and tunnels that point it at the gateway today, and the
 * gone check a re-scan verifies it by.
 */
import type { LedgerConsumer } from '../case/ledger-entries.js';
import type { ConsumerFinding, HostInventory } from '../model/index.js';
import type { ChecklistStep, GoneCheck, StepChoice } from './types.js';
import { lines, part } from './text.js';

/** Where a consumer can move when it leaves the gateway; the pick is stored with the step's progress. */
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

const VIA_TEXT: Record<ConsumerFinding['via'], string> = {
  'shared-network': 'on a container network they share',
  'host-port': "through the port the gateway publishes on its host",
  'ssh-tunnel': 'through an SSH tunnel',
  'proxy-route': 'through a reverse-proxy route',
  'live-connection': 'over a connection the scan saw open',
  'gateway-log': "as the gateway's own access log shows",
};

/** "Move <consumer> off the gateway", with a choice of where to, and the settings that point it there today. */
export function moveConsumerStep(finding: ConsumerFinding, hosts: readonly HostInventory[]): ChecklistStep {
  const host = hosts.find((candidate) => candidate.name === finding.consumerHost);
  const isContainer = host?.containers.some((container) => container.name === finding.consumer) ?? false;
  const references = (host?.endpointReferences ?? []).filter((reference) =>
    isContainer ? reference.container === finding.consumer : reference.container === null && (reference.unit === finding.consumer || finding.consumer === finding.consumerHost),
  );
  const tunnels = finding.via === 'ssh-tunnel' ? (host?.tunnels ?? []) : [];
  return {
    id: moveConsumerId(finding),
    group: 'teardown',
    title: `Move ${finding.consumer}${finding.consumer === finding.consumerHost ? '' : ` on ${finding.consumerHost}`} off ${finding.gateway} on ${finding.gatewayHost}`,
    detail: lines(
      `${finding.consumer} sends its requests to ${finding.gateway} ${VIA_TEXT[finding.via] ?? `(${finding.via})`}: the gateway saw its prompts and the key it sent. Pick where it goes instead, move it, and give it a new key.`,
      ...references.map(
        (reference) =>
          `- it is pointed there by ${[reference.variable, reference.unit, reference.path].filter(Boolean).join(' in ')} (${reference.source}) = ${reference.url}`,
      ),
      ...tunnels.map((tunnel) => `- the tunnel ${tunnel.unit ?? tunnel.path} (${tunnel.localAddress}:${tunnel.localPort} → ${tunnel.sshDestination}) can go once nothing uses it`),
      `A re-scan verifies it: once a scan reads ${finding.consumerHost} and finds ${finding.consumer} no longer pointing at ${finding.gateway}.`,
    ),
    host: finding.consumerHost,
    container: isContainer ? finding.consumer : null,
    findingIds: [finding.id],
    verification: 'rescan',
    choices: [...CONSUMER_TARGETS],
    gone: consumerCheck(finding),
  };
}

/** The gone check of a consumer's way to its gateway. */
export function consumerCheck(item: Pick<LedgerConsumer, 'consumer' | 'consumerHost' | 'gateway' | 'gatewayHost'>): GoneCheck {
  return { kind: 'consumer', consumer: item.consumer, consumerHost: item.consumerHost, gateway: item.gateway, gatewayHost: item.gatewayHost };
}

/** The id of a consumer's move step, from the consumer and gateway it names. */
export function moveConsumerId(item: Pick<LedgerConsumer, 'consumer' | 'consumerHost' | 'gateway' | 'gatewayHost'>): string {
  return `teardown:move-consumer:${part(item.consumerHost)}/${part(item.consumer)}:${part(item.gatewayHost)}/${part(item.gateway)}`;
}
