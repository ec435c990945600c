/**
 * The share of a host's connection one host's collection may use at once. The independent phases
 * (facts, containers, Python, IOCs, then the container reads beside the key search) run together,
 * so their scripts queue here rather than at the session: the session keeps a channel or more spare
 * for the host budget's liveness check, which must never wait behind the work it checks on.
 */
import type { CommandRunner, RunOptions, RunResult } from '../exec/command-runner.js';
import { Semaphore } from '../ssh/semaphore.js';

/** Scripts one host's collection runs at once: well below OpenSSH's default MaxSessions of 10. */
export const HOST_WORK_CHANNELS = 4;

/**
 * A runner that starts at most `limit` scripts at once on `inner`, the rest in the order asked.
 * A script's timeout starts only once it runs: waiting behind the others is not it being slow.
 */
export function limitRunner(inner: CommandRunner, limit: number = HOST_WORK_CHANNELS): CommandRunner {
  const slots = new Semaphore(limit);
  return {
    runScript: async (script: string, options: RunOptions = {}): Promise<RunResult> => {
      const release = await slots.acquire(options.signal);
      try {
        return await inner.runScript(script, options);
      } finally {
        release();
      }
    },
  };
}

/** A runner that labels each script with the phase it belongs to (the host budget's waits and give-ups name it), unless the caller did. */
export function phaseRunner(inner: CommandRunner, phase: NonNullable<RunOptions['phase']>): CommandRunner {
  return { runScript: (script, options = {}) => inner.runScript(script, { ...options, phase: options.phase ?? phase }) };
}
