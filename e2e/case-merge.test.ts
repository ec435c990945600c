/**
 * The app's backend (as the Electron main process and the browser host build it) over the lab: a
 * scan of five hosts, then a re-scan of the gateway host alone keeps every other host's results,
 * findings, steps and ticks, and removing a host is an explicit action that leaves the ledger.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateChecklist, mergeProgress } from '../shared/checklist/checklist.js';
import type { CaseState, Pushes, PushChannel } from '../shared/ipc/contract.js';
import type { ScanReport } from '../shared/model/index.js';
import type { AppBackend } from '../electron/core/app-backend.js';
import { createBackend } from '../electron/core/compose.js';
import { dispatch, type Handlers } from '../electron/core/dispatch.js';
import { startLab, type Lab } from './lab/lab.js';

const HOSTS = ['gw', 'ollama', 'nodocker', 'alpine', 'unreachable'];

let lab: Lab;
let backend: AppBackend;
let handlers: Handlers;
const pushes: { channel: PushChannel; payload: unknown }[] = [];
const waiting = new Map<string, () => void>();

/** Scans `names` through the contract and waits for the scan's finished push. */
async function scan(names: string[]): Promise<Pushes['scan:finished']> {
  const { scanId } = (await dispatch(handlers, 'scan:start', { hosts: names })) as { scanId: string };
  const seen = () => pushes.find((push) => push.channel === 'scan:finished' && (push.payload as Pushes['scan:finished']).scanId === scanId);
  if (!seen()) await new Promise<void>((resolve) => waiting.set(scanId, resolve));
  return seen()!.payload as Pushes['scan:finished'];
}

const caseState = async () => (await dispatch(handlers, 'case:get', {})) as CaseState;

/** The checklist the app shows: steps from the report and the ledger, with the progress applied. */
function stepsOf(state: CaseState) {
  const report = state.report!;
  return mergeProgress(generateChecklist(report, state.ledger ?? null), state.progress, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings }).steps;
}

const hostOf = (report: ScanReport, name: string) => report.hosts.find((host) => host.name === name);
const notOn = (name: string) => (item: { host?: string | null }) => item.host !== name;

beforeAll(async () => {
  lab = await startLab();
  const dataDir = await mkdtemp(join(tmpdir(), 'blast-radius-case-merge-'));
  backend = await createBackend({
    dataDir,
    knownHostsFile: join(dataDir, 'known_hosts'),
    sshConfigPath: lab.sshConfigPath,
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') waiting.get((payload as Pushes['scan:finished']).scanId)?.();
    },
  });
  handlers = backend.handlers();
});

afterAll(async () => {
  await lab?.stop();
});

describe('the case over the lab', () => {
  it("keeps every other host's results, findings, steps and ticks when the gateway host is re-scanned alone", async () => {
    await scan(HOSTS);
    const ticked = stepsOf(await caseState()).find((step) => step.host === 'nodocker')!;
    await dispatch(handlers, 'checklist:set-step', { stepId: ticked.id, done: true, note: 'done on nodocker' });
    const before = await caseState();

    const finished = await scan(['gw']);

    const after = await caseState();
    expect(finished.report).toEqual(after.report);
    expect(after.report!.hosts.map((host) => host.name)).toEqual(HOSTS);
    for (const name of HOSTS.filter((host) => host !== 'gw')) expect(hostOf(after.report!, name), name).toEqual(hostOf(before.report!, name));
    expect(Date.parse(hostOf(after.report!, 'gw')!.scannedAt!)).toBeGreaterThan(Date.parse(hostOf(before.report!, 'gw')!.scannedAt!));
    const ids = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();
    expect(ids(after.report!.findings.filter(notOn('gw')))).toEqual(ids(before.report!.findings.filter(notOn('gw'))));
    expect(ids(stepsOf(after).filter(notOn('gw')))).toEqual(ids(stepsOf(before).filter(notOn('gw'))));
    expect(stepsOf(after).find((step) => step.id === ticked.id)).toMatchObject({ done: true, progress: { note: 'done on nodocker' } });
    // What joins gw to the kept hosts is judged across the case: nodocker's tunnel consumer of gw's gateway.
    expect(after.report!.findings.filter((finding) => finding.kind === 'consumer' && finding.host === 'nodocker')).not.toEqual([]);
    // The gateway host read again finds what it found before.
    expect(ids(after.report!.findings)).toEqual(ids(before.report!.findings));
    expect(stepsOf(after)).toHaveLength(stepsOf(before).length);
  });

  it('removes a host from the case only when asked, leaving the ledger', async () => {
    const before = await caseState();

    const answer = await dispatch(handlers, 'case:remove-host', { host: 'alpine' });

    const after = await caseState();
    expect(answer).toEqual({ removed: true });
    expect(after.report!.hosts.map((host) => host.name)).toEqual(HOSTS.filter((host) => host !== 'alpine'));
    expect(after.ledger).toEqual(before.ledger);
    expect(after.progress).toEqual(before.progress);
  });
});
