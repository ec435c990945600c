/**
 * The case through the backend when scans cover some of its hosts: each host keeps its latest
 * result, findings and steps are derived from the merged hosts, and a host leaves the case only
 * when the user removes it.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { generateChecklist, mergeProgress } from '../../shared/checklist/checklist.js';
import { buildReport } from '../../shared/findings/build-report.js';
import { LAB, SAMPLE, sampleLabHosts } from '../../shared/fixtures/sample-report.js';
import type { CaseState, Pushes, PushChannel } from '../../shared/ipc/contract.js';
import type { HostInventory, ScanReport } from '../../shared/model/index.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { BadRequestError, dispatch } from './dispatch.js';

const index = bundledAdvisoryIndex();
const FIRST = '2026-03-25T08:30:00.000Z';
const LATER = '2026-03-26T10:00:00.000Z';
const ALL = sampleLabHosts().map((host) => host.name);
const openaiRotate = `rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`;

/**
 * A backend over a fresh case whose scans read the lab's hosts (as `hosts` holds them when the scan
 * runs) and build their report as run-scan does, at the times given in turn.
 */
async function setUp() {
  const store = new CaseStore(await mkdtemp(join(tmpdir(), 'case-merge-')));
  const hosts = new Map(sampleLabHosts().map((host) => [host.name, host] as const));
  const times = [FIRST, LATER];
  const scans: ScanReport[] = [];
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
    runScan: async (targets, options) => {
      const read = targets.map((target) => structuredClone(hosts.get(target.name)!));
      const scan = buildReport(read, index, new Date(times.shift()!), undefined, { windowOverrides: options.windowOverrides });
      scans.push(scan);
      return scan;
    },
    rejudge: rejudgeReport(index),
    windowIds: [],
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') finish();
    },
  });
  const handlers = backend.handlers();
  const scan = async (names: string[]): Promise<Pushes['scan:finished']> => {
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await dispatch(handlers, 'scan:start', { hosts: names });
    await finished;
    return pushes.filter((push) => push.channel === 'scan:finished').at(-1)!.payload as Pushes['scan:finished'];
  };
  const caseState = async () => (await dispatch(handlers, 'case:get', {})) as CaseState;
  const updates = () => pushes.filter((push) => push.channel === 'case:report-updated').map((push) => push.payload as Pushes['case:report-updated']);
  return { store, hosts, scans, handlers, scan, caseState, updates };
}

/** The checklist the app shows for a case: steps from the report and the ledger, with the progress applied. */
function checklistOf(state: CaseState) {
  const report = state.report!;
  return mergeProgress(generateChecklist(report, state.ledger ?? null), state.progress, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings });
}

const ids = (items: readonly { id: string }[]) => items.map((item) => item.id).sort();
const hostOf = (report: ScanReport, name: string): HostInventory => report.hosts.find((host) => host.name === name)!;

