import { describe, expect, test } from 'vitest';
import type { CommandRunner, RunOptions, RunResult } from '../exec/command-runner.js';
import { limitRunner, phaseRunner } from './channel-limit.js';

/** A runner whose scripts take `delayMs` (or the delay the script names), counting how many run at once. */
function countingRunner(delayMs = 10) {
  const seen: Array<{ script: string; options: RunOptions }> = [];
  let running = 0;
  let peak = 0;
  const runner: CommandRunner = {
    runScript: async (script, options = {}) => {
      seen.push({ script, options });
      running++;
      peak = Math.max(peak, running);
      await new Promise((resolve) => setTimeout(resolve, Number(/sleep (\d+)/.exec(script)?.[1] ?? delayMs)));
      running--;
      return { stdout: Buffer.from(script), stderr: '', exitCode: 0, truncated: false } satisfies RunResult;
    },
  };
  return { runner, seen, peak: () => peak };
}

describe('limitRunner', () => {
  test('runs at most `limit` scripts at once, starting them in the order asked, each answered with its own result', async () => {
    const inner = countingRunner();
    const limited = limitRunner(inner.runner, 3);

    const results = await Promise.all(Array.from({ length: 10 }, (_, index) => limited.runScript(`script ${index}`)));

    expect(inner.peak()).toBe(3);
    expect(inner.seen.map((run) => run.script)).toEqual(Array.from({ length: 10 }, (_, index) => `script ${index}`));
    expect(results.map((result) => result.stdout.toString())).toEqual(Array.from({ length: 10 }, (_, index) => `script ${index}`));
  });

  test('a slot comes back when a script fails', async () => {
    const failing: CommandRunner = { runScript: () => Promise.reject(new Error('channel refused')) };
    const limited = limitRunner(failing, 1);

    await expect(limited.runScript('a')).rejects.toThrow('channel refused');
    await expect(limited.runScript('b')).rejects.toThrow('channel refused');
  });

  test('a script cancelled while it waits for a slot never runs', async () => {
    const inner = countingRunner();
    const limited = limitRunner(inner.runner, 1);
    const controller = new AbortController();

    const first = limited.runScript('sleep 50');
    const second = limited.runScript('never', { signal: controller.signal });
    controller.abort(new Error('cancelled'));

    await expect(second).rejects.toThrow('cancelled');
    await first;
    expect(inner.seen.map((run) => run.script)).toEqual(['sleep 50']);
  });
});

describe('phaseRunner', () => {
  test("labels a script with its phase unless the caller named one, keeping the caller's other options", async () => {
    const inner = countingRunner(0);
    const facts = phaseRunner(inner.runner, 'facts');

    await facts.runScript('a', { timeoutMs: 5 });
    await facts.runScript('b', { phase: 'keys' });

    expect(inner.seen.map((run) => run.options)).toEqual([{ timeoutMs: 5, phase: 'facts' }, { phase: 'keys' }]);
  });
});
