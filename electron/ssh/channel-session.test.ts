/**
 * ChannelSession against a fake ssh2 client that refuses session channels past its own limit, the
 * way sshd answers "open failed" past MaxSessions: scripts fall back to what the server allows.
 */
import { EventEmitter } from 'node:events';
import type { Client } from 'ssh2';
import { describe, expect, test } from 'vitest';
import { ChannelSession, isChannelRefusal } from './channel-session.js';
import { Semaphore } from './semaphore.js';
import type { ResolvedHostConfig } from './ssh-config.js';

/** A session channel that answers `echo N` after `delayMs`, then closes. */
class FakeChannel extends EventEmitter {
  readonly stderr = new EventEmitter();
  constructor(
    private readonly server: FakeServer,
    private readonly delayMs: number,
  ) {
    super();
  }
  write(script: string): boolean {
    const said = /echo (\w+)/.exec(script)?.[1] ?? '';
    setTimeout(() => this.finish(`${said}\n`), this.delayMs);
    return true;
  }
  close(): void {
    this.finish('');
  }
  private closed = false;
  private finish(output: string): void {
    if (this.closed) return;
    this.closed = true;
    if (output) this.emit('data', Buffer.from(output));
    this.emit('exit', 0);
    this.server.open--;
    this.emit('close');
  }
}

/** The server side: counts open sessions and refuses past `maxSessions`, as sshd does. */
class FakeServer extends EventEmitter {
  open = 0;
  peak = 0;
  refusals = 0;
  constructor(
    private readonly maxSessions: number,
    private readonly delayMs = 20,
  ) {
    super();
  }
  exec(_command: string, callback: (error: Error | undefined, channel: FakeChannel) => void): void {
    setImmediate(() => {
      if (this.open >= this.maxSessions) {
        this.refusals++;
        // ssh2's own shape for a CHANNEL_OPEN_FAILURE (lib/utils.js onChannelOpenFailure).
        callback(Object.assign(new Error('(SSH) Channel open failure: open failed'), { reason: 1 }), undefined as unknown as FakeChannel);
        return;
      }
      this.open++;
      this.peak = Math.max(this.peak, this.open);
      callback(undefined, new FakeChannel(this, this.delayMs));
    });
  }
  end(): void {
    this.emit('close');
  }
}

const HOST = { alias: 'fake' } as ResolvedHostConfig;

function session(server: FakeServer, limit: number): { session: ChannelSession; slots: Semaphore } {
  const slots = new Semaphore(limit);
  return { session: new ChannelSession(HOST, [server as unknown as Client], slots), slots };
}

describe('a server that allows fewer sessions than our limit', () => {
  test('runs every script, no more at once than the server allows, and keeps to that limit afterwards', async () => {
    const server = new FakeServer(2);
    const { session: runner, slots } = session(server, 4);

    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => runner.runScript(`echo s${index}\n`)));

    expect(results.map((result) => result.stdout.toString().trim())).toEqual(Array.from({ length: 8 }, (_, index) => `s${index}`));
    expect(server.peak).toBe(2);
    expect(slots.limit).toBe(2);
    const refusedFirst = server.refusals;
    expect(refusedFirst).toBeGreaterThan(0);
    // Learnt once: a second burst is not refused again.
    await Promise.all(Array.from({ length: 6 }, (_, index) => runner.runScript(`echo t${index}\n`)));
    expect(server.refusals).toBe(refusedFirst);
  });

  test('falls back to one channel at a time when the server allows a single session', async () => {
    const server = new FakeServer(1);
    const { session: runner, slots } = session(server, 4);

    const results = await Promise.all(Array.from({ length: 5 }, (_, index) => runner.runScript(`echo u${index}\n`)));

    expect(results.map((result) => result.stdout.toString().trim())).toEqual(['u0', 'u1', 'u2', 'u3', 'u4']);
    expect(server.peak).toBe(1);
    expect(slots.limit).toBe(1);
  });

  test('fails a script the server refuses while nothing else runs (no channel will free up)', async () => {
    const server = new FakeServer(0);
    const { session: runner } = session(server, 4);

    await expect(runner.runScript('echo never\n')).rejects.toThrow(/^cannot start sh on fake: \(SSH\) Channel open failure: open failed$/);
  });
});

describe('isChannelRefusal', () => {
  test('knows a refused channel by ssh2 reason code or wording, not any failure', () => {
    expect(isChannelRefusal(Object.assign(new Error('(SSH) Channel open failure: '), { reason: 1 }))).toBe(true);
    expect(isChannelRefusal(Object.assign(new Error('(SSH) Channel open failure: '), { reason: 4 }))).toBe(true);
    expect(isChannelRefusal(new Error('(SSH) Channel open failure: administratively prohibited'))).toBe(true);
    expect(isChannelRefusal(new Error('(SSH) Channel open failure: server closed channel unexpectedly'))).toBe(false);
    expect(isChannelRefusal(new Error('No response from server'))).toBe(false);
    expect(isChannelRefusal('open failed')).toBe(false);
  });
});
