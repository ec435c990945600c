import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { buildReport } from '../findings/build-report.js';
import { LAB, SAMPLE, sampleLabHosts } from '../fixtures/sample-report.js';
import type { HostInventory, ScanReport } from '../model/index.js';
import { mergeCaseScanIntoLedger, mergeHostResults, withoutHost } from './host-merge.js';
import { mergeIntoLedger } from './ledger.js';

const FIRST = SAMPLE.scannedAt;
const LATER = '2026-03-26T10:00:00.000Z';
const LAST = '2026-03-27T10:00:00.000Z';

const index = bundledAdvisoryIndex();
const hostNamed = (name: string): HostInventory => sampleLabHosts().find((host) => host.name === name)!;
const scanOf = (scannedAt: string, hosts: HostInventory[]): Pick<ScanReport, 'scannedAt' | 'hosts'> => ({ scannedAt, hosts });
const unreachableResult = (name: string): HostInventory => ({
  name,
  address: hostNamed(name).address,
  status: 'unreachable',
  error: 'connection refused by 127.0.0.10:22',
  facts: null,
  containers: [],
  pythonEnvironments: [],
});

describe('mergeHostResults', () => {
  it('replaces the hosts a scan covered and keeps every other host, each with the time it was read', () => {
    const previous = scanOf(FIRST, sampleLabHosts());
    const ollama = { ...hostNamed(LAB.ollama), facts: { hostname: 'ollama', os: 'Debian GNU/Linux 13 (trixie)', kernel: '6.12.0' } };

    const merged = mergeHostResults(previous, scanOf(LATER, [ollama]));

    expect(merged.map((host) => [host.name, host.scannedAt])).toEqual([
      [SAMPLE.gw, FIRST],
      [SAMPLE.nodocker, FIRST],
      [LAB.ollama, LATER],
      [SAMPLE.unreachable, FIRST],
    ]);
    expect(merged.find((host) => host.name === LAB.ollama)?.facts?.os).toBe('Debian GNU/Linux 13 (trixie)');
    expect(merged.find((host) => host.name === SAMPLE.gw)).toEqual({ ...hostNamed(SAMPLE.gw), scannedAt: FIRST });
  });

  it('stamps every host of the first scan and appends hosts the case did not hold', () => {
    const first = mergeHostResults(null, scanOf(FIRST, [hostNamed(SAMPLE.gw)]));

    const merged = mergeHostResults({ scannedAt: FIRST, hosts: first }, scanOf(LATER, [hostNamed(LAB.ollama)]));

    expect(first.map((host) => host.scannedAt)).toEqual([FIRST]);
    expect(merged.map((host) => [host.name, host.scannedAt])).toEqual([
      [SAMPLE.gw, FIRST],
      [LAB.ollama, LATER],
    ]);
  });

  it('keeps what an earlier scan read when a re-scan cannot reach the host, and says the later attempt failed', () => {
    const previous = scanOf(FIRST, sampleLabHosts());

    const merged = mergeHostResults(previous, scanOf(LATER, [unreachableResult(LAB.ollama)]));

    const ollama = merged.find((host) => host.name === LAB.ollama)!;
    expect(ollama).toEqual({
      ...hostNamed(LAB.ollama),
      scannedAt: FIRST,
      failedAttempt: { at: LATER, status: 'unreachable', error: 'connection refused by 127.0.0.10:22' },
    });
  });

  it('drops the failed attempt once a later scan reads the host again', () => {
    const failed = mergeHostResults(scanOf(FIRST, sampleLabHosts()), scanOf(LATER, [unreachableResult(LAB.ollama)]));

    const merged = mergeHostResults({ scannedAt: LATER, hosts: failed }, scanOf(LAST, [hostNamed(LAB.ollama)]));

    const ollama = merged.find((host) => host.name === LAB.ollama)!;
    expect(ollama.failedAttempt).toBeUndefined();
    expect(ollama.scannedAt).toBe(LAST);
  });

  it('replaces a host no scan has read with the latest failure', () => {
    const previous = scanOf(FIRST, sampleLabHosts());
    const refused: HostInventory = { ...unreachableResult(SAMPLE.unreachable), status: 'auth-failed', error: 'every key refused' };

    const merged = mergeHostResults(previous, scanOf(LATER, [refused]));

    expect(merged.find((host) => host.name === SAMPLE.unreachable)).toEqual({ ...refused, scannedAt: LATER });
  });
});

describe('withoutHost', () => {
  it('drops the named host and answers null for a host the case does not hold', () => {
    const report = { scannedAt: FIRST, hosts: sampleLabHosts() };

    expect(withoutHost(report, LAB.ollama)?.hosts.map((host) => host.name)).toEqual([SAMPLE.gw, SAMPLE.nodocker, SAMPLE.unreachable]);
    expect(withoutHost(report, 'elsewhere')).toBeNull();
  });
});

describe('mergeCaseScanIntoLedger', () => {
  it("records what the scan found at its time, a finding joining it to a kept host too, and leaves a kept host's keys at their own time", () => {
    const first = buildReport(sampleLabHosts(), index, new Date(FIRST));
    const ledger = mergeIntoLedger(null, first);
    // A new consumer on ollama of gw's gateway: the scan of ollama alone cannot see the gateway it points at.
    const ollama = hostNamed(LAB.ollama);
    ollama.endpointReferences = [
      ...(ollama.endpointReferences ?? []),
      { container: null, unit: 'notes.service', source: 'systemd', path: '/etc/systemd/system/notes.service', variable: 'OPENAI_API_BASE', url: 'http://192.168.50.10:4000', targetHost: '192.168.50.10', targetPort: 4000 },
    ];
    const scan = buildReport([ollama], index, new Date(LATER));
    const merged = buildReport(mergeHostResults(first, scan), index, new Date(LATER));

    const next = mergeCaseScanIntoLedger(ledger, scan, merged);

    expect(scan.findings.some((finding) => finding.kind === 'consumer')).toBe(false);
    expect(next.consumers.find((consumer) => consumer.consumer === 'notes.service')).toMatchObject({ consumerHost: LAB.ollama, gatewayHost: SAMPLE.gw, lastSeen: LATER });
    expect(next.secrets.find((secret) => secret.fingerprint === LAB.openaiKey)?.lastSeen).toBe(FIRST);
    expect(next.consumers.find((consumer) => consumer.consumer === 'open-webui')?.lastSeen).toBe(FIRST);
  });
});
