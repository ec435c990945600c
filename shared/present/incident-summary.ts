/**
 * The incident at a glance: which hosts carry malicious code, which were reached from them, how
 * many keys must be rotated, which gateways have how many clients (the unidentified ones counted)
 * and which hosts were not fully read; and one verdict per host for the hosts table.
 *
 * The rules, so the numbers can be checked by hand against the findings:
 * - **Compromised** (malicious code there): a compromised-package finding whose advisory reports
 *   malicious code (a `MAL-` id, or the title the producer writes for one: "malicious code"); an
 *   executable `.pth` that is known-malicious (critical) or unrecognised (high: code of unknown
 *   origin run at every interpreter start); an IOC above info; installed files that are not their
 *   release's (an artifact-mismatch finding counted as compromise evidence: a file added or changed
 *   against a known-good artifact, or a start-up hook, or a flagged release's code, where the copy
 *   departs from most copies of its version); or an exposure verdict of
 *   `exposed` / `likely-exposed` for a place on the host (the compromised release ran, or likely
 *   ran, there). A package covered only by a vulnerability advisory is not malicious code, and an
 *   info-level finding (a known-benign `.pth`) is never evidence.
 * - **Reached** (not compromised itself): holds a key that was exposed elsewhere (a secret finding
 *   at critical, the producer's "held where compromised code ran", or held on a compromised
 *   host); or is reachable over SSH-lateral paths from a compromised host (any number of hops:
 *   whoever read the keys on one host can read the next); or consumes a gateway that is exposed
 *   (its finding is critical, or its place is compromised).
 * - Otherwise **not read** (the scan never read the host), **partial** (read in part, nothing of
 *   the above found in what was read) or **clean** (read fully, nothing of the above).
 * - **Keys to rotate**: every secret finding, counted by severity.
 * - **Unidentified clients** of a gateway: addresses in its access log that no scanned place
 *   accounts for (nobody scanned, or the gateway's own host, which is what forwarded clients look
 *   like) — the same addresses the gateway finding lists as unaccounted.
 * - **Not fully read**: status other than `ok`, or a latest attempt that failed while the case
 *   shows what an earlier scan read.
 */
import type { Finding, GatewayClientTraffic, GatewayFinding, HostInventory, HostStatus, ScanReport, Severity } from '../model/index.js';
import { SEVERITIES, isFindingOfKind } from '../model/index.js';
import { hostWasRead } from '../domain/host-status.js';
import { isCompromiseEvidence } from '../findings/artifact-mismatch.js';
import { isUnidentifiedLogClient, logClient, trafficOf } from '../findings/topology/log-clients.js';
import { placeKey } from '../findings/topology/places.js';

/** What the incident means for one host, worst first. */
export const HOST_VERDICTS = ['compromised', 'reached', 'not-read', 'partial', 'clean'] as const;
/** What the incident means for one host. */
export type HostVerdict = (typeof HOST_VERDICTS)[number];

/** One host's verdict and the facts behind it. */
export interface HostVerdictEntry {
  host: string;
  verdict: HostVerdict;
  /** Why, one reason a line, deciding facts first; empty for a clean host. */
  reasons: string[];
  /** The host's scan status, as the report holds it. */
  status: HostStatus;
  /** True when the case's latest attempt at the host failed and an earlier scan's inventory is shown. */
  failedAttempt: boolean;
}

/** One gateway and who uses it. */
export interface GatewaySummary {
  findingId: string;
  host: string;
  /** Its container, or its service for a host service. */
  name: string;
  /** `litellm`, `olla`… */
  gateway: string;
  /** True when its finding is critical or its place is compromised: every client's traffic passed through compromised code. */
  exposed: boolean;
  /** Ids of the consumer findings that send requests to it. */
  consumerIds: string[];
  /** True when its access log was read (else its unidentified clients are not known, not zero). */
  logRead: boolean;
  /** Distinct addresses in its log that no scanned place accounts for. */
  unidentifiedClients: number;
  /** Requests those addresses sent. */
  unidentifiedRequests: number;
}

/** A host the scan did not read fully, and how. */
export interface UnreadHost {
  host: string;
  status: HostStatus;
  /** `not-read`: nothing read; `partial`: read in part; `failed-attempt`: the latest attempt failed, an earlier result is shown. */
  reason: 'not-read' | 'partial' | 'failed-attempt';
}

