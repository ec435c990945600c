/**
 * One finding per secret (by fingerprint) with every place it was seen across all hosts, so the
 * user rotates a key once and knows every copy to replace. A key held anywhere judged exposed is
 * critical: the compromise read it. Only fingerprints reach this module; values never do.
 */
import type { HostInventory, SecretFinding, SecretLocation, SecretSighting, Severity } from '../../model/index.js';
import { compareSeverity } from '../../model/index.js';
import type { ExposedPlaces } from './exposed-places.js';
import { type Gateway, gatewayLabel } from './gateways.js';
import { describePlace, placeKey } from './places.js';

/** The stable id of a secret finding: the same key seen on a re-scan keeps it, wherever it moved. */
export function secretFindingId(fingerprint: string): string {
  return `secret:${fingerprint}`;
}

/** Groups every sighting of every host by fingerprint; severity by the most dangerous place holding it. */
export function findSecrets(hosts: readonly HostInventory[], exposed: ExposedPlaces, gateways: readonly Gateway[]): SecretFinding[] {
  const byFingerprint = new Map<string, Array<{ host: string; sighting: SecretSighting }>>();
  for (const host of hosts) {
    for (const sighting of host.secrets ?? []) {
      const group = byFingerprint.get(sighting.fingerprint) ?? [];
      group.push({ host: host.name, sighting });
      byFingerprint.set(sighting.fingerprint, group);
    }
  }
  const gatewayPlaces = new Map(gateways.map((gateway) => [placeKey(gateway.host, gateway.container), gateway]));
  return [...byFingerprint.entries()]
    .map(([fingerprint, sightings]) => secretFinding(fingerprint, sightings, exposed, gatewayPlaces))
    .sort((a, b) => compareSeverity(a.severity, b.severity) || compareText(a.host, b.host) || compareText(a.id, b.id));
}

function secretFinding(
  fingerprint: string,
  sightings: ReadonlyArray<{ host: string; sighting: SecretSighting }>,
  exposed: ExposedPlaces,
  gatewayPlaces: ReadonlyMap<string, Gateway>,
): SecretFinding {
  const locations: SecretLocation[] = [];
  const seen = new Set<string>();
  for (const { host, sighting } of sightings) {
    const location: SecretLocation = {
      host,
      container: sighting.container,
      source: sighting.source,
      ...(sighting.path !== undefined ? { path: sighting.path } : {}),
      ...(sighting.variable !== undefined ? { variable: sighting.variable } : {}),
    };
    const key = JSON.stringify([host, sighting.container, sighting.source, sighting.path ?? null, sighting.variable ?? null]);
    if (seen.has(key)) continue;
    seen.add(key);
    locations.push(location);
  }
  const first = locations[0]!;
  // A provider read as `unknown` in one place may be named in another.
  const provider = sightings.map(({ sighting }) => sighting.provider).find((name) => name !== 'unknown') ?? 'unknown';
  const isSsh = provider === 'ssh' || fingerprint.startsWith('ssh:');

  const evidence: string[] = [];
  let severity: Severity = 'medium';
  for (const location of locations) {
    const exposure = exposed.place(location.host, location.container);
    const gateway = gatewayPlaces.get(placeKey(location.host, location.container));
    if (exposure) severity = 'critical';
    else if (gateway && severity !== 'critical') severity = 'high';
    const why = exposure ? ` — place judged exposed: ${exposure}` : gateway ? ` — held by the ${gatewayLabel(gateway.kind)} gateway` : '';
    evidence.push(`${capitalise(describePlace(location.host, location.container))}: ${whereHeld(location)}${why}`);
  }
  const hostCount = new Set(locations.map((location) => location.host)).size;
  evidence.unshift(
    severity === 'critical'
      ? `Held in a place judged exposed: assume the ${isSsh ? 'key was copied; remove its public half from every authorized_keys' : 'key was read and rotate it'}`
      : severity === 'high'
        ? 'Held by a gateway: every client of the gateway depends on it'
        : `Seen in ${locations.length} ${locations.length === 1 ? 'place' : 'places'} on ${hostCount} ${hostCount === 1 ? 'host' : 'hosts'}`,
  );

  const what = isSsh ? `SSH private key ${fingerprint}` : `${provider} key ${fingerprint}`;
  return {
    id: secretFindingId(fingerprint),
    kind: 'secret',
    severity,
    title:
      locations.length === 1
        ? `${what} in ${describePlace(first.host, first.container)}`
        : `${what} in ${locations.length} places on ${hostCount} ${hostCount === 1 ? 'host' : 'hosts'}`,
    host: first.host,
    container: first.container,
    provider,
    fingerprint,
    locations,
    evidence,
  };
}

/** `environment variable OPENAI_API_KEY`, `OPENAI_API_KEY in /srv/ai/.env (env-file)`… never the value. */
function whereHeld(location: SecretLocation): string {
  if (location.source === 'container-env') return `environment variable ${location.variable ?? '(unnamed)'}`;
  if (location.source === 'ssh-key') return `private key file ${location.path ?? '(unknown path)'}`;
  const secretObject = location.source === 'kubernetes-secret' && location.container === null ? /^([^/]+)\/secret\/([^/]+)$/.exec(location.path ?? '') : null;
  if (secretObject) return `key ${location.variable ?? '(unnamed)'} of Kubernetes Secret ${secretObject[1]}/${secretObject[2]}`;
  const what = location.variable !== undefined ? `${location.variable} in ` : '';
  return `${what}${location.path ?? '(unknown file)'} (${location.source})`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
