/**
 * Findings for compromised wheels and sdists waiting in pip and uv caches: removing a bad package
 * is not enough while `pip install` / `uv pip install` of the same version would take it from the
 * cache without fetching anything. Matches each cached artifact's name and version against the
 * advisory index. Pure.
 */
import type { AdvisoryIndex, AdvisoryMatch } from '../domain/advisories/advisory-index.js';
import type { CachedCompromisedArtifactFinding, HostInventory } from '../model/index.js';
import { compareSeverity } from '../model/index.js';

type CachedArtifact = NonNullable<HostInventory['cachedArtifacts']>[number];

/** The stable id of a cached-artifact finding: the same file on the same host (or in the same container) keeps it on a re-scan. */
export function cachedArtifactFindingId(host: string, path: string, container: string | null = null): string {
  return `cached-compromised-artifact:${host}:${container === null ? 'host' : `container:${container}`}:${path}`;
}

/** One finding per cached artifact on a host that some advisory covers, most severe first. */
export function findCachedCompromisedArtifacts(hosts: readonly HostInventory[], index: AdvisoryIndex): CachedCompromisedArtifactFinding[] {
  const findings: CachedCompromisedArtifactFinding[] = [];
  for (const host of hosts) {
    const seen = new Set<string>();
    for (const artifact of host.cachedArtifacts ?? []) {
      // The same path on the host and in a container are two files; the key keeps them apart.
      const key = `${artifact.container ?? ''}\0${artifact.path}`;
      if (seen.has(key)) continue;
      seen.add(key);
      const matches = index.match('PyPI', artifact.package, artifact.version);
      if (matches.length > 0) findings.push(cachedFinding(host.name, artifact, matches));
    }
  }
  return findings.sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) || compareText(a.host, b.host) || compareText(a.container ?? '', b.container ?? '') || compareText(a.path, b.path),
  );
}

function cachedFinding(host: string, artifact: CachedArtifact, matches: readonly AdvisoryMatch[]): CachedCompromisedArtifactFinding {
  const container = artifact.container ?? null;
  // The index returns matches most severe first, so the first one speaks for the finding.
  const lead = matches[0] as AdvisoryMatch;
  const leadId = lead.ids[0] ?? 'unknown advisory';
  const what = lead.malicious ? 'malicious code' : `${lead.severity}-severity advisory`;
  const cache = describeCache(artifact.path);
  const slash = artifact.path.lastIndexOf('/');
  const base = artifact.path.slice(slash + 1);
  const folder = artifact.path.slice(0, Math.max(slash, 0));
  const kindOfFile = base.endsWith('.whl') ? 'Wheel' : base.endsWith('.dist-info') ? 'Unpacked wheel' : 'Source archive';
  return {
    id: cachedArtifactFindingId(host, artifact.path, container),
    kind: 'cached-compromised-artifact',
    severity: lead.severity,
    title: `${artifact.package} ${artifact.version} (${what}, ${leadId}) in ${cache.owner}'s ${cache.name} ${container === null ? '' : `in container ${container} `}on ${host}`,
    host,
    container,
    path: artifact.path,
    package: artifact.package,
    version: artifact.version,
    evidence: [
      `${kindOfFile} ${base} in ${folder}`,
      ...matches.map((match) => {
        const [primary, ...aliases] = match.ids;
        return `${aliases.length > 0 ? `${primary} (also ${aliases.join(', ')})` : `${primary}`}: ${match.summary}`;
      }),
      cache.tool === 'uv'
        ? 'uv pip install (and uv sync, uv run) reuses a cached artifact of the same version without downloading it again'
        : 'pip installs a cached wheel of the same version without downloading it again',
    ],
  };
}

/** Whose cache and which one, from the path (`/root/…` or `/home/<user>/…`, then `.cache/pip` or `.cache/uv`). */
function describeCache(path: string): { owner: string; name: string; tool: 'pip' | 'uv' } {
  const owner = path.startsWith('/root/') ? 'root' : (/^\/home\/([^/]+)\//.exec(path)?.[1] ?? 'a user');
  const tool = path.includes('/.cache/uv/') ? 'uv' : 'pip';
  return { owner, name: tool === 'uv' ? 'uv cache' : 'pip wheel cache', tool };
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
