/**
 * Exposure verdicts: for every place (a host's or a container's Python environment) that holds a
 * package an advisory covers, was that place exposed to the compromise? The default is to assume
 * exposure: `not-exposed` needs positive evidence, and every verdict carries the facts behind it.
 *
 * Rules, in order (the first that applies decides):
 * 1. The installed version is affected                                   → exposed.
 * 2. The installed files are not the release's, whatever its version says:
 *    a file added or changed against a known-good artifact of it, or a
 *    start-up hook (or a flagged release's code) where the copy departs
 *    from most copies of its version (`contentEvidence`)                  → exposed.
 * 3. A container created before the window that still runs a clean version
 *    ran that same image through the whole window                         → not-exposed.
 * 4. A container pinned by digest, whose image was built before the window,
 *    with no updater replacing it                                         → not-exposed.
 * 5. A container on a mutable tag that an updater replaces, (re)created
 *    after the window opened                                              → likely-exposed.
 * 6. A container on a mutable tag (re)created or an image built during the
 *    window, or an image with an unpinned build-time install built then   → likely-exposed.
 * 7. Anything else                                                        → unknown.
 * A host environment with a clean version is `unknown`: nothing read yet shows what was installed
 * there during the window.
 */
import type { AdvisoryGroup, AdvisoryIndex } from '../advisories/advisory-index.js';
import { normalizePackageName } from '../advisories/pep503.js';
import { watchSetOf } from '../containers/auto-updaters.js';
import type { ArtifactMismatchFinding, Container, ExposureVerdict, HostInventory, PythonEnvironment, PythonPackage, Verdict } from '../../model/index.js';
import { relativeToWindow, windowFor, type CompromiseWindow } from './compromise-windows.js';

/** One place × one advisory, judged (the report's ExposureVerdict). */
export type Exposure = ExposureVerdict;

/** User settings that change verdicts. */
export interface ExposureOptions {
  /** Narrowed or widened windows by window id. */
  windowOverrides?: Readonly<Record<string, { start: string; end: string }>>;
}

/**
 * Judges every place holding a package some advisory covers, in host order. `contentEvidence`:
 * the artifact-mismatch findings that count as compromise evidence (a copy whose files are not
 * its release's), which make their place exposed (rule 2).
 */
export function assessExposures(
  hosts: readonly HostInventory[],
  index: AdvisoryIndex,
  options: ExposureOptions = {},
  contentEvidence: readonly ArtifactMismatchFinding[] = [],
): Exposure[] {
  const altered = new Map<string, ArtifactMismatchFinding[]>();
  for (const finding of contentEvidence) {
    const key = copyKey(finding.host, finding.container, finding.path, finding.package, finding.version);
    altered.set(key, [...(altered.get(key) ?? []), finding]);
  }
  const groupsByPackage = new Map<string, AdvisoryGroup[]>();
  for (const group of index.groups) {
    for (const pkg of group.packages) groupsByPackage.set(pkg.name, [...(groupsByPackage.get(pkg.name) ?? []), group]);
  }
  const exposures: Exposure[] = [];
  for (const host of hosts) {
    const containers = new Map(host.containers.map((container) => [container.name, container]));
    for (const environment of host.pythonEnvironments) {
      const container = environment.container === null ? null : (containers.get(environment.container) ?? null);
      for (const pkg of environment.packages) {
        for (const group of groupsByPackage.get(normalizePackageName(pkg.name)) ?? []) {
          const evidence = altered.get(copyKey(host.name, environment.container, environment.path, pkg.name, pkg.version)) ?? [];
          exposures.push(assess(host, environment, container, pkg, group, index, options, evidence));
        }
      }
    }
  }
  return exposures;
}

/** The key that ties a compromised-package finding to its exposure. */
export function exposureKey(place: { host: string; container: string | null; path: string; package: string; installedVersion?: string; version?: string }, primaryAdvisory: string): string {
  const version = place.installedVersion ?? place.version ?? '';
  return JSON.stringify([place.host, place.container, place.path, normalizePackageName(place.package), version.trim(), primaryAdvisory]);
}

/** One installed copy's identity across findings and inventory. */
function copyKey(host: string, container: string | null, path: string, name: string, version: string): string {
  return JSON.stringify([host, container, path, normalizePackageName(name), version.trim()]);
}

