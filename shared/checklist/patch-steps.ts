/**
 * The steps of a gateway the owner decided to patch rather than remove: upgrade the compromised
 * package to a release the advisories (or the maintainers) call clean, then re-deploy it pinned by
 * digest; its keys are rotated after that and its consumers given new keys. Replaces the teardown
 * steps (remove the container, its image, its ingress) and the consumers' moves.
 */
import { fixedRelease } from '../domain/advisories/fixed-release.js';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { normalizePackageName } from '../domain/advisories/pep503.js';
import type { Container } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { lines, part, shellQuote } from './text.js';

/** A package to upgrade: the compromised one found in the gateway, with the advisories that cover it. */
export interface PatchedPackage {
  package: string;
  version: string;
  advisories: readonly string[];
}

/**
 * The first clean release the maintainers named after a compromise, where a primary source says
 * so (INCIDENT.md); malicious-package records rarely carry a `fixed` event. Keyed by PEP 503 name.
 */
const MAINTAINERS_CLEAN_RELEASES: Readonly<Record<string, { version: string; date: string; source: string }>> = {
  litellm: { version: '1.83.0', date: '30 March 2026', source: 'LiteLLM blog, "security-update-march-2026"' },
};

/** The id of a patched gateway's re-deploy step: what its rotation and its consumers' new keys wait for. */
export function redeployStepId(host: string, name: string): string {
  return `eradicate:redeploy-pinned:${part(host)}/${part(name)}`;
}

/** The id of a patched gateway's upgrade step. */
export function upgradeStepId(host: string, name: string): string {
  return `eradicate:upgrade:${part(host)}/${part(name)}`;
}

/** Upgrade the gateway's package to a fixed release, then re-deploy it pinned by digest. */
export function patchGatewaySteps(
  host: string,
  name: string,
  container: Container | null,
  packages: readonly PatchedPackage[],
  context: { containment: readonly string[]; findingIds: readonly string[] },
): ChecklistStep[] {
  const upgradeId = upgradeStepId(host, name);
  const redeployId = redeployStepId(host, name);
  const first = packages[0];
  const target = first ? upgradeTarget(first) : null;
  const containment = context.containment.length > 0 ? { blockedBy: [...context.containment], blockedReason: 'The gateway runs compromised code: it is cut off before anything is rebuilt.' } : {};
  return [
    {
      id: upgradeId,
      phase: 'eradicate',
      title: first ? `Upgrade ${first.package} in ${name} on ${host} to ${target!.release}` : `Upgrade ${name} on ${host} to a release the maintainers published after the incident`,
      detail: lines(
        `You decided to patch ${name} rather than remove it. Build its replacement from clean sources; do not pip install inside the running container: its interpreter runs the payload at every start.`,
        target?.why,
        first &&
          `Build a new image (your Dockerfile with pip install --require-hashes ${first.package}==<release>, or the maintainers' image pinned by digest) and check the version inside it before it runs anywhere.`,
        `Save its logs first: what the gateway did during the window matters more than which version it was.`,
      ),
      host,
      container: name,
      findingIds: [...context.findingIds],
      verification: 'manual',
      ...containment,
    },
    {
      id: redeployId,
      phase: 'eradicate',
      title: `Re-deploy ${name} on ${host} from the new image, pinned by digest`,
      detail: lines(
        `Stop and remove the old container, then start ${name} from image@sha256:… (the digest of the image you built or checked), never a tag: a tag can be re-pointed, as it was in this campaign.`,
        container?.imageDigest
          ? `Then delete the old image (${container.image}, ${container.imageDigest}) so nothing starts it again.`
          : `Then delete the old image so nothing starts it again.`,
        `If an auto-updater (Watchtower, WUD, Diun) watches it, take it off the watch list: an unattended re-pull undoes the pin. Keep its route closed to consumers until its keys are rotated.`,
        `A re-scan confirms it: the compromised-package finding disappears once the container runs the fixed release.`,
      ),
      host,
      container: name,
      findingIds: [...context.findingIds],
      verification: 'rescan',
      command: `docker logs --timestamps ${shellQuote(name)} > ${shellQuote(`${name}-logs.txt`)} 2>&1; docker stop ${shellQuote(name)} && docker rm ${shellQuote(name)}`,
      blockedBy: [...context.containment, upgradeId],
      blockedReason: 'The new image is built and checked before the old container goes.',
      eradicates: { host, container: name },
    },
  ];
}

/** What release to upgrade to, and why: the advisories' fix, else a release after the last affected one. */
function upgradeTarget(pkg: PatchedPackage): { release: string; why: string } {
  const release = fixedRelease(bundledAdvisoryIndex(), pkg.package, pkg.version, pkg.advisories);
  const maintainers = MAINTAINERS_CLEAN_RELEASES[normalizePackageName(pkg.package)];
  const named = maintainers
    ? `The maintainers name ${maintainers.version} (${maintainers.date}) as the first clean release afterwards (${maintainers.source}).`
    : `Take a release the maintainers published after the incident, from a build they say is clean.`;
  if (release.fixed) {
    return { release: `${release.fixed} or later`, why: `${release.advisoryId} says ${pkg.package} is fixed in ${release.fixed}; ${pkg.version} is affected.` };
  }
  if (release.lastAffected) {
    return {
      release: `a release after ${release.lastAffected}`,
      why: `${release.advisoryId} names no fixed release: its range ends with ${release.lastAffected} as the last affected version. ${named}`,
    };
  }
  return { release: 'a release the maintainers published after the incident', why: named };
}
