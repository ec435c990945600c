import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseFibTrie, parseIfInet6 } from './host-addresses.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('host addresses', () => {
  it('keeps every /32 host LOCAL leaf of fib_trie once, loopback aliases included', () => {
    expect(parseFibTrie(fixture('fib_trie.txt'))).toEqual(['127.0.0.1', '127.77.1.2', '192.168.1.10', '172.17.0.1']);
  });

  it('ignores network, broadcast and /8 local routes', () => {
    const addresses = parseFibTrie(fixture('fib_trie.txt'));
    expect(addresses).not.toContain('127.0.0.0');
    expect(addresses).not.toContain('192.168.1.255');
    expect(addresses).not.toContain('192.168.1.0');
  });

  it('reads if_inet6 addresses in compressed form', () => {
    expect(parseIfInet6(fixture('if_inet6.txt'))).toEqual(['fd00::2', '::1', 'fe80::fc:ff:fe00:1']);
  });
});
