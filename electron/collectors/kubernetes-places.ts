/**
 * Turns a cluster's parsed objects into the report's terms: each pod container a Container with
 * its Kubernetes place (`<namespace>/<pod>/<container>`), the Services that select it, the
 * campaign's workload IOCs, Ingress paths as proxy routes, and the raw material the secret and
 * topology readers take (env values with their Secret references resolved, Secret keys as files).
 * Pure. The artifacts hold values in clear: main process only, dropped after the key search.
 */
import type { Container, ContainerMount, IocHit, KubernetesCluster, KubernetesPlace, ProxyRoute } from '../../shared/model/index.js';
import { KUBERNETES_WORKLOAD_TRAITS, type IocRule, type IocRuleOfKind } from '../../shared/domain/iocs/rules.js';
import { serviceImageOf } from '../../shared/domain/containers/gateway-images.js';
import { isPinnedReference } from '../../shared/domain/containers/image-reference.js';
import type { EnvironmentArtifact, HostArtifacts, TextArtifact } from '../readers/artifacts.js';
import { mountRisk } from './docker-parser.js';
import type { IngressPathView, KubernetesObjects, PodContainerView, SecretView, ServiceView } from './kubernetes-parser.js';

/** The cluster DNS suffix every Service name resolves under (the kubelet's default `cluster.local`). */
export const CLUSTER_DOMAIN = 'cluster.local';

/** How the cluster was read: the client and the kubeconfig it used. */
export interface KubernetesClient {
  kubectl: string;
  kubeconfig: string | null;
}

/** A cluster in the report's terms, and the artifacts its values are read from. */
export interface KubernetesReading {
  cluster: KubernetesCluster;
  containers: Container[];
  iocHits: IocHit[];
  proxyRoutes: ProxyRoute[];
  /** Env values and Secret keys in clear: main process only. */
  artifacts: HostArtifacts;
}

/** A trait a workload rule can require. */
type Trait = (typeof KUBERNETES_WORKLOAD_TRAITS)[number];

/** The report name of a pod's container. */
export function kubernetesPlaceName(namespace: string, pod: string, container: string): string {
  return `${namespace}/${pod}/${container}`;
}

/** Reads a cluster's objects (and its Secrets, null when they could not be listed) into the report's terms. */
export function kubernetesReading(
  objects: KubernetesObjects,
  secrets: readonly SecretView[] | null,
  rules: readonly IocRule[],
  client: KubernetesClient,
): KubernetesReading {
  const containers = objects.pods.map((view) => reportContainer(view, objects));
  const secretsByName = new Map((secrets ?? []).map((secret) => [`${secret.namespace}/${secret.name}`, secret]));
  return {
    cluster: {
      kubectl: client.kubectl,
      kubeconfig: client.kubeconfig,
      pods: new Set(objects.pods.map((view) => `${view.namespace}/${view.pod}`)).size,
      workloads: objects.workloads.map((workload) => ({ ...workload })),
      services: objects.services.map((service) => ({
        namespace: service.namespace,
        name: service.name,
        type: service.type,
        clusterIP: service.clusterIP,
        selector: service.selector,
        ports: service.ports.map(({ port, targetPort, nodePort, protocol }) => ({ port, targetPort, nodePort, protocol })),
      })),
      secrets: secrets === null ? null : secrets.length,
    },
    containers,
    iocHits: workloadHits(objects, rules.filter((rule): rule is IocRuleOfKind<'kubernetes-workload'> => rule.kind === 'kubernetes-workload')),
    proxyRoutes: objects.ingresses.flatMap((path) => ingressRoute(path, objects.services)),
    artifacts: {
      environments: objects.pods.flatMap((view) => environmentOf(view, secretsByName)),
      files: [...(secrets ?? []).map(secretArtifact), ...objects.pods.flatMap((view) => mountedSecretFiles(view, secretsByName))],
    },
  };
}

