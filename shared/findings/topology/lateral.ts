/**
 * SSH lateral movement: a private key on host A whose public half is in an `authorized_keys` on
 * host B lets whoever copied it from A log into B. Keys on an exposed host were read by the
 * stealer, so those edges are critical, and every host reachable from an exposed host through such
 * edges is named with the number of hops it takes.
 */
import type { HostInventory, SecretSighting, SshLateralFinding } from '../../model/index.js';
import { compareSeverity } from '../../model/index.js';
import type { ExposedPlaces } from './exposed-places.js';
import { describePlace } from './places.js';

/** The stable id of a lateral-movement finding: same key, same hosts, same account on a re-scan. */
export function sshLateralFindingId(fromHost: string, toHost: string, toUser: string, keyFingerprint: string): string {
  return `ssh-lateral:${fromHost}->${toHost}:${toUser}:${keyFingerprint}`;
}

/** One finding per (key on A, account on B ≠ A); critical when A is exposed, medium otherwise. */
export function findSshLateral(hosts: readonly HostInventory[], exposed: ExposedPlaces): SshLateralFinding[] {
  const byId = new Map<string, SshLateralFinding>();
  for (const from of hosts) {
    for (const sighting of from.secrets ?? []) {
      const publicFingerprint = sshPublicFingerprint(sighting);
      if (publicFingerprint === null) continue;
      for (const to of hosts) {
        if (to.name === from.name) continue;
        for (const key of to.authorizedKeys ?? []) {
          if (key.fingerprint !== publicFingerprint) continue;
          const id = sshLateralFindingId(from.name, to.name, key.user, sighting.fingerprint);
          const held = `Private key ${sighting.fingerprint} in ${describePlace(from.name, sighting.container)}: ${sighting.path ?? sighting.variable ?? sighting.source}`;
          const existing = byId.get(id);
          if (existing) {
            if (!existing.evidence.includes(held)) existing.evidence.splice(1, 0, held);
            continue;
          }
          const exposure = exposed.host(from.name);
          byId.set(id, {
            id,
            kind: 'ssh-lateral',
            severity: exposure ? 'critical' : 'medium',
            title: `${exposure ? 'Exposed host ' : ''}${from.name} holds a key that logs into ${to.name} as ${key.user}`,
            host: from.name,
            container: sighting.container,
            fromHost: from.name,
            toHost: to.name,
            keyFingerprint: sighting.fingerprint,
            toUser: key.user,
            evidence: [
              `${key.path} on ${to.name} allows ${key.keyType} ${key.fingerprint}${key.comment ? ` (${key.comment})` : ''} to log in as ${key.user}`,
              held,
              ...(exposure ? [`${from.name} is judged exposed: ${exposure}`] : []),
            ],
          });
        }
      }
    }
  }
  const findings = [...byId.values()];
  addReachability(findings, hosts, exposed);
  return findings.sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(a.fromHost, b.fromHost) || compareText(a.id, b.id));
}

/** `SHA256:…` of an ssh sighting (`ssh:SHA256:…`), or null for any other secret. */
function sshPublicFingerprint(sighting: SecretSighting): string | null {
  if (!sighting.fingerprint.startsWith('ssh:SHA256:')) return null;
  return sighting.fingerprint.slice('ssh:'.length);
}

/**
 * Adds, to each finding whose target is reachable from an exposed host, how: the nearest exposed
 * host and the number of hops (breadth-first over the findings' edges, each exposed host a source).
 */
function addReachability(findings: SshLateralFinding[], hosts: readonly HostInventory[], exposed: ExposedPlaces): void {
  const edges = new Map<string, Set<string>>();
  for (const finding of findings) {
    const next = edges.get(finding.fromHost) ?? new Set<string>();
    next.add(finding.toHost);
    edges.set(finding.fromHost, next);
  }
  // For each host, every exposed host it is reachable from, with the fewest hops from each.
  const reachedFrom = new Map<string, Map<string, number>>();
  for (const source of hosts.map((host) => host.name).filter((name) => exposed.host(name) !== null)) {
    const distance = new Map<string, number>([[source, 0]]);
    const queue = [source];
    while (queue.length > 0) {
      const current = queue.shift()!;
      for (const next of edges.get(current) ?? []) {
        if (distance.has(next)) continue;
        distance.set(next, distance.get(current)! + 1);
        queue.push(next);
      }
    }
    for (const [host, hops] of distance) {
      if (hops === 0) continue;
      const sources = reachedFrom.get(host) ?? new Map<string, number>();
      sources.set(source, hops);
      reachedFrom.set(host, sources);
    }
  }
  for (const finding of findings) {
    for (const [source, hops] of reachedFrom.get(finding.toHost) ?? []) {
      finding.evidence.push(`${finding.toHost} is reachable from exposed host ${source} in ${hops} ${hops === 1 ? 'hop' : 'hops'}`);
    }
  }
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
