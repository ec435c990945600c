/**
 * The benchmark's lab, generated as data in the lab's own types: N Debian-like hosts, each with a
 * docker stand-in listing M running containers, and D distributions in the host's dist-packages
 * and in each container's site-packages. Defaults follow the issue: 8 hosts × 20 containers × 500
 * distributions. Every container is modelled on the lab's recorded open-webui container
 * (docker-fixtures.ts), so the stand-in replays Docker 28 output for each one.
 */
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Lab } from '../lab/lab.js';
import type { LabContainer, LabDistribution, LabSitePackages, LabSshHostSpec } from '../lab/lab-hosts.js';
import { inRoot, run, writeSitePackages } from '../lab/rootfs.js';
import { writeDockerFixtures } from './docker-fixtures.js';

/** The lab size; the last two hosts are clean (Ansible's peer runs only there). */
export const BENCH_LAB_DEFAULTS = { hosts: 8, containersPerHost: 20, distributionsPerSite: 500, cleanHosts: 2 } as const;

/** How big a benchmark lab to generate. */
export interface BenchLabSize {
  hosts: number;
  containersPerHost: number;
  /** Distributions in each site folder: the host's dist-packages and each container's site-packages. */
  distributionsPerSite: number;
  /**
   * How many of the hosts (the last ones) hold no compromised package anywhere, containers
   * included: the only hosts where the bench may start Python (Ansible's `setup`). Default 0.
   */
  cleanHosts?: number;
}

/** A generated lab: what to pass to startLab, and how much it holds. */
export interface BenchLab {
  /** The hosts with all their distributions (what the scan must find). */
  hosts: LabSshHostSpec[];
  /** For startLab's `hosts`: the same hosts with empty site folders, filled afterwards by writeBenchSites. */
  emptyHosts: LabSshHostSpec[];
  /** For startLab's `dockerFixtures`: one generated fixture folder per host. */
  dockerFixtures: Record<string, string>;
  containers: number;
  /** Names of the clean hosts: no compromised distribution on the host or in its containers. */
  cleanHosts: string[];
  /** Names of the hosts whose first container carries litellm 1.82.8. */
  compromisedHosts: string[];
  /** Distributions in the whole lab (hosts and containers). */
  distributions: number;
}

/** Where generated hosts keep their distributions (Debian's system Python and the python:3.11 images). */
export const HOST_SITE = '/usr/lib/python3/dist-packages';
/** Site folder inside each generated container. */
export const CONTAINER_SITE = '/usr/local/lib/python3.11/site-packages';

/**
 * Real project names first, so the advisory matcher meets names it knows (it indexes by PEP 503
 * name); generated names fill the rest.
 */
const COMMON_NAMES = [
  'requests', 'urllib3', 'idna', 'certifi', 'charset-normalizer', 'six', 'PyYAML', 'packaging', 'setuptools', 'pip',
  'wheel', 'attrs', 'pydantic', 'pydantic_core', 'typing_extensions', 'httpx', 'httpcore', 'anyio', 'sniffio', 'h11',
  'openai', 'tiktoken', 'numpy', 'jinja2', 'MarkupSafe', 'click', 'fastapi', 'starlette', 'uvicorn', 'python-dotenv',
];

/**
 * `count` distinct distributions for one site folder, varied by `seed`; about one in ten as
 * egg-info (distro packages still ship those), the rest as pip's dist-info.
 */
export function benchDistributions(count: number, seed: number): LabDistribution[] {
  return Array.from({ length: count }, (_, index): LabDistribution => {
    const name = index < COMMON_NAMES.length ? COMMON_NAMES[index]! : `bench-pkg-${String(index).padStart(4, '0')}`;
    const version = `${1 + ((index + seed) % 7)}.${(index * 3 + seed) % 13}.${(index + 2 * seed) % 5}`;
    return index % 10 === 9 ? { name, version, format: 'egg-info' } : { name, version };
  });
}

/**
 * Generates the hosts and writes one Docker fixture folder per host under `fixturesRoot`. Every
 * host's dist-packages holds the same distributions, and so does every container's site-packages
 * (as containers from one base image do), except that the first container of each host carries
 * litellm 1.82.8 in place of one generated distribution, so the report's finding path runs too
 * (one critical finding per host), except on the last `cleanHosts` hosts, which hold nothing
 * compromised. Sharing lets writeBenchSites write each folder once.
 */
