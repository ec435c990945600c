import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import type { Pushes } from '../../shared/ipc/contract.js';
import { CaseStore } from '../case/case-store.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/command-runner.js';
import { runScan } from '../scan/run-scan.js';
import type { HostConnection } from '../scan/scan-hosts.js';
import { AppBackend } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { BadRequestError, dispatch } from './dispatch.js';

/** A host that answers every script at once with nothing. */
const answering: HostConnection = {
  runScript: async () => ({ stdout: Buffer.alloc(0), stderr: '', exitCode: 0, truncated: false }),
  close: async () => undefined,
};

/** A host that never answers: scripts end only by their signal. */
const wedged: HostConnection = {
  runScript: (_script: string, options: RunOptions = {}) =>
    new Promise<RunResult>((_, reject) => options.signal?.addEventListener('abort', () => reject(options.signal!.reason), { once: true })),
  close: async () => undefined,
};

/** Reads facts, then stops: enough to tell a host that answered from one that did not. */
async function collect(runner: CommandRunner, options: { signal: AbortSignal; onPhase: (phase: 'facts', message: string) => void }) {
  options.onPhase('facts', 'reading facts');
  try {
    await runner.runScript('uname -a\n', { timeoutMs: 600_000 });
  } catch (error) {
    if (options.signal.aborted) return { status: 'partial' as const, facts: null, containers: [], pythonEnvironments: [] };
    throw error;
  }
  return { status: 'ok' as const, facts: { hostname: 'fine', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0' }, containers: [], pythonEnvironments: [] };
}

async function setUp() {
  const store = new CaseStore(await mkdtemp(join(tmpdir(), 'abandon-host-')));
  const index = bundledAdvisoryIndex();
  const progress: Pushes['scan:progress'][] = [];
  const waiters: Array<() => void> = [];
  let finished: Pushes['scan:finished'] | null = null;
  const backend = new AppBackend({
    store,
    hosts: {
      list: async () => [],
      add: async () => {
        throw new Error('not used');
      },
      targets: async (names) => names.map((name) => ({ name, address: `root@${name}:22`, connect: async () => (name === 'stuck' ? wedged : answering) })),
    },
    runScan: (targets, options) => runScan(targets, { index, collect: collect as never, concurrency: 2, ...options }),
    rejudge: rejudgeReport(index),
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    emit: (channel, payload) => {
      if (channel === 'scan:progress') progress.push(payload as Pushes['scan:progress']);
      if (channel === 'scan:finished') finished = payload as Pushes['scan:finished'];
      for (const wake of waiters.splice(0)) wake();
    },
  });
  /** Resolves once `test` holds over the pushes so far (checked after every push). */
  const until = async (test: () => boolean): Promise<void> => {
    while (!test()) await new Promise<void>((resolve) => waiters.push(resolve));
  };
  return { handlers: backend.handlers(), progress, until, finished: () => finished };
}

describe('scan:abandon-host', () => {
  it('gives up on the stuck host while the scan goes on, and the report keeps the other host complete', async () => {
    const { handlers, progress, until, finished } = await setUp();
    const { scanId } = (await dispatch(handlers, 'scan:start', { hosts: ['stuck', 'fine'] })) as { scanId: string };
    await until(() => progress.some((event) => event.host === 'stuck' && event.phase === 'facts'));

    const answer = await dispatch(handlers, 'scan:abandon-host', { scanId, host: 'stuck' });
    await until(() => finished() !== null);

    expect(answer).toEqual({ abandoned: true });
    const report = finished()!.report;
    expect(finished()!.cancelled).toBe(false);
    expect(report.hosts.find((host) => host.name === 'fine')).toMatchObject({ status: 'ok', facts: { hostname: 'fine' } });
    const stuck = report.hosts.find((host) => host.name === 'stuck');
    expect(stuck).toMatchObject({ status: 'error' });
    expect(stuck?.error).toMatch(/^given up on by the user in the facts phase/);
    expect(stuck?.notes).toEqual([{ collector: 'deadline', message: stuck?.error }]);
  });

  it('answers false for a scan that is not running', async () => {
    const { handlers } = await setUp();

    expect(await dispatch(handlers, 'scan:abandon-host', { scanId: 'no-such-scan', host: 'stuck' })).toEqual({ abandoned: false });
  });

  it('refuses a request without a host, or with fields the contract does not name', async () => {
    const { handlers } = await setUp();

    await expect(dispatch(handlers, 'scan:abandon-host', { scanId: 's1' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(dispatch(handlers, 'scan:abandon-host', { scanId: 's1', host: 'gw', all: true })).rejects.toBeInstanceOf(BadRequestError);
    await expect(dispatch(handlers, 'scan:start', { hosts: ['gw'], hostDeadlineSeconds: 0 })).rejects.toBeInstanceOf(BadRequestError);
  });
});
