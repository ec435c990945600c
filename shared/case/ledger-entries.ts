/**
 * The case ledger: everything the case has ever seen whose checklist steps are verified by its
 * absence (secrets, public keys in authorized_keys that a found private key opens, consumers of a
 * gateway), merged from every finished scan and never dropped. The checklist keeps an item's steps
 * after a re-scan no longer finds it, so the user sees it gone instead of losing the record that
 * it existed. Fingerprints and names only, never a value.
 *
 * This module holds the ledger's entries and how one finding is recorded in each; ledger.ts merges a
 * whole scan through each finding kind's ledger part (shared/kinds/).
 */
import { teardownPieceKey, type TeardownPiece } from '../checklist/teardown.js';
import type { ConsumerFinding, GatewayFinding, SecretFinding, SecretLocation, SshLateralFinding } from '../model/index.js';

/** A secret the case has seen, by fingerprint. */
export interface LedgerSecret {
  fingerprint: string;
  provider: string;
  /** Each host it was seen on, with the scan time it was last seen there. */
  hosts: { name: string; lastSeen: string }[];
  /** Every place it was seen, in the order first seen (no value). */
  locations: SecretLocation[];
  /** Scan times (ISO) of the first and the last scan that found it. */
  firstSeen: string;
  lastSeen: string;
}

/** A public key in one account's authorized_keys whose private half was found on another host. */
export interface LedgerAuthorizedKey {
  /** `ssh:SHA256:…`. */
  fingerprint: string;
  host: string;
  user: string;
  /** Hosts the private half was found on. */
  fromHosts: string[];
  firstSeen: string;
  lastSeen: string;
}

/** A consumer that pointed at a gateway. */
export interface LedgerConsumer {
  consumer: string;
  consumerHost: string;
  /** The consumer's container, or null for a unit, tunnel or host. */
  container: string | null;
  gateway: string;
  gatewayHost: string;
  firstSeen: string;
  lastSeen: string;
  /**
   * The targets its move step offered when it was last seen, so the step keeps them (and the
   * owner's pick keeps its meaning) once the consumer, or the gateway, is gone from the findings.
   */
  targets?: LedgerRouteChoice[];
}

/**
 * A move step's target as the ledger keeps it: the checklist's StepChoice, restated here because the
 * checklist's types import the IPC contract, which imports this module.
 */
export interface LedgerRouteChoice {
  value: string;
  label: string;
  detail: string;
  route?: {
    kind: 'direct-backend' | 'other-router' | 'provider-sdk';
    backend: string;
    models: string[];
    url: string | null;
    place: { host: string; container: string | null; port: number | null } | null;
    tunnel?: { unitName: string; unitText: string; host: string };
  };
}

/**
 * A gateway and every piece its teardown removes (checklist/teardown.ts), so the teardown step
 * outlives the gateway's finding: after the teardown a re-scan no longer finds the gateway at all.
 */
export interface LedgerGateway {
  /** The gateway finding's id, which is also its component id for the owner's decision. */
  id: string;
  host: string;
  container: string | null;
  /** Its container or service name. */
  name: string;
  /** `litellm`, `olla`… */
  gateway: string;
  /** True once a scan found compromised code in it or judged its exposure: a gateway the plan removes unless the owner patches it. */
  judged: boolean;
  /** Every piece any scan saw, in the order first seen; never dropped. */
  pieces: TeardownPiece[];
  firstSeen: string;
  lastSeen: string;
}

/** What a case has ever seen that has steps verified by absence. */
export interface CaseLedger {
  version: 1;
  secrets: LedgerSecret[];
  authorizedKeys: LedgerAuthorizedKey[];
  consumers: LedgerConsumer[];
  /** Absent from case files written before teardowns were kept: read as none. */
  gateways?: LedgerGateway[];
}

/** A ledger that has seen nothing. */
export function emptyLedger(): CaseLedger {
  return { version: 1, secrets: [], authorizedKeys: [], consumers: [] };
}

/** The key of an authorized key in the ledger. */
export function authorizedKeyKey(item: Pick<LedgerAuthorizedKey, 'host' | 'user' | 'fingerprint'>): string {
  return JSON.stringify([item.host, item.user, item.fingerprint.replace(/^ssh:/, '')]);
}

/** The key of a consumer in the ledger. */
export function consumerKey(item: Pick<LedgerConsumer, 'consumerHost' | 'consumer' | 'gatewayHost' | 'gateway'>): string {
  return JSON.stringify([item.consumerHost, item.consumer, item.gatewayHost, item.gateway]);
}


/** The consumer list each index was built from, and the first entry per key in it. */
const consumerIndexes = new WeakMap<LedgerConsumer[], { count: number; byKey: Map<string, LedgerConsumer> }>();

/**
 * The ledger's entry for this consumer (the first with its key), or undefined. Looked up in an
 * index kept beside the list, rebuilt whenever the list's length is not the one it was built from:
 * a scan records every consumer in turn, and searching the whole list each time made a case with
 * thousands of consumers take seconds.
 */
