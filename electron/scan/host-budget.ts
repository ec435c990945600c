/**
 * One host's deadline: a budget of time that its connection, every channel and every phase draw
 * from, and the one place that decides a host is given up on. That happens when the budget runs
 * out, when the host stops answering (a command timed out and a trivial command sent right after
 * got no answer either: the first silent timeout), or when the user gives up on it. Giving up
 * aborts the host's signal (its channels are cut, no further phase starts) and runs the stop
 * listeners (the scan closes the connection); what was collected before is kept by the caller.
 *
 * Every message made here is built from our own phase names and numbers, never from host output.
 */
import { setMaxListeners } from 'node:events';
import type { ScanPhase } from '../../shared/ipc/contract.js';
import { CommandTimeoutError, DEFAULT_RUN_OPTIONS, type CommandRunner, type RunOptions, type RunResult } from '../exec/command-runner.js';

/** How long a host may take, connection included, unless the user says otherwise. */
export const DEFAULT_HOST_DEADLINE_MS = 300_000;
/** How long the check sent after a timed-out command waits for its answer. */
export const LIVENESS_PROBE_TIMEOUT_MS = 5_000;
/** What the liveness check prints; anything else (or nothing) means the host did not answer. */
const PROBE_ANSWER = 'blast-radius-alive';
/** Abort listeners one host's signal may hold at once: its channels, container scans and the probe. */
const LISTENERS_PER_HOST = 32;

/** Why a host was given up on. */
export type HostStopCause = 'deadline' | 'stalled' | 'abandoned';

/** The host's phases a budget tells apart: connecting, then the collectors'. */
export type BudgetPhase = Extract<ScanPhase, 'connecting' | 'facts' | 'containers' | 'python' | 'iocs' | 'keys'>;

/** Of two waits, the one whose phase comes first in scan order, with the longer of their waits. */
function firstInScanOrder(wait: HostWait, other: HostWait | null): HostWait {
  if (!other) return wait;
  const phase = BUDGET_PHASE_ORDER.indexOf(other.phase) < BUDGET_PHASE_ORDER.indexOf(wait.phase) ? other.phase : wait.phase;
  return { phase, waitedMs: Math.max(wait.waitedMs, other.waitedMs) };
}

/** The phases in the order a scan enters them. */
const BUDGET_PHASE_ORDER: readonly BudgetPhase[] = ['connecting', 'facts', 'containers', 'python', 'iocs', 'keys'];

/** When, where and why a host was given up on. */
export interface HostStop {
  cause: HostStopCause;
  /** The phase the host was in (for `stalled`, the phase of the command that got no answer). */
  phase: BudgetPhase;
  /** How long that phase's oldest outstanding request had waited for an answer (0 when none was outstanding). */
  waitedMs: number;
  /** Time since the host's scan started. */
  elapsedMs: number;
}

/** The reason a given-up host's signal carries: in-flight channels reject with it. */
export class HostGivenUpError extends Error {
  constructor(readonly stop: HostStop) {
    super(`the host was given up on (${stop.cause}) in the ${stop.phase} phase`);
    this.name = 'HostGivenUpError';
  }
}

/** What is outstanding on the host: a phase waiting for the host's answer. */
export interface HostWait {
  phase: BudgetPhase;
  waitedMs: number;
}

/** Options of a host budget. */
export interface HostBudgetOptions {
  /** The scan's signal: cancelling the scan cancels the host (that is not a give-up). */
  signal?: AbortSignal;
  /** Liveness check timeout; LIVENESS_PROBE_TIMEOUT_MS unless given (tests use short ones). */
  probeTimeoutMs?: number;
  /** Monotonic milliseconds; performance.now unless given. */
  now?: () => number;
}

/** The time budget of one host's scan; dispose() it when the host is finished. */
export class HostBudget {
  /** Aborts when the scan is cancelled or the host is given up on. */
  readonly signal: AbortSignal;
  private readonly controller = new AbortController();
  private readonly now: () => number;
  private readonly startedAt: number;
  private readonly probeTimeoutMs: number;
  private readonly timer: NodeJS.Timeout;
  private readonly outstanding = new Map<number, { phase: BudgetPhase; since: number }>();
  private readonly stopListeners: Array<(stop: HostStop) => void> = [];
  private nextId = 0;
  private currentPhase: BudgetPhase = 'connecting';
  private stopInfo: HostStop | null = null;
  private probe: Promise<boolean> | null = null;

  constructor(
    readonly totalMs: number,
    options: HostBudgetOptions = {},
  ) {
    this.now = options.now ?? (() => performance.now());
    this.probeTimeoutMs = options.probeTimeoutMs ?? LIVENESS_PROBE_TIMEOUT_MS;
    this.startedAt = this.now();
    this.signal = options.signal ? AbortSignal.any([options.signal, this.controller.signal]) : this.controller.signal;
    setMaxListeners(LISTENERS_PER_HOST, this.signal, this.controller.signal);
    this.timer = setTimeout(() => this.stop('deadline'), totalMs);
    this.timer.unref?.();
  }

  /** Why the host was given up on, or null while it is not. */
  get stopped(): HostStop | null {
    return this.stopInfo;
  }

  /** The phase the host is in now. */
  get phase(): BudgetPhase {
    return this.currentPhase;
  }

