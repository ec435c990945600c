import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import type { Pushes, PushChannel } from '../../shared/ipc/contract.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import type { HostInventory, ScanReport } from '../../shared/model/index.js';
import { buildReport } from '../../shared/findings/build-report.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend, type RunScan } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { BadRequestError, dispatch } from './dispatch.js';

const LITELLM = 'litellm-2026-03-24';
const NARROW = { start: '2026-03-24T10:39:00Z', end: '2026-03-24T11:19:00Z' };

/** A gateway container with a clean litellm, on a mutable tag, created at noon on 24 March: inside the known window, after a narrowed one. */
function inventory(): HostInventory[] {
  return [
    {
      name: 'gw',
      address: 'root@gw:22',
      status: 'ok',
      facts: null,
      containers: [
        {
          id: 'a'.repeat(64),
          name: 'litellm',
          image: 'ghcr.io/berriai/litellm:main-latest',
          imageDigest: null,
          running: true,
          pinnedByDigest: false,
          created: '2026-03-24T12:00:00Z',
          imageCreated: '2026-03-20T09:00:00Z',
        },
      ],
      pythonEnvironments: [
        { path: '/usr/local/lib/python3.13/site-packages', container: 'litellm', packages: [{ name: 'litellm', version: '1.82.6' }] },
      ],
    },
  ];
}

async function setUp(options: { report?: boolean } = {}) {
  const store = new CaseStore(await mkdtemp(join(tmpdir(), 'window-override-')));
  const index = bundledAdvisoryIndex();
  if (options.report !== false) await store.saveReport(buildReport(inventory(), index, new Date('2026-03-25T08:00:00Z')));
  const pushes: { channel: PushChannel; payload: unknown }[] = [];
  const scans: Parameters<RunScan>[1][] = [];
  const backend = new AppBackend({
    store,
    hosts: {
      list: async () => [],
      add: async () => {
        throw new Error('not used');
      },
      targets: async (names) => names.map((name) => ({ name, address: `root@${name}:22`, connect: async () => Promise.reject(new Error('not used')) })),
    },
    runScan: async (_targets, scanOptions) => {
      scans.push(scanOptions);
      return buildReport(inventory(), index, new Date('2026-03-26T08:00:00Z'), undefined, { windowOverrides: scanOptions.windowOverrides });
    },
    rejudge: rejudgeReport(index),
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    emit: (channel, payload) => pushes.push({ channel, payload }),
  });
  const handlers = backend.handlers();
  const updates = () => pushes.filter((push) => push.channel === 'case:report-updated').map((push) => push.payload as Pushes['case:report-updated']);
  return { store, handlers, updates, scans };
}

/** The verdict of the litellm exposure under MAL-2026-2144 (the advisory the LiteLLM window belongs to). */
const verdictOf = (report: ScanReport) =>
  report.exposures?.filter((exposure) => exposure.advisories.includes('MAL-2026-2144')).map(({ container, verdict, window }) => ({ container, verdict, end: window?.end }));

describe('windows:set-override', () => {
  it('judges the stored inventory again with the narrowed window, saves it and pushes it, without a scan', async () => {
    const { store, handlers, updates, scans } = await setUp();
    expect(verdictOf((await store.loadReport())!)).toEqual([{ container: 'litellm', verdict: 'likely-exposed', end: '2026-03-24T16:00:00Z' }]);

    const answer = await dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range: NARROW });

    expect(answer).toEqual({ windowOverrides: { [LITELLM]: { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' } } });
    const [update] = updates();
    expect(verdictOf(update!.report)).toEqual([{ container: 'litellm', verdict: 'unknown', end: '2026-03-24T11:19:00.000Z' }]);
    expect(update!.report.scannedAt).toBe('2026-03-25T08:00:00.000Z');
    expect(update!.report.hosts).toEqual(inventory());
    expect(verdictOf((await store.loadReport())!)).toEqual(verdictOf(update!.report));
    expect(scans).toEqual([]);
    const kept = await handlers['case:get']({});
    expect(kept.windowOverrides).toEqual(answer && (answer as { windowOverrides: unknown }).windowOverrides);
    expect(JSON.parse(await readFile(join(store.folder, 'windows.json'), 'utf8'))).toMatchObject({ version: 1 });
  });

  it('resets a window to the known one with range null', async () => {
    const { handlers, updates } = await setUp();
    await dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range: NARROW });

    const answer = await dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range: null });

    expect(answer).toEqual({ windowOverrides: {} });
    expect(verdictOf(updates().at(-1)!.report)).toEqual([{ container: 'litellm', verdict: 'likely-exposed', end: '2026-03-24T16:00:00Z' }]);
  });

  it('stores UTC instants whatever offset the request used', async () => {
    const { handlers } = await setUp();

    const answer = await dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range: { start: '2026-03-24T12:39:00+02:00', end: '2026-03-24T13:19:00+02:00' } });

    expect(answer).toEqual({ windowOverrides: { [LITELLM]: { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' } } });
  });

  it.each([
    ['an end before the start', { start: NARROW.end, end: NARROW.start }, /range\.end: the window must start before it ends/],
    ['an empty window', { start: NARROW.start, end: NARROW.start }, /the window must start before it ends/],
    ['a time without a zone', { start: '2026-03-24T10:39', end: NARROW.end }, /range\.start/],
    ['text that is no time', { start: 'yesterday', end: NARROW.end }, /range\.start/],
  ])('refuses %s before touching the case', async (_what, range, message) => {
    const { store, handlers, updates } = await setUp();

    await expect(dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range })).rejects.toThrow(BadRequestError);
    await expect(dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range })).rejects.toThrow(message);
    expect(await store.loadWindowOverrides()).toEqual({});
    expect(updates()).toEqual([]);
  });

  it('refuses a window id it does not know', async () => {
    const { store, handlers } = await setUp();

    await expect(dispatch(handlers, 'windows:set-override', { windowId: 'left-pad-2016', range: NARROW })).rejects.toThrow(/unknown compromise window "left-pad-2016"/);
    expect(await store.loadWindowOverrides()).toEqual({});
  });

  it('keeps the override before the first scan and hands it to the next scan', async () => {
    const { handlers, updates, scans } = await setUp({ report: false });

    await dispatch(handlers, 'windows:set-override', { windowId: LITELLM, range: NARROW });
    expect(updates()).toEqual([]);
    await dispatch(handlers, 'scan:start', { hosts: ['gw'] });
    await new Promise((resolve) => setTimeout(resolve, 50));

    expect(scans.map((scan) => scan.windowOverrides)).toEqual([{ [LITELLM]: { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' } }]);
  });
});
