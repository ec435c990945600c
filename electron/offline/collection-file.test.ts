import { describe, expect, it } from 'vitest';
import { CollectionFormatError, parseCollection } from './collection-file.js';

const O = `BR${'a1'.repeat(16)}`;
const B1 = `BR${'b2'.repeat(16)}`;
const B2 = `BR${'c3'.repeat(16)}`;
const ID = 'd4'.repeat(32);
const text = (bytes: Uint8Array) => new TextDecoder().decode(bytes);

/** A collection as the collector prints it: header, tool, time, then framed steps. */
function collection(steps: string[], end = true): string {
  return `blast-radius-collection/1 ${O}\n\n${O} tool\n0.1.0\n${O} collected-at\n2026-03-24T12:00:00Z\n${steps.join('')}${end ? `\n${O} end\n` : ''}`;
}

function step(head: string, boundaries: string, stdout: string, stderr = '', rc = '0'): string {
  return `\n${O} step\n${head}\n${O} boundaries\n${boundaries}\n${O} stdout\n${stdout}\n${O} stderr\n${stderr}\n${O} rc\n${rc}`;
}

describe('parseCollection', () => {
  it('reads each step with its family, key, boundaries, output and exit status', () => {
    const parsed = parseCollection(collection([step('facts -', B1, `\n${B1} hostname\nhost1`), step(`container-scan ${ID}`, `${B1} ${B2}`, 'x', 'warning', '3')]));
    expect(parsed.tool).toBe('0.1.0');
    expect(parsed.collectedAt).toBe('2026-03-24T12:00:00.000Z');
    expect(parsed.complete).toBe(true);
    expect(parsed.problems).toEqual([]);
    expect(parsed.steps.map((entry) => ({ ...entry, stdout: text(entry.stdout) }))).toEqual([
      { family: 'facts', key: null, boundaries: [B1], stdout: `\n${B1} hostname\nhost1`, stderr: '', exitCode: 0 },
      { family: 'container-scan', key: ID, boundaries: [B1, B2], stdout: 'x', stderr: 'warning', exitCode: 3 },
    ]);
  });

  it('refuses a file that is not a collection, quoting nothing of it', () => {
    expect(() => parseCollection('sk-secret-value\nmore')).toThrow(CollectionFormatError);
    expect(() => parseCollection('sk-secret-value\nmore')).not.toThrow(/sk-secret/);
    expect(() => parseCollection(`blast-radius-collection/1 BRnothex\n`)).toThrow(CollectionFormatError);
  });

  it('drops steps of unknown families, bad keys or bad boundaries, and counts them', () => {
    const parsed = parseCollection(
      collection([
        step('rm-rf -', B1, 'x'),
        step('container-scan ../../etc', B1, 'x'),
        step('facts -', 'not-a-boundary', 'x'),
        step('facts extra words', B1, 'x'),
        step('python -', B1, 'kept'),
      ]),
    );
    expect(parsed.steps.map((entry) => entry.family)).toEqual(['python']);
    expect(parsed.problems).toEqual(['4 steps of the file could not be read and were left out']);
  });

  it('keeps the first of a step given twice, as a scan runs each script once', () => {
    const parsed = parseCollection(collection([step('iocs -', B1, 'first'), step('iocs -', B2, 'second')]));
    expect(parsed.steps.map((entry) => text(entry.stdout))).toEqual(['first']);
    expect(parsed.problems).toHaveLength(1);
  });

  it('says when the file stops before the collector ended, and keeps the steps it holds', () => {
    const parsed = parseCollection(collection([step('facts -', B1, 'x')], false));
    expect(parsed.complete).toBe(false);
    expect(parsed.steps).toHaveLength(1);
    expect(parsed.problems).toContain('the file stops before the collector finished (cut short, or the collector was stopped)');
  });

  it('reads no exit status that is not a number, and no time that is not one', () => {
    const text = collection([step('facts -', B1, 'x', '', '$(reboot)')]).replace('2026-03-24T12:00:00Z', 'yesterday');
    const parsed = parseCollection(text);
    expect(parsed.steps[0]!.exitCode).toBeNull();
    expect(parsed.collectedAt).toBeNull();
  });

  it('reads the file as bytes, keeping an output\'s bytes as they are and a character cut by nothing', () => {
    const bytes = new TextEncoder().encode(collection([step('python -', B1, 'héllo \u{1F600}')]));
    const parsed = parseCollection(bytes);
    expect(text(parsed.steps[0]!.stdout)).toBe('héllo \u{1F600}');
  });

  it('bounds what a step keeps of stderr', () => {
    const parsed = parseCollection(collection([step('facts -', B1, 'x', 'e'.repeat(200_000))]));
    expect(parsed.steps[0]!.stderr.length).toBe(65_536);
  });
});