/** The incident summary of a report. */
export interface IncidentSummary {
  /** Every host of the report, in report order. */
  hosts: HostVerdictEntry[];
  /** Hosts per verdict. */
  verdictCounts: Record<HostVerdict, number>;
  /** Names of the hosts with malicious code (verdict `compromised`), in report order. */
  compromisedHosts: string[];
  /** Names of the hosts reached from them, in report order. */
  reachedHosts: string[];
  /** Secret findings: every key to rotate, by severity. */
  keys: { total: number; bySeverity: Record<Severity, number> };
  /** Every gateway finding, in report order. */
  gateways: GatewaySummary[];
  /** Consumer findings over all gateways. */
  consumers: number;
  /** Unidentified log clients over all gateways. */
  unidentifiedClients: number;
  /** Hosts not fully read, in report order. */
  notFullyRead: UnreadHost[];
}

/** The summary of a report: pure, derived from its hosts, findings and exposure verdicts only. */
export function buildIncidentSummary(report: ScanReport): IncidentSummary {
  const evidence = compromiseEvidence(report);
  const compromised = new Set(report.hosts.filter((host) => evidence.byHost.has(host.name)).map((host) => host.name));
  const gateways = report.findings.filter((finding) => isFindingOfKind(finding, 'gateway')).map((finding) => gatewaySummary(finding, report, evidence.places));
  const reached = reachedHosts(report, compromised, gateways);

  const hosts = report.hosts.map((host): HostVerdictEntry => {
    const base = { host: host.name, status: host.status, failedAttempt: host.failedAttempt !== undefined };
    const own = evidence.byHost.get(host.name);
    if (own) return { ...base, verdict: 'compromised', reasons: own };
    const how = reached.get(host.name);
    if (how) return { ...base, verdict: 'reached', reasons: how };
    if (!hostWasRead(host.status)) return { ...base, verdict: 'not-read', reasons: [host.error ?? host.status] };
    if (host.status !== 'ok') return { ...base, verdict: 'partial', reasons: (host.notes ?? []).map((note) => `${note.collector}: ${note.message}`) };
    return { ...base, verdict: 'clean', reasons: [] };
  });

  const secrets = report.findings.filter((finding) => isFindingOfKind(finding, 'secret'));
  const bySeverity = Object.fromEntries(SEVERITIES.map((severity) => [severity, secrets.filter((secret) => secret.severity === severity).length])) as Record<Severity, number>;
  const verdictCounts = Object.fromEntries(HOST_VERDICTS.map((verdict) => [verdict, hosts.filter((entry) => entry.verdict === verdict).length])) as Record<HostVerdict, number>;

  return {
    hosts,
    verdictCounts,
    compromisedHosts: hosts.filter((entry) => entry.verdict === 'compromised').map((entry) => entry.host),
    reachedHosts: hosts.filter((entry) => entry.verdict === 'reached').map((entry) => entry.host),
    keys: { total: secrets.length, bySeverity },
    gateways,
    consumers: gateways.reduce((sum, gateway) => sum + gateway.consumerIds.length, 0),
    unidentifiedClients: gateways.reduce((sum, gateway) => sum + gateway.unidentifiedClients, 0),
    notFullyRead: report.hosts.flatMap((host) => unread(host)),
  };
}

/** Why each host and place is compromised: the findings and verdicts that say malicious code is, or ran, there. */
function compromiseEvidence(report: ScanReport): { byHost: Map<string, string[]>; places: Set<string> } {
  const byHost = new Map<string, string[]>();
  const places = new Set<string>();
  const note = (host: string, container: string | null, reason: string): void => {
    places.add(placeKey(host, container));
    const reasons = byHost.get(host) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    byHost.set(host, reasons);
  };
  for (const finding of report.findings) {
    if (isMaliciousCode(finding)) note(finding.host, finding.container, finding.title);
  }
  for (const exposure of report.exposures ?? []) {
    if (exposure.verdict !== 'exposed' && exposure.verdict !== 'likely-exposed') continue;
    const where = exposure.container === null ? `on ${exposure.host}` : `in container ${exposure.container} on ${exposure.host}`;
    note(exposure.host, exposure.container, `${exposure.package} ${exposure.installedVersion} ${where} judged ${exposure.verdict} (${exposure.advisories[0] ?? 'advisory'})`);
  }
  return { byHost, places };
}

/** True for a finding that says malicious code is there (see the module comment). */
function isMaliciousCode(finding: Finding): boolean {
  if (finding.severity === 'info') return false;
  if (isFindingOfKind(finding, 'compromised-package')) return finding.advisories.some((id) => id.startsWith('MAL-')) || finding.title.includes('malicious code');
  if (isFindingOfKind(finding, 'executable-pth')) return finding.severity === 'critical' || finding.severity === 'high';
  if (isFindingOfKind(finding, 'content-signature')) return finding.severity === 'critical' || finding.severity === 'high';
  if (isFindingOfKind(finding, 'artifact-mismatch')) return isCompromiseEvidence(finding);
  return isFindingOfKind(finding, 'ioc');
}

