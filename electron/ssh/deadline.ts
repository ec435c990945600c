/**
 * The handshake's timeout, shared by the steps that may ask the user something (an unknown host
 * key, a key's passphrase): the time the user takes to answer is not the server being slow.
 */

/** A timeout that stops counting while the user is being asked something. */
export class Deadline {
  private timer: NodeJS.Timeout | undefined;
  private remainingMs: number;
  private startedAt = 0;
  private pauses = 0;
  private onExpire: (() => void) | null = null;

  constructor(readonly totalMs: number) {
    this.remainingMs = totalMs;
  }

  /** Starts counting; `onExpire` runs once the time, pauses excluded, has passed. */
  start(onExpire: () => void): void {
    this.onExpire = onExpire;
    this.arm();
  }

  /** Runs `action` (a question to the user) with the clock stopped. */
  async paused<T>(action: () => Promise<T>): Promise<T> {
    if (this.pauses++ === 0 && this.timer) {
      clearTimeout(this.timer);
      this.timer = undefined;
      this.remainingMs -= Date.now() - this.startedAt;
    }
    try {
      return await action();
    } finally {
      if (--this.pauses === 0 && this.onExpire) this.arm();
    }
  }

  /** Stops for good: the handshake settled. */
  clear(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.onExpire = null;
  }

  private arm(): void {
    this.startedAt = Date.now();
    const onExpire = this.onExpire!;
    this.timer = setTimeout(onExpire, Math.max(0, this.remainingMs));
  }
}
