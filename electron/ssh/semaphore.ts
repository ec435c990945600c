/** A counting semaphore: bounds how many SSH channels one connection has open at once. */

/** Hands out at most `limit` permits; waiters are served in arrival order. The limit can only be lowered. */
export class Semaphore {
  private held = 0;
  private currentLimit: number;
  private readonly waiters: Array<() => void> = [];

  constructor(limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`semaphore limit must be a positive integer, got ${limit}`);
    this.currentLimit = limit;
  }

  /** Permits handed out at most at once. */
  get limit(): number {
    return this.currentLimit;
  }

  /** Permits handed out and not yet released. */
  get inUse(): number {
    return this.held;
  }

  /**
   * Lowers the limit (never below 1, never raised): the permits already out stay out, and no new
   * one is handed out until fewer than the new limit are held. For a server that refuses channels
   * below the limit we assumed.
   */
  lower(limit: number): void {
    this.currentLimit = Math.max(1, Math.min(this.currentLimit, Math.floor(limit)));
  }

  /** Waits for a permit; resolves with its release function (idempotent). Rejects if `signal` aborts first. */
  acquire(signal?: AbortSignal): Promise<() => void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.held < this.currentLimit && this.waiters.length === 0) {
      this.held++;
      return Promise.resolve(this.releaser());
    }
    return new Promise((resolve, reject) => {
      const grant = () => {
        signal?.removeEventListener('abort', onAbort);
        this.held++;
        resolve(this.releaser());
      };
      const onAbort = () => {
        const index = this.waiters.indexOf(grant);
        if (index >= 0) this.waiters.splice(index, 1);
        reject(abortReason(signal!));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.waiters.push(grant);
    });
  }

  private releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held--;
      // Waiters first, in order, so a newcomer cannot overtake them.
      while (this.held < this.currentLimit && this.waiters.length > 0) this.waiters.shift()!();
    };
  }
}

/** The error an aborted signal carries, or a generic one. */
export function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new Error('operation aborted');
}
