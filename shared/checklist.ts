/**
 * The response checklist: steps generated from a report's findings, in the order an incident is
 * worked (contain, rotate, tear down, clean up). Step ids derive from hosts, containers and
 * finding ids, never from positions, so a re-scan with the same findings yields the same ids and
 * the progress the user recorded (kept by step id in the case folder) still applies.
 */
import type { StepProgress } from './contract.js';
import { authorizedKeyKey, consumerKey, sameLocation, type CaseLedger, type LedgerAuthorizedKey, type LedgerConsumer, type LedgerSecret } from './case-ledger.js';
import { normalizePackageName } from './advisories/pep503.js';
import { imageRepository, UPDATER_NAMES, watchSetOf, type UpdaterKind } from './auto-updaters.js';
import { isGatewayImage } from './container-findings.js';
import { describeLocation, shortFingerprint } from './graph.js';
import { isFindingOfKind } from './model.js';
import type {
  CachedCompromisedArtifactFinding,
  AutoUpdaterFinding,
  CompromisedPackageFinding,
  ConsumerFinding,
  Container,
  DockerSocketMountFinding,
  Finding,
  HostInventory,
  HostStatus,
  IocFinding,
  MutableImageTagFinding,
  PythonPackage,
  ScanReport,
  SecretFinding,
  SecretLocation,
  SshLateralFinding,
} from './model.js';
import { providerConsole } from './secrets/provider-consoles.js';
import { reachesSeverity } from './model.js';

/** Checklist groups in the order they are worked. */
export const CHECKLIST_GROUPS = ['contain', 'rotate', 'teardown', 'clean-up'] as const;
/** A checklist group. */
export type ChecklistGroup = (typeof CHECKLIST_GROUPS)[number];

/** How a step is confirmed: a re-scan no longer finds it, or only the user can tell. */
export type StepVerification = 'rescan' | 'manual';

/** One option of a step that asks the user to pick (where a consumer moves to); the pick is kept in its progress. */
export interface StepChoice {
  value: string;
  label: string;
  detail: string;
}

/**
 * What a re-scan must find nowhere for a step to be verified: a secret's fingerprint on every
 * host it was on, a public key in one account's authorized_keys, or a consumer pointing at a gateway.
 */
export type GoneCheck =
  | { kind: 'secret'; fingerprint: string; hosts: string[] }
  | { kind: 'authorized-key'; fingerprint: string; host: string; user: string }
  | { kind: 'consumer'; consumer: string; consumerHost: string; gateway: string; gatewayHost: string };

/**
 * A step the case ledger keeps after the latest findings stopped naming its subject: it is done by
 * evidence once a scan made after `lastSeen` reads every host of `check` and finds it nowhere.
 */
export interface KeptStep {
  /** Scan time (ISO) the subject was last seen. */
  lastSeen: string;
  check: GoneCheck;
}

/** Why a step counts as done without a tick: the scan that read every host it was on and found it nowhere. */
export interface StepEvidence {
  /** Time (ISO) of that scan. */
  scannedAt: string;
  /** The hosts it read and found it absent on. */
  hosts: string[];
}

/** One thing to do, generated from findings. */
export interface ChecklistStep {
  /** Stable: the same findings give the same id on every scan. */
  id: string;
  group: ChecklistGroup;
  title: string;
  /** Why and how, in plain text; may span several lines. */
  detail: string;
  host: string;
  container: string | null;
  findingIds: string[];
  verification?: StepVerification;
  /** A shell command to copy, when one is safe to give; remote values in it are single-quoted. */
  command?: string;
  /** Options to pick from; the picked value is kept in the step's progress (`choice`). */
  choices?: StepChoice[];
  /** An https page of the app's own table (a provider's key console) to open in the browser. */
  link?: { label: string; url: string };
  /** Every place a secret was seen: host, container, source and path or variable, never a value. */
  locations?: SecretLocation[];
  /** For `rescan` steps that are verified by absence: what must be gone, and where it was. */
  gone?: GoneCheck;
  /** Set on a step generated from the case ledger for something the latest findings no longer name. */
  kept?: KeptStep;
}

/** A step together with what the user recorded for it. */
export interface ChecklistStepWithProgress extends ChecklistStep {
  progress: StepProgress | null;
  done: boolean;
  /**
   * Ticked done, but the report the step was generated from was scanned after the tick and
   * still finds what the step removes (only for `rescan` steps; needs `scannedAt`).
   */
  stillFound: boolean;
  /**
   * For steps with `gone`: ticked, and a scan made after the tick found it nowhere and read every
   * host it was on. Never true from a scan that could not reach one of those hosts.
   */
  verified: boolean;
  /**
   * For steps with `gone` or `kept`: hosts it was on that the scan after the tick (or, for a kept
   * step, after it was last seen) did not read, so it cannot count as gone.
   */
  notScanned: string[];
  /** For `kept` steps: done without a tick, because the latest scan read every host it was on and found it nowhere. */
  doneByEvidence: StepEvidence | null;
}

/** Progress recorded for a step the current findings no longer generate; kept, never dropped. */
export interface OrphanedProgress {
  stepId: string;
  progress: StepProgress;
}

/** The checklist with progress applied. */
export interface MergedChecklist {
  steps: ChecklistStepWithProgress[];
  orphanedProgress: OrphanedProgress[];
}

/** One bar of the progress chart. */
export interface ChecklistGroupSummary {
  group: ChecklistGroup;
  total: number;
  done: number;
  remaining: number;
}

