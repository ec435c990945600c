/**
 * Parses what `kubectl get … -o json` prints (a `List` of objects, as kubectl 1.30 writes it) into
 * the few fields a scan needs: pods with their containers, env and mounts, the controllers that
 * keep them, Services, Ingresses, and Secrets with their values base64-decoded. Pure, and hostile
 * input in: every field is type-checked, anything else is skipped, never thrown on. Secret values
 * and inline env values stay in clear here: main process only, handed to the secret reader.
 */

/** A variable of a container's `env`, as the manifest writes it. */
export type PodEnvVar =
  | { name: string; value: string }
  | { name: string; secret: { name: string; key: string } }
  /** From a ConfigMap or the downward API: its value is not read. */
  | { name: string; other: string };

/** A volume a container mounts, with what the volume is. */
export interface PodMount {
  mountPath: string;
  readOnly: boolean;
  /** The node's path, for a `hostPath` volume. */
  hostPath?: string;
  /** The Secret, for a `secret` volume, and the keys it projects (all when `items` is absent). */
  secret?: { name: string; items?: { key: string; path: string }[] };
}

/** One container of a pod, with the pod facts it shares. */
export interface PodContainerView {
  namespace: string;
  pod: string;
  container: string;
  uid: string;
  node: string | null;
  owner: { kind: string; name: string } | null;
  labels: Record<string, string>;
  created: string | null;
  restartPolicy: string | null;
  serviceAccount: string | null;
  hostPID: boolean;
  hostNetwork: boolean;
  podIP: string | null;
  image: string;
  /** `status.containerStatuses[].imageID` (`docker.io/library/alpine@sha256:…`), when reported. */
  imageID: string | null;
  /** The runtime's id (`containerd://<hex>` without its scheme), when reported. */
  containerID: string | null;
  running: boolean;
  startedAt: string | null;
  privileged: boolean;
  ports: { name: string | null; containerPort: number; protocol: string }[];
  env: PodEnvVar[];
  /** `envFrom` Secrets (every key becomes a variable, with the prefix); ConfigMaps are not read. */
  envFromSecrets: { name: string; prefix: string }[];
  mounts: PodMount[];
}

/** A Deployment, DaemonSet or StatefulSet, from its pod template. */
export interface WorkloadView {
  kind: string;
  namespace: string;
  name: string;
  images: string[];
  privileged: boolean;
  hostPaths: string[];
  hostPID: boolean;
  hostNetwork: boolean;
}

/** A Service and what it selects. */
export interface ServiceView {
  namespace: string;
  name: string;
  type: string;
  clusterIP: string | null;
  selector: Record<string, string>;
  ports: { name: string | null; port: number; targetPort: string; nodePort: number | null; protocol: string }[];
}

/** One path of an Ingress rule and the Service port it sends to. */
export interface IngressPathView {
  namespace: string;
  ingress: string;
  host: string | null;
  path: string;
  service: string;
  /** A port number, or a Service port's name. */
  port: number | string;
}

/** The workload objects of one `kubectl get` List. */
export interface KubernetesObjects {
  pods: PodContainerView[];
  workloads: WorkloadView[];
  services: ServiceView[];
  ingresses: IngressPathView[];
  /** Items of kinds this parser does not read, or malformed ones. */
  skipped: number;
}

/** A Secret with its values decoded. Main process only: `data` is in clear. */
export interface SecretView {
  namespace: string;
  name: string;
  type: string;
  data: [string, string][];
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);
const objectAt = (value: unknown): Json => (isObject(value) ? value : {});
const arrayAt = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);
const textAt = (value: unknown): string | null => (typeof value === 'string' ? value : null);
const flagAt = (value: unknown): boolean => value === true;
const portAt = (value: unknown): number | null => (typeof value === 'number' && Number.isInteger(value) && value > 0 && value < 65536 ? value : null);

function stringRecord(value: unknown): Record<string, string> {
  const record: Record<string, string> = {};
  for (const [key, entry] of Object.entries(objectAt(value))) if (typeof entry === 'string') record[key] = entry;
  return record;
}

/** The items of a `kind: List` document; throws when the text is not one (the caller notes it). */
function listItems(text: string): unknown[] {
  const document: unknown = JSON.parse(text);
  if (!isObject(document) || !Array.isArray(document.items)) throw new Error('not a kubectl List (no items array)');
  return document.items;
}

