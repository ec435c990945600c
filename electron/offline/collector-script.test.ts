import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { offlineCollectorScript } from './collector-script.js';
import { STEP_FAMILIES } from './collection-file.js';

const script = offlineCollectorScript('0.1.0');

describe('offlineCollectorScript', () => {
  it('is a POSIX sh script that dash parses', () => {
    const parsed = spawnSync('dash', ['-n'], { input: script });
    expect(parsed.stderr.toString()).toBe('');
    expect(parsed.status).toBe(0);
  });

  it.runIf(existsSync('/bin/busybox'))('parses in busybox ash too', () => {
    const parsed = spawnSync('/bin/busybox', ['ash', '-n'], { input: script });
    expect(parsed.stderr.toString()).toBe('');
    expect(parsed.status).toBe(0);
  });

  it('records a step of every family the import knows', () => {
    for (const family of STEP_FAMILIES) expect(script, family).toMatch(new RegExp(`\\n *step ${family} `));
  });

  it('draws its boundaries on the host at run time: none is written into it', () => {
    // The templates carry placeholders the script replaces; a boundary fixed in the text could be printed by a file.
    const fixed = (script.match(/BR[0-9a-f]{32}/g) ?? []).filter((boundary) => !boundary.startsWith('BR5e7b0a'));
    expect(fixed).toEqual([]);
    expect(script).toContain('/dev/urandom');
  });

  it('says its output holds secrets', () => {
    expect(script).toMatch(/HOLDS SECRETS/);
  });
});
