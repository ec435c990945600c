/**
 * The AI components a scan found (gateways, and the model servers they route to) with what makes
 * each central: its consumers, the keys it holds, its backends, the prompts it sees, its exposure,
 * and, per consumer, whether it could be deleted and routed around: the direct backend the gateway
 * uses for a model when the consumer can reach it, else the provider's SDK with a key of its own.
 * Only what the scan saw is claimed; a path the scan did not see is named as one to check.
 */
import { decisionFor, type CaseDecisions, type ComponentDecision } from '../case/decisions.js';
import { serviceImageOf } from '../domain/containers/gateway-images.js';
import { exposedPlaces } from '../findings/topology/exposed-places.js';
import { backendPlace, gatewayModels, routesAround, type RouteAround } from '../findings/topology/route-around.js';
import { VERDICTS, isFindingOfKind } from '../model/index.js';
import type { ConsumerFinding, GatewayFinding, HostInventory, ScanReport, SecretFinding, Verdict } from '../model/index.js';
import { urlHost } from './graph-canvas.js';

/** What a component's exposure reads as: a verdict, or not judged when no advisory covers anything in it. */
export type ComponentVerdict = Verdict | 'not-judged';

export type { BackendReach, RouteAround } from '../findings/topology/route-around.js';

/** One consumer of a component, and how it could do without it. */
export interface ComponentConsumer {
  findingId: string;
  /** The container, unit or host that sends requests. */
  name: string;
  host: string;
  via: string;
  /** `yes` when every route around is one the scan saw a path for; `check` when one needs checking first. */
  routeAround: 'yes' | 'check' | 'none';
  /** The answer to "could I delete this and route around it?" for this consumer, in one paragraph. */
  answer: string;
  routes: RouteAround[];
}

/** A key the component holds (by fingerprint, never a value). */
export interface ComponentKey {
  findingId: string;
  provider: string;
  fingerprint: string;
  /** Where in the component it was seen: `OPENAI_API_KEY (container-env)`. */
  where: string[];
}

/** One AI component with its centrality. */
export interface AiComponent {
  /** The gateway finding's id (what a decision is kept by), or `model-server:<host>/<place>`. */
  id: string;
  role: 'gateway' | 'model-server';
  /** `litellm`, `ollama`… */
  kind: string;
  /** The container, service or host name. */
  name: string;
  host: string;
  container: string | null;
  consumers: ComponentConsumer[];
  keys: ComponentKey[];
  backends: string[];
  /** The models it serves and where each goes, when its config was read. */
  models: Array<{ name: string; backend: string }>;
  /** Which prompts it could see, in one sentence. */
  prompts: string;
  verdict: ComponentVerdict;
  verdictReasons: string[];
  /** The owner's recorded decision, or null. */
  decision: ComponentDecision | null;
  /** The compromised packages in it (for a patch: what to upgrade). */
  packages: Array<{ name: string; version: string }>;
}

