import { describe, expect, it } from 'vitest';
import { parseArtifactScan } from './artifact-parser.js';
import { newBoundary } from './framing.js';

describe('parseArtifactScan', () => {
  it('keeps paths and texts exact, and ignores kinds it does not know', () => {
    const b = newBoundary();
    const output = [
      `\n${b} file\ndotenv`, `\n${b} path\n/srv/odd\nname /.env`, `\n${b} user\nalice`, `\n${b} text\nA=1\n\n`,
      `\n${b} file\nnot-a-kind`, `\n${b} path\n/etc/shadow`, `\n${b} text\nroot:x`,
      `\n${b} file\nproc-net-tcp`, `\n${b} path\n/proc/7/net/tcp`, `\n${b} container\n2`, `\n${b} text\n  sl`, `\n${b} more\n`,
      `\n${b} end\n`,
    ].join('');

    const scan = parseArtifactScan(output, b);

    expect(scan.completed).toBe(true);
    expect(scan.files).toEqual([
      { kind: 'dotenv', path: '/srv/odd\nname /.env', user: 'alice', containerIndex: null, text: 'A=1\n\n', truncated: false },
      { kind: 'proc-net-tcp', path: '/proc/7/net/tcp', user: null, containerIndex: 2, text: '  sl', truncated: true },
    ]);
  });

  it('marks the last file of a cut-off output as truncated and drops a file whose path never came', () => {
    const b = newBoundary();
    const output = `\n${b} file\nshell-rc\n${b} path\n/root/.bashrc\n${b} text\nexport A=1\nexport B=\n${b} file\ncrontab`;

    const scan = parseArtifactScan(output, b);

    expect(scan.completed).toBe(false);
    expect(scan.files.map((file) => [file.path, file.truncated])).toEqual([['/root/.bashrc', true]]);
  });

  it('reads capped locations, a folder name with a newline included, and drops malformed ones', () => {
    const b = newBoundary();
    const output = [
      `\n${b} capped\nfiles\ndotenv\n/opt\n500\n20000`,
      `\n${b} capped\nbytes\nscript\n/srv/odd\nname\n3\n9`,
      `\n${b} capped\nfiles\ndotenv\n/opt\nmany\n20000`,
      `\n${b} capped\nsome\ndotenv\n/opt\n1\n2`,
      `\n${b} capped\nfiles\n/opt`,
      `\n${b} end\n`,
    ].join('');

    const scan = parseArtifactScan(output, b);

    expect(scan.capped).toEqual([
      { reason: 'files', kind: 'dotenv', where: '/opt', read: 500, seen: 20000 },
      { reason: 'bytes', kind: 'script', where: '/srv/odd\nname', read: 3, seen: 9 },
    ]);
  });
});
