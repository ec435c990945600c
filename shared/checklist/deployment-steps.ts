/**
 * The steps from how containers that matter are deployed: stop auto-updaters re-pulling them, pin
 * them by digest, review their Docker socket mounts.
 */
import { UPDATER_NAMES, watchSetOf, type UpdaterKind } from '../domain/containers/auto-updaters.js';
import { isGatewayImage } from '../domain/containers/gateway-images.js';
import { repoDigestFor } from '../domain/containers/image-reference.js';
import { isFindingOfKind } from '../model/index.js';
import type { AutoUpdaterFinding, Container, DockerSocketMountFinding, HostInventory, MutableImageTagFinding, ScanReport } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { lines, part, shellQuote } from './text.js';

/** What the deployment steps weigh each container by: whether it holds flagged code, and its inventory. */
export interface DeploymentContext {
  containerOf(host: string, name: string): Container | null;
  inventoryOf(host: string): HostInventory | undefined;
  /** True when the container holds a flagged package or an executable .pth. */
  isFlagged(host: string, name: string): boolean;
  /** True for the containers that matter: flagged ones and gateway images. */
  matters(host: string, name: string, image: string | null): boolean;
}

/**
 * The containers that matter to the deployment steps: those holding a flagged package (or
 * executable .pth) and gateway images. Stopping an updater from re-pulling them is containment
 * (a re-pull can bring the bad build back); pinning and the socket review harden.
 */
export function deploymentContext(report: Pick<ScanReport, 'hosts' | 'findings'>): DeploymentContext {
  const flagged = new Set(
    report.findings
      .filter((finding) => (isFindingOfKind(finding, 'compromised-package') || isFindingOfKind(finding, 'executable-pth')) && finding.container !== null)
      .map((finding) => `${finding.host}\u0000${finding.container}`),
  );
  const inventoryOf = (host: string): HostInventory | undefined => report.hosts.find((candidate) => candidate.name === host);
  const containerOf = (host: string, name: string): Container | null => inventoryOf(host)?.containers.find((candidate) => candidate.name === name) ?? null;
  const isFlagged = (host: string, name: string): boolean => flagged.has(`${host}\u0000${name}`);
  const matters = (host: string, name: string, image: string | null): boolean => isFlagged(host, name) || (image !== null && isGatewayImage(image));
  return { containerOf, inventoryOf, isFlagged, matters };
}

/** Per auto-updater, take each container that matters out of its reach. */
export function stopUpdaterSteps(findings: readonly AutoUpdaterFinding[], context: DeploymentContext): ChecklistStep[] {
  const steps: ChecklistStep[] = [];
  for (const finding of findings) {
    if (finding.container === null) continue;
    const updater = context.containerOf(finding.host, finding.container);
    const inventory = context.inventoryOf(finding.host);
    // The inventory's watch set says which it would replace; without it, every watched one may be.
    const set = updater && inventory ? watchSetOf(updater, inventory.containers) : null;
    const replaced = set ? finding.watches.filter((name) => set.updates.includes(name)) : finding.watches;
    for (const name of replaced) {
      if (name === finding.container) continue;
      const watched = context.containerOf(finding.host, name);
      if (!context.matters(finding.host, name, watched?.image ?? null)) continue;
      steps.push(stopUpdaterStep(finding, name, watched, context.isFlagged(finding.host, name)));
    }
  }
  return steps;
}

/** Pin each container that matters and runs from a mutable tag by digest. */
export function pinDigestSteps(findings: readonly MutableImageTagFinding[], context: DeploymentContext): ChecklistStep[] {
  return findings
    .filter((finding) => finding.container !== null && context.matters(finding.host, finding.container, finding.image))
    .map((finding) => pinDigestStep(finding, context.containerOf(finding.host, finding.container!), context.isFlagged(finding.host, finding.container!)));
}

/** Review each container that mounts the engine's socket. */
export function socketReviewSteps(findings: readonly DockerSocketMountFinding[], context: DeploymentContext): ChecklistStep[] {
  return findings
    .filter((finding) => finding.container !== null)
    .map((finding) => socketReviewStep(finding, context.isFlagged(finding.host, finding.container!)));
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

/** Take one container out of an auto-updater's reach. */
function stopUpdaterStep(finding: AutoUpdaterFinding, name: string, watched: Container | null, flagged: boolean): ChecklistStep {
  const { host } = finding;
  const updater = finding.container!;
  const kind = (finding.updater in UPDATER_OPT_OUT ? finding.updater : 'watchtower') as UpdaterKind;
  const optOut = UPDATER_OPT_OUT[kind];
  const compose = watched?.compose;
  return {
    id: `contain:stop-updater:${part(host)}/${part(updater)}/${part(name)}`,
    phase: 'contain',
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

/** Deploy a container by digest instead of a tag the registry can re-point. */
function pinDigestStep(finding: MutableImageTagFinding, container: Container | null, flagged: boolean): ChecklistStep {
  const { host } = finding;
  const name = finding.container!;
  const compose = container?.compose;
  const service = compose?.service ?? null;
  const what = service ? `service ${service}` : `container ${name}`;
  const repoDigest = repoDigestFor(finding.image, container?.repoDigests ?? []);
  const where = compose?.configFiles.length
    ? `In ${compose.configFiles.join(', ')}, change ${service ? `service ${service}'s ` : ''}image: ${compose.image ?? finding.image}`
    : `Change the image reference it is deployed from (${finding.image})`;
  return {
    id: `clean-up:pin-digest:${part(host)}/${part(name)}`,
    phase: 'harden',
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

/** Review, and where possible remove or proxy, a Docker socket mount. */
function socketReviewStep(finding: DockerSocketMountFinding, flagged: boolean): ChecklistStep {
  const { host } = finding;
  const name = finding.container!;
  return {
    id: `clean-up:review-socket:${part(host)}/${part(name)}`,
    phase: 'harden',
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
