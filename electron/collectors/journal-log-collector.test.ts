import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { GatewayService } from '../../shared/model/index.js';
import { collectJournalTraffic, journalLoggedServices } from './journal-log-collector.js';
import { hermeticRunner, quote, SHELLS, tempDir, writeExecutable } from './fixtures/shell-harness.js';

const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-03-24T16:00:00Z' };
const JOURNALCTL = '/usr/bin/journalctl';
const JOURNAL_REMOTE = ['/lib/systemd/systemd-journal-remote', '/usr/lib/systemd/systemd-journal-remote'].find((path) => existsSync(path));
const FIXTURE = new URL('./fixtures/litellm-journal.jsonl', import.meta.url);

const service = (overrides: Partial<GatewayService> = {}): GatewayService => ({
  gateway: 'litellm',
  unit: 'litellm-proxy.service',
  path: '/etc/systemd/system/litellm-proxy.service',
  scope: 'system',
  program: '/opt/litellm/venv/bin/litellm',
  arguments: [],
  venv: '/opt/litellm/venv',
  configPaths: [],
  environmentFiles: [],
  ports: [4000],
  ...overrides,
});

/** A `journalctl` that logs its argv and prints `output` (journalctl's own messages go to the same stream). */
async function fakeJournalctl(shell: (typeof SHELLS)[number], output: string, exit = 0) {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const log = join(dir, 'argv.log');
  await mkdir(bin, { recursive: true });
  await writeFile(join(dir, 'out.txt'), output);
  await writeExecutable(join(bin, 'journalctl'), `#!/bin/sh\nprintf '%s\\n' "$*" >> ${quote(log)}\ncat ${quote(join(dir, 'out.txt'))}\nexit ${exit}\n`);
  const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: bin });
  return { runner, argv: async () => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean) };
}

describe('journalLoggedServices', () => {
  it('reads the journal of gateways that log access lines, under a unit name systemd accepts', () => {
    const picked = journalLoggedServices([service(), service({ gateway: 'olla', unit: 'olla.service' }), service({ unit: '$(touch x).service' })]);

    expect(picked.map((one) => one.unit)).toEqual(['litellm-proxy.service']);
  });
});

describe.each(SHELLS)('collectJournalTraffic under $name', (shell) => {
  it('asks journalctl read-only for the unit over the window, and counts its clients', async () => {
    const { runner, argv } = await fakeJournalctl(shell, await readFile(FIXTURE, 'utf8'));

    const { traffic, issues } = await collectJournalTraffic(runner, [service(), service({ unit: 'gw.service', scope: 'user' })], WINDOW, new AbortController().signal);

    expect(await argv()).toEqual([
      '--no-pager -o json -u litellm-proxy.service --since @1774348740 --until @1774368000',
      '--no-pager -o json _SYSTEMD_USER_UNIT=gw.service --since @1774348740 --until @1774368000',
    ]);
    expect(issues).toEqual([]);
    expect(traffic[0]).toMatchObject({ container: null, unit: 'litellm-proxy.service', window: { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T16:00:00.000Z' } });
    expect(traffic[0]!.clients.map((client) => [client.address, client.requests])).toEqual([['192.168.1.20', 2], ['192.168.1.31', 2], ['127.0.0.1', 1]]);
  });

  it('says so when there is no journal, or the login sees only its own, and never quotes journalctl', async () => {
    const none = await fakeJournalctl(shell, 'No journal files were found.\n-- No entries --\n');
    const partial = await fakeJournalctl(shell, 'Hint: You are currently not seeing messages from other users and the system.\n      Users in groups \'adm\', \'systemd-journal\' can see all messages.\n');

    const missing = await collectJournalTraffic(none.runner, [service()], WINDOW, new AbortController().signal);
    const limited = await collectJournalTraffic(partial.runner, [service()], WINDOW, new AbortController().signal);

    expect(missing.traffic).toEqual([]);
    expect(missing.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('service litellm-proxy.service: journalctl found no journal files')]);
    expect(limited.traffic).toHaveLength(1);
    expect(limited.issues.map((issue) => issue.message)).toEqual([expect.stringContaining('may not read the system journal')]);
    expect(JSON.stringify([missing, limited])).not.toContain('Hint');
  });

  it('notes a failed journalctl by its exit status, and a host without journalctl', async () => {
    const failing = await fakeJournalctl(shell, 'Failed to add match \'secret-ish text\': Invalid argument\n', 1);
    const dir = await tempDir();
    const bare = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const failed = await collectJournalTraffic(failing.runner, [service()], WINDOW, new AbortController().signal);
    const absent = await collectJournalTraffic(bare, [service()], WINDOW, new AbortController().signal);

    expect(failed).toEqual({ traffic: [], issues: [expect.objectContaining({ message: expect.stringContaining('journalctl failed (exit 1)') })] });
    expect(JSON.stringify(failed)).not.toContain('secret-ish');
    expect(absent).toEqual({ traffic: [], issues: [expect.objectContaining({ message: expect.stringContaining('journalctl is not installed') })] });
  });
});

// Needs Debian's journalctl and systemd-journal-remote (to write a real journal file); .ci/run installs both, so it runs in CI
// and is skipped only on a machine without them, where nothing here could be checked against the real tool.
describe.skipIf(!existsSync(JOURNALCTL) || JOURNAL_REMOTE === undefined)('collectJournalTraffic with Debian journalctl', () => {
  it('reads a real journal file under a root (a mounted disk image) and counts the unit clients in the window', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await mkdir(join(root, 'var/log/journal/0123456789abcdef0123456789abcdef'), { recursive: true });
    // Back to journal export format (journalctl -o export) from the recorded JSON, then a real journal file.
    const entries = (await readFile(FIXTURE, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);
    const exported = Buffer.concat(
      entries.map((entry) =>
        Buffer.concat([
          ...Object.entries(entry)
            .filter(([key]) => key !== '__CURSOR')
            .map(([key, value]) => {
              if (typeof value === 'string') return Buffer.from(`${key}=${value}\n`);
              const bytes = Buffer.from(value as number[]);
              const length = Buffer.alloc(8);
              length.writeBigUInt64LE(BigInt(bytes.length));
              return Buffer.concat([Buffer.from(`${key}\n`), length, bytes, Buffer.from('\n')]);
            }),
          Buffer.from('\n'),
        ]),
      ),
    );
    await writeFile(join(dir, 'entries.export'), exported);
    execFileSync(JOURNAL_REMOTE!, [`--output=${join(root, 'var/log/journal/0123456789abcdef0123456789abcdef/remote-lab.journal')}`, join(dir, 'entries.export')], { stdio: 'ignore' });
    const bin = join(dir, 'bin');
    await mkdir(bin);
    await symlink(JOURNALCTL, join(bin, 'journalctl'));
    const runner = await hermeticRunner(SHELLS[0]!, dir, { marker: join(dir, 'marker'), extraBin: bin });

    const { traffic, issues } = await collectJournalTraffic(runner, [service()], WINDOW, new AbortController().signal, root);

    expect(issues).toEqual([]);
    expect(traffic[0]!.clients.map((client) => [client.address, client.requests])).toEqual([['192.168.1.20', 2], ['192.168.1.31', 2], ['127.0.0.1', 1]]);
  });
});
