/**
 * The user's "give up on this host" for a running scan: hosts being scanned are stopped through
 * their budget (what they gave so far is kept), hosts still queued are never started. The scan
 * goes on with every other host.
 */

/** Routes give-ups to the hosts of one scan. */
export class HostGiveUps {
  private readonly pending = new Set<string>();
  private readonly running = new Map<string, () => void>();
  private readonly early = new Set<string>();

  /** The scan will scan these hosts. */
  expect(hosts: readonly string[]): void {
    for (const host of hosts) this.pending.add(host);
  }

  /** The host's scan started; `stop` gives up on it. True when the user already gave up on it while it was queued. */
  started(host: string, stop: () => void): boolean {
    if (this.early.has(host)) return true;
    this.running.set(host, stop);
    return false;
  }

  /** The host's scan ended: giving up on it now does nothing. */
  finished(host: string): void {
    this.pending.delete(host);
    this.running.delete(host);
    this.early.delete(host);
  }

  /** Gives up on one host; false when the scan has no such host or is done with it. */
  giveUp(host: string): boolean {
    if (!this.pending.has(host)) return false;
    const stop = this.running.get(host);
    if (stop) stop();
    else this.early.add(host);
    return true;
  }
}
