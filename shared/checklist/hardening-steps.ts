/**
 * The Harden phase's steps for a consumer of packages (the seed's advice): pin exactly with hashes
 * and install with `--require-hashes`, install through a private mirror or allowlist proxy, take
 * upgrades out of cron and units. One step per gap and place, each verified by a re-scan that no
 * longer finds the gap; and for an image whose history installs without hashes, a rebuild that
 * enforces them.
 */
import { venvOf } from '../findings/hardening-gap.js';
import type { BuildTimeInstallFinding, HardeningGap, HardeningGapFinding } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { boundedId, lines, part, shellQuote } from './text.js';

/** One Harden step per gap of each finding. */
export function hardeningSteps(findings: readonly HardeningGapFinding[]): ChecklistStep[] {
  return findings.flatMap((finding) => finding.gaps.map((gap, index) => gapStep(finding, gap, index)));
}

/** For each image whose history installed packages without hashes, a rebuild that enforces them. */
export function requireHashesSteps(findings: readonly BuildTimeInstallFinding[]): ChecklistStep[] {
  return findings.map((finding) => ({
    id: boundedId(`harden:require-hashes:${part(finding.host)}/${part(finding.container ?? finding.image)}`),
    phase: 'harden',
    title: `Rebuild ${finding.image}${finding.container ? ` (${finding.container})` : ''} on ${finding.host} with hash-checked installs`,
    detail: lines(
      `Its history installs Python packages from a live index without --require-hashes (${finding.command}): a build made while a trojaned release is the newest takes it in.`,
      'Generate a requirements file with exact pins and hashes outside the build (pip-compile --generate-hashes, or uv pip compile --generate-hashes), copy it into the image and install with pip install --require-hashes --no-deps -r requirements.txt (uv: uv sync --locked from a committed uv.lock).',
      'Point the build at a private mirror or allowlist proxy (a pip.conf or PIP_INDEX_URL in the build, never a token baked into a layer), rebuild, redeploy by digest.',
      'A re-scan confirms it: the new image history shows --require-hashes (or --no-index) on every install step.',
    ),
    host: finding.host,
    container: finding.container,
    findingIds: [finding.id],
    verification: 'rescan',
  }));
}

function gapStep(finding: HardeningGapFinding, gap: HardeningGap, index: number): ChecklistStep {
  const place = placeOf(finding);
  const base = {
    id: boundedId(`harden:${gap.gap}:${part(finding.host)}/${part(finding.container ?? finding.environment ?? 'host')}${gap.gap === 'unattended-upgrade' ? `/${index}` : ''}`),
    phase: 'harden' as const,
    host: finding.host,
    container: finding.container,
    findingIds: [finding.id],
    verification: 'rescan' as const,
  };
  switch (gap.gap) {
    case 'no-hash-pins': {
      const project = finding.project;
      return {
        ...base,
        title: `Pin ${place} exactly, with hashes`,
        detail: lines(
          gap.detail,
          `Write the exact versions it needs with their hashes${project ? ` into ${project}` : ''}: pip-compile --generate-hashes (pip-tools) or uv pip compile --generate-hashes requirements.in -o requirements.txt, or a lockfile (uv lock, poetry lock).`,
          'Install only from it: pip install --require-hashes -r requirements.txt (uv sync --locked, poetry install --sync). A release uploaded later, even under a version you pinned, then fails its hash check instead of installing.',
          'A re-scan confirms it: the project then holds a requirements file with --hash or a lockfile with hashes.',
        ),
      };
    }
    case 'public-index':
      return {
        ...base,
        title: `Install ${place} through a private mirror or allowlist proxy`,
        detail: lines(
          gap.detail,
          'Put a mirror or proxy you control between it and PyPI (devpi, Artifactory, Nexus, a pypiserver), with an allowlist or a delay so a release is installed only once it has been reviewed or has aged: a trojaned upload then never reaches this environment.',
          finding.container !== null
            ? "Set it where the image's installs read it: a pip.conf (or uv.toml) copied into the build, or PIP_INDEX_URL / UV_DEFAULT_INDEX as a build secret, and drop any --extra-index-url that points at public PyPI."
            : `Set it for this environment: index-url in ${finding.environment ? `${venvOf(finding.environment)}/pip.conf` : 'pip.conf'} (or UV_DEFAULT_INDEX / [[tool.uv.index]] with default = true for uv), and drop any extra-index-url that points at public PyPI.`,
          'A re-scan confirms it: the index it resolves is no longer public PyPI.',
        ),
      };
    case 'unattended-upgrade':
      return {
        ...base,
        title: `Stop unattended upgrades of ${place}${gap.source ? ` (${gap.source})` : ''}`,
        detail: lines(
          gap.detail,
          'An upgrade run by cron or a unit installs whatever is newest the moment it runs, which is how a trojaned release reaches a machine within hours of its upload. Remove -U / --upgrade from it (or the job itself) and upgrade deliberately: bump the pinned versions, review, then install from the pins.',
          'A re-scan confirms it: the crontab or unit no longer runs an upgrade.',
        ),
        ...(gap.source ? { command: `grep -n -e 'install' ${shellQuote(gap.source)}` } : {}),
      };
    default:
      return exhaustive(gap.gap);
  }
}

/** How a step names the place: the virtualenv, the image, or the host. */
function placeOf(finding: HardeningGapFinding): string {
  if (finding.container !== null) return `image ${finding.image ?? '?'} of ${finding.container} on ${finding.host}`;
  if (finding.environment !== null) return `${venvOf(finding.environment)} on ${finding.host}`;
  return `Python packages on ${finding.host}`;
}

function exhaustive(value: never): never {
  throw new Error(`unknown hardening gap ${String(value)}`);
}
