import { describe, expect, it } from 'vitest';
import { consumerKey, emptyLedger, ledgerConsumer, mergeIntoLedger } from './ledger.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import { manyConsumersReport } from '../fixtures/many-consumers.js';
import { consumerGateway, routeChoices } from '../checklist/route-targets.js';
import { isFindingOfKind, type ConsumerFinding } from '../model/index.js';

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

  it('keeps one entry per consumer in first-seen order, each with the move targets its step offers, however many a scan finds', () => {
    const report = manyConsumersReport(60);
    const consumers = report.findings.filter((finding): finding is ConsumerFinding => isFindingOfKind(finding, 'consumer'));
    // The same consumer found twice (two pieces of evidence) is one entry.
    report.findings.push({ ...consumers[5]!, id: `${consumers[5]!.id}#again` });

    const ledger = mergeIntoLedger(null, report);

    expect(ledger.consumers.map(consumerKey)).toEqual(consumers.map(consumerKey));
    for (const [index, consumer] of consumers.entries()) {
      expect(ledger.consumers[index]!.targets).toEqual(routeChoices(consumer, consumerGateway(consumer, report.findings), report));
    }
    expect(ledger.consumers[5]!.targets!.length).toBeGreaterThan(0);
  });

  it('finds a consumer again after entries were added to or removed from the ledger outside a merge', () => {
    const ledger = mergeIntoLedger(null, sampleLabReport());
    const openWebui = ledger.consumers.find((consumer) => consumer.consumer === 'open-webui')!;
    expect(ledgerConsumer(ledger, openWebui)).toBe(openWebui);

    const added = { ...openWebui, consumer: 'librechat', consumerHost: 'app7' };
    ledger.consumers.push(added);
    expect(ledgerConsumer(ledger, { ...added })).toBe(added);

    ledger.consumers.splice(ledger.consumers.indexOf(openWebui), 1);
    expect(ledgerConsumer(ledger, openWebui)).toBeUndefined();

    const later = sampleLabReport();
    later.scannedAt = LATER;
    const merged = mergeIntoLedger(ledger, later);
    expect(merged.consumers.filter((consumer) => consumer.consumer === 'open-webui')).toEqual([
      expect.objectContaining({ firstSeen: LATER, lastSeen: LATER }),
    ]);
    expect(merged.consumers.find((consumer) => consumer.consumer === 'librechat')?.lastSeen).toBe(SAMPLE.scannedAt);
  });
});