export function ledgerConsumer(ledger: CaseLedger, item: Pick<LedgerConsumer, 'consumerHost' | 'consumer' | 'gatewayHost' | 'gateway'>): LedgerConsumer | undefined {
  let index = consumerIndexes.get(ledger.consumers);
  if (!index || index.count !== ledger.consumers.length) {
    const byKey = new Map<string, LedgerConsumer>();
    for (const candidate of ledger.consumers) {
      const key = consumerKey(candidate);
      if (!byKey.has(key)) byKey.set(key, candidate);
    }
    index = { count: ledger.consumers.length, byKey };
    consumerIndexes.set(ledger.consumers, index);
  }
  return index.byKey.get(consumerKey(item));
}

/** Records a key: its hosts (each with when it was last seen there) and every place it was seen. */
export function recordSecret(ledger: CaseLedger, finding: SecretFinding, at: string): void {
  let item = ledger.secrets.find((candidate) => candidate.fingerprint === finding.fingerprint);
  if (!item) {
    item = { fingerprint: finding.fingerprint, provider: finding.provider, hosts: [], locations: [], firstSeen: at, lastSeen: at };
    ledger.secrets.push(item);
  }
  stamp(item, at);
  const hosts = finding.locations.length > 0 ? finding.locations.map((location) => location.host) : [finding.host];
  for (const name of new Set(hosts)) {
    const host = item.hosts.find((candidate) => candidate.name === name);
    if (!host) item.hosts.push({ name, lastSeen: at });
    else host.lastSeen = later(host.lastSeen, at);
  }
  for (const location of finding.locations) {
    if (!item.locations.some((known) => sameLocation(known, location))) item.locations.push({ ...location });
  }
}

/** Records the public key a lateral path logs in with, in the account that accepts it. */
export function recordAuthorizedKey(ledger: CaseLedger, finding: SshLateralFinding, at: string): void {
  const seen = { fingerprint: finding.keyFingerprint, host: finding.toHost, user: finding.toUser };
  let item = ledger.authorizedKeys.find((candidate) => authorizedKeyKey(candidate) === authorizedKeyKey(seen));
  if (!item) {
    item = { ...seen, fromHosts: [], firstSeen: at, lastSeen: at };
    ledger.authorizedKeys.push(item);
  }
  stamp(item, at);
  if (!item.fromHosts.includes(finding.fromHost)) item.fromHosts.push(finding.fromHost);
}

/** Records a consumer pointing at its gateway. */
export function recordConsumer(ledger: CaseLedger, finding: ConsumerFinding, at: string): void {
  let item = ledgerConsumer(ledger, finding);
  if (!item) {
    item = {
      consumer: finding.consumer,
      consumerHost: finding.consumerHost,
      container: finding.container,
      gateway: finding.gateway,
      gatewayHost: finding.gatewayHost,
      firstSeen: at,
      lastSeen: at,
    };
    ledger.consumers.push(item);
    // Kept in step with the push, so the next lookup does not rebuild the index.
    const index = consumerIndexes.get(ledger.consumers);
    if (index && index.count === ledger.consumers.length - 1) {
      index.byKey.set(consumerKey(item), item);
      index.count += 1;
    }
  }
  stamp(item, at);
}

/** Records a gateway with the teardown pieces this scan shows for it, added to those seen before (by their key). */
export function recordGateway(
  ledger: CaseLedger,
  finding: GatewayFinding,
  at: string,
  seen: { pieces: readonly TeardownPiece[]; judged: boolean },
): void {
  const gateways = (ledger.gateways ??= []);
  let item = gateways.find((candidate) => candidate.id === finding.id);
  if (!item) {
    item = {
      id: finding.id,
      host: finding.host,
      container: finding.container,
      name: finding.container ?? finding.service ?? finding.gateway,
      gateway: finding.gateway,
      judged: false,
      pieces: [],
      firstSeen: at,
      lastSeen: at,
    };
    gateways.push(item);
  }
  stamp(item, at);
  item.judged ||= seen.judged;
  const known = new Set(item.pieces.map(teardownPieceKey));
  for (const piece of seen.pieces) {
    if (known.has(teardownPieceKey(piece))) continue;
    known.add(teardownPieceKey(piece));
    item.pieces.push({ ...piece });
  }
}

function stamp(item: { firstSeen: string; lastSeen: string }, at: string): void {
  item.lastSeen = later(item.lastSeen, at);
  if (Date.parse(at) < Date.parse(item.firstSeen)) item.firstSeen = at;
}

function later(a: string, b: string): string {
  return Date.parse(b) > Date.parse(a) ? b : a;
}

/** Whether two places of a secret are the same place (field by field: a stored copy may order its keys differently). */
export function sameLocation(a: SecretLocation, b: SecretLocation): boolean {
  return a.host === b.host && a.container === b.container && a.source === b.source && a.path === b.path && a.variable === b.variable;
}
