import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeTarGz, writeWheel, writeZip } from './fixtures/archive-writers.js';
import { importKnownGood, KnownGoodImportError, MANIFEST_FORMAT } from './import-artifact.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const sha256 = (content: string | Buffer): string => createHash('sha256').update(content).digest('hex');
const NOW = new Date('2026-12-07T16:00:00.000Z');

describe('importing a known-good wheel', () => {
  it('reads a wheel Info-ZIP wrote (folder entries, deflate) and checks it against its own RECORD', () => {
    const bytes = readFileSync(join(FIXTURES, 'demo-1.0-py3-none-any.whl'));

    const reference = importKnownGood(bytes, '/downloads/demo-1.0-py3-none-any.whl', NOW);

    expect(reference).toMatchObject({ name: 'demo', version: '1.0', source: 'wheel', artifact: 'demo-1.0-py3-none-any.whl', artifactSha256: sha256(bytes) });
    expect(reference.id).toBe(`demo@1.0:${sha256(bytes).slice(0, 16)}`);
    expect(reference.files['demo/core.py']).toBe(sha256('def run():\n    return 1\n'));
    expect(Object.keys(reference.files).sort()).toEqual([
      'demo-1.0.dist-info/METADATA',
      'demo-1.0.dist-info/RECORD',
      'demo-1.0.dist-info/WHEEL',
      'demo/__init__.py',
      'demo/core.py',
    ]);
  });

  it('refuses a wheel whose content disagrees with its own RECORD', () => {
    // One file's content changed after RECORD was written.
    const rebuilt = writeZip({ 'demo/__init__.py': '# evil\n', 'demo-1.0.dist-info/METADATA': 'Name: demo\nVersion: 1.0\n', 'demo-1.0.dist-info/RECORD': `demo/__init__.py,sha256=${createHash('sha256').update('# demo\n').digest('base64url')},7\n` });

    expect(() => importKnownGood(rebuilt, 'demo.whl')).toThrow(KnownGoodImportError);
    expect(() => importKnownGood(rebuilt, 'demo.whl')).toThrow(/disagrees with its own RECORD \(.*demo\/__init__\.py does not match its RECORD hash/);
  });

  it('reads a wheel written in the test, its dist-info named the way bdist_wheel names it', () => {
    const reference = importKnownGood(writeWheel('my-pkg', '0.1', { 'my_pkg/__init__.py': 'x = 1\n' }), 'my_pkg-0.1-py3-none-any.whl');

    expect(reference).toMatchObject({ name: 'my-pkg', version: '0.1', source: 'wheel' });
    expect(reference.files['my_pkg/__init__.py']).toBe(sha256('x = 1\n'));
  });

  it('refuses a zip bomb at its declared size instead of inflating it', () => {
    const bomb = writeZip({ 'demo/__init__.py': Buffer.alloc(1_000_000) });
    // Declare 10 bytes where a million inflate.
    const at = bomb.lastIndexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
    bomb.writeUInt32LE(10, at + 24);

    expect(() => importKnownGood(bomb, 'bomb.whl')).toThrow(/does not inflate to its declared size/);
  });
});

describe('importing a known-good sdist', () => {
  it('reads a GNU tar.gz (long names) and drops the top folder and the src/ layout folder', () => {
    const bytes = readFileSync(join(FIXTURES, 'demo-1.0.tar.gz'));

    const reference = importKnownGood(bytes, 'demo-1.0.tar.gz', NOW);

    expect(reference).toMatchObject({ name: 'demo', version: '1.0', source: 'sdist' });
    expect(Object.keys(reference.files).sort()).toEqual([
      'PKG-INFO',
      'demo/__init__.py',
      'demo/a-very-long-folder-name-that-pushes-the-path-past-one-hundred-characters-in-the-tar-header/deep_module_file.py',
      'pyproject.toml',
    ]);
  });

  it('reads a ustar sdist written in the test', () => {
    const bytes = writeTarGz({ 'pkg-2.0/PKG-INFO': 'Name: pkg\nVersion: 2.0\n', 'pkg-2.0/pkg/__init__.py': 'x = 2\n' });

    expect(importKnownGood(bytes, 'pkg-2.0.tar.gz').files).toEqual({ 'PKG-INFO': sha256('Name: pkg\nVersion: 2.0\n'), 'pkg/__init__.py': sha256('x = 2\n') });
  });
});

describe('importing a hash manifest', () => {
  it('takes hex and RECORD-style hashes', () => {
    const manifest = {
      format: MANIFEST_FORMAT,
      name: 'demo',
      version: '1.0',
      files: { 'demo/__init__.py': sha256('# demo\n').toUpperCase(), 'demo/core.py': `sha256=${createHash('sha256').update('x').digest('base64url')}` },
    };

    const reference = importKnownGood(Buffer.from(JSON.stringify(manifest)), 'demo.json', NOW);

    expect(reference.files).toEqual({ 'demo/__init__.py': sha256('# demo\n'), 'demo/core.py': sha256('x') });
    expect(reference.source).toBe('manifest');
  });

  it('refuses anything else without quoting it', () => {
    const secretish = 'sk-proj-abcdefghijklmnopqrstuvwxyz0123456789';

    expect(() => importKnownGood(Buffer.from(secretish), 'notes.txt')).toThrow('neither a wheel (zip), an sdist (tar.gz) nor a JSON manifest');
    expect(() => importKnownGood(Buffer.from(JSON.stringify({ format: 'other', secretish })), 'x.json')).toThrow(/must say "format"/);
    let message = '';
    try {
      importKnownGood(Buffer.from(JSON.stringify({ format: MANIFEST_FORMAT, name: 'a', version: '1', files: { a: secretish } })), 'x.json');
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('is not a sha256');
    expect(message).not.toContain(secretish);
  });
});
