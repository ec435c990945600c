/**
 * The steps for compromised packages: isolate the host (contain), per flagged container remove it,
 * its image and its ingress (eradicate) and rotate what it could read that no key step covers,
 * per host outside containers remove the package by hand and the persistence it left (eradicate)
 * and rotate the other credentials readable there; with what is known of each compromise
 * (KNOWN_COMPROMISES) and its own window.
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import { repositoryName } from '../domain/containers/image-reference.js';
import { isFindingOfKind, reachesSeverity } from '../model/index.js';
import type { CompromisedPackageFinding, ConsumerFinding, Container, ExposureVerdict, GatewayFinding, PythonPackage, ScanReport, SecretFinding } from '../model/index.js';
import { decisionFor, type CaseDecisions } from '../case/decisions.js';
import { describeKey } from './key-names.js';
import { patchGatewaySteps, redeployStepId } from './patch-steps.js';
import type { ChecklistStep } from './types.js';
import { baseName, homeOwner, joinAnd, lines, part, shellQuote, unique } from './text.js';
import { compromiseStart } from './windows.js';
import { placeKey } from '../findings/topology/places.js';

/** What the package steps read of the report besides its compromised-package findings. */
export type PackageStepsReport = Pick<ScanReport, 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>;

/** Why a rotate step waits for the place to be cut off and cleaned. */
const STOLEN_AGAIN = 'A secret replaced while the compromised code still runs, or can still send, is stolen again.';

/**
 * Every step for a report's compromised packages, host by host in the order of each host's first
 * finding (so the worst comes first): isolate the host, then per flagged container, then rotate,
 * remove and clean up what sits outside containers. The plan's composer orders them by phase.
 */
export function compromisedPackageSteps(findings: readonly CompromisedPackageFinding[], report: PackageStepsReport, decisions: CaseDecisions | null = null): ChecklistStep[] {
  const { hosts } = report;
  const steps: ChecklistStep[] = [];
  const secrets = report.findings.filter((finding): finding is SecretFinding => isFindingOfKind(finding, 'secret'));
  const consumers = report.findings.filter((finding): finding is ConsumerFinding => isFindingOfKind(finding, 'consumer'));
  // Grouped once: a report with thousands of flagged containers would otherwise read every key and consumer once per container.
  const secretsAt = secretsByPlace(secrets);
  const consumersOf = groupBy(consumers, (consumer) => placeKey(consumer.gatewayHost, consumer.gateway));
  const patched = patchedGateways(report, decisions);
  for (const host of unique(findings.map((finding) => finding.host))) {
    const onHost = findings.filter((finding) => finding.host === host);
    const inventory = hosts.find((candidate) => candidate.name === host);
    const isolate = isolateSteps(host, onHost, { consumers, exposures: report.exposures ?? [], patched: patched.filter((gateway) => gateway.host === host).map((gateway) => gateway.name) });
    steps.push(...isolate);
    const containment = isolate.map((step) => step.id);
    for (const name of unique(onHost.flatMap((finding) => (finding.container === null ? [] : [finding.container])))) {
      const container = inventory?.containers.find((candidate) => candidate.name === name) ?? null;
      const others = (inventory?.containers ?? []).filter((candidate) => candidate.name !== name && !onHost.some((finding) => finding.container === candidate.name));
      steps.push(
        ...containerSteps(host, name, container, onHost.filter((finding) => finding.container === name), {
          containment,
          secrets: secretsAt.get(placeKey(host, name)) ?? [],
          consumers: consumersOf.get(placeKey(host, name)) ?? [],
          survivors: others,
          patch: patched.some((gateway) => gateway.host === host && gateway.name === name),
        }),
      );
    }
    const outside = onHost.filter((finding) => finding.container === null);
    if (outside.length === 0) continue;
    const hostSteps: ChecklistStep[] = [];
    for (const finding of outside) {
      const pkg = inventory?.pythonEnvironments
        .find((environment) => environment.container === null && environment.path === finding.path)
        ?.packages.find(
          (candidate) =>
            normalizePackageName(candidate.name) === normalizePackageName(finding.package) && candidate.version.trim() === finding.version.trim(),
        );
      hostSteps.push(removePackageStep(finding, pkg ?? null));
    }
    for (const name of unique(outside.map((finding) => normalizePackageName(finding.package)))) {
      hostSteps.push(...persistenceSteps(host, outside.filter((finding) => normalizePackageName(finding.package) === name)));
    }
    const keys = secretsAt.get(placeKey(host, null)) ?? [];
    steps.push({ ...hostCredentialsStep(host, outside, keys), blockedBy: [...containment, ...hostSteps.map((step) => step.id)], blockedReason: STOLEN_AGAIN });
    steps.push(...hostSteps);
  }
  return steps;
}

