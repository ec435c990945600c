import { describe, expect, it } from 'vitest';
import { emptyLedger, mergeIntoLedger } from './ledger.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';

const LATER = '2026-03-25T09:30:00.000Z';

describe('mergeIntoLedger', () => {
  it('records every key, authorized key and consumer of a scan with when it was seen, by fingerprint and name only', () => {
    const ledger = mergeIntoLedger(null, sampleLabReport());

    expect(ledger.secrets.map((secret) => secret.fingerprint).sort()).toEqual([LAB.aliceSshKey, LAB.anthropicKey, LAB.openaiKey].sort());
    expect(ledger.secrets.find((secret) => secret.fingerprint === LAB.openaiKey)).toMatchObject({
      provider: 'openai',
      hosts: [{ name: SAMPLE.gw, lastSeen: SAMPLE.scannedAt }],
      firstSeen: SAMPLE.scannedAt,
      lastSeen: SAMPLE.scannedAt,
    });
    expect(ledger.authorizedKeys).toEqual([
      { fingerprint: LAB.aliceSshKey, host: LAB.ollama, user: 'root', fromHosts: [SAMPLE.nodocker], firstSeen: SAMPLE.scannedAt, lastSeen: SAMPLE.scannedAt },
    ]);
    expect(ledger.consumers.map((consumer) => `${consumer.consumerHost}/${consumer.consumer}`)).toEqual(['gw/open-webui', 'ollama/ollama', `nodocker/${LAB.consumerUnit}`]);
    expect(JSON.stringify(ledger)).not.toMatch(/sk-[A-Za-z0-9]{8,}|-----BEGIN/);
  });

  it('never drops what a later scan no longer finds, and moves last seen only for what it finds again', () => {
    const first = mergeIntoLedger(emptyLedger(), sampleLabReport());
    const later = sampleLabReport();
    later.scannedAt = LATER;
    later.findings = later.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey && finding.id !== LAB_FINDING_IDS.openWebui);

    const merged = mergeIntoLedger(first, later);

    expect(merged.secrets.find((secret) => secret.fingerprint === LAB.openaiKey)?.lastSeen).toBe(SAMPLE.scannedAt);
    expect(merged.secrets.find((secret) => secret.fingerprint === LAB.anthropicKey)).toMatchObject({ firstSeen: SAMPLE.scannedAt, lastSeen: LATER });
    expect(merged.consumers.find((consumer) => consumer.consumer === 'open-webui')?.lastSeen).toBe(SAMPLE.scannedAt);
    expect(merged.consumers).toHaveLength(3);
    expect(first.secrets.find((secret) => secret.fingerprint === LAB.anthropicKey)?.lastSeen).toBe(SAMPLE.scannedAt);
  });

  it('adds the hosts and places a key is seen at later, each host with its own last sighting', () => {
    const first = mergeIntoLedger(null, sampleLabReport());
    const later = sampleLabReport();
    later.scannedAt = LATER;
    const place = { host: SAMPLE.nodocker, container: null, source: 'shell-rc' as const, path: '/home/alice/.bashrc', variable: 'OPENAI_API_KEY' };
    const finding = later.findings.find((candidate) => candidate.id === LAB_FINDING_IDS.openaiKey)!;
    if (finding.kind !== 'secret') throw new Error('not a secret');
    finding.locations = [place];

    const openai = mergeIntoLedger(first, later).secrets.find((secret) => secret.fingerprint === LAB.openaiKey)!;

    expect(openai.hosts).toEqual([
      { name: SAMPLE.gw, lastSeen: SAMPLE.scannedAt },
      { name: SAMPLE.nodocker, lastSeen: LATER },
    ]);
    expect(openai.locations).toHaveLength(3);
    expect(openai.locations).toContainEqual(place);
  });
});
