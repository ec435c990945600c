/**
 * Whether the subject of a gone check (a secret, an authorized public key, a consumer's way to a
 * gateway) is gone: which hosts a check must read, and where a scan still finds it or could not
 * look. Shared by the progress merge and the steps the case ledger keeps.
 */
import { consumerKey } from '../case/ledger-entries.js';
import { hostWasRead } from '../domain/host-status.js';
import { isFindingOfKind } from '../model/index.js';
import type { Finding, HostInventory } from '../model/index.js';
import type { GoneCheck } from './types.js';
import { teardownOutcomes } from './teardown.js';
import { unique } from './text.js';

/** The hosts a gone check must read: where a secret was, the account's host, the consumer's and the gateway's hosts, every host a teardown piece is on. */
export function goneCheckHosts(check: GoneCheck): string[] {
  if (check.kind === 'secret') return [...check.hosts];
  if (check.kind === 'authorized-key') return [check.host];
  if (check.kind === 'teardown') return unique([check.gatewayHost, ...check.pieces.map((piece) => piece.host)]);
  return unique([check.consumerHost, check.gatewayHost]);
}

/** Judges gone checks against one scan's hosts and findings (see goneJudge). */
export type GoneJudge = (check: GoneCheck, watchedHosts?: readonly string[]) => { foundOn: string[]; notScanned: string[] };

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
  return goneJudge(hosts, findings)(check, watchedHosts);
}

/**
 * goneOutcome for many checks against the same scan: the hosts by name, the consumers found and
 * the hosts holding each key are indexed once. A plan of thousands of steps judged one by one
 * searched every host and finding for each step (seconds at 5,000 nodes). The judge reads the
 * hosts and findings as they are when it is made; make a new one for a changed scan.
 */
export function goneJudge(hosts: readonly HostInventory[], findings?: readonly Finding[]): GoneJudge {
  const byName = new Map(hosts.map((host) => [host.name, host]));
  const consumersFound = findings
    ? new Set(findings.filter((finding) => isFindingOfKind(finding, 'consumer')).map((finding) => consumerKey(finding)))
    : null;
  // Each fingerprint's hosts, in the hosts' order, each once.
  const secretHosts = new Map<string, string[]>();
  for (const host of hosts) {
    for (const fingerprint of new Set((host.secrets ?? []).map((secret) => secret.fingerprint))) {
      const names = secretHosts.get(fingerprint);
      if (names) names.push(host.name);
      else secretHosts.set(fingerprint, [host.name]);
    }
  }
  return (check, watchedHosts = []) => judge(check, hosts, watchedHosts, { byName, consumersFound, secretHosts });
}

function judge(
  check: GoneCheck,
  hosts: readonly HostInventory[],
  watchedHosts: readonly string[],
  index: { byName: Map<string, HostInventory>; consumersFound: Set<string> | null; secretHosts: Map<string, string[]> },
): { foundOn: string[]; notScanned: string[] } {
  const { byName } = index;
  if (check.kind === 'teardown') {
    // Every piece must be judged, and every host it involves read (the gateway's too, even when all its pieces are elsewhere).
    const outcomes = teardownOutcomes(check.gateway, check.pieces, hosts);
    const unread = (name: string): boolean => {
      const host = byName.get(name);
      return host === undefined || !hostWasRead(host.status);
    };
    return {
      foundOn: unique(outcomes.filter((outcome) => outcome.state === 'present').map((outcome) => outcome.piece.host)),
      notScanned: unique([
        ...outcomes.filter((outcome) => outcome.state === 'not-read').map((outcome) => outcome.piece.host),
        ...[check.gatewayHost, ...watchedHosts].filter(unread),
      ]),
    };
  }
  if (check.kind === 'consumer') {
    const hostsOf = unique([check.consumerHost, check.gatewayHost, ...watchedHosts]);
    if (!index.consumersFound) return { foundOn: [], notScanned: hostsOf };
    const found = index.consumersFound.has(consumerKey(check));
    // The consumer's host must be reached with its configured URLs read; the gateway's host reached, or the gateway is unknown.
    const read = (name: string): boolean => {
      const host = byName.get(name);
      if (host === undefined || !hostWasRead(host.status)) return false;
      return name !== check.consumerHost || host.endpointReferences !== undefined;
    };
    return { foundOn: found ? [check.consumerHost] : [], notScanned: hostsOf.filter((name) => !read(name)) };
  }
  if (check.kind === 'secret') {
    const foundOn = [...(index.secretHosts.get(check.fingerprint) ?? [])];
    // Read means reached and searched for secrets: a partial scan whose secret search did not run has no `secrets`.
    const read = (name: string): boolean => {
      const host = byName.get(name);
      return host !== undefined && hostWasRead(host.status) && host.secrets !== undefined;
    };
    return { foundOn, notScanned: unique([...check.hosts, ...watchedHosts]).filter((name) => !read(name)) };
  }
  const host = byName.get(check.host);
  const bare = check.fingerprint.replace(/^ssh:/, '');
  const found = (host?.authorizedKeys ?? []).some((key) => key.user === check.user && key.fingerprint.replace(/^ssh:/, '') === bare);
  const read = host !== undefined && hostWasRead(host.status) && host.authorizedKeys !== undefined;
  return { foundOn: found ? [check.host] : [], notScanned: read ? [] : [check.host] };
}