function reportContainer(view: PodContainerView, objects: KubernetesObjects): Container {
  const place: KubernetesPlace = {
    namespace: view.namespace,
    pod: view.pod,
    container: view.container,
    node: view.node,
    owner: view.owner,
    privileged: view.privileged,
    hostPID: view.hostPID,
    hostNetwork: view.hostNetwork,
    serviceAccount: view.serviceAccount,
    services: servicesOf(view, objects),
  };
  const repoDigest = view.imageID?.replace(/^docker-pullable:\/\//, '') ?? null;
  const digest = repoDigest ? (/@(sha256:[0-9a-f]{64})$/.exec(repoDigest)?.[1] ?? null) : null;
  const container: Container = {
    id: view.containerID ?? `${view.uid}/${view.container}`,
    name: kubernetesPlaceName(view.namespace, view.pod, view.container),
    image: view.image,
    imageDigest: digest,
    running: view.running,
    pinnedByDigest: isPinnedReference(view.image),
    created: view.created,
    startedAt: view.startedAt,
    restartPolicy: view.restartPolicy,
    mounts: view.mounts.map(reportMount),
    // The pod network: its address names it in gateway logs and sockets. A host-network pod has the node's.
    networks: view.podIP !== null && !view.hostNetwork ? [{ name: `kubernetes:${view.namespace}`, ipAddress: view.podIP, ipv6Address: null, aliases: [] }] : [],
    labels: view.labels,
    envNames: [...new Set(view.env.map((variable) => variable.name))],
    kubernetes: place,
  };
  if (repoDigest && digest) container.repoDigests = [repoDigest];
  return container;
}

function reportMount(mount: PodContainerView['mounts'][number]): ContainerMount {
  const entry: ContainerMount = {
    type: mount.hostPath !== undefined ? 'hostPath' : mount.secret ? 'secret' : 'volume',
    source: mount.hostPath ?? mount.secret?.name ?? '',
    destination: mount.mountPath,
    readOnly: mount.readOnly,
  };
  const risk = mount.hostPath !== undefined ? mountRisk(mount.hostPath) : undefined;
  if (risk) entry.risk = risk;
  return entry;
}

/**
 * The Services that send to this container: same namespace, every selector label on the pod, and
 * a target port this container serves (by port name or number; a number no container of the pod
 * declares goes to the container whose image listens there, or to a pod's only container).
 */
function servicesOf(view: PodContainerView, objects: KubernetesObjects): KubernetesPlace['services'] {
  const siblings = objects.pods.filter((other) => other.namespace === view.namespace && other.pod === view.pod);
  const served: KubernetesPlace['services'] = [];
  for (const service of objects.services) {
    if (service.namespace !== view.namespace || !selects(service.selector, view.labels)) continue;
    for (const port of service.ports) {
      if (port.protocol.toUpperCase() !== 'TCP') continue;
      const target = targetPortOf(port.targetPort, view, siblings);
      if (target !== null) served.push({ name: service.name, port: port.port, targetPort: target });
    }
  }
  return served;
}

function selects(selector: Readonly<Record<string, string>>, labels: Readonly<Record<string, string>>): boolean {
  const entries = Object.entries(selector);
  // A Service without a selector has hand-made endpoints: which pods they are is not in these objects.
  return entries.length > 0 && entries.every(([key, value]) => labels[key] === value);
}

function targetPortOf(targetPort: string, view: PodContainerView, siblings: readonly PodContainerView[]): number | null {
  if (!/^\d+$/.test(targetPort)) return view.ports.find((port) => port.name === targetPort)?.containerPort ?? null;
  const number = Number.parseInt(targetPort, 10);
  if (view.ports.some((port) => port.containerPort === number)) return number;
  if (siblings.some((other) => other.ports.some((port) => port.containerPort === number))) return null;
  if (siblings.length === 1 || serviceImageOf(view.image)?.defaultPort === number) return number;
  return null;
}

function traitsOfPod(pod: readonly PodContainerView[]): Set<Trait> {
  const traits = new Set<Trait>();
  if (pod.some((view) => view.privileged)) traits.add('privileged');
  if (pod.some((view) => view.mounts.some((mount) => mount.hostPath !== undefined && mountRisk(mount.hostPath) === 'host-root'))) traits.add('host-root');
  if (pod[0]?.hostPID) traits.add('host-pid');
  if (pod[0]?.hostNetwork) traits.add('host-network');
  return traits;
}

function describeTraits(traits: ReadonlySet<Trait>, hostRootAt: readonly string[]): string[] {
  const words: string[] = [];
  if (traits.has('privileged')) words.push('privileged');
  if (traits.has('host-root')) words.push(`the node's / mounted${hostRootAt.length > 0 ? ` at ${hostRootAt.join(', ')}` : ''}`);
  if (traits.has('host-pid')) words.push('hostPID');
  if (traits.has('host-network')) words.push('hostNetwork');
  return words;
}

function nameMatches(rule: IocRuleOfKind<'kubernetes-workload'>, namespace: string, name: string): boolean {
  if (rule.namespace !== undefined && rule.namespace !== namespace) return false;
  return (rule.names ?? []).includes(name) || (rule.namePrefix !== undefined && name.startsWith(rule.namePrefix));
}

/** Pods and controllers that match the workload rules: by namespace, name and every required trait. */
function workloadHits(objects: KubernetesObjects, rules: readonly IocRuleOfKind<'kubernetes-workload'>[]): IocHit[] {
  const hits: IocHit[] = [];
  const pods = new Map<string, PodContainerView[]>();
  for (const view of objects.pods) pods.set(`${view.namespace}/${view.pod}`, [...(pods.get(`${view.namespace}/${view.pod}`) ?? []), view]);
  for (const rule of rules) {
    if (rule.resources.includes('Pod')) {
      for (const pod of pods.values()) {
        const first = pod[0]!;
        if (!nameMatches(rule, first.namespace, first.pod)) continue;
        const traits = traitsOfPod(pod);
        if (!(rule.requires ?? []).every((trait) => traits.has(trait))) continue;
        const hostRootAt = pod.flatMap((view) => view.mounts.filter((mount) => mount.hostPath !== undefined && mountRisk(mount.hostPath) === 'host-root').map((mount) => mount.mountPath));
        const place = pod.find((view) => view.privileged) ?? first;
        const facts = [...describeTraits(traits, hostRootAt), `image ${[...new Set(pod.map((view) => view.image))].join(', ')}`];
        if (first.node) facts.push(`node ${first.node}`);
        if (first.owner) facts.push(`owned by ${first.owner.kind} ${first.owner.name}`);
        hits.push({ ruleId: rule.id, container: kubernetesPlaceName(place.namespace, place.pod, place.container), path: `${first.namespace}/pod/${first.pod}`, matched: facts.join('; ') });
      }
    }
    for (const workload of objects.workloads) {
      if (!(rule.resources as readonly string[]).includes(workload.kind) || !nameMatches(rule, workload.namespace, workload.name)) continue;
      const traits = new Set<Trait>();
      if (workload.privileged) traits.add('privileged');
      if (workload.hostPaths.some((path) => mountRisk(path) === 'host-root')) traits.add('host-root');
      if (workload.hostPID) traits.add('host-pid');
      if (workload.hostNetwork) traits.add('host-network');
      if (!(rule.requires ?? []).every((trait) => traits.has(trait))) continue;
      const facts = [...describeTraits(traits, []), `image ${workload.images.join(', ') || '(none)'}`];
      hits.push({ ruleId: rule.id, container: null, path: `${workload.namespace}/${workload.kind.toLowerCase()}/${workload.name}`, matched: facts.join('; ') });
    }
  }
  return hits;
}

/** An Ingress path as a proxy route to its Service's cluster name. */
function ingressRoute(path: IngressPathView, services: readonly ServiceView[]): ProxyRoute[] {
  const service = services.find((candidate) => candidate.namespace === path.namespace && candidate.name === path.service);
  const port = typeof path.port === 'number' ? path.port : (service?.ports.find((candidate) => candidate.name === path.port)?.port ?? null);
  if (port === null) return [];
  return [
    {
      proxy: 'kubernetes-ingress',
      container: null,
      path: `${path.namespace}/ingress/${path.ingress}`,
      match: `${path.host ?? '*'}${path.path}`,
      upstreamHost: `${path.service}.${path.namespace}.svc.${CLUSTER_DOMAIN}`,
      upstreamPort: port,
    },
  ];
}

/** A container's environment as the kubelet sets it: inline values, Secret keys it names, every key of its envFrom Secrets. */
function environmentOf(view: PodContainerView, secrets: ReadonlyMap<string, SecretView>): EnvironmentArtifact[] {
  const variables: [string, string][] = [];
  // envFrom first: `env` entries override a key of the same name (the kubelet's order).
  for (const source of view.envFromSecrets) {
    for (const [key, value] of secrets.get(`${view.namespace}/${source.name}`)?.data ?? []) variables.push([`${source.prefix}${key}`, value]);
  }
  for (const variable of view.env) {
    if ('value' in variable) variables.push([variable.name, variable.value]);
    else if ('secret' in variable) {
      const value = secrets.get(`${view.namespace}/${variable.secret.name}`)?.data.find(([key]) => key === variable.secret.key)?.[1];
      if (value !== undefined) variables.push([variable.name, value]);
    }
  }
  return variables.length > 0 ? [{ container: kubernetesPlaceName(view.namespace, view.pod, view.container), variables }] : [];
}

/** The text a `kubernetes-secret` artifact carries: the Secret's type and its keys, JSON. */
export function secretArtifactText(type: string, data: readonly (readonly [string, string])[]): string {
  return JSON.stringify({ type, data: Object.fromEntries(data) });
}

function secretArtifact(secret: SecretView): TextArtifact {
  return {
    kind: 'kubernetes-secret',
    container: null,
    path: `${secret.namespace}/secret/${secret.name}`,
    user: null,
    text: secretArtifactText(secret.type, secret.data),
    truncated: false,
  };
}

/** Each key of a Secret a container mounts, as the file it sees (`<mountPath>/<key or item path>`). */
function mountedSecretFiles(view: PodContainerView, secrets: ReadonlyMap<string, SecretView>): TextArtifact[] {
  const files: TextArtifact[] = [];
  for (const mount of view.mounts) {
    if (!mount.secret) continue;
    const secret = secrets.get(`${view.namespace}/${mount.secret.name}`);
    if (!secret) continue;
    const projected = mount.secret.items ?? secret.data.map(([key]) => ({ key, path: key }));
    for (const item of projected) {
      const value = secret.data.find(([key]) => key === item.key);
      if (!value) continue;
      files.push({
        kind: 'kubernetes-secret',
        container: kubernetesPlaceName(view.namespace, view.pod, view.container),
        path: `${mount.mountPath.replace(/\/+$/, '')}/${item.path}`,
        user: null,
        text: secretArtifactText(secret.type, [value]),
        truncated: false,
      });
    }
  }
  return files;
}
