import { describe, expect, it } from 'vitest';
import { compareRecord, hexToRecordDigest, ownedPackageFolders, parseCsv, parseRecord, recordDigestToHex, type RecordObservation } from './record.js';

// sha256("") and sha256("abc"), hex (FIPS 180-2 test vectors) and as pip writes them in RECORD.
const EMPTY_HEX = 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855';
const EMPTY_RECORD = '47DEQpj8HBSa-_TImW-5JCeuQeRkm5NMpJWZG3hSuFU';
const ABC_HEX = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
const ABC_RECORD = 'ungWv48Bz-pBQUDeXa4iI7ADYaOWF3qctBD_YfIAFa0';

function observation(partial: Partial<RecordObservation>): RecordObservation {
  return { hashes: new Map(), missing: new Set(), firstLines: new Map(), present: [], incomplete: false, ...partial };
}

describe('RECORD digests', () => {
  it('converts sha256 hex to urlsafe base64 without padding and back', () => {
    expect(hexToRecordDigest(EMPTY_HEX)).toBe(EMPTY_RECORD);
    expect(hexToRecordDigest(ABC_HEX)).toBe(ABC_RECORD);
    expect(recordDigestToHex(EMPTY_RECORD)).toBe(EMPTY_HEX);
    expect(recordDigestToHex(ABC_RECORD)).toBe(ABC_HEX);
    expect(recordDigestToHex(`${ABC_RECORD}=`)).toBe(ABC_HEX);
  });

  it('rejects digests that are not 32 urlsafe-base64 bytes', () => {
    expect(recordDigestToHex('ungWv48Bz+pBQUDeXa4iI7ADYaOWF3qctBD/YfIAFa0')).toBeNull();
    expect(recordDigestToHex('abc')).toBeNull();
    expect(() => hexToRecordDigest('xyz')).toThrow();
  });
});

describe('RECORD parsing', () => {
  it('reads rows as the csv module writes them, quoted paths, ../../bin scripts and hashless rows included', () => {
    const text = [
      `litellm/__init__.py,sha256=${EMPTY_RECORD},0`,
      `"litellm/odd, ""quoted"" name.py",sha256=${ABC_RECORD},3`,
      `"litellm/multi\nline.py",sha256=${ABC_RECORD},3`,
      `../../../bin/litellm,sha256=${ABC_RECORD},3`,
      'litellm/__pycache__/__init__.cpython-311.pyc,,',
      'litellm-1.82.8.dist-info/RECORD,,',
      '',
    ].join('\r\n');

    expect(parseRecord(text)).toEqual({
      entries: [
        { path: 'litellm/__init__.py', sha256: EMPTY_HEX, size: 0 },
        { path: 'litellm/odd, "quoted" name.py', sha256: ABC_HEX, size: 3 },
        { path: 'litellm/multi\nline.py', sha256: ABC_HEX, size: 3 },
        { path: '../../../bin/litellm', sha256: ABC_HEX, size: 3 },
        { path: 'litellm/__pycache__/__init__.cpython-311.pyc', sha256: null, size: null },
        { path: 'litellm-1.82.8.dist-info/RECORD', sha256: null, size: null },
      ],
      malformed: 0,
    });
  });

  it('counts rows it cannot read instead of guessing', () => {
    expect(parseRecord('a.py,sha256=nope,1\n,,\n').malformed).toBe(2);
    expect(parseCsv('a,b\nc')).toEqual([['a', 'b'], ['c']]);
  });

  it('owns only folders whose __init__.py the distribution lists, never namespace folders or bin/', () => {
    const { entries } = parseRecord(
      [`litellm/__init__.py,sha256=${ABC_RECORD},3`, `litellm/proxy/x.py,sha256=${ABC_RECORD},3`, `google/cloud/x.py,sha256=${ABC_RECORD},3`, `../../../bin/x,sha256=${ABC_RECORD},3`].join('\n'),
    );

    expect(ownedPackageFolders(entries)).toEqual(['litellm']);
  });
});

describe('RECORD comparison', () => {
  const record = parseRecord(
    [
      `litellm/__init__.py,sha256=${EMPTY_RECORD},0`,
      `litellm/proxy/proxy_server.py,sha256=${ABC_RECORD},3`,
      `litellm/gone.py,sha256=${ABC_RECORD},3`,
      `../../../bin/litellm,sha256=${ABC_RECORD},3`,
      `../../../bin/other,sha256=${ABC_RECORD},3`,
      'litellm-1.82.8.dist-info/RECORD,,',
    ].join('\n'),
  );

  it('reports modified, missing and unlisted files, but not byte-code caches', () => {
    const check = compareRecord(
      record,
      observation({
        hashes: new Map([
          ['litellm/__init__.py', EMPTY_HEX],
          ['litellm/proxy/proxy_server.py', EMPTY_HEX],
          ['../../../bin/litellm', ABC_HEX],
          ['../../../bin/other', ABC_HEX],
        ]),
        missing: new Set(['litellm/gone.py']),
        present: ['litellm/__init__.py', 'litellm/proxy/proxy_server.py', 'litellm/extra.py', 'litellm/__pycache__/__init__.cpython-311.pyc'],
      }),
    );

    expect(check).toEqual({
      checked: 4,
      problems: [
        { path: 'litellm/extra.py', problem: 'unlisted' },
        { path: 'litellm/gone.py', problem: 'missing' },
        { path: 'litellm/proxy/proxy_server.py', problem: 'modified' },
      ],
    });
  });

  it("tolerates a bin/ script whose first line is a #! (pip's shebang rewrite) and reports one that is not", () => {
    const check = compareRecord(
      record,
      observation({
        hashes: new Map([
          ['litellm/__init__.py', EMPTY_HEX],
          ['litellm/proxy/proxy_server.py', ABC_HEX],
          ['../../../bin/litellm', EMPTY_HEX],
          ['../../../bin/other', EMPTY_HEX],
        ]),
        missing: new Set(['litellm/gone.py']),
        firstLines: new Map([
          ['../../../bin/litellm', '#!/opt/venv/bin/python3'],
          ['../../../bin/other', 'import os'],
        ]),
      }),
    );

    expect(check.shebangRewrites).toEqual(['../../../bin/litellm']);
    expect(check.problems).toContainEqual({ path: '../../../bin/other', problem: 'modified' });
    expect(check.problems).not.toContainEqual(expect.objectContaining({ path: '../../../bin/litellm' }));
  });

  it('marks the check incomplete when a listed file could not be hashed', () => {
    const check = compareRecord(record, observation({ hashes: new Map([['litellm/__init__.py', EMPTY_HEX]]) }));

    expect(check).toMatchObject({ checked: 1, problems: [], incomplete: true });
  });
});
