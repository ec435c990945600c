import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pushes, PushChannel } from '../../shared/ipc/contract.js';
import { LAB, LAB_FINDING_IDS, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { ScanReport } from '../../shared/model/index.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend } from './app-backend.js';
import { dispatch } from './dispatch.js';

/** A backend whose scans answer the given reports in turn. */
async function setUp(reports: ScanReport[]) {
  const store = new CaseStore(await mkdtemp(join(tmpdir(), 'case-ledger-')));
  const pushes: { channel: PushChannel; payload: unknown }[] = [];
  let finish: () => void = () => undefined;
  const backend = new AppBackend({
    store,
    hosts: {
      list: async () => [],
      add: async () => {
        throw new Error('not used');
      },
      targets: async (names) => names.map((name) => ({ name, address: `root@${name}:22`, connect: async () => Promise.reject(new Error('not used')) })),
    },
    runScan: async () => reports.shift()!,
    rejudge: (report) => report,
    windowIds: [],
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') finish();
    },
  });
  const handlers = backend.handlers();
  const scan = async (): Promise<Pushes['scan:finished']> => {
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await dispatch(handlers, 'scan:start', { hosts: ['gw'] });
    await finished;
    return pushes.filter((push) => push.channel === 'scan:finished').at(-1)!.payload as Pushes['scan:finished'];
  };
  return { handlers, scan };
}

describe('the case ledger through the backend', () => {
  it('pushes the ledger with each finished scan and answers it with case:get, keeping a key the last scan no longer finds', async () => {
    const rotated = sampleLabReport();
    rotated.scannedAt = '2026-03-25T09:30:00.000Z';
    rotated.findings = rotated.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    const { handlers, scan } = await setUp([sampleLabReport(), rotated]);

    await scan();
    const second = await scan();
    const state = await dispatch(handlers, 'case:get', {});

    expect(second.ledger?.secrets.map((secret) => secret.fingerprint)).toContain(LAB.openaiKey);
    expect(state).toMatchObject({ ledger: second.ledger });
    expect((state as { report: ScanReport }).report.scannedAt).toBe(rotated.scannedAt);
  });
});