/** Parses `kubectl get pods,deployments,daemonsets,statefulsets,services,ingresses -A -o json`. */
export function parseKubernetesObjects(text: string): KubernetesObjects {
  const objects: KubernetesObjects = { pods: [], workloads: [], services: [], ingresses: [], skipped: 0 };
  for (const item of listItems(text)) {
    const object = objectAt(item);
    const metadata = objectAt(object.metadata);
    const namespace = textAt(metadata.namespace);
    const name = textAt(metadata.name);
    if (namespace === null || name === null) {
      objects.skipped++;
      continue;
    }
    switch (object.kind) {
      case 'Pod':
        objects.pods.push(...podContainers(namespace, name, metadata, objectAt(object.spec), objectAt(object.status)));
        break;
      case 'Deployment':
      case 'DaemonSet':
      case 'StatefulSet':
        objects.workloads.push(workload(object.kind, namespace, name, objectAt(objectAt(objectAt(object.spec).template).spec)));
        break;
      case 'Service':
        objects.services.push(service(namespace, name, objectAt(object.spec)));
        break;
      case 'Ingress':
        objects.ingresses.push(...ingressPaths(namespace, name, objectAt(object.spec)));
        break;
      default:
        objects.skipped++;
    }
  }
  return objects;
}

/** Parses `kubectl get secrets -A -o json`: each Secret's `data` decoded from base64 (`stringData` is write-only and never printed). */
export function parseSecretList(text: string): SecretView[] {
  const secrets: SecretView[] = [];
  for (const item of listItems(text)) {
    const object = objectAt(item);
    if (object.kind !== 'Secret') continue;
    const metadata = objectAt(object.metadata);
    const namespace = textAt(metadata.namespace);
    const name = textAt(metadata.name);
    if (namespace === null || name === null) continue;
    const data: [string, string][] = [];
    for (const [key, encoded] of Object.entries(objectAt(object.data))) {
      const value = typeof encoded === 'string' ? decodeBase64(encoded) : null;
      if (value !== null) data.push([key, value]);
    }
    secrets.push({ namespace, name, type: textAt(object.type) ?? 'Opaque', data });
  }
  return secrets;
}

/** Standard base64 to UTF-8 text; null when it is not base64 or not text (a binary keystore is no key this reader knows). */
function decodeBase64(encoded: string): string | null {
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) return null;
  const bytes = Buffer.from(encoded, 'base64');
  const text = new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  return text.includes('\uFFFD') || text.includes('\0') ? null : text;
}

