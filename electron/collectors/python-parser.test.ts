import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { packageFrom, parseHeaderFields, parsePythonScan } from './python-parser.js';

const BOUNDARY = 'BR0123456789abcdef0123456789abcdef';
const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('parsePythonScan', () => {
  it('groups distributions under their site folder, keeping paths with newlines and names with spaces', async () => {
    const scan = parsePythonScan(await fixture('python-scan.txt'), BOUNDARY, { container: 'litellm', maxPackages: 100 });

    expect(scan.completed).toBe(true);
    expect(scan.truncated).toBe(false);
    expect(scan.environments).toEqual([
      {
        path: '/usr/local/lib/python3.13/site-packages',
        container: 'litellm',
        packages: [
          { name: 'litellm', version: '1.82.8', metadataPath: '/usr/local/lib/python3.13/site-packages/litellm-1.82.8.dist-info' },
          { name: 'PyYAML', version: '5.4.1', metadataPath: '/usr/local/lib/python3.13/site-packages/PyYAML-5.4.1-py3.13.egg-info' },
        ],
      },
      { path: '/usr/lib/python3/dist-packages', container: 'litellm', packages: [] },
      {
        path: '/srv/odd\nname/.venv/lib/python3.12/site-packages',
        container: 'litellm',
        packages: [
          {
            name: 'My Package',
            version: '0.1',
            metadataPath: '/srv/odd\nname/.venv/lib/python3.12/site-packages/my_package-0.1.dist-info',
          },
          {
            name: 'telnyx',
            version: '4.87.1',
            metadataPath: '/srv/odd\nname/.venv/lib/python3.12/site-packages/telnyx-4.87.1.dist-info',
          },
        ],
      },
    ]);
  });

  it('drops the cut-off last record and reports the scan incomplete when the end record is missing', async () => {
    const full = await fixture('python-scan.txt');
    const cut = full.slice(0, full.indexOf('NAME : My Package') + 'NAME : My'.length);

    const scan = parsePythonScan(cut, BOUNDARY, { container: null, maxPackages: 100 });

    expect(scan.completed).toBe(false);
    const odd = scan.environments.find((environment) => environment.path.startsWith('/srv/odd'));
    // The header was cut mid-line, so the folder name stands in rather than a half-read "My".
    expect(odd?.packages).toEqual([
      { name: 'my_package', version: '0.1', metadataPath: '/srv/odd\nname/.venv/lib/python3.12/site-packages/my_package-0.1.dist-info' },
    ]);
  });

  it('caps the total number of distributions and flags the scan truncated', async () => {
    const scan = parsePythonScan(await fixture('python-scan.txt'), BOUNDARY, { container: null, maxPackages: 3 });

    expect(scan.packageCount).toBe(3);
    expect(scan.truncated).toBe(true);
  });

  it('ignores text that only looks like a record because it lacks this run\'s boundary', () => {
    const output = `\n${BOUNDARY} site\n/usr/lib/python3/dist-packages\n${BOUNDARY} meta\n/usr/lib/python3/dist-packages/x-1.dist-info/METADATA\n${BOUNDARY} head\nName: x\nBRffffffffffffffffffffffffffffffff site\n/evil\n\n${BOUNDARY} end\n`;

    const scan = parsePythonScan(output, BOUNDARY, { container: null, maxPackages: 10 });

    expect(scan.environments.map((environment) => environment.path)).toEqual(['/usr/lib/python3/dist-packages']);
    expect(scan.environments[0]!.packages[0]).toMatchObject({ name: 'x', version: '1' });
  });

  it('reads the notes records: missing tools, skipped symlinks, a missing ROOT', () => {
    const output = [
      '',
      `${BOUNDARY} missing-tool\nfind`,
      `${BOUNDARY} skipped-link\n/usr/local/lib/python3.12/site-packages`,
      `${BOUNDARY} root-missing\n`,
      `${BOUNDARY} end\n`,
    ].join('\n');

    const scan = parsePythonScan(output, BOUNDARY, { container: null, maxPackages: 10 });

    expect(scan).toMatchObject({
      missingTools: ['find'],
      skippedLinks: ['/usr/local/lib/python3.12/site-packages'],
      rootMissing: true,
      completed: true,
    });
  });
});

describe('parseHeaderFields', () => {
  it('reads Name and Version that come after other headers of a real METADATA, stopping at the body', async () => {
    const metadata = await fixture('metadata/litellm-1.82.8.METADATA');
    const headerBlock = metadata.slice(0, metadata.indexOf('\n\n'));

    expect(parseHeaderFields(headerBlock)).toEqual({ name: 'litellm', version: '1.82.8' });
  });

  it('reads an egg-info PKG-INFO and ignores indented continuation lines', async () => {
    expect(parseHeaderFields(await fixture('metadata/PKG-INFO'))).toEqual({ name: 'PyYAML', version: '5.4.1' });
  });

  it('trims CR line endings and is case-insensitive in field names', () => {
    expect(parseHeaderFields('name: Requests\r\nVERSION:  2.32.3 \r\n')).toEqual({ name: 'Requests', version: '2.32.3' });
  });
});

describe('packageFrom', () => {
  it('falls back to the folder name when the metadata has no Name or Version', () => {
    expect(packageFrom('/site/litellm-1.82.7.dist-info/METADATA', '')).toEqual({
      name: 'litellm',
      version: '1.82.7',
      metadataPath: '/site/litellm-1.82.7.dist-info',
    });
    expect(packageFrom('/site/PyYAML-5.4.1-py3.11.egg-info', 'Name: PyYAML\n')).toEqual({
      name: 'PyYAML',
      version: '5.4.1',
      metadataPath: '/site/PyYAML-5.4.1-py3.11.egg-info',
    });
  });
});
