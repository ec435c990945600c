import { spawn } from 'node:child_process';
import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { ScanReport } from '../../shared/model/index.js';
import { CaseFileError, CaseStore } from './case-store.js';

async function freshStore(): Promise<CaseStore> {
  return new CaseStore(await mkdtemp(join(tmpdir(), 'case-store-')));
}

describe('CaseStore', () => {
  it('keeps a ticked step with its note and timestamps across a new store on the same folder', async () => {
    const store = await freshStore();
    await store.setStep('step-a', true, 'rotated at 10:00', new Date('2026-03-25T10:00:00Z'));

    const reopened = new CaseStore(store.folder);
    const progress = await reopened.loadProgress();

    expect(progress['step-a']).toEqual({
      done: true,
      note: 'rotated at 10:00',
      updatedAt: '2026-03-25T10:00:00.000Z',
      doneAt: '2026-03-25T10:00:00.000Z',
    });
  });

  it('keeps the first tick time when only the note of a done step changes', async () => {
    const store = await freshStore();
    await store.setStep('s', true, '', new Date('2026-03-25T10:00:00Z'));
    const progress = await store.setStep('s', true, 'more detail', new Date('2026-03-25T11:00:00Z'));

    expect(progress['s']?.doneAt).toBe('2026-03-25T10:00:00.000Z');
    expect(progress['s']?.updatedAt).toBe('2026-03-25T11:00:00.000Z');
  });

  it('clears the tick time when a step is unticked', async () => {
    const store = await freshStore();
    await store.setStep('s', true, '');
    const progress = await store.setStep('s', false, 'not yet');

    expect(progress['s']).toMatchObject({ done: false, doneAt: null, note: 'not yet' });
  });

  it('keeps a picked choice through later ticks and note changes, across a reopened store', async () => {
    const store = await freshStore();
    await store.setStep('move', false, '', new Date('2026-03-25T10:00:00Z'), { choice: 'provider-sdk' });
    await store.setStep('move', true, 'moved to the SDK', new Date('2026-03-25T11:00:00Z'));

    const progress = await new CaseStore(store.folder).loadProgress();

    expect(progress['move']).toMatchObject({ done: true, choice: 'provider-sdk', note: 'moved to the SDK' });
  });

  it('clears a choice when an empty one is given', async () => {
    const store = await freshStore();
    await store.setStep('move', false, '', new Date(), { choice: 'other-router' });

    const progress = await store.setStep('move', false, '', new Date(), { choice: '' });

    expect(progress['move']).not.toHaveProperty('choice');
  });

  it('takes watched hosts when a step is ticked, keeps them while done and drops them when unticked', async () => {
    const store = await freshStore();
    await store.setStep('gone', true, '', new Date(), { watchedHosts: ['gw', 'nodocker'] });
    const edited = await store.setStep('gone', true, 'replaced everywhere', new Date(), { watchedHosts: ['gw'] });
    expect(edited['gone']?.watchedHosts).toEqual(['gw', 'nodocker']);

    const unticked = await store.setStep('gone', false, '', new Date());

    expect(unticked['gone']).not.toHaveProperty('watchedHosts');
  });

  it('loses no tick when many steps are ticked at once', async () => {
    const store = await freshStore();
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.setStep(`step-${index}`, true, '')));

    expect(Object.keys(await store.loadProgress())).toHaveLength(20);
  });

  it('refuses a corrupted checklist file instead of starting over silently', async () => {
    const store = await freshStore();
    await writeFile(join(store.folder, 'checklist.json'), '{"version":1,"steps":{"x":', 'utf8');

    await expect(store.loadProgress()).rejects.toBeInstanceOf(CaseFileError);
  });

  it('returns no report before the first scan and the saved one after', async () => {
    const store = await freshStore();
    expect(await store.loadReport()).toBeNull();

    const report = { schemaVersion: 1 as const, scannedAt: '2026-03-25T00:00:00Z', hosts: [], findings: [] };
    await store.saveReport(report);

    expect(await store.loadReport()).toEqual(report);
  });

  it('stores hand-added hosts and replaces one added again under the same name', async () => {
    const store = await freshStore();
    await store.saveManualHost({ name: 'nas', hostName: '10.0.0.5' });
    await store.saveManualHost({ name: 'nas', hostName: '10.0.0.6', user: 'admin' });

    expect(await store.loadManualHosts()).toEqual([{ name: 'nas', hostName: '10.0.0.6', user: 'admin' }]);
    expect(JSON.parse(await readFile(join(store.folder, 'hosts.json'), 'utf8')).version).toBe(1);
  });
});

