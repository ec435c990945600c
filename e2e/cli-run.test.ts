/**
 * The e2e files' one way of running programs (e2e/cli-run.ts) keeps what their assertions rely
 * on: a program's own exit status, -1 for a run that has none (killed at its timeout), output as
 * text or as the exact bytes, and a scan that wrote no report failing with its status and stderr
 * rather than with a bare ENOENT. The last two need the built CLI (`npm run build:node`).
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCliEnv, requireBuiltCli, runCli, runCliScan, runProgram } from './cli-run.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'blast-radius-cli-run-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('runProgram', () => {
  it("gives the program's own exit status and both streams", async () => {
    const run = await runProgram(process.execPath, ['-e', 'process.stdout.write("out"); process.stderr.write("err"); process.exit(3)']);

    expect(run).toEqual({ code: 3, stdout: 'out', stderr: 'err' });
  });

  it('gives -1, not 0, for a run killed at its timeout', async () => {
    const run = await runProgram(process.execPath, ['-e', 'setTimeout(() => undefined, 60_000)'], { timeoutMs: 300 });

    expect(run.code).toBe(-1);
  });

  it('gives -1 for a program that never started', async () => {
    expect((await runProgram(join(dir, 'no-such-program'), [])).code).toBe(-1);
  });

  it("runs with the lab's environment: the state folder given, no SSH agent, the extra variables last", async () => {
    const printEnv = 'process.stdout.write(JSON.stringify([process.env.XDG_STATE_HOME, process.env.SSH_AUTH_SOCK, process.env.EXTRA]))';
    const run = await runProgram(process.execPath, ['-e', printEnv], { env: labCliEnv(dir, { EXTRA: 'yes' }) });

    expect(JSON.parse(run.stdout)).toEqual([dir, '', 'yes']);
  });
});

describe('the built CLI', () => {
  beforeAll(() => requireBuiltCli());

  it('runs it with the arguments given', async () => {
    const run = await runCli(['-V']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/\d+\.\d+\.\d+/);
  });

  it('fails a scan that wrote no report with its exit status and what it said', async () => {
    const scan = runCliScan(['scan', '--ssh-config', join(dir, 'nope'), '--all'], { json: join(dir, 'report.json') }, { env: labCliEnv(dir) });

    await expect(scan).rejects.toThrow(/wrote no report \(exit 2\): .*cannot read SSH config/);
  });
});
