/**
 * How a case keeps the latest result per host across scans of some of its hosts: a scan replaces
 * the entries of the hosts it covered and leaves every other host's entry, with its own scan
 * time, as it was. The report's findings are then derived again from the merged hosts (by the
 * backend, with the report builder), so findings that join hosts are judged on all of them.
 */
import { hostWasRead } from '../domain/host-status.js';
import type { HostInventory, ScanReport } from '../model/index.js';
import { mergeIntoLedger, type CaseLedger } from './ledger.js';

/**
 * The case's hosts after a scan: each host the scan covered takes its new result stamped with the
 * scan's time, except that a result that could not read a host the case has read before keeps the
 * earlier inventory and records the failure as `failedAttempt` (a host switched off for
 * containment, or a cancelled re-scan, must not erase what was found there). Hosts the scan did
 * not cover are kept, each with the time it was read. Order: the case's hosts first, new ones after.
 */
export function mergeHostResults(
  previous: Pick<ScanReport, 'scannedAt' | 'hosts'> | null,
  latest: Pick<ScanReport, 'scannedAt' | 'hosts'>,
): HostInventory[] {
  const stamped = (host: HostInventory, at: string): HostInventory => ({ ...host, scannedAt: host.scannedAt ?? at });
  const fresh = new Map(latest.hosts.map((host) => [host.name, stamped(host, latest.scannedAt)] as const));
  const kept = (previous?.hosts ?? []).map((host) => {
    const before = stamped(host, previous!.scannedAt);
    const now = fresh.get(host.name);
    if (!now) return before;
    fresh.delete(host.name);
    if (hostWasRead(now.status) || !hostWasRead(before.status)) return now;
    const { failedAttempt: _older, ...read } = before;
    return { ...read, failedAttempt: { at: now.scannedAt!, status: now.status, error: now.error ?? now.status } };
  });
  return [...kept, ...fresh.values()];
}

/** The case's report without one host; its findings are derived again by the caller. Null when the host is not in it. */
export function withoutHost<R extends Pick<ScanReport, 'hosts'>>(report: R, name: string): R | null {
  if (!report.hosts.some((host) => host.name === name)) return null;
  return { ...report, hosts: report.hosts.filter((host) => host.name !== name) };
}

/**
 * The ledger after a scan of some of the case's hosts: what the scan itself found, at its time,
 * and every finding of the merged report at the time its host was read. So a finding that joins a
 * re-scanned host to a kept one (a consumer of a kept gateway) is recorded, while a kept host's
 * keys are not made to look seen later than that host was read.
 */
export function mergeCaseScanIntoLedger(
  ledger: CaseLedger | null,
  scan: Pick<ScanReport, 'scannedAt' | 'findings'>,
  merged: Pick<ScanReport, 'scannedAt' | 'hosts' | 'findings'> & Partial<Pick<ScanReport, 'exposures'>>,
): CaseLedger {
  const readAt = new Map(merged.hosts.map((host) => [host.name, host.scannedAt ?? merged.scannedAt] as const));
  const byTime = new Map<string, ScanReport['findings']>();
  for (const finding of merged.findings) {
    const at = readAt.get(finding.host) ?? merged.scannedAt;
    byTime.set(at, [...(byTime.get(at) ?? []), finding]);
  }
  let next = mergeIntoLedger(ledger, scan);
  // The merged inventory goes along: a gateway's teardown pieces may sit on hosts this scan did not read (a tunnel elsewhere).
  for (const [scannedAt, findings] of byTime) next = mergeIntoLedger(next, { scannedAt, findings, hosts: merged.hosts, ...(merged.exposures ? { exposures: merged.exposures } : {}) });
  return next;
}
