/**
 * The supply-chain register: one row per AI component the scan found (each gateway and model
 * server of `aiComponents`, and each agent app that sends requests to a gateway), with how it was
 * installed, its version and how that is pinned, the registry or index it came from and who
 * published it, all from evidence the scan read (image reference and labels, image history,
 * `.dist-info/INSTALLER`, METADATA, `pyvenv.cfg` / `conda-meta`), its blast radius (what depends
 * on it, the keys held where it runs) and the owner's trust level and notes. What the scan did not
 * read is said to be unknown, never guessed.
 */
import { annotationFor, type RegisterAnnotations } from '../case/register-annotations.js';
import { parseImageReference } from '../domain/containers/image-reference.js';
import { normalizePackageName as normalizeName } from '../domain/advisories/pep503.js';
import { isFindingOfKind } from '../model/index.js';
import type { Container, HostInventory, PythonEnvironment, PythonPackage, RegisterRow, ScanReport, SecretFinding } from '../model/index.js';
import { aiComponents } from './ai-components.js';

/** Docker's default registry, where a reference that names none is pulled from. */
const DOCKER_HUB = 'docker.io';

/** The image labels that name a publisher (OCI image-spec annotations, and the legacy `maintainer`). */
const PUBLISHER_LABELS = ['org.opencontainers.image.vendor', 'org.opencontainers.image.authors', 'org.opencontainers.image.source', 'org.opencontainers.image.url', 'maintainer'] as const;

/**
 * The distribution that is the component itself, by kind, where its name differs from the kind
 * (any other kind is looked up under its own name and its image's last path component).
 */
const MAIN_DISTRIBUTION: Readonly<Record<string, readonly string[]>> = {
  'any-llm': ['any-llm-gateway', 'any-llm-sdk'],
  'open-webui': ['open-webui'],
};

/**
 * The register of a report: gateways and model servers first (as `aiComponents` orders them), then
 * agent apps, then router distributions installed where nothing else covers them; each with the
 * owner's annotation.
 */
export function supplyChainRegister(report: Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>, annotations: RegisterAnnotations | null = null): RegisterRow[] {
  const secrets = report.findings.filter((finding): finding is SecretFinding => isFindingOfKind(finding, 'secret'));
  const rows: RegisterRow[] = [];
  for (const component of aiComponents(report)) {
    const base = provenance(report.hosts, component.host, component.container, component.kind, component.name);
    rows.push({
      id: component.id,
      role: component.role,
      kind: component.kind,
      name: component.name,
      host: component.host,
      container: component.container,
      ...base,
      consumers: component.consumers.map((consumer) => placeName(consumer.name, consumer.host)),
      uses: [],
      keys: component.keys.map((key) => key.fingerprint),
      ...annotated(annotations, component.id),
    });
  }
  const seen = new Set<string>();
  for (const consumer of report.findings) {
    if (!isFindingOfKind(consumer, 'consumer')) continue;
    const id = `agent-app:${consumer.consumerHost}/${consumer.container ?? consumer.consumer}`;
    const gateway = placeName(consumer.gateway, consumer.gatewayHost);
    const existing = rows.find((row) => row.id === id);
    if (existing) {
      if (!existing.uses.includes(gateway)) existing.uses.push(gateway);
      continue;
    }
    if (seen.has(id)) continue;
    seen.add(id);
    const container = hostOf(report.hosts, consumer.consumerHost)?.containers.find((candidate) => candidate.name === consumer.container) ?? null;
    const kind = container ? lastPathComponent(parseImageReference(container.image).path) : consumer.consumer;
    rows.push({
      id,
      role: 'agent-app',
      kind,
      name: consumer.consumer,
      host: consumer.consumerHost,
      container: consumer.container,
      ...provenance(report.hosts, consumer.consumerHost, consumer.container, kind, consumer.consumer),
      consumers: [],
      uses: [gateway],
      keys: keysAt(secrets, consumer.consumerHost, consumer.container),
      ...annotated(annotations, id),
    });
  }
  rows.push(...routerRows(report, rows, secrets, annotations));
  return rows;
}

/**
 * Distributions that are an AI gateway or router in themselves (LiteLLM's proxy and Router SDK,
 * vLLM's OpenAI server, any-llm's gateway, Open WebUI): installed where no other row covers, each
 * is a component of its own, used by whatever imports it there.
 */
const ROUTER_DISTRIBUTIONS = ['litellm', 'vllm', 'any-llm-gateway', 'open-webui'];