function gatewaySummary(finding: GatewayFinding, report: ScanReport, compromisedPlaces: ReadonlySet<string>): GatewaySummary {
  const name = finding.container ?? finding.service ?? finding.gateway;
  const place = { host: finding.host, container: finding.container, ...(finding.service !== undefined ? { service: finding.service } : {}) };
  const consumerIds = report.findings
    .filter((candidate) => isFindingOfKind(candidate, 'consumer') && candidate.gatewayHost === finding.host && candidate.gateway === name)
    .map((consumer) => consumer.id);
  const traffic = trafficOf(place, report.hosts);
  // The access log and the database's request log can both show a client: each address once, counted from the access log when it has it.
  const ordered = [...traffic.filter((one) => one.source !== 'gateway-db'), ...traffic.filter((one) => one.source === 'gateway-db')];
  const byAddress = new Map<string, GatewayClientTraffic>();
  for (const client of ordered.flatMap((one) => one.clients)) if (!byAddress.has(client.address)) byAddress.set(client.address, client);
  const unidentified = [...byAddress.values()].filter((client) => isUnidentifiedLogClient(logClient(place, client.address, report.hosts)));
  return {
    findingId: finding.id,
    host: finding.host,
    name,
    gateway: finding.gateway,
    exposed: finding.severity === 'critical' || compromisedPlaces.has(placeKey(finding.host, finding.container)),
    consumerIds,
    logRead: traffic.length > 0,
    unidentifiedClients: new Set(unidentified.map((client) => client.address)).size,
    unidentifiedRequests: unidentified.reduce((sum, client) => sum + client.requests, 0),
  };
}

/** How each host not compromised itself was reached: keys exposed elsewhere, lateral paths, exposed gateways it uses. */
function reachedHosts(report: ScanReport, compromised: ReadonlySet<string>, gateways: readonly GatewaySummary[]): Map<string, string[]> {
  const reached = new Map<string, string[]>();
  const note = (host: string, reason: string): void => {
    if (compromised.has(host)) return;
    const reasons = reached.get(host) ?? [];
    if (!reasons.includes(reason)) reasons.push(reason);
    reached.set(host, reasons);
  };
  for (const finding of report.findings) {
    if (!isFindingOfKind(finding, 'secret')) continue;
    const exposedOn = [...new Set(finding.locations.map((location) => location.host).filter((host) => compromised.has(host)))];
    if (finding.severity !== 'critical' && exposedOn.length === 0) continue;
    const elsewhere = exposedOn.length > 0 ? `exposed on ${exposedOn.join(', ')}` : 'held where compromised code ran';
    for (const host of new Set(finding.locations.map((location) => location.host))) note(host, `Holds key ${finding.fingerprint}, ${elsewhere}`);
  }
  // Breadth-first over the lateral edges, every compromised host a source: the nearest one is named.
  const edges = report.findings.filter((finding) => isFindingOfKind(finding, 'ssh-lateral'));
  const seen = new Set(compromised);
  let frontier = [...compromised].map((host) => ({ host, from: host, hops: 0 }));
  while (frontier.length > 0) {
    const next: typeof frontier = [];
    for (const { host, from, hops } of frontier) {
      for (const edge of edges.filter((candidate) => candidate.fromHost === host && !seen.has(candidate.toHost))) {
        seen.add(edge.toHost);
        note(edge.toHost, `Reachable over SSH from compromised host ${from} in ${hops + 1} ${hops === 0 ? 'hop' : 'hops'} (${edge.toUser}@${edge.toHost})`);
        next.push({ host: edge.toHost, from, hops: hops + 1 });
      }
    }
    frontier = next;
  }
  for (const gateway of gateways.filter((candidate) => candidate.exposed)) {
    // A set: a gateway with thousands of consumers searched its id list once per finding.
    const consumerIds = new Set(gateway.consumerIds);
    for (const consumer of report.findings.filter((finding) => consumerIds.has(finding.id))) {
      if (isFindingOfKind(consumer, 'consumer')) note(consumer.consumerHost, `${consumer.consumer} sends requests to the exposed gateway ${gateway.name} on ${gateway.host}`);
    }
  }
  return reached;
}

function unread(host: HostInventory): UnreadHost[] {
  if (!hostWasRead(host.status)) return [{ host: host.name, status: host.status, reason: 'not-read' }];
  if (host.status !== 'ok') return [{ host: host.name, status: host.status, reason: 'partial' }];
  if (host.failedAttempt !== undefined) return [{ host: host.name, status: host.status, reason: 'failed-attempt' }];
  return [];
}
