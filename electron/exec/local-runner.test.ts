import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { CommandTimeoutError } from './command-runner.js';
import { LocalRunner } from './local-runner.js';

describe('LocalRunner', () => {
  it('runs the script given on stdin with sh -s and reports its output and exit status', async () => {
    const runner = new LocalRunner();

    const result = await runner.runScript('printf "%s\\n" "$0" hello\necho oops >&2\nexit 3\n');

    expect(result.stdout.toString()).toBe('/bin/sh\nhello\n');
    expect(result.stderr).toBe('oops\n');
    expect(result.exitCode).toBe(3);
    expect(result.truncated).toBe(false);
  });

  it('keeps only maxOutputBytes of stdout, marks it truncated and still waits for the exit status', async () => {
    const runner = new LocalRunner();

    const result = await runner.runScript('i=0; while [ $i -lt 2000 ]; do echo 0123456789; i=$((i+1)); done; exit 7\n', {
      maxOutputBytes: 100,
    });

    expect(result.stdout.length).toBe(100);
    expect(result.truncated).toBe(true);
    expect(result.exitCode).toBe(7);
  });

  it('kills the script and its children at the timeout and rejects with CommandTimeoutError', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'local-runner-'));
    onTestFinished(() => rm(dir, { recursive: true, force: true }));
    const pidFile = join(dir, 'child.pid');
    const runner = new LocalRunner();

    const run = runner.runScript(`sleep 30 &\necho \$! > '${pidFile}'\nwait\n`, { timeoutMs: 300 });

    await expect(run).rejects.toBeInstanceOf(CommandTimeoutError);
    // The background child was in the killed process group: it must be gone too, not orphaned.
    const childPid = Number(await readFile(pidFile, 'utf8'));
    await vi.waitFor(() => expect(isAlive(childPid)).toBe(false), { timeout: 5000 });
  });

  it('rejects with the abort reason when the signal fires, and before spawning when already aborted', async () => {
    const runner = new LocalRunner();
    const controller = new AbortController();

    const run = runner.runScript('sleep 30\n', { signal: controller.signal });
    controller.abort(new Error('scan cancelled'));

    await expect(run).rejects.toThrow('scan cancelled');
    await expect(runner.runScript('exit 0\n', { signal: controller.signal })).rejects.toThrow('scan cancelled');
  });

  it('passes no value through a command line: a script that quits early is a result, not a crash', async () => {
    const runner = new LocalRunner();

    const result = await runner.runScript(`exit 0\n${'echo never\n'.repeat(20000)}`);

    expect(result.exitCode).toBe(0);
    expect(result.stdout.length).toBe(0);
  });

  it('rejects when the shell cannot be started', async () => {
    const runner = new LocalRunner({ command: ['/nonexistent/sh', '-s'] });

    await expect(runner.runScript('exit 0\n')).rejects.toThrow(/ENOENT/);
  });
});

/** True while a process exists and is not a zombie waiting to be reaped. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  const stat = existsSync(`/proc/${pid}/stat`) ? readFileSyncSafe(`/proc/${pid}/stat`) : '';
  return !/^\d+ \(.*\) Z/.test(stat);
}

function readFileSyncSafe(path: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return '';
  }
}
