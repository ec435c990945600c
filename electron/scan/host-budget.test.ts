import { describe, expect, it } from 'vitest';
import { CommandTimeoutError, type CommandRunner, type RunOptions, type RunResult } from '../exec/command-runner.js';
import { HostBudget, HostGivenUpError } from './host-budget.js';

/** A host that never answers: every script ends only by its timeout or its signal, as a real channel does. */
function silentRunner(): CommandRunner & { scripts: string[]; timeouts: number[] } {
  const scripts: string[] = [];
  const timeouts: number[] = [];
  return {
    scripts,
    timeouts,
    runScript: (script: string, options: RunOptions = {}) => {
      scripts.push(script);
      timeouts.push(options.timeoutMs ?? Infinity);
      return hang(options);
    },
  };
}

function hang(options: RunOptions): Promise<RunResult> {
  return new Promise((_, reject) => {
    const timer = options.timeoutMs === undefined ? undefined : setTimeout(() => reject(new CommandTimeoutError(options.timeoutMs!)), options.timeoutMs);
    options.signal?.addEventListener('abort', () => {
      clearTimeout(timer);
      reject(options.signal!.reason);
    }, { once: true });
  });
}

const answer = (stdout: string): RunResult => ({ stdout: Buffer.from(stdout), stderr: '', exitCode: 0, truncated: false });

describe('HostBudget', () => {
  it("cuts a script's timeout to what is left of the host's deadline", async () => {
    const budget = new HostBudget(1_000);
    let given: number | undefined;
    const runner = budget.runner({ runScript: async (_script, options) => ((given = options?.timeoutMs), answer('')) });

    await runner.runScript('cat /etc/os-release', { timeoutMs: 180_000 });

    expect(given).toBeGreaterThan(0);
    expect(given).toBeLessThanOrEqual(1_000);
    budget.dispose();
  });

  it('gives up on a host that never answers once its deadline is reached, naming the phase it was in', async () => {
    const budget = new HostBudget(40);
    const runner = budget.runner(silentRunner());
    budget.enterPhase('keys');

    await expect(runner.runScript('find /opt', { timeoutMs: 180_000 })).rejects.toThrow();

    expect(budget.stopped).toMatchObject({ cause: 'deadline', phase: 'keys' });
    expect(budget.stopped!.waitedMs).toBeGreaterThanOrEqual(30);
    expect(budget.signal.aborted).toBe(true);
  });

  it('names the first phase in scan order when the deadline cuts phases running side by side, whichever timer fires first', async () => {
    const budget = new HostBudget(40);
    const runner = budget.runner(silentRunner());

    // The containers script asks for less time, so its timeout fires first.
    const containers = runner.runScript('docker ps -aq', { timeoutMs: 100_000, phase: 'containers' });
    const facts = runner.runScript('uname -a', { timeoutMs: 180_000, phase: 'facts' });
    await Promise.allSettled([containers, facts]);

    expect(budget.stopped).toMatchObject({ cause: 'deadline', phase: 'facts' });
  });

  it('gives up after the first silent timeout when a check sent right after gets no answer either, long before the deadline', async () => {
    const budget = new HostBudget(60_000, { probeTimeoutMs: 20 });
    const inner = silentRunner();
    const runner = budget.runner(inner);
    budget.enterPhase('facts');

    await expect(runner.runScript('uname -a', { timeoutMs: 30 })).rejects.toBeInstanceOf(CommandTimeoutError);

    expect(budget.stopped).toMatchObject({ cause: 'stalled', phase: 'facts' });
    expect(budget.stopped!.waitedMs).toBeGreaterThanOrEqual(25);
    expect(budget.stopped!.elapsedMs).toBeLessThan(5_000);
    expect(inner.scripts).toHaveLength(2);
    budget.dispose();
  });

  it('keeps a host that still answers after one of its commands timed out (a hung docker, say)', async () => {
    const budget = new HostBudget(60_000, { probeTimeoutMs: 1_000 });
    const runner = budget.runner({
      runScript: (script, options = {}) => (script.includes('docker') ? hang(options) : Promise.resolve(answer(script.replace(/^echo /, '')))),
    });

    await expect(runner.runScript('docker ps -aq', { timeoutMs: 20 })).rejects.toBeInstanceOf(CommandTimeoutError);
    const next = await runner.runScript('echo next\n');

    expect(budget.stopped).toBeNull();
    expect(next.stdout.toString()).toBe('next\n');
    budget.dispose();
  });

  it('cuts off running scripts and sends no more once the user gives up on the host', async () => {
    const budget = new HostBudget(60_000);
    const inner = silentRunner();
    const runner = budget.runner(inner);
    budget.enterPhase('python');
    const running = runner.runScript('find / -name METADATA', { timeoutMs: 180_000 });

    budget.stop('abandoned');

    await expect(running).rejects.toBeInstanceOf(HostGivenUpError);
    await expect(runner.runScript('true')).rejects.toBeInstanceOf(HostGivenUpError);
    expect(inner.scripts).toHaveLength(1);
    expect(budget.stopped).toMatchObject({ cause: 'abandoned', phase: 'python' });
  });

  it('does not count a cancelled scan as giving up on the host', async () => {
    const scan = new AbortController();
    const budget = new HostBudget(60_000, { signal: scan.signal });

    scan.abort(new Error('cancelled'));

    expect(budget.signal.aborted).toBe(true);
    expect(budget.stop('abandoned')).toBe(false);
    expect(budget.stopped).toBeNull();
    budget.dispose();
  });

  it('says which phase has waited longest for an answer, and nothing once every answer came', async () => {
    let now = 0;
    const budget = new HostBudget(60_000, { now: () => now });
    let release!: (result: RunResult) => void;
    const runner = budget.runner({ runScript: () => new Promise((resolve) => (release = resolve)) });
    budget.enterPhase('iocs');
    const running = runner.runScript('grep -r sysmon /home');
    budget.enterPhase('keys');
    now = 45_000;

    const waiting = budget.waiting();
    release(answer(''));
    await running;

    expect(waiting).toEqual({ phase: 'iocs', waitedMs: 45_000 });
    expect(budget.waiting()).toBeNull();
    expect(budget.remainingMs()).toBe(15_000);
    budget.dispose();
  });

  it('names the first phase in scan order when phases wait side by side, whichever started a millisecond earlier', async () => {
    let now = 0;
    const budget = new HostBudget(60_000, { now: () => now });
    const releases: Array<(result: RunResult) => void> = [];
    const runner = budget.runner({ runScript: () => new Promise((resolve) => releases.push(resolve)) });
    const containers = runner.runScript('docker ps', { phase: 'containers' });
    now = 1;
    const facts = runner.runScript('uname -a', { phase: 'facts' });
    now = 20_000;

    const waiting = budget.waiting();
    for (const release of releases) release(answer(''));
    await Promise.all([containers, facts]);

    expect(waiting).toEqual({ phase: 'facts', waitedMs: 20_000 });
    budget.dispose();
  });
});