function podContainers(namespace: string, pod: string, metadata: Json, spec: Json, status: Json): PodContainerView[] {
  const owners = arrayAt(metadata.ownerReferences).map(objectAt);
  const controller = owners.find((owner) => owner.controller === true) ?? owners[0];
  const ownerKind = controller ? textAt(controller.kind) : null;
  const ownerName = controller ? textAt(controller.name) : null;
  const volumes = new Map(arrayAt(spec.volumes).map(objectAt).map((volume) => [textAt(volume.name) ?? '', volume] as const));
  const statuses = new Map(arrayAt(status.containerStatuses).map(objectAt).map((entry) => [textAt(entry.name) ?? '', entry] as const));
  const podIPs = arrayAt(status.podIPs).map((entry) => textAt(objectAt(entry).ip)).filter((ip): ip is string => ip !== null);
  const shared = {
    namespace,
    pod,
    uid: textAt(metadata.uid) ?? `${namespace}/${pod}`,
    node: textAt(spec.nodeName),
    owner: ownerKind !== null && ownerName !== null ? { kind: ownerKind, name: ownerName } : null,
    labels: stringRecord(metadata.labels),
    created: textAt(metadata.creationTimestamp),
    restartPolicy: textAt(spec.restartPolicy),
    serviceAccount: textAt(spec.serviceAccountName) ?? textAt(spec.serviceAccount),
    hostPID: flagAt(spec.hostPID),
    hostNetwork: flagAt(spec.hostNetwork),
    podIP: textAt(status.podIP) ?? podIPs[0] ?? null,
  };
  const views: PodContainerView[] = [];
  for (const entry of arrayAt(spec.containers).map(objectAt)) {
    const name = textAt(entry.name);
    const image = textAt(entry.image);
    if (name === null || image === null) continue;
    const state = statuses.get(name);
    const running = objectAt(objectAt(state?.state).running);
    const containerID = state ? textAt(state.containerID) : null;
    views.push({
      ...shared,
      container: name,
      image,
      imageID: state ? (textAt(state.imageID) || null) : null,
      containerID: containerID ? containerID.replace(/^[a-z0-9-]+:\/\//, '') : null,
      running: isObject(objectAt(state?.state).running),
      startedAt: textAt(running.startedAt),
      privileged: flagAt(objectAt(entry.securityContext).privileged),
      ports: arrayAt(entry.ports)
        .map(objectAt)
        .flatMap((port) => {
          const containerPort = portAt(port.containerPort);
          return containerPort === null ? [] : [{ name: textAt(port.name), containerPort, protocol: textAt(port.protocol) ?? 'TCP' }];
        }),
      env: arrayAt(entry.env).map(objectAt).flatMap(envVar),
      envFromSecrets: arrayAt(entry.envFrom)
        .map(objectAt)
        .flatMap((source) => {
          const secret = textAt(objectAt(source.secretRef).name);
          return secret === null ? [] : [{ name: secret, prefix: textAt(source.prefix) ?? '' }];
        }),
      mounts: arrayAt(entry.volumeMounts)
        .map(objectAt)
        .flatMap((mount) => podMount(mount, volumes)),
    });
  }
  return views;
}

function envVar(entry: Json): PodEnvVar[] {
  const name = textAt(entry.name);
  if (name === null) return [];
  if (typeof entry.value === 'string') return [{ name, value: entry.value }];
  const from = objectAt(entry.valueFrom);
  const secretRef = objectAt(from.secretKeyRef);
  const secret = textAt(secretRef.name);
  const key = textAt(secretRef.key);
  if (secret !== null && key !== null) return [{ name, secret: { name: secret, key } }];
  const other = Object.keys(from)[0];
  // `value` absent and no source: Kubernetes sets the variable to the empty string.
  return [other ? { name, other } : { name, value: '' }];
}

function podMount(mount: Json, volumes: ReadonlyMap<string, Json>): PodMount[] {
  const mountPath = textAt(mount.mountPath);
  const volume = volumes.get(textAt(mount.name) ?? '');
  if (mountPath === null || !volume) return [];
  const view: PodMount = { mountPath, readOnly: flagAt(mount.readOnly) };
  const hostPath = textAt(objectAt(volume.hostPath).path);
  if (hostPath !== null) view.hostPath = hostPath;
  const secret = objectAt(volume.secret);
  const secretName = textAt(secret.secretName);
  if (secretName !== null) {
    const items = arrayAt(secret.items)
      .map(objectAt)
      .flatMap((item) => {
        const key = textAt(item.key);
        const path = textAt(item.path);
        return key !== null && path !== null ? [{ key, path }] : [];
      });
    view.secret = Array.isArray(secret.items) ? { name: secretName, items } : { name: secretName };
  }
  return [view];
}

function workload(kind: string, namespace: string, name: string, spec: Json): WorkloadView {
  const containers = [...arrayAt(spec.initContainers), ...arrayAt(spec.containers)].map(objectAt);
  return {
    kind,
    namespace,
    name,
    images: containers.map((container) => textAt(container.image)).filter((image): image is string => image !== null),
    privileged: containers.some((container) => flagAt(objectAt(container.securityContext).privileged)),
    hostPaths: arrayAt(spec.volumes)
      .map((volume) => textAt(objectAt(objectAt(volume).hostPath).path))
      .filter((path): path is string => path !== null),
    hostPID: flagAt(spec.hostPID),
    hostNetwork: flagAt(spec.hostNetwork),
  };
}

function service(namespace: string, name: string, spec: Json): ServiceView {
  return {
    namespace,
    name,
    type: textAt(spec.type) ?? 'ClusterIP',
    clusterIP: textAt(spec.clusterIP),
    selector: stringRecord(spec.selector),
    ports: arrayAt(spec.ports)
      .map(objectAt)
      .flatMap((port) => {
        const number = portAt(port.port);
        if (number === null) return [];
        // targetPort defaults to port (Service spec); a name refers to a container port's name.
        const target = typeof port.targetPort === 'number' ? String(port.targetPort) : (textAt(port.targetPort) ?? String(number));
        return [{ name: textAt(port.name), port: number, targetPort: target, nodePort: portAt(port.nodePort), protocol: textAt(port.protocol) ?? 'TCP' }];
      }),
  };
}

function ingressPaths(namespace: string, ingress: string, spec: Json): IngressPathView[] {
  const paths: IngressPathView[] = [];
  const backendOf = (backend: Json): { service: string; port: number | string } | null => {
    const target = objectAt(backend.service);
    const service = textAt(target.name);
    const port = objectAt(target.port);
    const value = portAt(port.number) ?? textAt(port.name);
    return service !== null && value !== null ? { service, port: value } : null;
  };
  const fallback = backendOf(objectAt(spec.defaultBackend));
  if (fallback) paths.push({ namespace, ingress, host: null, path: '/', ...fallback });
  for (const rule of arrayAt(spec.rules).map(objectAt)) {
    const host = textAt(rule.host);
    for (const entry of arrayAt(objectAt(rule.http).paths).map(objectAt)) {
      const backend = backendOf(objectAt(entry.backend));
      if (backend) paths.push({ namespace, ingress, host, path: textAt(entry.path) ?? '/', ...backend });
    }
  }
  return paths;
}