/** Totals for the progress chart; `byGroup` has every group, in order, so the axis never jumps. */
export interface ChecklistSummary {
  total: number;
  done: number;
  byGroup: ChecklistGroupSummary[];
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

const WINDOW_START = '24 March 2026 10:39 UTC';

/**
 * The response steps for a report's findings, grouped and ordered contain → rotate → teardown →
 * clean-up. With the case ledger, the steps of keys, authorized keys and consumers seen by earlier
 * scans but absent from this one are kept (marked `kept`), and a key's steps name every host and
 * place it was ever seen.
 */
export function generateChecklist(report: Pick<ScanReport, 'hosts' | 'findings'>, ledger: CaseLedger | null = null): ChecklistStep[] {
  const steps = new Map<string, ChecklistStep>();
  const add = (step: ChecklistStep): void => {
    const existing = steps.get(step.id);
    // One step per container or host however many findings lead to it: the findings accumulate.
    if (existing) existing.findingIds.push(...step.findingIds.filter((id) => !existing.findingIds.includes(id)));
    else steps.set(step.id, step);
  };

  // Kinds this module does not know yet generate no steps (report-format.md: consumers ignore them).
  const findings = report.findings.filter((finding) => isFindingOfKind(finding, 'compromised-package'));
  // Hosts and containers in the order of their first finding, so the worst comes first.
  for (const host of unique(findings.map((finding) => finding.host))) {
    const onHost = findings.filter((finding) => finding.host === host);
    const inventory = report.hosts.find((candidate) => candidate.name === host);
    isolateSteps(host, onHost).forEach(add);
    for (const name of unique(onHost.flatMap((finding) => (finding.container === null ? [] : [finding.container])))) {
      const container = inventory?.containers.find((candidate) => candidate.name === name) ?? null;
      containerSteps(host, name, container, onHost.filter((finding) => finding.container === name)).forEach(add);
    }
    const outside = onHost.filter((finding) => finding.container === null);
    if (outside.length === 0) continue;
    add(hostCredentialsStep(host, outside));
    for (const finding of outside) {
      const pkg = inventory?.pythonEnvironments
        .find((environment) => environment.container === null && environment.path === finding.path)
        ?.packages.find(
          (candidate) =>
            normalizePackageName(candidate.name) === normalizePackageName(finding.package) && candidate.version.trim() === finding.version.trim(),
        );
      add(removePackageStep(finding, pkg ?? null));
    }
    for (const name of unique(outside.map((finding) => normalizePackageName(finding.package)))) {
      persistenceSteps(host, outside.filter((finding) => normalizePackageName(finding.package) === name)).forEach(add);
    }
  }

  const seenSecrets = new Map((ledger?.secrets ?? []).map((item) => [item.fingerprint, item]));
  report.findings
    .filter((finding) => isFindingOfKind(finding, 'secret'))
    .flatMap((finding) => keySteps(finding, seenSecrets.get(finding.fingerprint) ?? null))
    .forEach(add);
  sshLateralSteps(report).forEach(add);
  report.findings.filter((finding) => isFindingOfKind(finding, 'consumer')).map((finding) => moveConsumerStep(finding, report.hosts)).forEach(add);
  // After the current findings' steps, so a step the findings still generate is never replaced by a kept one.
  if (ledger) keptSteps(report, ledger).forEach(add);
  iocCleanupSteps(report.findings.filter((finding) => isFindingOfKind(finding, 'ioc'))).forEach(add);
  report.findings.filter((finding) => isFindingOfKind(finding, 'cached-compromised-artifact')).map(purgeCacheStep).forEach(add);
  deploymentSteps(report).forEach(add);

  const rank = (step: ChecklistStep): number => CHECKLIST_GROUPS.indexOf(step.group);
  // Array.prototype.sort is stable, so within a group the findings' order (most severe first) holds.
  return [...steps.values()].sort((a, b) => rank(a) - rank(b)).map((step) => ({ ...step, id: boundedId(step.id) }));
}

/**
 * Applies recorded progress to the steps; progress for steps no longer generated comes back as
 * orphans, except a ticked "gone" step (a key, an authorized public key), which stays a step so
 * the scan can show it verified. `hosts` and `findings` are the latest report's: gone steps are
 * judged against them, ticked ones only when `scannedAt` is after their tick, and kept steps (from
 * the case ledger) without a tick when `scannedAt` is after they were last seen.
 */
export function mergeProgress(
  steps: readonly ChecklistStep[],
  progress: Readonly<Record<string, StepProgress>>,
  options: { scannedAt?: string; hosts?: readonly HostInventory[]; findings?: readonly Finding[] } = {},
): MergedChecklist {
  const scannedAt = options.scannedAt === undefined ? Number.NaN : Date.parse(options.scannedAt);
  const ids = new Set(steps.map((step) => step.id));
  const recordedFor = (stepId: string): StepProgress | null => (Object.hasOwn(progress, stepId) ? (progress[stepId] ?? null) : null);
  // A gone step whose thing vanished from the findings (and the ledger) is rebuilt from its id and the hosts kept with its tick.
  const retained = options.hosts
    ? Object.keys(progress)
        .filter((stepId) => !ids.has(stepId))
        .sort()
        .flatMap((stepId) => {
          const step = retainedGoneStep(stepId, recordedFor(stepId));
          return step ? [step] : [];
        })
    : [];
  const retainedIds = new Set(retained.map((step) => step.id));
  const all = [...steps];
  // Retained steps go to the end of their group, after the steps the current findings generate.
  for (const step of retained) {
    const last = all.map((candidate) => candidate.group).lastIndexOf(step.group);
    const firstLater = all.findIndex((candidate) => CHECKLIST_GROUPS.indexOf(candidate.group) > CHECKLIST_GROUPS.indexOf(step.group));
    all.splice(last !== -1 ? last + 1 : firstLater === -1 ? all.length : firstLater, 0, step);
  }
  const merged = all.map((step): ChecklistStepWithProgress => {
    const recorded = recordedFor(step.id);
    const ticked = recorded?.done === true;
    const doneAt = recorded?.doneAt ? Date.parse(recorded.doneAt) : Number.NaN;
    const rescanned = ticked && doneAt < scannedAt;
    // A kept step's subject is absent from the findings; the scan judges it once it is newer than the last sighting.
    const kept = step.kept && options.hosts ? step.kept : null;
    const keptOutcome = kept && Date.parse(kept.lastSeen) < scannedAt ? goneOutcome(kept.check, options.hosts!, [], options.findings) : null;
    const keptAbsent = keptOutcome !== null && keptOutcome.foundOn.length === 0;
    const doneByEvidence: StepEvidence | null =
      keptAbsent && keptOutcome.notScanned.length === 0 ? { scannedAt: options.scannedAt!, hosts: goneCheckHosts(kept!.check) } : null;
    const done = ticked || doneByEvidence !== null;
    if (step.gone && options.hosts) {
      const outcome = goneOutcome(step.gone, options.hosts, recorded?.watchedHosts ?? [], options.findings);
      const absent = rescanned && outcome.foundOn.length === 0;
      return {
        ...step,
        progress: recorded,
        done,
        stillFound: rescanned && outcome.foundOn.length > 0,
        verified: doneByEvidence !== null || (absent && outcome.notScanned.length === 0),
        notScanned: doneByEvidence !== null ? [] : absent ? outcome.notScanned : keptAbsent ? keptOutcome.notScanned : [],
        doneByEvidence,
      };
    }
    return {
      ...step,
      progress: recorded,
      done,
      stillFound: rescanned && step.verification === 'rescan' && !kept,
      verified: false,
      notScanned: keptAbsent && doneByEvidence === null ? keptOutcome.notScanned : [],
      doneByEvidence,
    };
  });
  const orphanedProgress = Object.keys(progress)
    .filter((stepId) => !ids.has(stepId) && !retainedIds.has(stepId))
    .sort()
    .map((stepId) => ({ stepId, progress: progress[stepId] as StepProgress }));
  return { steps: merged, orphanedProgress };
}

/** The hosts a gone check must read: where a secret was, the account's host, the consumer's and the gateway's hosts. */
export function goneCheckHosts(check: GoneCheck): string[] {
  if (check.kind === 'secret') return [...check.hosts];
  if (check.kind === 'authorized-key') return [check.host];
  return unique([check.consumerHost, check.gatewayHost]);
}

/** Host statuses whose scan read nothing, so nothing can be said gone from them. */
const NOT_READ: ReadonlySet<HostStatus> = new Set<HostStatus>(['unreachable', 'auth-failed', 'host-key-mismatch', 'host-key-unknown', 'error']);

/**
 * Where a gone check still finds its subject, and which of the hosts it must be gone from were not
 * read. A consumer is judged from the report's consumer findings (without them, nothing counts as read).
 */
export function goneOutcome(
  check: GoneCheck,
  hosts: readonly HostInventory[],
  watchedHosts: readonly string[] = [],
  findings?: readonly Finding[],
): { foundOn: string[]; notScanned: string[] } {
  const byName = new Map(hosts.map((host) => [host.name, host]));
  if (check.kind === 'consumer') {
    const hostsOf = unique([check.consumerHost, check.gatewayHost, ...watchedHosts]);
    if (!findings) return { foundOn: [], notScanned: hostsOf };
    const found = findings.some((finding) => isFindingOfKind(finding, 'consumer') && consumerKey(finding) === consumerKey(check));
    // The consumer's host must be reached with its configured URLs read; the gateway's host reached, or the gateway is unknown.
    const read = (name: string): boolean => {
      const host = byName.get(name);
      if (host === undefined || NOT_READ.has(host.status)) return false;
      return name !== check.consumerHost || host.endpointReferences !== undefined;
    };
    return { foundOn: found ? [check.consumerHost] : [], notScanned: hostsOf.filter((name) => !read(name)) };
  }
  if (check.kind === 'secret') {
    const foundOn = hosts.filter((host) => (host.secrets ?? []).some((secret) => secret.fingerprint === check.fingerprint)).map((host) => host.name);
    // Read means reached and searched for secrets: a partial scan whose secret search did not run has no `secrets`.
    const read = (name: string): boolean => {
      const host = byName.get(name);
      return host !== undefined && !NOT_READ.has(host.status) && host.secrets !== undefined;
    };
    return { foundOn, notScanned: unique([...check.hosts, ...watchedHosts]).filter((name) => !read(name)) };
  }
  const host = byName.get(check.host);
  const bare = check.fingerprint.replace(/^ssh:/, '');
  const found = (host?.authorizedKeys ?? []).some((key) => key.user === check.user && key.fingerprint.replace(/^ssh:/, '') === bare);
  const read = host !== undefined && !NOT_READ.has(host.status) && host.authorizedKeys !== undefined;
  return { foundOn: found ? [check.host] : [], notScanned: read ? [] : [check.host] };
}

/**
 * Done and total steps, overall and per group, for the progress chart: ticked, or done by evidence
 * for merged steps. Orphaned progress is not counted.
 */
export function checklistSummary(
  steps: readonly (ChecklistStep & { doneByEvidence?: StepEvidence | null })[],
  progress: Readonly<Record<string, StepProgress>>,
): ChecklistSummary {
  const isDone = (step: ChecklistStep & { doneByEvidence?: StepEvidence | null }): boolean =>
    (Object.hasOwn(progress, step.id) && progress[step.id]?.done === true) || (step.doneByEvidence ?? null) !== null;
  const byGroup = CHECKLIST_GROUPS.map((group): ChecklistGroupSummary => {
    const inGroup = steps.filter((step) => step.group === group);
    const done = inGroup.filter(isDone).length;
    return { group, total: inGroup.length, done, remaining: inGroup.length - done };
  });
  return { total: steps.length, done: steps.filter(isDone).length, byGroup };
}

function isolateSteps(host: string, findings: readonly CompromisedPackageFinding[]): ChecklistStep[] {
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

function containerSteps(host: string, name: string, container: Container | null, findings: readonly CompromisedPackageFinding[]): ChecklistStep[] {
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

function hostCredentialsStep(host: string, findings: readonly CompromisedPackageFinding[]): ChecklistStep {
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

function persistenceSteps(host: string, findings: readonly CompromisedPackageFinding[]): ChecklistStep[] {
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

function removePackageStep(finding: CompromisedPackageFinding, pkg: PythonPackage | null): ChecklistStep {
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

const KEY_GONE = 'rotate:key-gone:';
const AUTHORIZED_KEY = 'rotate:authorized-key:';

function isSshKey(finding: Pick<SecretFinding, 'provider' | 'fingerprint'>): boolean {
  return finding.provider === 'ssh' || finding.fingerprint.startsWith('ssh:');
}

function keyName(provider: string, fingerprint: string): string {
  return `${providerConsole(provider)?.name ?? provider} key ${shortFingerprint(fingerprint)}`;
}

/** What the key steps read of a secret finding (a ledger entry gives the same). */
type KeySubject = Pick<SecretFinding, 'id' | 'provider' | 'fingerprint' | 'locations' | 'host' | 'container'>;

/**
 * Three steps per API key, worked in order: rotate it at the provider (with the provider's key
 * page when the table knows it), put the new one in every place the old one was, then tick the
 * last step and re-scan: it is verified once a later scan reads every host it was on and finds
 * the fingerprint nowhere. Places and hosts earlier scans saw it at (`known`) count too. SSH keys
 * get their own steps (sshKeySteps).
 */
function keySteps(current: KeySubject, known: LedgerSecret | null = null): ChecklistStep[] {
  if (isSshKey(current)) return sshKeySteps(current);
  const earlier = (known?.locations ?? []).filter((location) => !current.locations.some((place) => sameLocation(place, location)));
  const finding = { ...current, locations: [...current.locations, ...earlier] };
  const fp = part(finding.fingerprint);
  const name = keyName(finding.provider, finding.fingerprint);
  const keyPage = providerConsole(finding.provider);
  const hosts = unique([...finding.locations.map((location) => location.host), ...(known?.hosts ?? []).map((host) => host.name)]);
  const common = { host: finding.host, container: finding.container, findingIds: [finding.id] };
  return [
    {
      id: `rotate:key-at-provider:${fp}`,
      group: 'rotate',
      title: keyPage ? `Rotate the ${name} at ${keyPage.name}` : `Rotate the ${name} where it was issued`,
      detail: lines(
        `The key with fingerprint ${finding.fingerprint} was readable where compromised code ran; assume it was sent away.`,
        keyPage
          ? `On ${keyPage.name}'s key page, create a new key, then revoke the old one (match it by name, creation date or its last characters, ${finding.fingerprint.split(':').pop()}).${keyPage.hint ? ` Note: ${keyPage.hint}.` : ''}`
          : `It is a ${finding.provider} secret: issue a new one where it comes from (the gateway's admin page for a master or virtual key, the database for a password) and disable the old one.`,
        `Check the provider's usage and audit logs since ${WINDOW_START} for requests you did not make.`,
      ),
      ...common,
      verification: 'manual',
      ...(keyPage ? { link: { label: `${keyPage.name} keys`, url: keyPage.url } } : {}),
    },
    {
      id: `rotate:key-replace:${fp}`,
      group: 'rotate',
      title: `Put the new key in every place the old ${name} was (${plural(finding.locations.length, 'place')})`,
      detail: lines(
        `Replace it in each place listed with the step (${joinAnd(unique(finding.locations.map(describeLocation)))}), then restart what reads it (re-create a container: docker restart keeps the old environment).`,
        `Do not put the same new key everywhere again if you can avoid it: one key per service limits the next leak.`,
      ),
      ...common,
      verification: 'manual',
      locations: finding.locations,
    },
    {
      id: `${KEY_GONE}${fp}`,
      group: 'rotate',
      title: `Verify the old ${name} is gone`,
      detail: lines(
        `Tick this once the old key is replaced everywhere, then re-scan ${joinAnd(hosts)}.`,
        `A scan made after the tick verifies it when it reads every one of these hosts and finds ${finding.fingerprint} nowhere; a host it cannot reach does not count as clean.`,
      ),
      ...common,
      verification: 'rescan',
      gone: { kind: 'secret', fingerprint: finding.fingerprint, hosts },
    },
  ];
}

/** One "replace key X on host A" step per host a private SSH key was found on. */
function sshKeySteps(finding: KeySubject): ChecklistStep[] {
  const byHost = new Map<string, SecretLocation[]>();
  for (const location of finding.locations) byHost.set(location.host, [...(byHost.get(location.host) ?? []), location]);
  if (byHost.size === 0) byHost.set(finding.host, []);
  return [...byHost].map(([host, locations]) => replaceSshKeyStep(host, finding.fingerprint, finding.id, locations));
}

function replaceSshKeyStep(host: string, fingerprint: string, findingId: string, locations: readonly SecretLocation[]): ChecklistStep {
  const paths = unique(locations.map((location) => location.path).filter((path): path is string => path !== undefined));
  const owners = unique(paths.map(homeOwner).filter((user): user is string => user !== null));
  return {
    id: `rotate:ssh-replace:${part(host)}:${part(fingerprint)}`,
    group: 'rotate',
    title: `Replace SSH key ${shortFingerprint(fingerprint)} on ${host}`,
    detail: lines(
      `The private key ${fingerprint}${paths.length > 0 ? ` (${joinAnd(paths)})` : ''} was readable on ${host} where compromised code ran.`,
      `Make a new key pair${owners.length > 0 ? ` as ${joinAnd(owners)}` : ''} (ssh-keygen -t ed25519), install its public half wherever the old one was accepted, then delete the old private key and its .pub. The old public half must also leave every authorized_keys that lists it (its own steps, where the scan found one).`,
    ),
    host,
    container: null,
    findingIds: [findingId],
    verification: 'manual',
    ...(locations.length > 0 ? { locations: [...locations] } : {}),
  };
}

/**
 * For each path a private SSH key opens to another host: replace the key where it lies, and take
 * its public half out of that account's authorized_keys, which a re-scan verifies.
 */
function sshLateralSteps(report: Pick<ScanReport, 'hosts' | 'findings'>): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  for (const finding of report.findings.filter((candidate): candidate is SshLateralFinding => isFindingOfKind(candidate, 'ssh-lateral'))) {
    steps.push(replaceSshKeyStep(finding.fromHost, finding.keyFingerprint, finding.id, []));
    const key = { fingerprint: finding.keyFingerprint, host: finding.toHost, user: finding.toUser, fromHosts: [finding.fromHost] };
    steps.push(authorizedKeyStep(key, [finding.id], report.hosts));
  }
  return steps;
}

/** Take a public key out of one account's authorized_keys; a re-scan verifies it. */
function authorizedKeyStep(
  key: Pick<LedgerAuthorizedKey, 'fingerprint' | 'host' | 'user' | 'fromHosts'>,
  findingIds: string[],
  hosts: readonly HostInventory[],
): ChecklistStep {
  const bare = key.fingerprint.replace(/^ssh:/, '');
  const entries = (hosts.find((host) => host.name === key.host)?.authorizedKeys ?? []).filter(
    (entry) => entry.user === key.user && entry.fingerprint === bare,
  );
  const paths = unique(entries.map((entry) => entry.path));
  const comment = entries.find((entry) => entry.comment)?.comment;
  return {
    id: `${AUTHORIZED_KEY}${part(key.host)}:${part(key.user)}:${part(key.fingerprint)}`,
    group: 'rotate',
    title: `Remove SSH key ${shortFingerprint(key.fingerprint)} from ${key.user}'s authorized_keys on ${key.host}`,
    detail: lines(
      `Whoever holds the private half (found on ${joinAnd(key.fromHosts)}) logs into ${key.host} as ${key.user}.`,
      `In ${paths.length > 0 ? joinAnd(paths) : `${key.user}'s authorized_keys`}, delete the line whose fingerprint is ${bare}${comment ? ` (comment ${comment})` : ''}; ssh-keygen -lf on the file lists each line's fingerprint. Add the new key's public half if it still needs the access.`,
      `A re-scan verifies it: tick the step, re-scan ${key.host}, and it is confirmed once ${key.user}'s authorized_keys no longer lists the key.`,
    ),
    host: key.host,
    container: null,
    findingIds,
    verification: 'rescan',
    gone: { kind: 'authorized-key', fingerprint: key.fingerprint, host: key.host, user: key.user },
    ...(paths.length > 0 ? { command: `ssh-keygen -lf ${shellQuote(paths[0]!)}` } : {}),
  };
}

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
function moveConsumerStep(finding: ConsumerFinding, hosts: readonly HostInventory[]): ChecklistStep {
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

function consumerCheck(item: Pick<LedgerConsumer, 'consumer' | 'consumerHost' | 'gateway' | 'gatewayHost'>): GoneCheck {
  return { kind: 'consumer', consumer: item.consumer, consumerHost: item.consumerHost, gateway: item.gateway, gatewayHost: item.gatewayHost };
}

/**
 * Steps for what the case ledger saw and the latest findings no longer name: a key's rotate,
 * replace and verify steps, the replace step of an SSH key on each host it left, the removal of a
 * public key from authorized_keys, a consumer's move off its gateway. Each is `kept`, so the merge
 * can mark it done by evidence once a scan after it was last seen reads every host it was on.
 */
function keptSteps(report: Pick<ScanReport, 'hosts' | 'findings'>, ledger: CaseLedger): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  const secrets = new Map(
    report.findings.filter((finding) => isFindingOfKind(finding, 'secret')).map((finding) => [finding.fingerprint, finding] as const),
  );
  const gone = (what: string, lastSeen: string, hosts: readonly string[]): string =>
    `The latest findings no longer name ${what}: last seen in the scan of ${lastSeen} on ${joinAnd([...hosts])}. A later scan that reads ${hosts.length === 1 ? 'that host' : 'each of these hosts'} and finds it nowhere marks this step done by evidence.`;
  for (const item of ledger.secrets) {
    const now = secrets.get(item.fingerprint);
    if (isSshKey(item)) {
      // Per host: a private key deleted on one host while still found on another has left that one.
      const holding = new Set(now ? (now.locations.length > 0 ? now.locations.map((location) => location.host) : [now.host]) : []);
      for (const host of item.hosts.filter((candidate) => !holding.has(candidate.name))) {
        const step = replaceSshKeyStep(host.name, item.fingerprint, '', item.locations.filter((location) => location.host === host.name));
        steps.push({
          ...step,
          detail: lines(gone(`${item.fingerprint} on ${host.name}`, host.lastSeen, [host.name]), step.detail),
          findingIds: [],
          kept: { lastSeen: host.lastSeen, check: { kind: 'secret', fingerprint: item.fingerprint, hosts: [host.name] } },
        });
      }
      continue;
    }
    if (now) continue;
    const hosts = item.hosts.map((host) => host.name);
    const first = item.locations[0];
    const subject: KeySubject = {
      id: '',
      provider: item.provider,
      fingerprint: item.fingerprint,
      locations: item.locations,
      host: first?.host ?? hosts[0] ?? '',
      container: first?.container ?? null,
    };
    for (const step of keySteps(subject, item)) {
      steps.push({
        ...step,
        detail: lines(gone(item.fingerprint, item.lastSeen, hosts), step.detail),
        findingIds: [],
        kept: { lastSeen: item.lastSeen, check: { kind: 'secret', fingerprint: item.fingerprint, hosts } },
      });
    }
  }
  const lateral = new Set(
    report.findings
      .filter((finding) => isFindingOfKind(finding, 'ssh-lateral'))
      .map((finding) => authorizedKeyKey({ host: finding.toHost, user: finding.toUser, fingerprint: finding.keyFingerprint })),
  );
  for (const key of ledger.authorizedKeys.filter((candidate) => !lateral.has(authorizedKeyKey(candidate)))) {
    const step = authorizedKeyStep(key, [], report.hosts);
    steps.push({
      ...step,
      detail: lines(gone(`${key.user}'s key ${key.fingerprint} on ${key.host}`, key.lastSeen, [key.host]), step.detail),
      kept: { lastSeen: key.lastSeen, check: step.gone! },
    });
  }
  const consumers = new Set(report.findings.filter((finding) => isFindingOfKind(finding, 'consumer')).map(consumerKey));
  for (const item of ledger.consumers.filter((candidate) => !consumers.has(consumerKey(candidate)))) {
    const check = consumerCheck(item);
    const where = item.consumer === item.consumerHost ? item.consumer : `${item.consumer} on ${item.consumerHost}`;
    steps.push({
      id: moveConsumerId(item),
      group: 'teardown',
      title: `Move ${where} off ${item.gateway} on ${item.gatewayHost}`,
      detail: lines(
        `The latest findings no longer show ${where} sending requests to ${item.gateway} on ${item.gatewayHost}: last seen in the scan of ${item.lastSeen}. A later scan that reads ${joinAnd(goneCheckHosts(check))} and finds no way from it to the gateway marks this step done by evidence.`,
        `It sent its prompts and the key it used through the gateway while the gateway ran compromised code: give it a new key where it goes now.`,
      ),
      host: item.consumerHost,
      container: item.container,
      findingIds: [],
      verification: 'rescan',
      choices: [...CONSUMER_TARGETS],
      gone: check,
      kept: { lastSeen: item.lastSeen, check },
    });
  }
  return steps;
}

function moveConsumerId(item: Pick<LedgerConsumer, 'consumer' | 'consumerHost' | 'gateway' | 'gatewayHost'>): string {
  return `teardown:move-consumer:${part(item.consumerHost)}/${part(item.consumer)}:${part(item.gatewayHost)}/${part(item.gateway)}`;
}

/**
 * A ticked gone step whose subject the current findings no longer mention, rebuilt from its id
 * and the hosts kept with its tick, so the scan can show it verified (or not, when a host it was
 * on was not read). Null for any other step or one never ticked.
 */
function retainedGoneStep(stepId: string, progress: StepProgress | null): ChecklistStep | null {
  if (!progress?.done) return null;
  const decode = (value: string): string | null => {
    try {
      return decodeURIComponent(value);
    } catch {
      return null;
    }
  };
  if (stepId.startsWith(KEY_GONE)) {
    const fingerprint = decode(stepId.slice(KEY_GONE.length));
    if (!fingerprint || !progress.watchedHosts?.length) return null;
    const provider = fingerprint.split(':')[0] ?? 'unknown';
    return {
      id: stepId,
      group: 'rotate',
      title: `Verify the old ${keyName(provider, fingerprint)} is gone`,
      detail: `The latest findings no longer name ${fingerprint}. It was on ${joinAnd(progress.watchedHosts)} when this step was ticked; it counts as gone once a scan after the tick reads each of them.`,
      host: progress.watchedHosts[0]!,
      container: null,
      findingIds: [],
      verification: 'rescan',
      gone: { kind: 'secret', fingerprint, hosts: [...progress.watchedHosts] },
    };
  }
  if (stepId.startsWith(AUTHORIZED_KEY)) {
    const fields = stepId.slice(AUTHORIZED_KEY.length).split(':').map(decode);
    const [host, user, fingerprint] = fields;
    if (fields.length !== 3 || !host || !user || !fingerprint) return null;
    return {
      id: stepId,
      group: 'rotate',
      title: `Remove SSH key ${shortFingerprint(fingerprint)} from ${user}'s authorized_keys on ${host}`,
      detail: `The latest findings no longer name this path. It counts as removed once a scan after the tick reads ${host}'s authorized_keys and ${user}'s no longer lists ${fingerprint}.`,
      host,
      container: null,
      findingIds: [],
      verification: 'rescan',
      gone: { kind: 'authorized-key', fingerprint, host, user },
    };
  }
  return null;
}

/**
 * One clean-up step per IOC unit (its file and enablement links together) and per IOC file found
 * on a host or in a container. Only file and systemd-unit hits leave something to delete; a
 * string in a log or history is evidence to keep, not to remove. The product never runs the
 * command: it is advice, and a re-scan that no longer finds the hit confirms the step.
 */
function iocCleanupSteps(findings: readonly IocFinding[]): ChecklistStep[] {
  const groups = new Map<string, { unit: string | null; findings: IocFinding[] }>();
  for (const finding of findings) {
    if (finding.path === undefined) continue;
    const isUnit = finding.ruleKind === 'systemd-unit' && finding.unit !== undefined;
    if (!isUnit && finding.ruleKind !== 'file') continue;
    const place = finding.container === null ? 'host' : `container=${part(finding.container)}`;
    const id = isUnit
      ? `clean-up:ioc-unit:${part(finding.host)}:${place}:${part(finding.unit!)}:${part(unitScope(finding.path))}`
      : `clean-up:ioc-file:${part(finding.host)}:${place}:${part(finding.path)}`;
    const group = groups.get(id) ?? { unit: isUnit ? finding.unit! : null, findings: [] };
    group.findings.push(finding);
    groups.set(id, group);
  }
  const steps = [...groups].map(([id, group]) => (group.unit === null ? iocFileStep(id, group.findings) : iocUnitStep(id, group.unit, group.findings)));
  // Units first: a file a unit starts comes back until the unit is gone.
  return [...steps.filter((step) => step.id.startsWith('clean-up:ioc-unit:')), ...steps.filter((step) => step.id.startsWith('clean-up:ioc-file:'))];
}

/** A compromised wheel or sdist left in a pip or uv cache: purged so no later install reuses it. */
function purgeCacheStep(finding: CachedCompromisedArtifactFinding): ChecklistStep {
  return {
    id: `clean-up:purge-cache:${part(finding.host)}:${part(finding.path)}`,
    group: 'clean-up',
    title: `Purge ${finding.package} ${finding.version} from the cache on ${finding.host}`,
    detail: lines(
      `${finding.path} holds ${finding.package} ${finding.version}, which the advisories name. pip or uv would install it again from the cache, without asking the index, the next time something requires that version.`,
      'Delete the file (or run `pip cache remove` / `uv cache clean` for the package, from an interpreter that does not load a compromised site folder).',
      'Blast Radius never runs this command; a re-scan that no longer finds the file confirms the step.',
    ),
    host: finding.host,
    container: finding.container,
    findingIds: [finding.id],
    verification: 'rescan',
    command: `rm -rf -- ${shellQuote(finding.path)}`,
  };
}

/**
 * Steps from how containers are deployed, for the containers that matter: those holding a flagged
 * package (or executable .pth) and gateway images. Stopping an updater from re-pulling them is
 * containment (a re-pull can bring the bad build back); pinning and the socket review harden.
 */
function deploymentSteps(report: Pick<ScanReport, 'hosts' | 'findings'>): ChecklistStep[] {
  const flagged = new Set(
    report.findings
      .filter((finding) => (isFindingOfKind(finding, 'compromised-package') || isFindingOfKind(finding, 'executable-pth')) && finding.container !== null)
      .map((finding) => `${finding.host}\u0000${finding.container}`),
  );
  const inventoryOf = (host: string): HostInventory | undefined => report.hosts.find((candidate) => candidate.name === host);
  const containerOf = (host: string, name: string): Container | null => inventoryOf(host)?.containers.find((candidate) => candidate.name === name) ?? null;
  const isFlagged = (host: string, name: string): boolean => flagged.has(`${host}\u0000${name}`);
  const matters = (host: string, name: string, image: string | null): boolean => isFlagged(host, name) || (image !== null && isGatewayImage(image));

  const steps: ChecklistStep[] = [];
  for (const finding of report.findings.filter((candidate) => isFindingOfKind(candidate, 'auto-updater'))) {
    if (finding.container === null) continue;
    const updater = containerOf(finding.host, finding.container);
    const inventory = inventoryOf(finding.host);
    // The inventory's watch set says which it would replace; without it, every watched one may be.
    const set = updater && inventory ? watchSetOf(updater, inventory.containers) : null;
    const replaced = set ? finding.watches.filter((name) => set.updates.includes(name)) : finding.watches;
    for (const name of replaced) {
      if (name === finding.container) continue;
      const watched = containerOf(finding.host, name);
      if (!matters(finding.host, name, watched?.image ?? null)) continue;
      steps.push(stopUpdaterStep(finding, name, watched, isFlagged(finding.host, name)));
    }
  }
  for (const finding of report.findings.filter((candidate) => isFindingOfKind(candidate, 'mutable-image-tag'))) {
    if (finding.container === null || !matters(finding.host, finding.container, finding.image)) continue;
    steps.push(pinDigestStep(finding, containerOf(finding.host, finding.container), isFlagged(finding.host, finding.container)));
  }
  for (const finding of report.findings.filter((candidate) => isFindingOfKind(candidate, 'docker-socket-mount'))) {
    if (finding.container === null) continue;
    steps.push(socketReviewStep(finding, isFlagged(finding.host, finding.container)));
  }
  return steps;
}

/** How to take one container out of an updater's reach, per updater: a label, or a mode where only opted-in containers are watched. */
const UPDATER_OPT_OUT: Record<UpdaterKind, { label: string; mode: string }> = {
  watchtower: {
    label: 'com.centurylinklabs.watchtower.enable=false',
    mode: 'or run Watchtower in label mode (--label-enable or WATCHTOWER_LABEL_ENABLE=true) so it updates only containers labelled com.centurylinklabs.watchtower.enable=true',
  },
  wud: { label: 'wud.watch=false', mode: "or set WUD_WATCHER_<NAME>_WATCHBYDEFAULT=false so it watches only containers labelled wud.watch=true" },
  diun: { label: 'diun.enable=false', mode: 'or leave DIUN_PROVIDERS_DOCKER_WATCHBYDEFAULT unset (false)' },
  ouroboros: { label: 'com.ouroboros.enable=false', mode: 'or add it to IGNORE, or set LABELS_ONLY=true' },
};

function stopUpdaterStep(finding: AutoUpdaterFinding, name: string, watched: Container | null, flagged: boolean): ChecklistStep {
  const { host } = finding;
  const updater = finding.container!;
  const kind = (finding.updater in UPDATER_OPT_OUT ? finding.updater : 'watchtower') as UpdaterKind;
  const optOut = UPDATER_OPT_OUT[kind];
  const compose = watched?.compose;
  return {
    id: `contain:stop-updater:${part(host)}/${part(updater)}/${part(name)}`,
    group: 'contain',
    title: `Stop ${updater} from updating ${name} on ${host}`,
    detail: lines(
      `${UPDATER_NAMES[kind] ?? finding.updater} (${updater}) re-pulls ${name}'s image unattended: ${flagged ? `${name} holds a flagged package, and` : `${name} runs the gateway image ${watched?.image ?? ''}, and`} the next pull of a re-pointed tag could bring a compromised build back, or replace the container you are keeping as evidence.`,
      `Label ${name} ${optOut.label}${compose?.configFiles.length ? ` (under labels: of service ${compose.service ?? name} in ${compose.configFiles.join(', ')}, then docker compose up -d to re-create it)` : ' (labels need the container re-created)'}, ${optOut.mode}.`,
      `A re-scan confirms it: ${updater} no longer lists ${name} among what it updates.`,
    ),
    host,
    container: name,
    findingIds: [finding.id],
    verification: 'rescan',
  };
}

function pinDigestStep(finding: MutableImageTagFinding, container: Container | null, flagged: boolean): ChecklistStep {
  const { host } = finding;
  const name = finding.container!;
  const compose = container?.compose;
  const service = compose?.service ?? null;
  const what = service ? `service ${service}` : `container ${name}`;
  const repoDigest = pickRepoDigest(finding.image, container?.repoDigests ?? []);
  const where = compose?.configFiles.length
    ? `In ${compose.configFiles.join(', ')}, change ${service ? `service ${service}'s ` : ''}image: ${compose.image ?? finding.image}`
    : `Change the image reference it is deployed from (${finding.image})`;
  return {
    id: `clean-up:pin-digest:${part(host)}/${part(name)}`,
    group: 'clean-up',
    title: `Pin ${what} on ${host} by digest`,
    detail: lines(
      `${name} runs the tag ${finding.image}: the registry can re-point it, so the next pull or re-create may fetch other content, as happened with the compromised builds.`,
      flagged
        ? `${where} to image: <repository>@sha256:<digest of a build you have checked is clean>. Not the digest it runs now${repoDigest ? ` (${repoDigest})` : ''}: that is the content that holds the flagged package.`
        : repoDigest
          ? `${where} to image: ${repoDigest} (its RepoDigests: what the registry served when it was pulled), once you have checked that build is clean.`
          : `${where} to image: <repository>@sha256:<digest>; docker image inspect --format '{{json .RepoDigests}}' ${shellQuote(finding.image)} shows the digest it runs now.`,
      `A re-scan confirms it: the container then runs a reference that names its content.`,
    ),
    host,
    container: name,
    findingIds: [finding.id],
    verification: 'rescan',
  };
}

/** The RepoDigest of the image's own repository (an image pulled under several names has several). */
function pickRepoDigest(image: string, repoDigests: readonly string[]): string | null {
  const repository = imageRepository(image);
  return repoDigests.find((digest) => imageRepository(digest) === repository) ?? repoDigests[0] ?? null;
}

function socketReviewStep(finding: DockerSocketMountFinding, flagged: boolean): ChecklistStep {
  const { host } = finding;
  const name = finding.container!;
  return {
    id: `clean-up:review-socket:${part(host)}/${part(name)}`,
    group: 'clean-up',
    title: `Review why ${name} mounts the Docker socket on ${host}`,
    detail: lines(
      `Whatever runs in ${name} can drive the container engine, and so start a privileged container and own ${host}.${flagged ? ` ${name} holds a flagged package: treat ${host} itself as compromised.` : ''}`,
      `Keep the mount only if the container needs it (an updater or a proxy may); otherwise remove it from its compose file or run command. Where it is needed, put a socket proxy that allows only the API calls it uses in between (tecnativa/docker-socket-proxy or similar).`,
      ...finding.evidence.slice(0, 3),
    ),
    host,
    container: name,
    findingIds: [finding.id],
    verification: 'manual',
  };
}

/** `system`, `global-user` (/etc/systemd/user and friends) or the user whose home holds the unit. */
function unitScope(path: string): string {
  const user = homeOwner(path);
  if (user) return user;
  return /^\/(etc|usr\/lib|usr\/local\/lib|lib)\/systemd\/user\//.test(path) ? 'global-user' : 'system';
}

function iocUnitStep(id: string, unit: string, findings: readonly IocFinding[]): ChecklistStep {
  const first = findings[0]!;
  const { host, container } = first;
  const found = unique(findings.map((finding) => finding.path!));
  // Enablement links go with `disable`; copying them as evidence would overwrite the unit's copy (same name).
  const isLink = (path: string): boolean => /\.(wants|requires)\//.test(path);
  const unitFiles = found.filter((path) => !isLink(path));
  const paths = [...unitFiles, ...found.filter(isLink)];
  const scope = unitScope(first.path!);
  const where = container === null ? `on ${host}` : `in container ${container} on ${host}`;
  const files = paths.map(shellQuote).join(' ');
  const evidence = unitFiles.map(shellQuote).join(' ');
  let command: string | undefined;
  let how: string;
  if (container !== null) {
    how = `It sits inside container ${container}: deleting it there leaves the image or volume that put it there. Tear the container down and rebuild it from a clean image; then a re-scan confirms it is gone.`;
  } else if (scope === 'system' || scope === 'global-user') {
    const systemctl = scope === 'system' ? 'sudo systemctl' : 'sudo systemctl --global';
    command = [
      ...(evidence ? [`sudo mkdir -p /root/incident-evidence && sudo cp -a -- ${evidence} /root/incident-evidence/`] : []),
      `${systemctl} disable${scope === 'system' ? ' --now' : ''} ${shellQuote(unit)}`,
      `sudo rm -f -- ${files}`,
      'sudo systemctl daemon-reload',
    ].join('; ');
    how = scope === 'system'
      ? `Run the command as an administrator on ${host}: it copies the unit aside as evidence, stops and disables it, deletes it and reloads systemd.`
      : `It is a user unit installed for every user: the command disables it globally and deletes it; then, as each user who was logged in, run systemctl --user stop ${shellQuote(unit)}.`;
  } else {
    command = [
      ...(evidence ? [`mkdir -p ~/incident-evidence && cp -a -- ${evidence} ~/incident-evidence/`] : []),
      `systemctl --user disable --now ${shellQuote(unit)}`,
      `rm -f -- ${files}`,
      'systemctl --user daemon-reload',
    ].join('; ');
    how = `Run the command as ${scope} on ${host} (systemctl --user and the evidence folder are theirs; over SSH without a running user session, log in as ${scope} or use machinectl shell ${scope}@). It copies the unit aside, stops and disables it, deletes it and reloads systemd.`;
  }
  return {
    id,
    group: 'clean-up',
    title: container === null ? `Remove ${unit} on ${host}` : `Remove ${unit} in container ${container} on ${host}`,
    detail: lines(
      `${first.title}: found ${where} at ${joinAnd(paths)}. It keeps the payload running after the package is gone.`,
      how,
      `Source: ${first.source}. Blast Radius never runs this command; a re-scan that no longer finds the unit confirms the step.`,
    ),
    host,
    container,
    findingIds: findings.map((finding) => finding.id),
    verification: 'rescan',
    ...(command ? { command } : {}),
  };
}

function iocFileStep(id: string, findings: readonly IocFinding[]): ChecklistStep {
  const first = findings[0]!;
  const { host, container } = first;
  const path = first.path!;
  const user = homeOwner(path);
  return {
    id,
    group: 'clean-up',
    title: container === null ? `Remove ${path} on ${host}` : `Remove ${path} in container ${container} on ${host}`,
    detail: lines(
      `${first.title}. Source: ${first.source}.`,
      container === null
        ? `Copy it aside as evidence, then delete it${user ? ` (as ${user}, or as root)` : ''}. If a unit or cron job starts it, remove that first (its own step), or it comes back.`
        : `It sits inside container ${container}: deleting it there leaves the image or volume that put it there. Tear the container down and rebuild it from a clean image.`,
      `Blast Radius never runs this command; a re-scan that no longer finds the file confirms the step.`,
    ),
    host,
    container,
    findingIds: findings.map((finding) => finding.id),
    verification: 'rescan',
    ...(container === null ? { command: `mkdir -p ~/incident-evidence && cp -a -- ${shellQuote(path)} ~/incident-evidence/ && rm -f -- ${shellQuote(path)}` } : {}),
  };
}

/**
 * Removes the image by digest, not by tag: the tag may since point to a newer pull. The model's
 * digest is a repo digest or the image id, and docker wants `repo@digest` for the first and the
 * bare id for the second, so the command tries both.
 */
function removeImageCommand(container: Container): string {
  if (!container.imageDigest) return `docker image rm ${shellQuote(container.image)}`;
  const byRepoDigest = `${repository(container.image)}@${container.imageDigest}`;
  return `docker image rm ${shellQuote(byRepoDigest)} 2>/dev/null || docker image rm ${shellQuote(container.imageDigest)}`;
}

/** `ghcr.io/berriai/litellm:main-latest` → `ghcr.io/berriai/litellm` (a registry port is not a tag). */
function repository(image: string): string {
  const withoutDigest = image.split('@')[0] ?? image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

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

function known(finding: CompromisedPackageFinding): KnownCompromise | undefined {
  const name = normalizePackageName(finding.package);
  return Object.hasOwn(KNOWN_COMPROMISES, name) ? KNOWN_COMPROMISES[name] : undefined;
}

/** The user whose home holds `path` (`/home/alice/...` → alice, `/root/...` → root), or null. */
function homeOwner(path: string): string | null {
  if (path.startsWith('/root/')) return 'root';
  return /^\/home\/([^/]+)\//.exec(path)?.[1] ?? null;
}

function owner(path: string): string {
  const user = homeOwner(path);
  return user ? ` (${user})` : ' (root for a system folder)';
}

/** Single-quotes a value for a POSIX shell: remote paths and names may hold anything. */
function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

// Ids are URI-encoded per component so a `/` or `:` in a name can never make two ids collide.
function part(value: string): string {
  return encodeURIComponent(value);
}

// The checklist:set-step channel takes ids of at most 500 characters; a deep venv path could
// exceed that, so long ids keep a readable head and end in a hash of the whole id.
const MAX_ID_LENGTH = 480;

function boundedId(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  return `${id.slice(0, MAX_ID_LENGTH - 18)}#${fnv1a64(id)}`;
}

/** FNV-1a over UTF-16 code units, 64 bits as 16 hex digits: deterministic, no crypto needed in shared/. */
function fnv1a64(text: string): string {
  let hash = 0xcbf29ce484222325n;
  for (let index = 0; index < text.length; index++) {
    hash ^= BigInt(text.charCodeAt(index));
    hash = (hash * 0x100000001b3n) & 0xffffffffffffffffn;
  }
  return hash.toString(16).padStart(16, '0');
}

function baseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}

function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

function lines(...parts: Array<string | false | undefined>): string {
  return parts.filter((text): text is string => typeof text === 'string' && text.length > 0).join('\n');
}
