import { describe, expect, it } from 'vitest';
import { decodeOutput, isBoundary, newBoundary, splitRecords } from './framing.js';

const BOUNDARY = 'BR0123456789abcdef0123456789abcdef';

describe('record framing', () => {
  it('makes a fresh 128-bit boundary for every run', () => {
    const first = newBoundary();

    expect(isBoundary(first)).toBe(true);
    expect(newBoundary()).not.toBe(first);
  });

  it('keeps bodies byte for byte, newlines and trailing newlines included', () => {
    const output = `junk before\n${BOUNDARY} path\n/srv/a\nb/\n\n${BOUNDARY} empty\n\n${BOUNDARY} end`;

    expect(splitRecords(output, BOUNDARY)).toEqual([
      { tag: 'path', body: '/srv/a\nb/\n' },
      { tag: 'empty', body: '' },
      { tag: 'end', body: '' },
    ]);
  });

  it('refuses a boundary it did not make, since the boundary is embedded in scripts', () => {
    expect(() => splitRecords('', "BR'; rm -rf / #")).toThrow();
  });

  it('decodes bytes that are not UTF-8 as replacement characters instead of failing', () => {
    expect(decodeOutput(Buffer.from([0x2f, 0xff, 0x61]))).toBe('/\ufffda');
  });
});
