import { describe, expect, it } from 'vitest';
import { execFailure } from './container-read.js';

const DOCKER = { engine: 'docker', access: 'direct' } as const;
const result = (exitCode: number | null, stderr = '') => ({ stdout: Buffer.alloc(0), stderr, exitCode, truncated: false });

describe('execFailure', () => {
  it('says the image has no sh when exec exits 126 and real Docker printed its reason on stdout, not stderr', () => {
    expect(execFailure(DOCKER, '126', result(0))).toBe('docker exec failed (exit 126; the image has no sh to run the scan in)');
  });

  it('keeps the engine\'s stderr line before the hint, for 127 as well', () => {
    const message = execFailure({ engine: 'podman', access: 'sudo' }, '127', result(0, 'Error: crun: executable file `sh` not found in $PATH: No such file or directory\n'));

    expect(message).toBe('podman exec failed (exit 127: Error: crun: executable file `sh` not found in $PATH: No such file or directory; the image has no sh to run the scan in)');
  });

  it('adds no hint to other failures, and falls back to the script\'s own exit status when exec recorded none', () => {
    expect(execFailure(DOCKER, '1', result(0, 'Error response from daemon: container abc is not running'))).toBe(
      'docker exec failed (exit 1: Error response from daemon: container abc is not running)',
    );
    expect(execFailure(DOCKER, null, result(255))).toBe('docker exec failed (exit 255)');
    expect(execFailure(DOCKER, null, result(null))).toBe('docker exec failed (exit signal)');
  });
});