  /** Milliseconds left before the deadline (never negative). */
  remainingMs(): number {
    return Math.max(0, this.totalMs - (this.now() - this.startedAt));
  }

  /** Notes the phase the host entered: waits and give-ups name it. */
  enterPhase(phase: BudgetPhase): void {
    this.currentPhase = phase;
  }

  /**
   * What the host leaves unanswered, or null when nothing is outstanding: the longest wait, named by
   * the first phase (in scan order) still waiting. Phases run side by side and start within the same
   * millisecond or two, so the start time alone would name one or the other at random.
   */
  waiting(): HostWait | null {
    let first: BudgetPhase | null = null;
    let since = Number.POSITIVE_INFINITY;
    for (const entry of this.outstanding.values()) {
      if (first === null || BUDGET_PHASE_ORDER.indexOf(entry.phase) < BUDGET_PHASE_ORDER.indexOf(first)) first = entry.phase;
      since = Math.min(since, entry.since);
    }
    return first === null ? null : { phase: first, waitedMs: this.now() - since };
  }

  /** Runs `listener` once, when the host is given up on (at once if it already was). */
  onStop(listener: (stop: HostStop) => void): void {
    if (this.stopInfo) listener(this.stopInfo);
    else this.stopListeners.push(listener);
  }

  /** Resolves when the host is given up on; never rejects (never resolves for a host that finishes). */
  whenStopped(): Promise<HostStop> {
    return new Promise((resolve) => this.onStop(resolve));
  }

  /**
   * Gives up on the host: records why, aborts its signal and runs the stop listeners. Returns false
   * when it was already given up on or the scan was cancelled (the first reason stands).
   */
  stop(cause: HostStopCause, at?: HostWait): boolean {
    if (this.stopInfo || this.signal.aborted) return false;
    const wait = at ?? this.waiting();
    this.stopInfo = {
      cause,
      phase: wait?.phase ?? this.currentPhase,
      waitedMs: Math.round(wait?.waitedMs ?? 0),
      elapsedMs: Math.round(this.now() - this.startedAt),
    };
    clearTimeout(this.timer);
    this.controller.abort(new HostGivenUpError(this.stopInfo));
    for (const listener of this.stopListeners.splice(0)) listener(this.stopInfo);
    return true;
  }

  /** Counts `work` as a request waiting for the host (connecting, say) until it settles. */
  async track<T>(phase: BudgetPhase, work: Promise<T>): Promise<T> {
    const id = this.nextId++;
    this.outstanding.set(id, { phase, since: this.now() });
    try {
      return await work;
    } finally {
      this.outstanding.delete(id);
    }
  }

  /**
   * A runner whose every script is bounded by the budget: its timeout cut to what is left, its
   * signal joined to the host's. A timeout the budget cut is the deadline; any other timeout
   * sends a liveness check, and a host that does not answer that either is given up on.
   */
  runner(inner: CommandRunner): CommandRunner {
    return {
      runScript: async (script: string, options: RunOptions = {}): Promise<RunResult> => {
        if (this.signal.aborted) throw this.signal.reason;
        const requested = options.timeoutMs ?? DEFAULT_RUN_OPTIONS.timeoutMs;
        const remaining = this.remainingMs();
        const cut = remaining < requested;
        const signal = options.signal ? AbortSignal.any([options.signal, this.signal]) : this.signal;
        const phase = options.phase ?? this.currentPhase;
        const since = this.now();
        try {
          return await this.track(phase, inner.runScript(script, { ...options, timeoutMs: Math.max(1, Math.min(requested, remaining)), signal }));
        } catch (error) {
          if (error instanceof CommandTimeoutError && !this.signal.aborted) {
            // Named after the command that got no answer, not the probe or whatever ran meanwhile.
            const wait = { phase, waitedMs: this.now() - since };
            // The deadline cuts every phase in flight at once: name the first in scan order, so the
            // same wedged host reads the same whichever of its timers fired first.
            if (cut) this.stop('deadline', firstInScanOrder(wait, this.waiting()));
            else if (!(await this.answers(inner))) this.stop('stalled', wait);
          }
          throw error;
        }
      },
    };
  }

  /** Stops the deadline's clock; call when the host is finished. */
  dispose(): void {
    clearTimeout(this.timer);
    this.stopListeners.length = 0;
  }

  /**
   * Whether the host still runs a trivial script within the probe timeout. One check at a time
   * (concurrent timeouts share it); its own timer bounds it even while it waits for a channel.
   */
  private answers(inner: CommandRunner): Promise<boolean> {
    this.probe ??= new Promise<boolean>((resolve) => {
      const controller = new AbortController();
      const timeoutMs = Math.max(1, Math.min(this.probeTimeoutMs, this.remainingMs()));
      const timer = setTimeout(() => {
        controller.abort();
        resolve(false);
      }, timeoutMs);
      inner
        .runScript(`echo ${PROBE_ANSWER}\n`, { timeoutMs, maxOutputBytes: 256, signal: AbortSignal.any([controller.signal, this.signal]) })
        .then(
          (result) => resolve(result.stdout.toString('utf8').includes(PROBE_ANSWER)),
          () => resolve(false),
        )
        .finally(() => clearTimeout(timer));
    }).finally(() => {
      this.probe = null;
    });
    return this.probe;
  }
}