function assess(
  host: HostInventory,
  environment: PythonEnvironment,
  container: Container | null,
  pkg: PythonPackage,
  group: AdvisoryGroup,
  index: AdvisoryIndex,
  options: ExposureOptions,
  altered: readonly ArtifactMismatchFinding[],
): Exposure {
  const window = windowFor(group.ids, options.windowOverrides);
  const affected = index.match('PyPI', pkg.name, pkg.version).some((match) => match.ids[0] === group.ids[0]);
  const where = container ? `container ${container.name}` : `${environment.path} on the host`;
  const alteredFacts = altered.map((finding) => `Its files are not the release's: ${finding.title} (${finding.files.filter((file) => file.difference !== 'missing').map((file) => `${file.difference}: ${file.path}`).join(', ')})`);
  const decision = affected
    ? { verdict: 'exposed' as const, reason: `${pkg.name} ${pkg.version} in ${where} is a release ${group.ids[0]} names: the compromised code is installed` }
    : altered.length > 0
      ? { verdict: 'exposed' as const, reason: `${pkg.name} ${pkg.version} in ${where} is outside ${group.ids[0]}'s affected releases, but its installed files are not the release's: code no release shipped is installed` }
      : container
      ? containerDecision(container, host.containers, window)
      : {
          verdict: 'unknown' as const,
          reason: `${pkg.name} ${pkg.version} is outside ${group.ids[0]}'s affected releases, but nothing read so far shows what was installed in ${environment.path} during the window`,
        };
  const reasons = [decision.reason, ...alteredFacts, ...(window ? [`Compromise window ${window.start} – ${window.end} (${window.source})`] : [`No known compromise window for ${group.ids[0]}`])];
  if (container) reasons.push(...deploymentFacts(container, host.containers, window));
  return {
    host: host.name,
    container: container?.name ?? environment.container,
    path: environment.path,
    package: pkg.name,
    installedVersion: pkg.version,
    advisories: [...group.ids],
    verdict: decision.verdict,
    reasons,
    window: window ? { id: window.id, start: window.start, end: window.end } : null,
  };
}

/** The verdict for a container whose installed version is clean. */
function containerDecision(container: Container, neighbours: readonly Container[], window: CompromiseWindow | null): { verdict: Verdict; reason: string } {
  if (!window) return { verdict: 'unknown', reason: 'The installed version is clean, and without a known window its history cannot be placed' };
  const created = container.created ? relativeToWindow(container.created, window) : 'unknown';
  const built = container.imageCreated ? relativeToWindow(container.imageCreated, window) : 'unknown';
  const replacedByUpdater = updatersReplacing(container, neighbours).length > 0;
  const pinned = container.pinnedByDigest === true;
  const unpinnedInstall = (container.buildInstalls ?? []).some((step) => !step.hashPinned);

  if (created === 'before') {
    return { verdict: 'not-exposed', reason: `Created ${container.created}, before the window, and still running a clean version: it ran this same image throughout the window` };
  }
  if (pinned && built === 'before' && !replacedByUpdater) {
    return { verdict: 'not-exposed', reason: `Pinned by digest to an image built ${container.imageCreated}, before the window, with no updater replacing it, and the installed version is clean` };
  }
  if (!pinned && replacedByUpdater && (created === 'during' || created === 'after')) {
    return { verdict: 'likely-exposed', reason: `On a mutable tag that an auto-updater replaces, and (re)created ${container.created}, after the window opened: an earlier image may have carried the compromised release` };
  }
  if ((!pinned && created === 'during') || built === 'during' || (unpinnedInstall && built !== 'before')) {
    return { verdict: 'likely-exposed', reason: 'Built or (re)created while the compromise was live, from a source that was not pinned' };
  }
  return { verdict: 'unknown', reason: 'The installed version is clean, but nothing proves which image ran during the window' };
}

/** The facts about how a container is deployed that bear on exposure, each a line. */
function deploymentFacts(container: Container, neighbours: readonly Container[], window: CompromiseWindow | null): string[] {
  const facts: string[] = [];
  if (container.pinnedByDigest === true) facts.push(`Pinned by digest: ${container.image}`);
  else if (container.pinnedByDigest === false) facts.push(`Mutable tag ${container.image}: a re-pull or re-create can fetch other content`);
  for (const updater of updatersWatching(container, neighbours)) {
    facts.push(
      container.pinnedByDigest === true
        ? `Auto-updater ${updater} watches it, but a digest-pinned image re-pulls as the same content`
        : `Auto-updater ${updater} replaces it with newly pulled images`,
    );
  }
  for (const step of container.buildInstalls ?? []) {
    if (!step.hashPinned) facts.push(`Build-time install without hash pinning: ${step.command}${step.createdAt ? ` (layer made ${step.createdAt})` : ''}`);
  }
  const placed = (label: string, instant: string | null | undefined) => {
    if (!instant || !window) return;
    const place = relativeToWindow(instant, window);
    if (place !== 'unknown') facts.push(`${label} ${instant}: ${place} the window`);
  };
  placed('Image built', container.imageCreated);
  placed('Container created', container.created);
  placed('Container last started', container.startedAt);
  return facts;
}

/** Names of the updaters on the same host that would pull a new image for `container`. */
function updatersWatching(container: Container, neighbours: readonly Container[]): string[] {
  const names: string[] = [];
  for (const candidate of neighbours) {
    const set = watchSetOf(candidate, neighbours);
    if (set && set.updates.includes(container.name)) names.push(candidate.name);
  }
  return names;
}

/** The updaters that could change what `container` runs: none when it is pinned by digest. */
function updatersReplacing(container: Container, neighbours: readonly Container[]): string[] {
  return container.pinnedByDigest === true ? [] : updatersWatching(container, neighbours);
}
