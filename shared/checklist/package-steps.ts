/**
 * The steps for compromised packages: isolate the host, per flagged container (rotate what it held,
 * move a gateway's consumers, remove it, its image and its ingress), per host outside containers
 * (rotate credentials, remove the package by hand, remove the persistence it left), with what is
 * known of each compromise (KNOWN_COMPROMISES).
 */
import { normalizePackageName } from '../domain/advisories/pep503.js';
import { repositoryName } from '../domain/containers/image-reference.js';
import { reachesSeverity } from '../model/index.js';
import type { CompromisedPackageFinding, Container, HostInventory, PythonPackage } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { WINDOW_START, baseName, homeOwner, joinAnd, lines, part, shellQuote, unique } from './text.js';

/**
 * Every step for a report's compromised packages, host by host in the order of each host's first
 * finding (so the worst comes first): isolate the host, then per flagged container, then rotate,
 * remove and clean up what sits outside containers.
 */
export function compromisedPackageSteps(findings: readonly CompromisedPackageFinding[], hosts: readonly HostInventory[]): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  for (const host of unique(findings.map((finding) => finding.host))) {
    const onHost = findings.filter((finding) => finding.host === host);
    const inventory = hosts.find((candidate) => candidate.name === host);
    steps.push(...isolateSteps(host, onHost));
    for (const name of unique(onHost.flatMap((finding) => (finding.container === null ? [] : [finding.container])))) {
      const container = inventory?.containers.find((candidate) => candidate.name === name) ?? null;
      steps.push(...containerSteps(host, name, container, onHost.filter((finding) => finding.container === name)));
    }
    const outside = onHost.filter((finding) => finding.container === null);
    if (outside.length === 0) continue;
    steps.push(hostCredentialsStep(host, outside));
    for (const finding of outside) {
      const pkg = inventory?.pythonEnvironments
        .find((environment) => environment.container === null && environment.path === finding.path)
        ?.packages.find(
          (candidate) =>
            normalizePackageName(candidate.name) === normalizePackageName(finding.package) && candidate.version.trim() === finding.version.trim(),
        );
      steps.push(removePackageStep(finding, pkg ?? null));
    }
    for (const name of unique(outside.map((finding) => normalizePackageName(finding.package)))) {
      steps.push(...persistenceSteps(host, outside.filter((finding) => normalizePackageName(finding.package) === name)));
    }
  }
  return steps;
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

/** Isolate a host that runs malicious or high-severity code, and block where the payload sends data. */
export function isolateSteps(host: string, findings: readonly CompromisedPackageFinding[]): ChecklistStep[] {
  const serious = findings.filter((finding) => reachesSeverity(finding.severity, 'high'));
  if (serious.length === 0) return [];
  const egress = [...new Set(serious.flatMap((finding) => known(finding)?.egress ?? []))];
  const block = egress.length > 0 ? ` and block egress to ${joinAnd(egress)}` : '';
  return [
    {
      id: `contain:isolate-host:${part(host)}`,
      group: 'contain',
      title: `Isolate ${host}${block}`,
      detail: lines(
        `${host} runs code that an advisory calls malicious or high-severity. Cut it off the network (firewall rule, separate VLAN or unplug) but leave it powered: its logs, /tmp${findings.some((finding) => finding.container !== null) ? ' and its containers' : ''} are evidence.`,
        egress.length > 0 &&
          `Block ${joinAnd(egress)} for the whole network (router firewall or DNS sinkhole), not only on ${host}: other machines may carry the same package. Then search DNS and proxy logs since ${WINDOW_START} for lookups of these names; a hit names another host to scan.`,
        `Assume it is exposed until the evidence says otherwise; "probably not" is not the standard.`,
      ),
      host,
      container: null,
      findingIds: serious.map((finding) => finding.id),
      verification: 'manual',
    },
  ];
}

