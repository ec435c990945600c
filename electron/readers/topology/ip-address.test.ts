import { describe, expect, it } from 'vitest';
import { ipv4FromLittleEndianHex, ipv6FromHex, ipv6FromLittleEndianWords } from './ip-address.js';

describe('ip-address', () => {
  it('reads /proc/net/tcp IPv4 addresses in host byte order', () => {
    expect(ipv4FromLittleEndianHex('0100007F')).toBe('127.0.0.1');
    expect(ipv4FromLittleEndianHex('02014D7F')).toBe('127.77.1.2');
    expect(ipv4FromLittleEndianHex('010310AC')).toBe('172.16.3.1');
  });

  it('reads /proc/net/tcp6 words and shows IPv4-mapped peers as IPv4', () => {
    expect(ipv6FromLittleEndianWords('00000000000000000000000001000000')).toBe('::1');
    expect(ipv6FromLittleEndianWords('00000000000000000000000000000000')).toBe('::');
    expect(ipv6FromLittleEndianWords('0000000000000000FFFF00000100007F')).toBe('127.0.0.1');
    expect(ipv6FromLittleEndianWords('000080FE00000000FF00FC00010000FE')).toBe('fe80::fc:ff:fe00:1');
  });

  it('compresses network-order IPv6 the way ip(8) prints it', () => {
    expect(ipv6FromHex('fd000000000000000000000000000002')).toBe('fd00::2');
    expect(ipv6FromHex('20010db8000000010000000000000001')).toBe('2001:db8:0:1::1');
    expect(ipv6FromHex('20010db8000100000001000000000001')).toBe('2001:db8:1:0:1::1');
    expect(ipv6FromHex('not-an-address')).toBeNull();
  });
});
