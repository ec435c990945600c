import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { MAX_SOCKETS_PER_FILE, parseProcNetTcp } from './proc-net-tcp.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parseProcNetTcp', () => {
  it('reads listeners and connections of a host namespace, dropping sockets without a peer', () => {
    const sockets = parseProcNetTcp(fixture('proc-net-tcp.txt'), null);

    expect(sockets).toEqual([
      { container: null, localAddress: '127.77.1.2', localPort: 4778, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN' },
      { container: null, localAddress: '0.0.0.0', localPort: 2024, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN' },
      { container: null, localAddress: '127.0.0.1', localPort: 54610, remoteAddress: '127.0.0.1', remotePort: 4777, state: 'ESTABLISHED' },
      { container: null, localAddress: '10.18.0.2', localPort: 46022, remoteAddress: '10.18.0.3', remotePort: 4000, state: 'TIME_WAIT' },
    ]);
  });

  it('reads tcp6 words, showing dual-stack peers as IPv4, and names the container namespace', () => {
    const sockets = parseProcNetTcp(fixture('proc-net-tcp6.txt'), 'open-webui');

    expect(sockets.map((s) => `${s.localAddress}:${s.localPort} ${s.remoteAddress}:${s.remotePort} ${s.state}`)).toEqual([
      ':::4777 :::0 LISTEN',
      '127.0.0.1:4777 127.0.0.1:54610 ESTABLISHED',
      '::1:42484 ::1:4777 ESTABLISHED',
    ]);
    expect(sockets.every((s) => s.container === 'open-webui')).toBe(true);
  });

  it('skips garbage lines and stops at the per-file cap', () => {
    const line = '   0: 0100007F:1F90 0100007F:D552 01 00000000:00000000 00:00000000 00000000 0 0 1 1 0 20 0 0 10 -1';
    const text = ['garbage', '1: ZZZZ:0000 00000000:0000 0A', ...Array.from({ length: MAX_SOCKETS_PER_FILE + 10 }, () => line)].join('\n');

    expect(parseProcNetTcp(text, null)).toHaveLength(MAX_SOCKETS_PER_FILE);
  });
});
