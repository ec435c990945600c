/**
 * Hardening gaps: the seed's advice for a consumer of packages, checked per host virtualenv and per
 * container image from the posture the scan read (HostInventory.hardening). A virtualenv whose
 * project has no hash-pinned requirements or lockfile, an installer pointed straight at public
 * PyPI, and `pip install -U` run by cron or a unit each leave the door open to the next trojaned
 * release. One low finding per environment or image, its gaps as evidence. Unpinned installs in an
 * image's history are the build-time-install kind's; this kind adds the index they install from.
 * Where installs are hash-checked, the index is not a gap: no other artifact would be accepted.
 * Pure.
 */
import type { HardeningGap, HardeningGapFinding, HardeningPosture, HostInventory, PackageIndexSetting } from '../model/index.js';

/** The stable id of a hardening finding: the same environment, image or host keeps it on a re-scan. */
export function hardeningFindingId(host: string, posture: Pick<HardeningPosture, 'container' | 'environment'>): string {
  const place = posture.container !== null ? `container=${posture.container}` : posture.environment !== null ? `env=${posture.environment}` : 'host';
  return `hardening-gap:${host}:${place}`;
}

/** One finding per posture with at least one gap, in host and inventory order. */
export function findHardeningGaps(hosts: readonly HostInventory[]): HardeningGapFinding[] {
  return hosts.flatMap((host) =>
    (host.hardening ?? []).flatMap((posture) => {
      const gaps = gapsOf(posture);
      return gaps.length > 0 ? [hardeningFinding(host.name, posture, gaps)] : [];
    }),
  );
}

/** The gaps of one posture, in the order the plan takes them: pins, index, upgrades. */
export function gapsOf(posture: HardeningPosture): HardeningGap[] {
  const gaps: HardeningGap[] = [];
  const hostVirtualenv = posture.container === null && posture.environment !== null;
  const hashed = hostVirtualenv ? posture.pinFiles.some((file) => file.hashes) : posture.hashPinnedBuild === true;
  if (hostVirtualenv && !hashed) gaps.push(pinGap(posture));
  // The index decides what is installed only where hashes do not: a hash-checked install refuses
  // any other artifact whatever index serves it. An image's index matters only when its history installs.
  const installs = hostVirtualenv || posture.hashPinnedBuild !== null;
  const publicIndexes = posture.indexes.filter((index) => index.public);
  if (installs && !hashed && publicIndexes.length > 0) gaps.push(indexGap(posture, publicIndexes));
  for (const upgrade of posture.upgrades) {
    gaps.push({ gap: 'unattended-upgrade', detail: `Runs unattended: ${upgrade.command}`, source: upgrade.source });
  }
  return gaps;
}

function pinGap(posture: HardeningPosture): HardeningGap {
  const where = posture.project ?? 'its project folder (none: the virtualenv has no parent folder to look in)';
  if (posture.pinFiles.length === 0) {
    return { gap: 'no-hash-pins', detail: `No requirements file with --hash and no lockfile (uv.lock, poetry.lock, pylock.toml, Pipfile.lock) in ${where}`, source: null };
  }
  const first = posture.pinFiles[0]!;
  const loose = posture.pinFiles.flatMap((file) => file.loose);
  const files = posture.pinFiles.map((file) => file.path).join(', ');
  return {
    gap: 'no-hash-pins',
    detail: `${files} ${posture.pinFiles.length === 1 ? 'records' : 'record'} no hashes${loose.length > 0 ? `, and pins loosely: ${loose.slice(0, 5).join(', ')}${loose.length > 5 ? ` and ${loose.length - 5} more` : ''}` : ''}`,
    source: first.path,
  };
}

function indexGap(posture: HardeningPosture, publicIndexes: readonly PackageIndexSetting[]): HardeningGap {
  const primary = publicIndexes.find((index) => index.role === 'primary');
  const lead = primary ?? publicIndexes[0]!;
  const detail = primary
    ? primary.source.startsWith('default')
      ? `${posture.installer} installs from public PyPI, ${primary.url}: no index is configured, so it uses its default`
      : `${posture.installer} installs from public PyPI, ${primary.url} (${primary.source})`
    : `${posture.installer} also searches public PyPI, ${lead.url} (${lead.source}), beside its private index`;
  return { gap: 'public-index', detail, source: sourcePath(lead.source) };
}

/** The file a setting's description names (`index-url in /etc/pip.conf` → `/etc/pip.conf`), or null for a default or an environment. */
function sourcePath(source: string): string | null {
  const match = / in (\/\S+)$/.exec(source);
  return match ? match[1]! : null;
}

function hardeningFinding(host: string, posture: HardeningPosture, gaps: HardeningGap[]): HardeningGapFinding {
  const what = posture.container !== null ? `Image ${posture.image ?? '?'} of ${posture.container}` : posture.environment !== null ? `Virtualenv ${venvOf(posture.environment)}` : 'Unattended upgrades';
  const evidence = [
    ...gaps.map((gap) => gap.detail),
    ...posture.pinFiles.filter((file) => file.hashes).map((file) => `${file.path} records hashes`),
    ...posture.indexes.filter((index) => !index.public).map((index) => `${index.role} index ${index.url} (${index.source}): not public PyPI`),
    ...(posture.hashPinnedBuild === true ? ['Every install step of the image history enforces hashes'] : []),
  ];
  return {
    id: hardeningFindingId(host, posture),
    kind: 'hardening-gap',
    severity: 'low',
    title: `${what} on ${host} is not hardened: ${gaps.map((gap) => GAP_WORDS[gap.gap]).filter((word, index, all) => all.indexOf(word) === index).join(', ')}`,
    host,
    container: posture.container,
    environment: posture.environment,
    image: posture.image,
    project: posture.project,
    gaps,
    evidence,
  };
}

/** How each gap reads in a title. */
const GAP_WORDS: Record<HardeningGap['gap'], string> = {
  'no-hash-pins': 'no hash-pinned requirements or lockfile',
  'public-index': 'installs from public PyPI',
  'unattended-upgrade': 'upgraded unattended',
};

/** `/srv/app/venv` from `/srv/app/venv/lib/python3.11/site-packages`. */
export function venvOf(sitePackages: string): string {
  return sitePackages.replace(/\/lib(?:64)?\/python3[^/]*\/site-packages$/, '');
}