export async function generateBenchLab(fixturesRoot: string, size: BenchLabSize = BENCH_LAB_DEFAULTS): Promise<BenchLab> {
  // Octets 2…254 of the run's 127.77.<block>.0/24; .1 is left alone as the lab does.
  if (size.hosts < 1 || size.hosts > 253) throw new Error('hosts must be 1…253');
  if (size.distributionsPerSite < 1) throw new Error('distributionsPerSite must be at least 1');
  const clean = size.cleanHosts ?? 0;
  if (!Number.isInteger(clean) || clean < 0 || clean > size.hosts) throw new Error('cleanHosts must be 0…hosts');
  const cleanHosts: string[] = [];
  const compromisedHosts: string[] = [];
  const hosts: LabSshHostSpec[] = [];
  const dockerFixtures: Record<string, string> = {};
  const hostSite: LabSitePackages = { path: HOST_SITE, distributions: benchDistributions(size.distributionsPerSite, 1) };
  const containerSite: LabSitePackages = { path: CONTAINER_SITE, distributions: benchDistributions(size.distributionsPerSite, 2) };
  const flaggedSite: LabSitePackages = {
    path: CONTAINER_SITE,
    distributions: [...containerSite.distributions.slice(0, -1), { name: 'litellm', version: '1.82.8' }],
  };
  for (let h = 1; h <= size.hosts; h++) {
    const name = `bench${h}`;
    const isClean = h > size.hosts - clean;
    (isClean ? cleanHosts : compromisedHosts).push(name);
    // Container names are unique across the lab: lab.containers is keyed by name alone.
    const names = Array.from({ length: size.containersPerHost }, (_, c) => `${name}-svc-${String(c + 1).padStart(2, '0')}`);
    dockerFixtures[name] = path.join(fixturesRoot, name);
    await writeDockerFixtures(dockerFixtures[name], names, `bench${h}`);
    const containers = names.map(
      (containerName, c): LabContainer => ({ name: containerName, osRelease: 'debian-12', sitePackages: [c === 0 && !isClean ? flaggedSite : containerSite] }),
    );
    hosts.push({
      kind: 'ssh',
      name,
      octet: 1 + h,
      userland: 'debian',
      // docker exec in the stand-in is a chroot: it needs root, as gw has.
      user: 'root',
      hostname: name,
      osRelease: 'debian-12',
      docker: 'standin',
      sitePackages: [hostSite],
      virtualenvs: [],
      containers,
      proves: `benchmark: ${size.containersPerHost} running containers and ${size.distributionsPerSite} distributions per site folder${isClean ? ', nothing compromised' : ''}`,
    });
  }
  const sites = size.hosts * (1 + size.containersPerHost);
  const emptyHosts = hosts.map((host) => ({
    ...host,
    sitePackages: [],
    containers: host.containers.map((container) => ({ ...container, sitePackages: [] })),
  }));
  return { hosts, emptyHosts, dockerFixtures, containers: size.hosts * size.containersPerHost, cleanHosts, compromisedHosts, distributions: sites * size.distributionsPerSite };
}

/** Site folders hard-linked at once: two keep both cores busy with `cp`. */
const COPIES_AT_ONCE = 2;

/**
 * Writes every host's and container's site folders into a lab started with `emptyHosts`. startLab
 * would write all of them at once: for 84,000 distributions (~500,000 files) that runs out of file
 * descriptors (EMFILE), and at ~150 distributions a second it would take ten minutes. Instead
 * each distinct site folder is written once, with the lab's own writer, into the run folder, and
 * hard-linked (`cp -al`, as the lab clones its base userlands) into every root that holds it. The
 * lab replaces files rather than writing through them, so a later lab.writeFile stays local.
 * Once `signal` aborts, no further folder is started.
 */
export async function writeBenchSites(lab: Lab, hosts: readonly LabSshHostSpec[], signal?: AbortSignal): Promise<void> {
  // Promises, so a copy that asks while its template is being written waits for it.
  const templates = new Map<LabSitePackages, Promise<string>>();
  const templateOf = (site: LabSitePackages): Promise<string> => {
    let root = templates.get(site);
    if (!root) {
      // In the run folder: hard links need the same filesystem, and lab.stop() removes it.
      const folder = path.join(lab.runDir, 'bench-sites', String(templates.size));
      root = writeSitePackages(folder, site).then(() => folder);
      templates.set(site, root);
    }
    return root;
  };
  const place = async (root: string, site: LabSitePackages): Promise<void> => {
    const template = await templateOf(site);
    const target = inRoot(root, site.path);
    await mkdir(path.dirname(target), { recursive: true });
    await rm(target, { recursive: true, force: true });
    await run('cp', ['-a', '-l', '--', inRoot(template, site.path), target]);
  };
  const jobs: (() => Promise<void>)[] = [];
  for (const host of hosts) {
    for (const site of host.sitePackages) jobs.push(() => place(lab.rootOf(host.name), site));
    for (const container of host.containers) {
      for (const site of container.sitePackages) jobs.push(() => place(lab.rootOf(host.name, container.name), site));
    }
  }
  let next = 0;
  const worker = async (): Promise<void> => {
    // Checked between copies: once stopping, the lab is about to be removed under them.
    while (next < jobs.length && !signal?.aborted) await jobs[next++]!();
  };
  await Promise.all(Array.from({ length: COPIES_AT_ONCE }, worker));
}