/** The key findings with a place at each host or container (by placeKey), each once per place, in report order. */
function secretsByPlace(secrets: readonly SecretFinding[]): Map<string, SecretFinding[]> {
  const byPlace = new Map<string, SecretFinding[]>();
  for (const secret of secrets) {
    for (const key of new Set(secret.locations.map((location) => placeKey(location.host, location.container)))) {
      const list = byPlace.get(key);
      if (list) list.push(secret);
      else byPlace.set(key, [secret]);
    }
  }
  return byPlace;
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

/**
 * What is known about a compromise beyond its advisory: LiteLLM's own security update for
 * litellm, third-party analyses for telnyx. Keyed by PEP 503 name.
 */
interface KnownCompromise {
  /** Where it sends what it stole: blocked at the firewall and looked for in DNS logs. */
  egress: string[];
  /** Files it leaves outside site-packages, relative to the home of the user who ran Python, or absolute. */
  persistence: string[];
  /** The systemd user unit of that persistence. */
  unit?: string;
  /** Files it adds to site-packages that run at interpreter start. */
  startupFiles: string[];
  /** True for an API gateway: other services sent it their prompts and keys. */
  gateway: boolean;
}

const KNOWN_COMPROMISES: Record<string, KnownCompromise> = {
  litellm: {
    egress: ['models.litellm.cloud', 'checkmarx.zone'],
    persistence: ['~/.config/sysmon/sysmon.py', '~/.config/systemd/user/sysmon.service', '/tmp/pglog', '/tmp/.pg_state'],
    unit: 'sysmon.service',
    startupFiles: ['litellm_init.pth'],
    gateway: true,
  },
  telnyx: {
    egress: ['83.142.209.203'],
    persistence: ['~/.config/audiomon/audiomon.py', '~/.config/systemd/user/audiomon.service', '/tmp/.initd_state'],
    unit: 'audiomon.service',
    startupFiles: [],
    gateway: false,
  },
};

/** Import folder names that differ from the project name; otherwise the name with `-` as `_`. */
const IMPORT_NAMES: Record<string, string[]> = {
  'guardrails-ai': ['guardrails'],
};

/**
 * Isolate a host that runs malicious or high-severity code, and block where the payload sends data.
 * A gateway on it is cut off with it: the step names the consumers that lose it.
 */
export function isolateSteps(
  host: string,
  findings: readonly CompromisedPackageFinding[],
  context: { consumers?: readonly ConsumerFinding[]; exposures?: readonly ExposureVerdict[]; patched?: readonly string[] } = {},
): ChecklistStep[] {
  const serious = findings.filter((finding) => reachesSeverity(finding.severity, 'high'));
  if (serious.length === 0) return [];
  const egress = [...new Set(serious.flatMap((finding) => known(finding)?.egress ?? []))];
  const block = egress.length > 0 ? ` and block egress to ${joinAnd(egress)}` : '';
  const since = compromiseStart(serious.map((finding) => finding.advisories), context.exposures);
  const gateways = unique(serious.filter((finding) => finding.container !== null && known(finding)?.gateway).map((finding) => finding.container!));
  const cutOff = (context.consumers ?? []).filter((consumer) => consumer.gatewayHost === host && gateways.includes(consumer.gateway));
  return [
    {
      id: `contain:isolate-host:${part(host)}`,
      phase: 'contain',
      title: `Isolate ${host}${block}`,
      detail: lines(
        `${host} runs code that an advisory calls malicious or high-severity. Cut it off the network (firewall rule, separate VLAN or unplug) but leave it powered: its logs${findings.some((finding) => finding.container !== null) ? ', /tmp and its containers' : ' and /tmp'} are evidence.`,
        egress.length > 0 &&
          `Block ${joinAnd(egress)} for the whole network (router firewall or DNS sinkhole), not only on ${host}: other machines may carry the same package. Then search DNS and proxy logs since ${since} for lookups of these names; a hit names another host to scan.`,
        gateways.length > 0 &&
          (gateways.every((gateway) => context.patched?.includes(gateway))
            ? `${joinAnd(gateways)} on ${host} ${gateways.length === 1 ? 'is a gateway' : 'are gateways'} running compromised code, to be patched: cut off now, before it is rebuilt. ${
                cutOff.length > 0
                  ? `${joinAnd(unique(cutOff.map(consumerName)))} may break until then; that is intended, each gets a new key in Recover once it is patched.`
                  : 'Whatever uses it may break until it is patched; that is intended.'
              }`
            : `${joinAnd(gateways)} on ${host} ${gateways.length === 1 ? 'is a gateway' : 'are gateways'} running compromised code: cut off now, before its consumers are moved. ${
                cutOff.length > 0
                  ? `${joinAnd(unique(cutOff.map(consumerName)))} may break until then; that is intended, each is moved in Recover.`
                  : 'Whatever uses it may break until it is moved; that is intended.'
              }`),
        `Assume it is exposed until the evidence says otherwise; "probably not" is not the standard.`,
      ),
      host,
      container: null,
      findingIds: serious.map((finding) => finding.id),
      verification: 'manual',
      contains: { host, container: null },
    },
  ];
}

/** The gateways the owner decided to patch, by host and container or service name. */
export function patchedGateways(report: Pick<ScanReport, 'findings'>, decisions: CaseDecisions | null): Array<{ host: string; name: string; id: string }> {
  if (!decisions) return [];
  return report.findings
    .filter((finding): finding is GatewayFinding => isFindingOfKind(finding, 'gateway'))
    .filter((gateway) => decisionFor(decisions, gateway.id)?.decision === 'patch')
    .flatMap((gateway) => [gateway.container, gateway.service].filter((name): name is string => typeof name === 'string').map((name) => ({ host: gateway.host, name, id: gateway.id })));
}

/** `open-webui on gw`, or the host's name for a consumer that is a whole host. */
function consumerName(consumer: ConsumerFinding): string {
  return consumer.consumer === consumer.consumerHost ? consumer.consumer : `${consumer.consumer} on ${consumer.consumerHost}`;
}

/** What a flagged container's steps weigh besides its findings. */
export interface ContainerStepsContext {
  /** The ids of the steps that cut its host off. */
  containment: readonly string[];
  /** The key findings with a place in this container: their own steps rotate them. */
  secrets: readonly SecretFinding[];
  /** The consumers of this container as a gateway: their own steps move them. */
  consumers: readonly ConsumerFinding[];
  /** The other containers on its host that stay: an env file one of them uses is not deleted with it. */
  survivors: readonly Container[];
  /** True when the owner decided to patch this gateway rather than remove it (shared/case/decisions.ts). */
  patch?: boolean;
}

/**
 * A flagged container's steps: remove it, its image and (for a gateway) its ingress; rotate what
 * it could read that no key step covers; find a gateway's consumers when the scan identified none.
 */
export function containerSteps(
  host: string,
  name: string,
  container: Container | null,
  findings: readonly CompromisedPackageFinding[],
  context: ContainerStepsContext = { containment: [], secrets: [], consumers: [], survivors: [] },
): ChecklistStep[] {
  const where = `${part(host)}/${part(name)}`;
  const gateway = findings.some((finding) => known(finding)?.gateway);
  const findingIds = findings.map((finding) => finding.id);
  const removeId = `teardown:remove-container:${where}`;
  const patch = context.patch === true;
  // Patched, the container is rebuilt in place: its rotation waits for the re-deploy instead of the removal.
  const cleanedBy = patch ? redeployStepId(host, name) : removeId;
  const envFiles = ownEnvFiles(container, context.survivors);
  const covered = unique(context.secrets.map((secret) => describeKey(secret.provider, secret.fingerprint)));
  const steps: ChecklistStep[] = [
    {
      id: `rotate:container-keys:${where}`,
      phase: 'rotate',
      // One step per thing: keys the scan fingerprinted have their own steps, so this one is about the rest.
      title: covered.length > 0 ? `Rotate the other secrets container ${name} on ${host} could read` : `Rotate every key container ${name} on ${host} held`,
      detail: lines(
        covered.length > 0 &&
          `The keys the scan fingerprinted in it (${joinAnd(covered)}) have their own steps. This step is for the secrets it could read that the scan could not fingerprint.`,
        `The payload reads environment variables, mounted key files and .env files when Python starts, and sends them away. Rotate every secret the container could read, whatever the odds:`,
        `- everything in its environment (docker inspect --format '{{json .Config.Env}}' ${shellQuote(name)}) and env_file entries of its compose file;`,
        gateway &&
          `- as a gateway: every provider API key in its config, its master key and every virtual key it issued, and its database password;`,
        `- everything mounted into it (docker inspect --format '{{json .Mounts}}' ${shellQuote(name)}): SSH keys, cloud credentials, kubeconfigs, Git and registry logins.`,
        `If the Docker socket was mounted, treat ${host} itself as compromised and rotate its keys too.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'manual',
      blockedBy: [...context.containment, cleanedBy],
      blockedReason: STOLEN_AGAIN,
    },
  ];
  if (patch) {
    const packages = findings.map((finding) => ({ package: finding.package, version: finding.version, advisories: finding.advisories }));
    return [...patchGatewaySteps(host, name, container, packages, { containment: context.containment, findingIds }), ...steps];
  }
  // One step per thing: consumers the scan identified each have a move step; this one is only for finding them.
  if (gateway && context.consumers.length === 0) {
    steps.push({
      id: `teardown:move-consumers:${where}`,
      phase: 'recover',
      title: `Find the consumers of ${name} on ${host} and move each off it`,
      detail: lines(
        `The gateway saw every prompt and response of every service that used it, so its consumers are in the blast radius too. The scan identified none.`,
        `List every consumer of its endpoint (its access logs, reverse-proxy routes, the base URLs in your other services' configs) and move each to a direct backend (Ollama, possibly through an SSH tunnel), another router, or the provider's SDK with its own new key.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'manual',
      ...(context.containment.length > 0
        ? { blockedBy: [...context.containment], blockedReason: 'The gateway runs compromised code: it is cut off first, and its consumers are moved afterwards.' }
        : {}),
    });
  }
  const logs = gateway
    ? `Save its logs first: what the gateway did during the window matters more than which version it was.`
    : `Save its logs first: what ${name} did during the window is evidence.`;
  steps.push(
    {
      id: removeId,
      phase: 'eradicate',
      title: `Stop and remove container ${name} on ${host}`,
      detail: lines(
        logs,
        `If a compose file or systemd unit starts it, take it out of that file too, or it comes back on the next "up" or reboot; if an auto-updater (Watchtower, WUD, Diun) watches it, stop that from re-pulling it.`,
        envFiles.length > 0 && `Delete ${joinAnd(envFiles)} with it: only ${name} used ${envFiles.length === 1 ? 'it' : 'them'}, and ${envFiles.length === 1 ? 'it holds' : 'they hold'} the keys it read. No new key goes there.`,
        gateway &&
          context.consumers.length > 0 &&
          `${joinAnd(unique(context.consumers.map(consumerName)))} lose${context.consumers.length === 1 ? 's' : ''} it for good; each has its own step in Recover.`,
        `A re-scan confirms it: the finding disappears once the container is gone.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'rescan',
      command: `docker logs --timestamps ${shellQuote(name)} > ${shellQuote(`${name}-logs.txt`)} 2>&1; docker stop ${shellQuote(name)} && docker rm ${shellQuote(name)}`,
      eradicates: { host, container: name },
      removes: { host, container: name, envFiles },
    },
    {
      id: `teardown:remove-image:${where}/${part(container?.imageDigest ?? container?.image ?? 'unknown')}`,
      phase: 'eradicate',
      title: container
        ? `Remove its image ${container.image} (${container.imageDigest ?? 'digest unknown'}) from ${host}`
        : `Remove the image container ${name} ran from ${host}`,
      detail: lines(
        container?.imageDigest
          ? `Check with docker image ls --digests --no-trunc that the image you remove is ${container.imageDigest}; a tag can since point elsewhere.`
          : `The scan could not read the image's digest; check docker image ls --digests --no-trunc before removing.`,
        `Remove it from any local registry or pull-through cache too, and do not pull the same tag again until it points to a build made from clean sources; pin the replacement by digest (image@sha256:…).`,
        `The scan does not list images, so only you can confirm this step.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'manual',
      ...(container ? { command: removeImageCommand(container) } : {}),
      blockedBy: [removeId],
      blockedReason: 'Docker refuses to remove an image a container still uses.',
    },
  );
  if (gateway) {
    steps.push({
      id: `clean-up:ingress:${where}`,
      phase: 'eradicate',
      title: `Remove the ingress route and tunnels that served ${name} on ${host}`,
      detail: lines(
        `Delete its reverse-proxy route and DNS name, and the autossh or systemd tunnel that exposed it, so nothing can reach a later container by the old name.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'manual',
    });
  }
  return steps;
}

/**
 * The env files of a container's compose service that no surviving container's service also uses,
 * as absolute paths (relative ones resolved against the compose working folder).
 */
function ownEnvFiles(container: Container | null, survivors: readonly Container[]): string[] {
  const absolute = (owner: Container, path: string): string =>
    path.startsWith('/') ? path : `${(owner.compose?.workingDir ?? '').replace(/\/+$/, '')}/${path.replace(/^\.\//, '')}`;
  if (!container?.compose) return [];
  const kept = new Set(survivors.flatMap((other) => (other.compose?.envFiles ?? []).map((path) => absolute(other, path))));
  return unique(container.compose.envFiles.map((path) => absolute(container, path))).filter((path) => !kept.has(path));
}

/**
 * Rotate what the users who ran a flagged package outside containers can read on the host; when
 * the scan fingerprinted keys there, those have their own steps and this one covers the rest.
 */
export function hostCredentialsStep(host: string, findings: readonly CompromisedPackageFinding[], keys: readonly SecretFinding[] = []): ChecklistStep {
  const paths = unique(findings.map((finding) => finding.path));
  const owners = unique(paths.map(homeOwner).filter((user): user is string => user !== null));
  const system = paths.some((path) => homeOwner(path) === null);
  const covered = unique(keys.map((key) => describeKey(key.provider, key.fingerprint)));
  return {
    id: `rotate:host-credentials:${part(host)}`,
    phase: 'rotate',
    title: covered.length > 0 ? `Rotate the other credentials readable on ${host}` : `Rotate every credential readable on ${host}`,
    detail: lines(
      covered.length > 0 && `The keys the scan fingerprinted on ${host} (${joinAnd(covered)}) have their own steps. This step is for everything else the payload could read there.`,
      `The payload collects what the user who starts Python can read: SSH private keys, AWS/GCP/Azure credentials, Kubernetes tokens, Git and Docker logins, .env files, shell histories, database and LDAP configs, wallets and cloud metadata tokens.`,
      owners.length > 0 &&
        `Flagged in ${joinAnd(owners.map((user) => `${user}'s home`))}: rotate everything ${joinAnd(owners)} can read on ${host}; replace their SSH keys and remove the old public keys from authorized_keys on every other machine.`,
      system &&
        `Flagged in a system folder: any user, root included, may have started Python with it. Rotate what root and those users can read on ${host}.`,
    ),
    host,
    container: null,
    findingIds: findings.map((finding) => finding.id),
    verification: 'manual',
  };
}

/** Look for and remove the service a known compromise leaves running on the host. */
export function persistenceSteps(host: string, findings: readonly CompromisedPackageFinding[]): ChecklistStep[] {
  const first = findings[0];
  const compromise = first && known(first);
  if (!first || !compromise || compromise.persistence.length === 0) return [];
  const owners = unique(findings.map((finding) => homeOwner(finding.path)).filter((user): user is string => user !== null));
  const system = findings.some((finding) => homeOwner(finding.path) === null);
  const homes = [...owners.map((user) => `${user}'s home`), ...(system ? ['the home of every user who ran Python'] : [])];
  return [
    {
      id: `clean-up:persistence:${part(host)}:${part(normalizePackageName(first.package))}`,
      phase: 'eradicate',
      title: `Look for and remove the ${compromise.unit ?? first.package} persistence on ${host}`,
      detail: lines(
        `${first.package} installs a service that keeps running after the package is gone. Look in ${joinAnd(homes)} and in /tmp for: ${compromise.persistence.join(', ')}.`,
        `Copy what you find aside as evidence, then disable the unit and delete the files. The command does both; run it as each of those users, since ~ and systemctl --user are theirs.`,
      ),
      host,
      container: null,
      findingIds: findings.map((finding) => finding.id),
      verification: 'manual',
      command: persistenceCommand(compromise),
      eradicates: { host, container: null },
    },
  ];
}

/** Delete a flagged package from a site folder by hand, never through its own interpreter. */
export function removePackageStep(finding: CompromisedPackageFinding, pkg: PythonPackage | null): ChecklistStep {
  const { host, path } = finding;
  const compromise = known(finding);
  const metadataFolder = pkg?.metadataPath ? baseName(pkg.metadataPath) : `${finding.package.replace(/-/g, '_')}-${finding.version}.dist-info`;
  const normalized = normalizePackageName(finding.package);
  const importFolders = IMPORT_NAMES[normalized] ?? [normalized.replace(/-/g, '_')];
  const startupFiles = compromise?.startupFiles ?? [];
  // The startup hook goes first: should anything start Python meanwhile, it no longer runs.
  const removals = [
    ...(startupFiles.length > 0 ? [`rm -f -- ${startupFiles.map(shellQuote).join(' ')}`] : []),
    `rm -rf -- ${[...importFolders, metadataFolder].map(shellQuote).join(' ')}`,
  ];
  const hook = startupFiles.length > 0 ? ` (${finding.package}'s ${joinAnd(startupFiles)} is one)` : '';
  return {
    id: `teardown:remove-package:${finding.id}`,
    phase: 'eradicate',
    title: `Remove ${finding.package} ${finding.version} from ${path} on ${host}`,
    detail: lines(
      `Delete its files; do not run pip or python to do it. Any interpreter that loads ${path} as a site folder executes the .pth files there at start-up${hook}, so "pip uninstall" from this environment runs the malware once more.`,
      `pip uninstall from a separate, known-clean interpreter is only safe if that interpreter does not load ${path}; a user site (~/.local/lib/pythonX.Y/site-packages) is loaded by every Python of that version the user starts, so for it deleting files is the only safe way.`,
      `Stop first whatever uses it (a systemd unit or cron job running ${finding.package}). Then, as the owner of the folder${owner(path)}: delete ${joinAnd([...startupFiles, ...importFolders.map((folder) => `${folder}/`), `${metadataFolder}/`])}.`,
      `${metadataFolder}/RECORD lists every file the install wrote (read it, e.g. cut -d, -f1 on it): also delete the console scripts it names outside site-packages (bin/…).`,
      `A re-scan confirms it: the finding disappears once the metadata folder is gone.`,
    ),
    host,
    container: null,
    findingIds: [finding.id],
    verification: 'rescan',
    command: `cd -- ${shellQuote(path)} && ${removals.join(' && ')}`,
    eradicates: { host, container: null },
  };
}

/**
 * Removes the image by digest, not by tag: the tag may since point to a newer pull. The model's
 * digest is a repo digest or the image id, and docker wants `repo@digest` for the first and the
 * bare id for the second, so the command tries both.
 */
function removeImageCommand(container: Container): string {
  if (!container.imageDigest) return `docker image rm ${shellQuote(container.image)}`;
  const byRepoDigest = `${repositoryName(container.image)}@${container.imageDigest}`;
  return `docker image rm ${shellQuote(byRepoDigest)} 2>/dev/null || docker image rm ${shellQuote(container.imageDigest)}`;
}

/** Copies the persistence files aside, disables the unit and deletes the files. */
function persistenceCommand(compromise: KnownCompromise): string {
  const home = compromise.persistence.filter((file) => file.startsWith('~/'));
  const tmp = compromise.persistence.filter((file) => !file.startsWith('~/'));
  // `~/` stays unquoted so the shell expands it to the home of whoever runs the command.
  const files = [...home.map((file) => `~/${shellQuote(file.slice(2))}`), ...tmp.map(shellQuote)];
  return [
    `mkdir -p ~/incident-evidence && cp -a -- ${files.join(' ')} ~/incident-evidence/ 2>/dev/null`,
    ...(compromise.unit ? [`systemctl --user disable --now ${shellQuote(compromise.unit)}`] : []),
    `rm -f -- ${files.join(' ')}`,
  ].join('; ');
}

/** What is known about the compromise of a finding's package, if anything. */
function known(finding: CompromisedPackageFinding): KnownCompromise | undefined {
  const name = normalizePackageName(finding.package);
  return Object.hasOwn(KNOWN_COMPROMISES, name) ? KNOWN_COMPROMISES[name] : undefined;
}

/** ` (alice)` for a folder in a home, otherwise who owns a system folder. */
function owner(path: string): string {
  const user = homeOwner(path);
  return user ? ` (${user})` : ' (root for a system folder)';
}
