import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import type { Channel, RequestOf, ResponseOf } from '../../shared/ipc/contract.js';
import { CaseLibrary } from '../case/case-library.js';
import type { RunOptions, RunResult } from '../exec/command-runner.js';
import { runScan } from '../scan/run-scan.js';
import { collectHost } from '../scan/collect-host.js';
import type { HostConnection } from '../scan/scan-hosts.js';
import { AppBackend } from './app-backend.js';
import { createBackend, rejudgeReport } from './compose.js';
import { CaseStore } from '../case/case-store.js';
import { sampleReport } from '../../shared/fixtures/sample-report.js';
import { dispatch } from './dispatch.js';

/** A host that never answers until the scan is cancelled. */
const wedged: HostConnection = {
  runScript: (_script: string, options: RunOptions = {}) =>
    new Promise<RunResult>((_, reject) => options.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true })),
  close: async () => undefined,
};

async function setUp() {
  const cases = await CaseLibrary.open(await mkdtemp(join(tmpdir(), 'backend-cases-')));
  const index = bundledAdvisoryIndex();
  const finished: string[] = [];
  const backend = new AppBackend({
    store: await cases.store(cases.openCaseId!),
    cases,
    hosts: {
      list: async () => [],
      add: async () => {
        throw new Error('not used');
      },
      targets: async (names) => names.map((name) => ({ name, address: `root@${name}:22`, connect: async () => wedged })),
    },
    runScan: (targets, options) => runScan(targets, { index, collect: collectHost, concurrency: 1, ...options }),
    rejudge: rejudgeReport(index),
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    emit: (channel, payload) => {
      if (channel === 'scan:finished') finished.push((payload as { scanId: string }).scanId);
    },
  });
  const handlers = backend.handlers();
  const call = <C extends Channel>(channel: C, request: RequestOf<C>) => dispatch(handlers, channel, request) as Promise<ResponseOf<C>>;
  return { call, firstId: cases.openCaseId!, finished };
}

describe('cases through the backend', () => {
  it('keeps a tick in the case it was made in: another case opened has none, and reopening the first shows it again', async () => {
    const { call, firstId } = await setUp();
    await call('checklist:set-step', { stepId: 'contain-gw', done: true, note: 'pulled the plug' });

    const { created } = await call('cases:create', { name: 'Second incident' });
    const { library } = await call('cases:open', { caseId: created.id });

    expect(library.openCaseId).toBe(created.id);
    expect((await call('case:get', {})).progress).toEqual({});
    await call('checklist:set-step', { stepId: 'only-in-second', done: true, note: '' });

    await call('cases:open', { caseId: firstId });
    expect(Object.keys((await call('case:get', {})).progress)).toEqual(['contain-gw']);
  });

  it('answers an empty case and refuses case changes while no case is open', async () => {
    const { call } = await setUp();
    await call('checklist:set-step', { stepId: 'contain-gw', done: true, note: '' });

    await call('cases:close', {});

    const state = await call('case:get', {});
    expect(state.report).toBeNull();
    expect(state.progress).toEqual({});
    await expect(call('checklist:set-step', { stepId: 'contain-gw', done: false, note: '' })).rejects.toThrow(/no case is open/);
    await expect(call('scan:start', { hosts: ['gw'] })).rejects.toThrow(/no case is open/);
  });

  it('refuses to switch or close the case while a scan runs in it, and allows it once the scan is over', async () => {
    const { call, finished } = await setUp();
    const { created } = await call('cases:create', { name: 'Other' });
    const { scanId } = await call('scan:start', { hosts: ['stuck'] });

    await expect(call('cases:open', { caseId: created.id })).rejects.toThrow(/scan is running/);
    await expect(call('cases:close', {})).rejects.toThrow(/scan is running/);

    await call('scan:cancel', { scanId });
    await expect.poll(() => finished).toContain(scanId);
    expect((await call('case:get', {})).report?.hosts.map((host) => host.name)).toEqual(['stuck']);
    await expect(call('cases:open', { caseId: created.id })).resolves.toMatchObject({ library: { openCaseId: created.id } });
    expect((await call('case:get', {})).report).toBeNull();
  });

  it('refuses a scan asked for while another case is being opened, so it cannot land in the case being left', async () => {
    const { call } = await setUp();
    const { created } = await call('cases:create', { name: 'Other' });

    const opening = call('cases:open', { caseId: created.id });
    const scanning = call('scan:start', { hosts: ['gw'] });

    await expect(scanning).rejects.toThrow(/another case is being opened/);
    await expect(opening).resolves.toMatchObject({ library: { openCaseId: created.id } });
  });

  it('archives the open case, which leaves none open', async () => {
    const { call, firstId } = await setUp();

    const { library } = await call('cases:archive', { caseId: firstId, archived: true });

    expect(library.openCaseId).toBeNull();
    await expect(call('cases:open', { caseId: firstId })).rejects.toThrow(/archived/);
  });

  it('refuses a case id that is not one', async () => {
    const { call } = await setUp();
    await expect(call('cases:open', { caseId: '../x' })).rejects.toThrow(/invalid cases:open request/);
  });
});

describe('upgrade from one case folder', () => {
  it('serves a data folder written before cases as its first case, report, ticks, decisions and hand-added hosts included', async () => {
    const dataDir = await mkdtemp(join(tmpdir(), 'backend-upgrade-'));
    const report = sampleReport();
    const old = new CaseStore(dataDir);
    await old.saveScan(report);
    await old.setStep('contain-gw', true, 'pulled the plug');
    await old.setDecision('gateway:gw:litellm', 'patch', 'pinned to 1.82.6');
    await old.saveManualHost({ name: 'nas', hostName: '10.0.0.5' });
    await writeFile(join(dataDir, 'known_hosts'), '');

    const backend = await createBackend({ dataDir, knownHostsFile: join(dataDir, 'state', 'known_hosts'), sshConfigPath: join(dataDir, 'no-such-ssh-config'), sshConfigOptional: true, emit: () => undefined });
    const call = <C extends Channel>(channel: C, request: RequestOf<C>) => dispatch(backend.handlers(), channel, request) as Promise<ResponseOf<C>>;

    const { library } = await call('cases:list', {});
    expect(library.cases.map((summary) => summary.name)).toEqual(['First case']);
    expect(library.openCaseId).toBe(library.cases[0]!.id);
    const state = await call('case:get', {});
    expect(state.report).toEqual(report);
    expect(state.progress['contain-gw']).toMatchObject({ done: true, note: 'pulled the plug' });
    expect(state.decisions?.['gateway:gw:litellm']?.decision).toBe('patch');
    expect((await call('hosts:list', {})).hosts.map((host) => host.name)).toContain('nas');

    // Hand-added hosts are the case's: another case does not list them.
    const { created } = await call('cases:create', { name: 'Other incident' });
    await call('cases:open', { caseId: created.id });
    expect((await call('hosts:list', {})).hosts.map((host) => host.name)).not.toContain('nas');
  });
});
