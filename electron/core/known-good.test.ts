import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import type { Pushes, PushChannel } from '../../shared/ipc/contract.js';
import { KNOWN_WINDOWS } from '../../shared/domain/exposure/compromise-windows.js';
import type { HostInventory } from '../../shared/model/index.js';
import { buildReport } from '../../shared/findings/build-report.js';
import { CaseStore } from '../case/case-store.js';
import { WHEEL_FILE, writeWheel } from '../known-good/fixtures/archive-writers.js';
import { AppBackend, type RunScan } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { dispatch } from './dispatch.js';
import { createHash } from 'node:crypto';

const SITE = '/usr/local/lib/python3.13/site-packages';
const sha256 = (content: string): string => createHash('sha256').update(content).digest('hex');
const CLEAN = { 'litellm/__init__.py': '# litellm\n', 'litellm/proxy/proxy_server.py': '# the proxy\n' };

/** A gateway whose litellm was hashed by the last scan: the clean wheel's files plus a stager .pth; and an unhashed copy on another host. */
function inventory(): HostInventory[] {
  const wheel = {
    ...CLEAN,
    'litellm-1.82.8.dist-info/METADATA': 'Metadata-Version: 2.1\nName: litellm\nVersion: 1.82.8\n\nA package.\n',
    'litellm-1.82.8.dist-info/WHEEL': WHEEL_FILE,
  };
  const files = Object.fromEntries(Object.entries({ ...wheel, 'litellm_init.pth': 'import os\n' }).map(([path, content]) => [path, sha256(content)]));
  return [
    {
      name: 'gw',
      address: 'root@gw:22',
      status: 'ok',
      facts: null,
      containers: [],
      pythonEnvironments: [{ path: SITE, container: 'litellm', packages: [{ name: 'litellm', version: '1.82.8', metadataPath: `${SITE}/litellm-1.82.8.dist-info`, files: { sha256: files } }] }],
    },
    { name: 'nas', address: 'root@nas:22', status: 'ok', facts: null, containers: [], pythonEnvironments: [{ path: SITE, container: null, packages: [{ name: 'litellm', version: '1.82.8' }] }] },
  ];
}

async function setUp() {
  const store = new CaseStore(await mkdtemp(join(tmpdir(), 'known-good-')));
  const index = bundledAdvisoryIndex();
  await store.saveReport(buildReport(inventory(), index, new Date('2026-03-25T08:00:00Z')));
  const pushes: { channel: PushChannel; payload: unknown }[] = [];
  let scanFinished = () => {};
  const finished = new Promise<void>((resolve) => (scanFinished = resolve));
  const scans: Parameters<RunScan>[1][] = [];
  const backend = new AppBackend({
    store,
    hosts: { list: async () => [], add: async () => Promise.reject(new Error('not used')), targets: async () => [] },
    runScan: async (_targets, scanOptions) => {
      scans.push(scanOptions);
      return buildReport(inventory(), index, new Date('2026-03-26T08:00:00Z'));
    },
    rejudge: rejudgeReport(index),
    windowIds: KNOWN_WINDOWS.map((window) => window.id),
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') scanFinished();
    },
  });
  const updates = () => pushes.filter((push) => push.channel === 'case:report-updated').map((push) => push.payload as Pushes['case:report-updated']);
  return { store, handlers: backend.handlers(), updates, scans, finished };
}

const knownGoodFindings = (report: Pushes['case:report-updated']['report']) =>
  report.findings.filter((finding) => finding.kind === 'artifact-mismatch' && finding.against === 'known-good');

describe('known-good:import', () => {
  it('reads the wheel in the main process, keeps it in the case and judges the stored report again with it', async () => {
    const { store, handlers, updates, scans } = await setUp();
    const wheel = writeWheel('litellm', '1.82.8', CLEAN);

    const answer = (await dispatch(handlers, 'known-good:import', { fileName: 'C:\\Downloads\\litellm-1.82.8-py3-none-any.whl', contentBase64: wheel.toString('base64') })) as {
      imported: { name: string; artifact: string; files: number };
      unhashedCopies: number;
    };

    expect(answer.imported).toMatchObject({ name: 'litellm', artifact: 'litellm-1.82.8-py3-none-any.whl', files: 5 });
    expect(answer.unhashedCopies).toBe(1);
    const [update] = updates();
    expect(knownGoodFindings(update!.report).map((finding) => [finding.container, finding.severity, 'files' in finding ? finding.files : null])).toEqual([
      ['litellm', 'critical', [{ path: 'litellm_init.pth', difference: 'added' }]],
    ]);
    expect(knownGoodFindings((await store.loadReport())!)).toHaveLength(1);
    expect((await handlers['case:get']({})).knownGood?.map((entry) => entry.artifact)).toEqual(['litellm-1.82.8-py3-none-any.whl']);
    expect(scans).toEqual([]);
  });

  it('hands the case\'s references to the next scan, so it hashes their versions', async () => {
    const { handlers, scans, finished } = await setUp();
    await dispatch(handlers, 'known-good:import', { fileName: 'l.whl', contentBase64: writeWheel('litellm', '1.82.8', CLEAN).toString('base64') });

    await dispatch(handlers, 'scan:start', { hosts: ['gw'] });
    await finished;

    expect(scans[0]?.knownGood.map((reference) => reference.name)).toEqual(['litellm']);
  });

  it('forgets a reference on known-good:remove and judges the report again without it', async () => {
    const { handlers, updates } = await setUp();
    const answer = (await dispatch(handlers, 'known-good:import', { fileName: 'l.whl', contentBase64: writeWheel('litellm', '1.82.8', CLEAN).toString('base64') })) as {
      imported: { id: string };
    };

    expect(await dispatch(handlers, 'known-good:remove', { id: answer.imported.id })).toEqual({ knownGood: [] });
    expect(knownGoodFindings(updates().at(-1)!.report)).toEqual([]);
  });

  it('refuses a file that is no known-good artifact, and keeps nothing', async () => {
    const { handlers } = await setUp();

    await expect(dispatch(handlers, 'known-good:import', { fileName: 'notes.txt', contentBase64: Buffer.from('hello').toString('base64') })).rejects.toThrow(
      'neither a wheel (zip), an sdist (tar.gz) nor a JSON manifest',
    );
    expect((await handlers['case:get']({})).knownGood).toEqual([]);
  });
});