describe('re-scans merge per host', () => {
  it("keeps every other host's results, findings, steps and ticks when one host is re-scanned", async () => {
    const { handlers, scan, scans, caseState } = await setUp();
    await scan(ALL);
    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: true, note: 'rotated at OpenAI' });
    const before = await caseState();

    const finished = await scan([LAB.ollama]);

    const after = await caseState();
    expect(finished.report).toEqual(after.report);
    expect(after.report!.hosts.map((host) => host.name)).toEqual(ALL);
    for (const name of ALL.filter((candidate) => candidate !== LAB.ollama)) {
      expect(hostOf(after.report!, name), name).toEqual(hostOf(before.report!, name));
      expect(hostOf(after.report!, name).scannedAt, name).toBe(FIRST);
    }
    expect(hostOf(after.report!, LAB.ollama).scannedAt).toBe(LATER);
    expect(after.report!.scannedAt).toBe(LATER);
    expect(ids(after.report!.findings)).toEqual(ids(before.report!.findings));
    expect(ids(checklistOf(after).steps)).toEqual(ids(checklistOf(before).steps));
    expect(checklistOf(after).steps.find((step) => step.id === openaiRotate)).toMatchObject({ done: true, progress: { note: 'rotated at OpenAI' } });
    expect(after.progress).toEqual(before.progress);
    // The scan of ollama alone could not see the way in from nodocker's key: the merged case does.
    expect(scans.at(-1)!.findings.some((finding) => finding.kind === 'ssh-lateral')).toBe(false);
    expect(after.report!.findings.filter((finding) => finding.kind === 'ssh-lateral').map((finding) => finding.host)).toEqual([SAMPLE.nodocker]);
  });

  it("takes the re-scanned host's new state and judges the other hosts' findings with it", async () => {
    const { hosts, scan, caseState } = await setUp();
    await scan(ALL);
    const before = await caseState();
    // root on ollama no longer accepts alice's key from nodocker.
    hosts.get(LAB.ollama)!.authorizedKeys = [];

    await scan([LAB.ollama]);

    const after = await caseState();
    expect(before.report!.findings.some((finding) => finding.kind === 'ssh-lateral')).toBe(true);
    expect(after.report!.findings.some((finding) => finding.kind === 'ssh-lateral')).toBe(false);
    expect(hostOf(after.report!, SAMPLE.gw)).toEqual(hostOf(before.report!, SAMPLE.gw));
  });

  it('keeps the last read inventory of a host a re-scan cannot reach, marked with the failed attempt', async () => {
    const { hosts, scan, caseState } = await setUp();
    await scan(ALL);
    const before = await caseState();
    hosts.set(LAB.ollama, { name: LAB.ollama, address: 'root@ollama:22', status: 'unreachable', error: 'connection timed out', facts: null, containers: [], pythonEnvironments: [] });

    await scan([LAB.ollama]);

    const after = await caseState();
    expect(hostOf(after.report!, LAB.ollama)).toEqual({
      ...hostOf(before.report!, LAB.ollama),
      failedAttempt: { at: LATER, status: 'unreachable', error: 'connection timed out' },
    });
    expect(ids(after.report!.findings)).toEqual(ids(before.report!.findings));
  });

  it('survives a restart: a new store over the same folder reads the merged case', async () => {
    const { store, scan } = await setUp();
    await scan(ALL);
    const merged = (await scan([LAB.ollama])).report;

    const reopened = await new CaseStore(store.folder).loadReport();

    expect(reopened).toEqual(merged);
  });
});

describe('case:remove-host', () => {
  it("drops the host's results, findings and steps, pushes the report and leaves the ledger and the ticks", async () => {
    const { handlers, scan, caseState, updates } = await setUp();
    await scan(ALL);
    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: true, note: '' });
    const before = await caseState();

    const answer = await dispatch(handlers, 'case:remove-host', { host: LAB.ollama });

    const after = await caseState();
    expect(answer).toEqual({ removed: true });
    expect(after.report!.hosts.map((host) => host.name)).toEqual(ALL.filter((name) => name !== LAB.ollama));
    expect(after.report!.findings.filter((finding) => JSON.stringify(finding).includes(`"${LAB.ollama}"`))).toEqual([]);
    expect(before.report!.findings.filter((finding) => JSON.stringify(finding).includes(`"${LAB.ollama}"`))).not.toEqual([]);
    expect(after.report!.scannedAt).toBe(before.report!.scannedAt);
    expect(updates()).toEqual([{ report: after.report, windowOverrides: {} }]);
    expect(after.ledger).toEqual(before.ledger);
    expect(after.progress).toEqual(before.progress);
    expect(checklistOf(after).steps.find((step) => step.id === openaiRotate)).toMatchObject({ done: true });
  });

  it('answers false and changes nothing for a host the case does not hold', async () => {
    const { store, handlers, scan, updates } = await setUp();
    await scan(ALL);
    const before = await store.loadReport();

    const answer = await dispatch(handlers, 'case:remove-host', { host: 'elsewhere' });

    expect(answer).toEqual({ removed: false });
    expect(await store.loadReport()).toEqual(before);
    expect(updates()).toEqual([]);
  });

  it('refuses a request without a host name before touching the case', async () => {
    const { store, handlers, scan } = await setUp();
    await scan(ALL);
    const before = await store.loadReport();

    await expect(dispatch(handlers, 'case:remove-host', { host: '' })).rejects.toThrow(BadRequestError);
    await expect(dispatch(handlers, 'case:remove-host', {})).rejects.toThrow(/invalid case:remove-host request: host/);
    expect(await store.loadReport()).toEqual(before);
  });

  it('answers false before the first scan', async () => {
    const { handlers } = await setUp();

    expect(await dispatch(handlers, 'case:remove-host', { host: LAB.ollama })).toEqual({ removed: false });
  });
});