/** A row for each place holding a router distribution that no gateway, model server or agent app row covers. */
function routerRows(report: Pick<ScanReport, 'hosts'>, covered: readonly RegisterRow[], secrets: readonly SecretFinding[], annotations: RegisterAnnotations | null): RegisterRow[] {
  const rows: RegisterRow[] = [];
  for (const host of report.hosts) {
    for (const environment of host.pythonEnvironments) {
      // In a container that is a component already, the image is the component and this a dependency of it.
      if (environment.container !== null && covered.some((row) => row.host === host.name && row.container === environment.container)) continue;
      for (const pkg of environment.packages) {
        const kind = normalizeName(pkg.name);
        if (!ROUTER_DISTRIBUTIONS.includes(kind)) continue;
        const where = pkg.metadataPath ?? environment.path;
        if (covered.some((row) => row.host === host.name && row.installEvidence.some((line) => line.endsWith(` in ${where}`)))) continue;
        const id = `router:${host.name}/${environment.container ?? '-'}${environment.path}/${kind}`;
        if (rows.some((row) => row.id === id)) continue;
        const container = environment.container === null ? null : (host.containers.find((candidate) => candidate.name === environment.container) ?? null);
        const main = { environment, pkg };
        rows.push({
          id,
          role: 'router',
          kind,
          name: environment.container ?? environment.origin?.root ?? environment.path,
          host: host.name,
          container: environment.container,
          ...(container ? imageProvenance(container, main) : hostProvenance(main)),
          consumers: [],
          uses: [],
          keys: keysAt(secrets, host.name, environment.container),
          ...annotated(annotations, id),
        });
      }
    }
  }
  return rows;
}

/** The owner's part of a row. */
function annotated(annotations: RegisterAnnotations | null, id: string): Pick<RegisterRow, 'trust' | 'note' | 'annotatedAt'> {
  const annotation = annotationFor(annotations, id);
  return { trust: annotation?.trust ?? null, note: annotation?.note ?? '', annotatedAt: annotation?.updatedAt ?? null };
}

/** `name on host`, or the name alone when it is the host. */
function placeName(name: string, host: string): string {
  return name === host ? name : `${name} on ${host}`;
}

function hostOf(hosts: readonly HostInventory[], name: string): HostInventory | undefined {
  return hosts.find((host) => host.name === name);
}