/** A flagged container's steps: rotate what it held, move a gateway's consumers, remove it and its image, its ingress. */
export function containerSteps(host: string, name: string, container: Container | null, findings: readonly CompromisedPackageFinding[]): ChecklistStep[] {
  const where = `${part(host)}/${part(name)}`;
  const gateway = findings.some((finding) => known(finding)?.gateway);
  const findingIds = findings.map((finding) => finding.id);
  const steps: ChecklistStep[] = [
    {
      id: `rotate:container-keys:${where}`,
      group: 'rotate',
      title: `Rotate every key container ${name} on ${host} held`,
      detail: lines(
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
    },
  ];
  if (gateway) {
    steps.push({
      id: `teardown:move-consumers:${where}`,
      group: 'teardown',
      title: `Move every consumer of ${name} on ${host} to another backend`,
      detail: lines(
        `The gateway saw every prompt and response of every service that used it, so its consumers are in the blast radius too.`,
        `List every consumer of its endpoint (its access logs, reverse-proxy routes, the base URLs in your other services' configs) and move each to a direct backend (Ollama, possibly through an SSH tunnel), another router, or the provider's SDK with its own new key.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'manual',
    });
  }
  steps.push(
    {
      id: `teardown:remove-container:${where}`,
      group: 'teardown',
      title: `Stop and remove container ${name} on ${host}`,
      detail: lines(
        `Save its logs first: what the gateway did during the window matters more than which version it was.`,
        `If a compose file or systemd unit starts it, take it out of that file too, or it comes back on the next "up" or reboot; if an auto-updater (Watchtower, WUD, Diun) watches it, stop that from re-pulling it.`,
        `A re-scan confirms it: the finding disappears once the container is gone.`,
      ),
      host,
      container: name,
      findingIds,
      verification: 'rescan',
      command: `docker logs --timestamps ${shellQuote(name)} > ${shellQuote(`${name}-logs.txt`)} 2>&1; docker stop ${shellQuote(name)} && docker rm ${shellQuote(name)}`,
    },
    {
      id: `teardown:remove-image:${where}/${part(container?.imageDigest ?? container?.image ?? 'unknown')}`,
      group: 'teardown',
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
    },
  );
  if (gateway) {
    steps.push({
      id: `clean-up:ingress:${where}`,
      group: 'clean-up',
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

/** Rotate what the users who ran a flagged package outside containers can read on the host. */
export function hostCredentialsStep(host: string, findings: readonly CompromisedPackageFinding[]): ChecklistStep {
  const paths = unique(findings.map((finding) => finding.path));
  const owners = unique(paths.map(homeOwner).filter((user): user is string => user !== null));
  const system = paths.some((path) => homeOwner(path) === null);
  return {
    id: `rotate:host-credentials:${part(host)}`,
    group: 'rotate',
    title: `Rotate every credential readable on ${host}`,
    detail: lines(
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
      group: 'clean-up',
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
  return {
    id: `teardown:remove-package:${finding.id}`,
    group: 'teardown',
    title: `Remove ${finding.package} ${finding.version} from ${path} on ${host}`,
    detail: lines(
      `Delete its files; do not run pip or python to do it. Any interpreter that loads ${path} as a site folder executes the .pth files there at start-up (litellm 1.82.8's litellm_init.pth is one), so "pip uninstall" from this environment runs the malware once more.`,
      `pip uninstall from a separate, known-clean interpreter is only safe if that interpreter does not load ${path}; a user site (~/.local/lib/pythonX.Y/site-packages) is loaded by every Python of that version the user starts, so for it deleting files is the only safe way.`,
      `Stop first whatever uses it (a systemd unit or cron job running litellm). Then, as the owner of the folder${owner(path)}: delete ${joinAnd([...startupFiles, ...importFolders.map((folder) => `${folder}/`), `${metadataFolder}/`])}.`,
      `${metadataFolder}/RECORD lists every file the install wrote (read it, e.g. cut -d, -f1 on it): also delete the console scripts it names outside site-packages (bin/…).`,
      `A re-scan confirms it: the finding disappears once the metadata folder is gone.`,
    ),
    host,
    container: null,
    findingIds: [finding.id],
    verification: 'rescan',
    command: `cd -- ${shellQuote(path)} && ${removals.join(' && ')}`,
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
