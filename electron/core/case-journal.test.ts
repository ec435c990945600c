/**
 * The case's journal through the backend: each action handled writes what was done, in order,
 * with its time, before the action is answered; and nothing the owner types reaches it in clear.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { buildReport } from '../../shared/findings/build-report.js';
import { LAB, sampleLabHosts } from '../../shared/fixtures/sample-report.js';
import type { ResponseOf } from '../../shared/ipc/contract.js';
import { CaseJournal } from '../case/journal.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { dispatch } from './dispatch.js';

const index = bundledAdvisoryIndex();
const ALL = sampleLabHosts().map((host) => host.name);
const openaiRotate = `rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`;
// A fake OpenAI-shaped key, built here so no real-shaped key is committed.
const PASTED_KEY = `sk-proj-${'aB3xK9qZ7mP2wR5tY8uV4nC6'.repeat(3)}T3BlbkFJ${'nC6uV4tY8wR5mP2qZ7xK9aB3'.repeat(3)}`;

/** A backend over a fresh case whose scans read the lab's hosts as run-scan would. */
async function setUp() {
  const store = await CaseStore.open(await mkdtemp(join(tmpdir(), 'case-journal-')));
  let finish: () => void = () => undefined;
  const backend = new AppBackend({
    store,
    hosts: {
      list: async () => [],
      add: async () => Promise.reject(new Error('not used')),
      targets: async (names) => names.map((name) => ({ name, address: `root@${name}:22`, connect: async () => Promise.reject(new Error('not used')) })),
    },
    runScan: async (targets, options) =>
      buildReport(
        sampleLabHosts().filter((host) => targets.some((target) => target.name === host.name)),
        index,
        new Date('2026-03-25T08:30:00Z'),
        undefined,
        { windowOverrides: options.windowOverrides },
      ),
    rejudge: rejudgeReport(index),
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    emit: (channel) => {
      if (channel === 'scan:finished') finish();
    },
  });
  const handlers = backend.handlers();
  const scan = async (names: string[]) => {
    const finished = new Promise<void>((resolve) => (finish = resolve));
    await dispatch(handlers, 'scan:start', { hosts: names });
    await finished;
  };
  const journal = async () => ((await dispatch(handlers, 'journal:get', {})) as ResponseOf<'journal:get'>).entries;
  return { store, handlers, scan, journal };
}

describe('the case journal', () => {
  it('lists a scan, a tick, a note and an export in the order they were done, each with its time', async () => {
    const { handlers, scan, journal } = await setUp();
    const started = Date.now();

    await scan(ALL);
    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: true, note: '' });
    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: true, note: 'rotated at OpenAI' });
    await dispatch(handlers, 'report:export', { format: 'sarif' });

    const entries = await journal();
    expect(entries.map((entry) => entry.kind)).toEqual(['scan', 'tick', 'note', 'export']);
    expect(entries.map((entry) => entry.seq)).toEqual([1, 2, 3, 4]);
    for (const entry of entries) expect(Date.parse(entry.at)).toBeGreaterThanOrEqual(started - 1000);
    const [scanned, ticked, noted, exported] = entries;
    expect(scanned).toMatchObject({ kind: 'scan', cancelled: false, hosts: sampleLabHosts().map(({ name, status }) => ({ name, status })) });
    expect(scanned?.kind === 'scan' && scanned.hosts.some((host) => host.status === 'unreachable')).toBe(true);
    expect(scanned?.kind === 'scan' && scanned.findings.critical).toBeGreaterThan(0);
    expect(ticked).toMatchObject({ kind: 'tick', stepId: openaiRotate, phase: 'rotate', title: expect.stringContaining('Rotate the OpenAI key') });
    expect(noted).toMatchObject({ kind: 'note', stepId: openaiRotate, note: 'rotated at OpenAI' });
    expect(exported).toMatchObject({ kind: 'export', format: 'sarif', fileName: expect.stringMatching(/\.sarif$/) });
  });

  it('records an untick, a decision, a window change and its reset, a removed host and a revocation check', async () => {
    const { handlers, scan, journal } = await setUp();
    await scan(ALL);
    const window = KNOWN_WINDOWS[0]!;

    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: true, note: '' });
    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: false, note: '' });
    await dispatch(handlers, 'case:set-decision', { componentId: 'gateway:x', decision: 'remove', reason: 'nobody needs it' });
    await dispatch(handlers, 'windows:set-override', { windowId: window.id, range: { start: '2026-03-24T10:00:00+01:00', end: '2026-03-24T18:00:00Z' } });
    await dispatch(handlers, 'windows:set-override', { windowId: window.id, range: null });
    await dispatch(handlers, 'case:remove-host', { host: LAB.ollama });
    await dispatch(handlers, 'keys:check-revoked', { fingerprint: LAB.openaiKey });

    expect((await journal()).slice(1)).toMatchObject([
      { kind: 'tick' },
      { kind: 'untick', stepId: openaiRotate },
      { kind: 'decision', componentId: 'gateway:x', decision: 'remove', reason: 'nobody needs it' },
      { kind: 'window', windowId: window.id, range: { start: '2026-03-24T09:00:00.000Z', end: '2026-03-24T18:00:00.000Z' } },
      { kind: 'window', windowId: window.id, range: null },
      { kind: 'host-removed', host: LAB.ollama },
      { kind: 'revocation-check', fingerprint: LAB.openaiKey, outcome: 'indeterminate' },
    ]);
  });

  it('writes nothing when a request changes nothing, and nothing for a host the case does not hold', async () => {
    const { handlers, journal } = await setUp();

    await dispatch(handlers, 'checklist:set-step', { stepId: 'no-such-step', done: false, note: '' });
    await dispatch(handlers, 'case:remove-host', { host: 'elsewhere' });
    await dispatch(handlers, 'report:export', { format: 'json' });

    expect(await journal()).toEqual([]);
  });

  it('keeps a key pasted into a note or a reason as its fingerprint, never its value', async () => {
    const { store, handlers, scan, journal } = await setUp();
    await scan(ALL);

    await dispatch(handlers, 'checklist:set-step', { stepId: openaiRotate, done: false, note: `old key was ${PASTED_KEY}` });
    await dispatch(handlers, 'case:set-decision', { componentId: 'gateway:x', decision: 'patch', reason: PASTED_KEY });

    const text = await readFile(store.journal.path, 'utf8');
    expect(text).not.toContain(PASTED_KEY);
    expect(text).not.toContain(PASTED_KEY.slice(8, 40));
    expect((await journal()).at(-1)).toMatchObject({ kind: 'decision', reason: expect.stringMatching(/^\[redacted openai:[0-9a-f]{12}:/) });
  });

  it('has the tick and its journal entry on disk when it answers', async () => {
    const { store, handlers } = await setUp();

    await dispatch(handlers, 'checklist:set-step', { stepId: 'isolate:gw', done: true, note: '' });

    // Read by a fresh store and journal, as a restarted server would.
    expect((await new CaseStore(store.folder).loadProgress())['isolate:gw']?.done).toBe(true);
    expect((await new CaseJournal(store.journal.path).read()).entries).toMatchObject([{ kind: 'tick', stepId: 'isolate:gw' }]);
  });
});