function lastPathComponent(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The fingerprints of the keys seen in a place (a container, or the host itself). */
function keysAt(secrets: readonly SecretFinding[], host: string, container: string | null): string[] {
  return secrets.filter((secret) => secret.locations.some((location) => location.host === host && location.container === container)).map((secret) => secret.fingerprint);
}

type Provenance = Pick<RegisterRow, 'installedBy' | 'installEvidence' | 'version' | 'pinning' | 'pinningDetail' | 'source' | 'publisher'>;

/** Where the component in a place came from: its container image when it has one, else the Python distribution that is it. */
function provenance(hosts: readonly HostInventory[], hostName: string, containerName: string | null, kind: string, name: string): Provenance {
  const host = hostOf(hosts, hostName);
  const container = containerName === null ? null : (host?.containers.find((candidate) => candidate.name === containerName) ?? null);
  const environments = (host?.pythonEnvironments ?? []).filter((environment) => environment.container === containerName);
  const candidates = [kind, name, ...(MAIN_DISTRIBUTION[kind] ?? []), ...(container ? [lastPathComponent(parseImageReference(container.image).path)] : [])].map(normalizeName);
  const main = mainDistribution(environments, candidates);
  return container ? imageProvenance(container, main) : hostProvenance(main);
}

/** The first distribution in the place whose normalised name is one of the candidates, with its environment. */
function mainDistribution(environments: readonly PythonEnvironment[], candidates: readonly string[]): { environment: PythonEnvironment; pkg: PythonPackage } | null {
  for (const candidate of candidates) {
    for (const environment of environments) {
      const pkg = environment.packages.find((found) => normalizeName(found.name) === candidate);
      if (pkg) return { environment, pkg };
    }
  }
  return null;
}

/** A container's provenance: its image (registry, tag or digest, labels), with the distribution inside it when one is the component. */
function imageProvenance(container: Container, main: { environment: PythonEnvironment; pkg: PythonPackage } | null): Provenance {
  const reference = parseImageReference(container.image);
  const labels = container.labels ?? {};
  const evidence = [`image ${container.image}`];
  if (container.imageDigest) evidence.push(`image digest ${container.imageDigest}`);
  if (main) evidence.push(...distributionEvidence(main));
  const hashed = (container.buildInstalls ?? []).filter((step) => step.hashPinned);
  for (const step of container.buildInstalls ?? []) evidence.push(`image history: ${step.command} (${step.hashPinned ? 'hash-checked' : 'not hash-checked'})`);
  const labelVersion = labels['org.opencontainers.image.version'];
  const version = main?.pkg.version ?? labelVersion ?? reference.tag ?? null;
  const digestPinned = container.pinnedByDigest === true || reference.digest !== null;
  // A moving tag outranks hash-checked installs inside the image: a re-pull replaces the whole image.
  const pinning: Provenance['pinning'] = digestPinned ? 'digest' : reference.tag !== null ? 'tag' : hashed.length > 0 ? 'hash' : 'unknown';
  const hashNote = hashed.length > 0 ? `; its history installs with hashes: ${hashed[0]!.command}` : '';
  const pinningDetail = digestPinned
    ? `deployed by digest ${reference.digest ?? container.imageDigest ?? container.image}${hashNote}`
    : reference.tag !== null
      ? `tag ${reference.tag}: a re-pull can bring other content${container.imageDigest ? `; running ${container.imageDigest}` : ''}${hashNote}`
      : hashed.length > 0
        ? `image history installs with hashes: ${hashed[0]!.command}`
        : 'not read';
  const publisher = PUBLISHER_LABELS.flatMap((label) => (labels[label] ? [`${labels[label]} (label ${label})`] : []));
  if (main) publisher.push(...distributionPublisher(main.pkg));
  return {
    installedBy: 'image',
    installEvidence: evidence,
    version,
    pinning,
    pinningDetail,
    source: reference.registry ?? DOCKER_HUB,
    publisher,
  };
}

/** A host install's provenance: the distribution that is the component, its environment and installer; unknown when none was found. */
function hostProvenance(main: { environment: PythonEnvironment; pkg: PythonPackage } | null): Provenance {
  if (!main) {
    return {
      installedBy: 'unknown',
      installEvidence: ['No container and no Python distribution of it was found: the scan reads containers and Python distributions, not other installs.'],
      version: null,
      pinning: 'unknown',
      pinningDetail: 'not read',
      source: null,
      publisher: [],
    };
  }
  return {
    installedBy: hostInstaller(main.environment, main.pkg),
    installEvidence: distributionEvidence(main),
    version: main.pkg.version,
    pinning: 'version',
    pinningDetail: `${main.pkg.name}==${main.pkg.version} installed; no requirements or lock file beside it was read`,
    // The index pip or uv used is not written in the installed files.
    source: main.environment.origin?.kind === 'conda' || main.pkg.installer === 'conda' ? 'conda channel (not read)' : null,
    publisher: distributionPublisher(main.pkg),
  };
}

/** How a host distribution was installed: the tool whose environment it lives in (pipx, uv tool, uv, conda), else its INSTALLER. */
function hostInstaller(environment: PythonEnvironment, pkg: PythonPackage): string {
  const root = environment.origin?.root ?? environment.path;
  if (/\/pipx\/venvs\//.test(root)) return 'pipx';
  if (/\/uv\/tools\//.test(root)) return 'uv tool';
  if (environment.origin?.kind === 'uv' || environment.origin?.kind === 'conda') return environment.origin.kind;
  if (pkg.installer) return pkg.installer;
  if (pkg.metadataPath?.endsWith('.egg-info') && /\/dist-packages$/.test(environment.path)) return 'system package';
  return environment.origin?.kind ?? 'unknown';
}

/** The evidence lines of a distribution: where it is, its INSTALLER, its environment's marker. */
function distributionEvidence({ environment, pkg }: { environment: PythonEnvironment; pkg: PythonPackage }): string[] {
  const lines = [`${pkg.name} ${pkg.version} in ${pkg.metadataPath ?? environment.path}`];
  if (pkg.installer) lines.push(`INSTALLER: ${pkg.installer}`);
  const origin = environment.origin;
  if (origin) {
    lines.push(
      origin.kind === 'conda'
        ? `conda environment ${origin.root} (conda-meta)`
        : `${origin.kind === 'uv' ? `uv${origin.uvVersion ? ` ${origin.uvVersion}` : ''} virtualenv` : 'virtualenv'} ${origin.root} (pyvenv.cfg)`,
    );
  }
  return lines;
}

/** A distribution's self-declared publisher fields, each named by its METADATA field. */
function distributionPublisher(pkg: PythonPackage): string[] {
  const publisher = pkg.publisher;
  if (!publisher) return [];
  return [
    ...(publisher.author ? [`${publisher.author} (Author)`] : []),
    ...(publisher.maintainer ? [`${publisher.maintainer} (Maintainer)`] : []),
    ...(publisher.homePage ? [`${publisher.homePage} (Home-page)`] : []),
    ...(publisher.projectUrls ?? []).map((url) => `${url} (Project-URL)`),
  ];
}