/** Every AI component of a report: gateways first (most consumers first), then the model servers they route to. */
export function aiComponents(report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>, decisions: CaseDecisions | null = null): AiComponent[] {
  const gateways = report.findings.filter((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway'));
  const consumers = report.findings.filter((finding): finding is ConsumerFinding => isFindingOfKind(finding, 'consumer'));
  const secrets = report.findings.filter((finding): finding is SecretFinding => isFindingOfKind(finding, 'secret'));
  const judge = verdictOf(report);
  const components = gateways.map((gateway): AiComponent => {
    const names = [gateway.container, gateway.service].filter((name): name is string => typeof name === 'string');
    const own = consumers.filter((consumer) => consumer.gatewayHost === gateway.host && names.includes(consumer.gateway));
    const models = gatewayModels(gateway, report.hosts);
    const { verdict, reasons } = judge(gateway.host, gateway.container);
    return {
      id: gateway.id,
      role: 'gateway',
      kind: gateway.gateway,
      name: gateway.container ?? gateway.service ?? gateway.gateway,
      host: gateway.host,
      container: gateway.container,
      consumers: own.map((consumer) => consumerOf(consumer, gateway, models, report.hosts)),
      keys: keysOf(secrets, gateway.host, gateway.container, configKeysOf(gateway, report.hosts)),
      backends: [...gateway.backends],
      models,
      prompts: `Every prompt and response of every consumer (${own.length} found) passes through it, with the key each consumer sends.`,
      verdict,
      verdictReasons: reasons,
      decision: decisionFor(decisions, gateway.id),
      packages: packagesIn(report, gateway.host, gateway.container),
    };
  });
  components.sort((a, b) => b.consumers.length - a.consumers.length);
  return [...components, ...modelServers(components, report, secrets, judge)];
}

/** The fingerprints of the keys a gateway's config files use. */
function configKeysOf(gateway: GatewayFinding, hosts: readonly HostInventory[]): string[] {
  const host = hosts.find((candidate) => candidate.name === gateway.host);
  const configs = (host?.gatewayConfigs ?? []).filter((config) => config.container === gateway.container);
  return configs.flatMap((config) => config.models.flatMap((model) => (model.keyFingerprint ? [model.keyFingerprint] : [])));
}

/** The consumer and its routes around the gateway: one per backend its models go to. */
function consumerOf(consumer: ConsumerFinding, gateway: GatewayFinding, models: ReadonlyArray<{ name: string; backend: string }>, hosts: readonly HostInventory[]): ComponentConsumer {
  const routes = routesAround(consumer, gateway, hosts, models);
  const direct = routes.filter((route) => route.target === 'direct-backend');
  const routeAround = routes.length === 0 ? 'none' : direct.some((route) => route.reach === 'unverified') ? 'check' : 'yes';
  const unknownModels = models.length > 0 ? 'The scan does not see which models it asks for, so each model the gateway serves is covered. ' : '';
  const answer =
    routeAround === 'none'
      ? `The scan saw no backend behind ${gateway.container ?? gateway.gateway}: find where its requests went before removing it.`
      : `${routeAround === 'yes' ? 'Yes.' : 'Probably.'} ${unknownModels}${routes.map((route) => route.text).join(' ')}`;
  return { findingId: consumer.id, name: consumer.consumer, host: consumer.consumerHost, via: consumer.via, routeAround, answer, routes };
}

/** The keys seen in a place, or named by its config's models. */
function keysOf(secrets: readonly SecretFinding[], host: string, container: string | null, configKeys: readonly string[] = []): ComponentKey[] {
  return secrets.flatMap((secret): ComponentKey[] => {
    const here = secret.locations.filter((location) => location.host === host && location.container === container);
    if (here.length === 0 && !configKeys.includes(secret.fingerprint)) return [];
    const where = here.map((location) => `${location.variable ?? location.path ?? location.source} (${location.source})`);
    return [{ findingId: secret.id, provider: secret.provider, fingerprint: secret.fingerprint, where }];
  });
}

/** The compromised packages found in a place. */
function packagesIn(report: Pick<ScanReport, 'findings'>, host: string, container: string | null): Array<{ name: string; version: string }> {
  const seen = new Set<string>();
  return report.findings.flatMap((finding) => {
    if (!isFindingOfKind(finding, 'compromised-package') || finding.host !== host || finding.container !== container) return [];
    const key = `${finding.package}@${finding.version}`;
    if (seen.has(key)) return [];
    seen.add(key);
    return [{ name: finding.package, version: finding.version }];
  });
}

/** The exposure of a place: its worst verdict, raised to exposed by evidence of compromise there. */
function verdictOf(report: Pick<ScanReport, 'findings'> & Partial<Pick<ScanReport, 'exposures'>>): (host: string, container: string | null) => { verdict: ComponentVerdict; reasons: string[] } {
  const exposed = exposedPlaces(report.findings, report.exposures ?? []);
  return (host, container) => {
    const judged = (report.exposures ?? []).filter((exposure) => exposure.host === host && exposure.container === container);
    const worst = judged.map((exposure) => exposure.verdict).sort((a, b) => VERDICTS.indexOf(a) - VERDICTS.indexOf(b))[0];
    const why = exposed.place(host, container);
    if (why !== null && worst !== 'likely-exposed' && worst !== 'exposed') return { verdict: 'exposed', reasons: [why] };
    if (worst) return { verdict: worst, reasons: judged.filter((exposure) => exposure.verdict === worst).flatMap((exposure) => exposure.reasons) };
    return { verdict: 'not-judged', reasons: ['No advisory covers a package the scan read in it, and no indicator of compromise was found there.'] };
  };
}

/** The scanned hosts and containers the gateways route to, each as a model server. */
function modelServers(
  gateways: readonly AiComponent[],
  report: Pick<ScanReport, 'hosts' | 'findings'>,
  secrets: readonly SecretFinding[],
  judge: ReturnType<typeof verdictOf>,
): AiComponent[] {
  const servers = new Map<string, AiComponent>();
  for (const gateway of gateways) {
    const gatewayHost = report.hosts.find((host) => host.name === gateway.host);
    for (const backend of gateway.backends) {
      const target = urlHost(backend);
      if (target === null) continue;
      // A name on the gateway's own networks is a container beside it before it is a host anywhere.
      const container = gatewayHost?.containers.find((candidate) => candidate.name === target || (candidate.networks ?? []).some((network) => network.aliases.includes(target)));
      const host = container ? gatewayHost!.name : backendPlace(backend, report.hosts);
      if (host === null) continue;
      const place = container?.name ?? null;
      const id = `model-server:${host}/${place ?? '-'}`;
      const port = Number(/:(\d+)(?:\/|$)/.exec(backend)?.[1]);
      const kind = (container && serviceImageOf(container.image)?.kind) ?? (port === 11434 ? 'ollama' : 'model server');
      const served = gateway.models.filter((model) => model.backend === backend).map((model) => model.name);
      const judged = judge(host, place);
      const server: AiComponent = servers.get(id) ?? {
        id,
        role: 'model-server',
        kind,
        name: place ?? host,
        host,
        container: place,
        consumers: [],
        keys: keysOf(secrets, host, place),
        backends: [],
        models: [],
        prompts: '',
        verdict: judged.verdict,
        verdictReasons: judged.reasons,
        decision: null,
        packages: packagesIn(report, host, place),
      };
      const models = [...server.models, ...served.map((name) => ({ name, backend }))];
      const consumers: ComponentConsumer[] = [
        ...server.consumers,
        {
          findingId: gateway.id,
          name: gateway.name,
          host: gateway.host,
          via: 'gateway-route',
          routeAround: 'none',
          answer: `${gateway.name} on ${gateway.host} forwards ${served.length > 0 ? served.join(', ') : 'requests'} here: a model server is where the route ends, and removing it removes those models.`,
          routes: [],
        },
      ];
      const next: AiComponent = {
        ...server,
        models,
        consumers,
        prompts: `The prompts of ${models.length > 0 ? models.map((model) => model.name).join(', ') : 'the models routed here'} from every consumer of ${consumers.map((consumer) => consumer.name).join(', ')}.`,
      };
      servers.set(id, next);
    }
  }
  return [...servers.values()];
}
