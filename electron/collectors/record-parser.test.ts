import { describe, expect, it } from 'vitest';
import { parseRecordScan, parseRecordScansByPlace } from './record-parser.js';

const B = 'BR0123456789abcdef0123456789abcdef';
const HEX_A = 'a'.repeat(64);
const HEX_B = 'b'.repeat(64);
const rec = (tag: string, body = ''): string => `\n${B} ${tag}\n${body}`;

describe('parseRecordScan', () => {
  it('reads sha256sum and openssl batches, single hashes, missing files, first lines and package files', () => {
    const output = [
      rec('dist', '/site/x-1.dist-info'),
      rec('record', 'x/__init__.py,sha256=abc,1\n'),
      rec('sums', `${HEX_A}  ./x/__init__.py\n${HEX_B} *./x/with space.py\n`),
      rec('one', 'x/back\\slash.py'),
      rec('sum', `${HEX_A}  -\n`),
      rec('missing', 'x/gone.py'),
      rec('first', '../../../bin/x'),
      rec('first-line', '#!/usr/bin/python3\n'),
      rec('file', 'x/new\nline.py'),
      rec('end'),
    ].join('');

    const [reading] = parseRecordScan(output, B).readings;

    expect(reading).toMatchObject({ distInfo: '/site/x-1.dist-info', recordText: 'x/__init__.py,sha256=abc,1\n', incomplete: false });
    expect([...reading!.hashes]).toEqual([
      ['x/__init__.py', HEX_A],
      ['x/with space.py', HEX_B],
      ['x/back\\slash.py', HEX_A],
    ]);
    expect([...reading!.missing]).toEqual(['x/gone.py']);
    expect([...reading!.firstLines]).toEqual([['../../../bin/x', '#!/usr/bin/python3']]);
    expect(reading!.present).toEqual(['x/new\nline.py']);
  });

  it('marks the last distribution incomplete when the output was cut before the end record', () => {
    const output = [rec('dist', '/site/x-1.dist-info'), rec('record', 'r'), rec('sums', `${HEX_A}  ./x/a.py\n`), rec('sums', `${HEX_B}  ./x/b`)].join('');

    const scan = parseRecordScan(output, B);

    expect(scan.completed).toBe(false);
    expect(scan.readings[0]?.incomplete).toBe(true);
    // The cut record is dropped rather than trusted.
    expect([...scan.readings[0]!.hashes.keys()]).toEqual(['x/a.py']);
  });

  it('says when the host could hash nothing', () => {
    expect(parseRecordScan(`${rec('cannot-hash')}${rec('end')}`, B)).toEqual({ readings: [], completed: true, cannotHash: true });
  });
});

describe('parseRecordScansByPlace', () => {
  it('gives each place its own scan, a place followed by another complete, and the last one complete only with the end record', () => {
    const places = [rec('place', 'c0.l0'), rec('dist', '/site/x-1.dist-info'), rec('sums', `${HEX_A}  ./x/a.py\n`), rec('place', 'c0.l1'), rec('dist', '/site/x-1.dist-info'), rec('layer-no-site')].join('');

    const ended = parseRecordScansByPlace(`${places}${rec('end')}`, B);
    const cut = parseRecordScansByPlace(places, B);

    expect(ended.completed).toBe(true);
    expect([...ended.places.entries()].map(([tag, scan]) => [tag, scan.completed, scan.readings.map((reading) => [[...reading.hashes.keys()], reading.siteAbsent ?? false])])).toEqual([
      ['c0.l0', true, [[['x/a.py'], false]]],
      ['c0.l1', true, [[[], true]]],
    ]);
    expect([cut.completed, cut.places.get('c0.l0')?.completed, cut.places.get('c0.l1')?.completed]).toEqual([false, true, false]);
  });

  it('says when the host could not hash at all, before any place', () => {
    expect(parseRecordScansByPlace(`${rec('cannot-hash')}${rec('place', 'c0.l0')}${rec('dist', '/d')}${rec('end')}`, B).cannotHash).toBe(true);
  });
});
