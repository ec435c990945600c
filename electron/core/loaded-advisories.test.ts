/**
 * "Load advisories…": OSV records from a folder tree (or an all.zip) loaded into a case through the
 * contract, kept with the case, judged with at once and by every later scan, listed with their source.
 */
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import { buildReport } from '../../shared/findings/build-report.js';
import type { CaseState, Pushes, PushChannel } from '../../shared/ipc/contract.js';
import type { HostInventory, ScanReport } from '../../shared/model/index.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend, type RunScan } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { dispatch } from './dispatch.js';

/** A record no bundled advisory has: a malicious release of a package the case's host carries. */
const RECORD = {
  id: 'MAL-2026-9901',
  modified: '2026-11-30T10:00:00Z',
  published: '2026-11-29T10:00:00Z',
  summary: 'Malicious code in examplepkg (PyPI)',
  affected: [{ package: { ecosystem: 'PyPI', name: 'examplepkg' }, versions: ['2.4.1'] }],
};

const inventory: HostInventory[] = [
  {
    name: 'nas',
    address: 'root@nas:22',
    status: 'ok',
    facts: null,
    containers: [],
    pythonEnvironments: [{ path: '/opt/app/venv/lib/python3.12/site-packages', container: null, packages: [{ name: 'examplepkg', version: '2.4.1' }] }],
  },
];

async function backendOver(store: CaseStore) {
  const index = bundledAdvisoryIndex();
  const pushes: { channel: PushChannel; payload: unknown }[] = [];
  const scans: Parameters<RunScan>[1][] = [];
  let scanFinished = () => {};
  const finished = new Promise<void>((resolve) => (scanFinished = resolve));
  const backend = new AppBackend({
    store,
    hosts: { list: async () => [], add: async () => Promise.reject(new Error('not used')), targets: async () => [] },
    runScan: async (_targets, options) => {
      scans.push(options);
      return buildReport(inventory, index, new Date('2026-12-01T08:00:00Z'));
    },
    rejudge: rejudgeReport(index),
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') scanFinished();
    },
  });
  const handlers = backend.handlers();
  const lastUpdate = () => pushes.filter((push) => push.channel === 'case:report-updated').map((push) => push.payload as Pushes['case:report-updated']).at(-1);
  return { handlers, lastUpdate, scans, finished };
}

const flags = (report: ScanReport | null | undefined, id: string) =>
  (report?.findings ?? []).some((finding) => finding.kind === 'compromised-package' && JSON.stringify(finding).includes(id));

async function setUp() {
  const dir = await mkdtemp(join(tmpdir(), 'loaded-advisories-'));
  const store = new CaseStore(join(dir, 'case'));
  await store.saveReport(buildReport(inventory, bundledAdvisoryIndex(), new Date('2026-12-01T08:00:00Z')));
  // A checkout laid out like an advisory database: records at any depth, and files that are not records.
  const tree = join(dir, 'advisory-database');
  await mkdir(join(tree, 'osv', 'pypi', 'examplepkg'), { recursive: true });
  await writeFile(join(tree, 'osv', 'pypi', 'examplepkg', 'MAL-2026-9901.json'), JSON.stringify(RECORD));
  await writeFile(join(tree, 'README.md'), '# not a record\n');
  return { dir, store, tree };
}

describe('advisories loaded into a case', () => {
  it('judges the stored report again with them, lists their source, and keeps them for a restart and every later scan', async () => {
    const { store, tree } = await setUp();
    const first = await backendOver(store);
    expect(flags(await store.loadReport(), RECORD.id)).toBe(false);

    const answer = (await dispatch(first.handlers, 'advisories:load', { path: tree })) as { loaded: { path: string; records: number; kind: string; newestModified: string | null }; sources: unknown[] };

    expect(answer.loaded).toMatchObject({ path: tree, kind: 'folder', records: 1, newestModified: RECORD.modified });
    expect(answer.sources).toHaveLength(1);
    expect(flags(first.lastUpdate()?.report, RECORD.id)).toBe(true);
    // The report says which advisories judged it: the loaded one is in its snapshot.
    expect(first.lastUpdate()?.report.provenance?.advisories.map((entry) => entry.id)).toContain(RECORD.id);

    // A restart: a new backend over the same case folder.
    const second = await backendOver(store);
    const state = (await dispatch(second.handlers, 'case:get', {})) as CaseState;
    expect(state.advisorySources).toEqual([expect.objectContaining({ path: tree, kind: 'folder', records: 1 })]);
    expect(flags(state.report, RECORD.id)).toBe(true);
    await dispatch(second.handlers, 'scan:start', { hosts: ['nas'] });
    await second.finished;
    expect(second.scans[0]?.advisories.map((record) => record.id)).toEqual([RECORD.id]);
  });

  it('forgets a load: the report is judged again without it', async () => {
    const { store, tree } = await setUp();
    const { handlers, lastUpdate } = await backendOver(store);
    await dispatch(handlers, 'advisories:load', { path: tree });

    const answer = (await dispatch(handlers, 'advisories:remove', { path: tree })) as { sources: unknown[] };

    expect(answer.sources).toEqual([]);
    expect(flags(lastUpdate()?.report, RECORD.id)).toBe(false);
    expect(((await dispatch(handlers, 'case:get', {})) as CaseState).advisorySources).toEqual([]);
  });

  it('refuses a path it cannot read, or one that holds no record, naming it and changing nothing', async () => {
    const { dir, store } = await setUp();
    const { handlers } = await backendOver(store);
    const empty = join(dir, 'empty');
    await mkdir(empty);
    await writeFile(join(empty, 'notes.txt'), 'sk-proj-not-a-record\n');

    await expect(dispatch(handlers, 'advisories:load', { path: join(dir, 'missing') })).rejects.toThrow(`cannot read advisories at ${JSON.stringify(join(dir, 'missing'))}: ENOENT`);
    await expect(dispatch(handlers, 'advisories:load', { path: empty })).rejects.toThrow(`no OSV advisory records in ${JSON.stringify(empty)}`);
    expect(((await dispatch(handlers, 'case:get', {})) as CaseState).advisorySources).toEqual([]);
  });
});