describe('CaseStore window overrides', () => {
  it('keeps a window the user set across a new store on the same folder, and forgets it on reset', async () => {
    const store = await freshStore();
    await store.setWindowOverride('litellm-2026-03-24', { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' });

    expect(await new CaseStore(store.folder).loadWindowOverrides()).toEqual({
      'litellm-2026-03-24': { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' },
    });
    expect(await store.setWindowOverride('litellm-2026-03-24', null)).toEqual({});
    expect(await new CaseStore(store.folder).loadWindowOverrides()).toEqual({});
  });

  it('refuses a windows file of the wrong shape instead of replacing it', async () => {
    const store = await freshStore();
    await writeFile(join(store.folder, 'windows.json'), JSON.stringify({ version: 2, overrides: {} }));

    await expect(store.loadWindowOverrides()).rejects.toThrow(CaseFileError);
  });
});

describe('CaseStore decisions', () => {
  it("keeps the owner's decision and reason for a gateway across a restart of the store, and forgets it when cleared", async () => {
    // Arrange
    const store = await freshStore();
    await store.setDecision(LAB_FINDING_IDS.gateway, 'remove', 'used by everything is a reason to remove', new Date('2026-03-26T09:00:00Z'));

    // Act: a new store on the same folder, as after an app restart (opened the way the app opens it).
    const reopened = await CaseStore.open(store.folder);

    // Assert
    expect(await reopened.loadDecisions()).toEqual({
      [LAB_FINDING_IDS.gateway]: { decision: 'remove', reason: 'used by everything is a reason to remove', decidedAt: '2026-03-26T09:00:00.000Z' },
    });
    expect(await reopened.setDecision(LAB_FINDING_IDS.gateway, null, '')).toEqual({});
    expect(await new CaseStore(store.folder).loadDecisions()).toEqual({});
  });

  it('replaces a decision changed later and loses none of many recorded at once', async () => {
    const store = await freshStore();
    await Promise.all(Array.from({ length: 20 }, (_, index) => store.setDecision(`gateway:h${index}/litellm`, 'remove', `reason ${index}`)));
    await store.setDecision('gateway:h3/litellm', 'patch', 'pinned fixed release', new Date('2026-03-27T09:00:00Z'));

    const decisions = await new CaseStore(store.folder).loadDecisions();

    expect(Object.keys(decisions)).toHaveLength(20);
    expect(decisions['gateway:h3/litellm']).toEqual({ decision: 'patch', reason: 'pinned fixed release', decidedAt: '2026-03-27T09:00:00.000Z' });
  });

  it('refuses a decisions file of the wrong shape instead of replacing it', async () => {
    const store = await freshStore();
    await writeFile(join(store.folder, 'decisions.json'), JSON.stringify({ version: 1, decisions: { x: { decision: 'ignore', reason: '', decidedAt: '' } } }));

    await expect(store.loadDecisions()).rejects.toThrow(CaseFileError);
  });
});

describe('CaseStore ledger', () => {
  const later = (): ScanReport => {
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T09:30:00.000Z';
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey && finding.id !== LAB_FINDING_IDS.lateral);
    return report;
  };

  it('merges every finished scan into the ledger and keeps what a later scan no longer finds, across a reopened store', async () => {
    const store = await freshStore();
    await store.saveScan(sampleLabReport());
    const answered = await store.saveScan(later());

    const reopened = new CaseStore(store.folder);
    const ledger = await reopened.loadLedger();

    expect(ledger).toEqual(answered);
    expect(ledger.secrets.find((secret) => secret.fingerprint === LAB.openaiKey)?.lastSeen).toBe(SAMPLE.scannedAt);
    expect(ledger.secrets.find((secret) => secret.fingerprint === LAB.anthropicKey)?.lastSeen).toBe('2026-03-25T09:30:00.000Z');
    expect(ledger.authorizedKeys).toHaveLength(1);
    expect((await reopened.loadReport())?.scannedAt).toBe('2026-03-25T09:30:00.000Z');
    expect((await readdir(store.folder)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
  });

  it('starts the ledger of a case saved before the ledger existed from its stored report, and keeps it through the next scan', async () => {
    const store = await freshStore();
    // A case folder as an older version left it: a report and no ledger.json.
    await writeFile(join(store.folder, 'report.json'), JSON.stringify(sampleLabReport()));

    const loaded = await new CaseStore(store.folder).loadLedger();
    const afterScan = await new CaseStore(store.folder).saveScan(later());

    expect(loaded.secrets.map((secret) => secret.fingerprint)).toContain(LAB.openaiKey);
    expect(afterScan.secrets.find((secret) => secret.fingerprint === LAB.openaiKey)?.lastSeen).toBe(SAMPLE.scannedAt);
    expect(afterScan.authorizedKeys).toHaveLength(1);
  });

  it("keeps a gateway's teardown pieces across a new store on the same folder", async () => {
    const store = await freshStore();
    const saved = await store.saveScan(sampleLabReport());

    const loaded = await new CaseStore(store.folder).loadLedger();

    expect(loaded.gateways?.map((gateway) => [gateway.id, gateway.judged])).toEqual([[LAB_FINDING_IDS.gateway, true]]);
    expect(loaded.gateways?.[0]?.pieces.map((piece) => [piece.kind, piece.host, piece.name])).toContainEqual(['tunnel', SAMPLE.nodocker, '127.0.0.1:4000 → 127.0.0.1:4000 via root@gw']);
    expect(loaded).toEqual(saved);
  });

  it('loads a ledger written before teardowns were kept, without gateways', async () => {
    const store = await freshStore();
    await writeFile(join(store.folder, 'ledger.json'), JSON.stringify({ version: 1, secrets: [], authorizedKeys: [], consumers: [] }));

    const loaded = await store.loadLedger();
    const afterScan = await store.saveScan(sampleLabReport());

    expect(loaded.gateways).toBeUndefined();
    expect(afterScan.gateways?.map((gateway) => gateway.id)).toEqual([LAB_FINDING_IDS.gateway]);
  });

  it('has an empty ledger before the first scan', async () => {
    expect(await (await freshStore()).loadLedger()).toEqual({ version: 1, secrets: [], authorizedKeys: [], consumers: [] });
  });

  it('leaves the ledger as it is when a report is only judged again', async () => {
    const store = await freshStore();
    const ledger = await store.saveScan(sampleLabReport());
    await store.saveReport({ ...sampleLabReport(), findings: [] });

    expect(await new CaseStore(store.folder).loadLedger()).toEqual(ledger);
  });

  it('refuses a ledger file of the wrong shape instead of replacing it', async () => {
    const store = await freshStore();
    await writeFile(join(store.folder, 'ledger.json'), JSON.stringify({ version: 1, secrets: 'none' }));

    await expect(store.loadLedger()).rejects.toThrow(CaseFileError);
    await expect(store.saveScan(sampleLabReport())).rejects.toThrow(CaseFileError);
  });
});

const ATOMIC_WRITE = fileURLToPath(new URL('./atomic-write.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));

/**
 * Starts a save of `name` in another process and SIGKILLs it once the temporary file is written
 * and synced, just before the rename: the state a kill or a power cut mid-save leaves behind.
 */
async function killSaveMidway(folder: string, name: string): Promise<void> {
  const script = `
    import * as fs from 'node:fs/promises';
    const { writeFileAtomic } = await import(process.argv[1]);
    setInterval(() => undefined, 60_000); // stays alive until killed
    const rename = () => { console.log('written'); return new Promise(() => undefined); };
    await writeFileAtomic(process.argv[2], JSON.stringify({ half: 'saved' }), { ...fs, rename });
  `;
  const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script, ATOMIC_WRITE, join(folder, name)], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) => child.once('exit', resolve));
  await new Promise<void>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', () => resolve());
    child.once('exit', (code) => reject(new Error(`the saving process exited (${code}) before writing`)));
  });
  child.kill('SIGKILL');
  await exited;
}

describe('CaseStore interrupted saves', () => {
  it('deletes the temporary files of saves killed midway when the folder is opened, and keeps the last good save', async () => {
    const store = await freshStore();
    const lastGood = sampleLabReport();
    await store.saveReport(lastGood);
    await writeFile(join(store.folder, 'notes.txt.0123456789ab.tmp'), 'not ours');
    const names = ['report.json', 'ledger.json', 'checklist.json', 'windows.json', 'hosts.json'];

    await Promise.all(names.map((name) => killSaveMidway(store.folder, name)));
    const leftBehind = (await readdir(store.folder)).filter((name) => name.endsWith('.tmp'));
    const reopened = await CaseStore.open(store.folder);
    const afterOpen = (await readdir(store.folder)).filter((name) => name.endsWith('.tmp'));

    expect(leftBehind).toHaveLength(names.length + 1);
    expect(afterOpen).toEqual(['notes.txt.0123456789ab.tmp']);
    expect(await reopened.loadReport()).toEqual(lastGood);
    console.info(`interrupted saves: ${names.length} killed, ${leftBehind.length - 1} temporary files left, ${afterOpen.length - 1} after CaseStore.open`);
  });
});

describe('CaseStore merged scans', () => {
  /** A scan of one host of the lab, at `scannedAt`. */
  const scanOf = (name: string, scannedAt: string): ScanReport => {
    const report = sampleLabReport();
    return { ...report, scannedAt, hosts: report.hosts.filter((host) => host.name === name), findings: [] };
  };
  /** Appends the scan's hosts to the stored report, as a merge would. */
  const append = (scan: ScanReport) => (previous: ScanReport | null): ScanReport => ({ ...scan, hosts: [...(previous?.hosts ?? []), ...scan.hosts] });

  it('merges two scans saved at once, each into the report the other left', async () => {
    const store = await freshStore();
    const gw = scanOf(SAMPLE.gw, '2026-03-25T09:00:00.000Z');
    const ollama = scanOf(LAB.ollama, '2026-03-25T09:01:00.000Z');

    await Promise.all([store.saveMergedScan(gw, append(gw)), store.saveMergedScan(ollama, append(ollama))]);

    expect((await new CaseStore(store.folder).loadReport())?.hosts.map((host) => host.name)).toEqual([SAMPLE.gw, LAB.ollama]);
  });

  it('changes the stored report in the queue, and leaves it when there is none or the change declines', async () => {
    const store = await freshStore();
    expect(await store.updateReport((report) => ({ ...report, findings: [] }))).toBeNull();
    await store.saveScan(sampleLabReport());
    const ledger = await store.loadLedger();

    const declined = await store.updateReport(() => null);
    const changed = await store.updateReport((report) => ({ ...report, hosts: report.hosts.slice(1) }));

    expect(declined).toBeNull();
    expect(await store.loadReport()).toEqual(changed);
    expect(changed?.hosts).toHaveLength(sampleLabReport().hosts.length - 1);
    expect(await store.loadLedger()).toEqual(ledger);
  });
});
