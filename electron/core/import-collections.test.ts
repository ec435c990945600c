import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Pushes } from '../../shared/ipc/contract.js';
import type { ScanReport } from '../../shared/model/index.js';
import { newBoundary } from '../collectors/framing.js';
import { createBackend } from './compose.js';
import { dispatch } from './dispatch.js';

const SITE = '/usr/local/lib/python3.11/site-packages';
const KEY = 'sk-proj-' + 'Q7w9'.repeat(12);

/** A collection as the offline collector prints it: facts, Python and an env file holding a key; nothing else was collected. */
function collection(hostname: string): string {
  const o = newBoundary();
  const step = (head: string, stdout: (b: string) => string) => {
    const b = newBoundary();
    return `\n${o} step\n${head}\n${o} boundaries\n${b}\n${o} stdout\n${stdout(b)}\n${o} stderr\n\n${o} rc\n0`;
  };
  return [
    `blast-radius-collection/1 ${o}\n\n${o} tool\n0.1.0\n${o} collected-at\n2026-03-25T09:00:00Z`,
    step('facts -', (b) => `\n${b} hostname\n${hostname}\n${b} kernel-name\nLinux\n${b} kernel\n6.1.0\n${b} end\n`),
    step('python -', (b) => `\n${b} site\n${SITE}\n${b} meta\n${SITE}/litellm-1.82.8.dist-info/METADATA\n${b} head\nName: litellm\nVersion: 1.82.8\n\n${b} end\n`),
    step('artifacts -', (b) => `\n${b} file\ndotenv\n${b} path\n/srv/app/.env\n${b} text\nOPENAI_API_KEY=${KEY}\n\n${b} end\n`),
    `\n${o} end\n`,
  ].join('');
}

async function setUp() {
  const dir = await mkdtemp(join(tmpdir(), 'import-collections-'));
  await writeFile(join(dir, 'ssh_config'), '');
  const pushes: { channel: string; payload: unknown }[] = [];
  let finished: (payload: Pushes['scan:finished']) => void = () => undefined;
  const done = new Promise<Pushes['scan:finished']>((resolve) => (finished = resolve));
  const backend = await createBackend({
    dataDir: join(dir, 'data'),
    knownHostsFile: join(dir, 'known_hosts'),
    sshConfigPath: join(dir, 'ssh_config'),
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') finished(payload as Pushes['scan:finished']);
    },
  });
  const handlers = backend.handlers();
  const { created } = (await dispatch(handlers, 'cases:create', { name: 'Offline' })) as { created: { id: string } };
  await dispatch(handlers, 'cases:open', { caseId: created.id });
  return { dir, handlers, pushes, done, caseDir: join(dir, 'data', 'cases', created.id) };
}

describe('scan:import', () => {
  it('reads a collection file from disk into the open case as a scan of its host, and no key value reaches the renderer or the case', async () => {
    const { dir, handlers, pushes, done, caseDir } = await setUp();
    const file = join(dir, 'web-1.brc');
    await writeFile(file, collection('web-1'), { mode: 0o600 });

    const { scanId } = (await dispatch(handlers, 'scan:import', { paths: [file] })) as { scanId: string };
    const { report } = await done;

    expect(scanId).toMatch(/./);
    expect(report.hosts.map((host) => [host.name, host.address])).toEqual([['web-1', 'offline collection']]);
    expect(report.scannedAt).toBe('2026-03-25T09:00:00.000Z');
    expect(report.findings.some((finding) => finding.kind === 'compromised-package' && finding.host === 'web-1' && finding.version === '1.82.8')).toBe(true);
    expect(report.hosts[0]!.notes?.some((note) => note.collector === 'offline')).toBe(true);
    const saved = JSON.parse(await readFile(join(caseDir, 'report.json'), 'utf8')) as ScanReport;
    expect(saved.hosts.map((host) => host.name)).toEqual(['web-1']);
    expect(await readFile(join(caseDir, 'journal.jsonl'), 'utf8')).toContain('"kind":"scan"');
    // The key was read (by fingerprint), so there was a value to leak.
    expect(saved.hosts[0]!.secrets?.map((secret) => [secret.provider, secret.path])).toEqual([['openai', '/srv/app/.env']]);
    expect(JSON.stringify(pushes)).not.toContain(KEY.slice(8, 24));
    for (const name of ['report.json', 'journal.jsonl', 'ledger.json']) expect(await readFile(join(caseDir, name), 'utf8').catch(() => '')).not.toContain(KEY.slice(8, 24));
  });

  it('names the host with `host` instead of the file\'s hostname', async () => {
    const { dir, handlers, done } = await setUp();
    const file = join(dir, 'x.brc');
    await writeFile(file, collection('$(reboot)'));
    await dispatch(handlers, 'scan:import', { paths: [file], host: 'nas' });
    expect((await done).report.hosts.map((host) => host.name)).toEqual(['nas']);
  });

  it('refuses a file that is no collection, or whose hostname is no plain name, naming the file and quoting nothing of it', async () => {
    const { dir, handlers } = await setUp();
    const notOne = join(dir, 'notes.txt');
    await writeFile(notOne, `OPENAI_API_KEY=${KEY}\n`);
    await expect(dispatch(handlers, 'scan:import', { paths: [notOne] })).rejects.toThrow(/notes\.txt: not a Blast Radius collection/);
    await expect(dispatch(handlers, 'scan:import', { paths: [notOne] })).rejects.not.toThrow(KEY.slice(0, 16));
    const odd = join(dir, 'odd.brc');
    await writeFile(odd, collection('$(reboot)'));
    await expect(dispatch(handlers, 'scan:import', { paths: [odd] })).rejects.toThrow(/names no usable host name/);
  });

  it('refuses an import while a scan runs, and takes one once it has finished', async () => {
    const { dir, handlers, done } = await setUp();
    const file = join(dir, 'web-1.brc');
    await writeFile(file, collection('web-1'));
    await dispatch(handlers, 'scan:import', { paths: [file] });

    await expect(dispatch(handlers, 'scan:import', { paths: [file] })).rejects.toThrow(/a scan is running in the open case/);
    await done;
    // The finish push goes out before the scan leaves the running set; the next import waits for that.
    await expect.poll(() => dispatch(handlers, 'scan:import', { paths: [file] }).then(() => 'taken', (error: Error) => error.message)).toBe('taken');
  });
});
