import { describe, expect, it } from 'vitest';
import { blindSpot, firstLine, remark, stderrSuffix } from './notes.js';

const PASSWORD = 'Zq8vN2kL5pX9wR3tB7mC4yH6';
const STDERR = `Error response from daemon: Get "https://ci:${PASSWORD}@registry.example/v2/": proxyconnect tcp: dial tcp 10.0.0.1:3128: connect: connection refused\nsecond line`;

describe('notes', () => {
  it('redacts a note made from stderr, whichever helper quotes it', () => {
    const notes = [
      blindSpot('docker', `docker ps failed (exit 1): ${STDERR}`),
      remark('docker', `docker history failed${stderrSuffix(STDERR, ' (', ')')}`),
      blindSpot('docker', `docker ps failed: ${firstLine(STDERR)}`),
    ];

    for (const note of notes) {
      expect(note.message).not.toContain(PASSWORD);
      expect(note.message).toContain('https://ci:[redacted url-password:');
    }
  });

  it('quotes only the first line of stderr, bounded and with controls escaped', () => {
    const line = firstLine(`\n  \x1b[31mdenied\x1b[0m ${'x'.repeat(400)}\nmore`);

    expect(line.startsWith('\\x1b[31mdenied\\x1b[0m ')).toBe(true);
    expect(line.length).toBeLessThanOrEqual(300);
    expect(line).toMatch(/more characters\)$/);
  });

  it('keeps ordinary messages as they were', () => {
    expect(blindSpot('docker', 'permission denied on /var/run/docker.sock; sudo -n not allowed (sudo: a password is required)').message).toBe(
      'permission denied on /var/run/docker.sock; sudo -n not allowed (sudo: a password is required)',
    );
  });
});
