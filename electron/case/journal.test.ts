import { appendFile, mkdtemp, readFile, stat, truncate, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CaseJournal, encodeJournalRecord, parseJournal } from './journal.js';

async function freshJournal(): Promise<CaseJournal> {
  return new CaseJournal(join(await mkdtemp(join(tmpdir(), 'journal-')), 'journal.jsonl'));
}

const at = (minute: number) => new Date(Date.UTC(2026, 2, 25, 10, minute));

/** Three records: a tick, a note and an export, a minute apart. */
async function threeRecords(journal: CaseJournal): Promise<void> {
  await journal.append({ kind: 'tick', stepId: 'isolate:gw', title: 'Isolate gw', phase: 'contain' }, at(1));
  await journal.append({ kind: 'note', stepId: 'isolate:gw', note: 'unplugged the NIC' }, at(2));
  await journal.append({ kind: 'export', format: 'html', fileName: 'blast-radius-20260325T083000Z.html' }, at(3));
}

describe('CaseJournal', () => {
  it('reads back every record in order, numbered and stamped, across a new journal on the same file', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);

    const { entries, damaged } = await new CaseJournal(journal.path).read();

    expect(damaged).toBe(0);
    expect(entries.map((entry) => [entry.seq, entry.kind, entry.at])).toEqual([
      [1, 'tick', '2026-03-25T10:01:00.000Z'],
      [2, 'note', '2026-03-25T10:02:00.000Z'],
      [3, 'export', '2026-03-25T10:03:00.000Z'],
    ]);
    expect(entries[1]).toMatchObject({ stepId: 'isolate:gw', note: 'unplugged the NIC' });
  });

  it('continues the sequence after a restart instead of starting again at 1', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);

    const entry = await new CaseJournal(journal.path).append({ kind: 'host-removed', host: 'nas' }, at(4));

    expect(entry.seq).toBe(4);
  });

  it('writes one line per record that is plain JSON with its checksum, readable by jq', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);

    const lines = (await readFile(journal.path, 'utf8')).split('\n');

    expect(lines).toHaveLength(4);
    expect(lines[3]).toBe('');
    expect(JSON.parse(lines[0]!)).toMatchObject({ seq: 1, kind: 'tick', stepId: 'isolate:gw', sum: expect.stringMatching(/^[0-9a-f]{16}$/) });
  });

  it('keeps the file owner-only', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);

    expect((await stat(journal.path)).mode & 0o777).toBe(0o600);
  });

  it('drops a torn last record cut anywhere, and never one before it', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);
    const whole = await readFile(journal.path);
    const lastStart = whole.lastIndexOf(0x0a, whole.length - 2) + 1;

    // Every cut inside the last record, from its first byte to just before its newline.
    for (let cut = lastStart; cut < whole.length; cut++) {
      const { entries, validBytes } = parseJournal(whole.subarray(0, cut));
      expect(entries.map((entry) => entry.kind), `cut at ${cut}`).toEqual(['tick', 'note']);
      expect(validBytes).toBe(lastStart);
    }
  });

  it('cuts a truncated record off at the next append, records the repair and keeps counting', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);
    const size = (await stat(journal.path)).size;
    await truncate(journal.path, size - 10);

    const reopened = new CaseJournal(journal.path);
    await reopened.append({ kind: 'untick', stepId: 'isolate:gw' }, at(5));
    const { entries, damaged } = await reopened.read();

    expect(damaged).toBe(0);
    expect(entries.map((entry) => [entry.seq, entry.kind])).toEqual([
      [1, 'tick'],
      [2, 'note'],
      [3, 'journal-repaired'],
      [4, 'untick'],
    ]);
    const lastLength = Buffer.byteLength(
      encodeJournalRecord({ seq: 3, at: at(3).toISOString(), kind: 'export', format: 'html', fileName: 'blast-radius-20260325T083000Z.html' }),
    );
    expect(entries[2]).toMatchObject({ droppedBytes: lastLength - 10 });
  });

  it('drops garbage appended after the last record, whether or not it ends in a newline', async () => {
    for (const garbage of ['{"seq":4,"at":"x","kind":"tick"', 'not json at all\n', '\u0000\u0000\u0000\u0000', '{"seq":4,"kind":"tick","sum":"0000000000000000"}\n']) {
      const journal = await freshJournal();
      await threeRecords(journal);
      await appendFile(journal.path, garbage);

      expect((await journal.read()).entries.map((entry) => entry.seq), JSON.stringify(garbage)).toEqual([1, 2, 3]);

      const reopened = new CaseJournal(journal.path);
      await reopened.append({ kind: 'host-removed', host: 'nas' }, at(6));
      const after = await reopened.read();
      expect(after.entries.map((entry) => entry.kind), JSON.stringify(garbage)).toEqual(['tick', 'note', 'export', 'journal-repaired', 'host-removed']);
      expect(after.entries[3]).toMatchObject({ droppedBytes: Buffer.byteLength(garbage) });
    }
  });

  it('skips and counts a damaged record between good ones, keeping those after it', async () => {
    const journal = await freshJournal();
    await threeRecords(journal);
    const lines = (await readFile(journal.path, 'utf8')).split('\n');
    lines[1] = lines[1]!.replace('unplugged', 'UNPLUGGED');
    await writeFile(journal.path, lines.join('\n'));

    const { entries, damaged } = await journal.read();

    expect(entries.map((entry) => entry.seq)).toEqual([1, 3]);
    expect(damaged).toBe(1);
  });

  it('reads an absent journal as empty', async () => {
    const journal = await freshJournal();

    expect(await journal.read()).toEqual({ entries: [], damaged: 0 });
  });

  it('keeps every one of many appends made at once, each with its own number', async () => {
    const journal = await freshJournal();

    await Promise.all(Array.from({ length: 40 }, (_, index) => journal.append({ kind: 'tick', stepId: `step-${index}` })));
    const { entries } = await journal.read();

    expect(entries.map((entry) => entry.seq)).toEqual(Array.from({ length: 40 }, (_, index) => index + 1));
    expect(new Set(entries.map((entry) => entry.kind === 'tick' && entry.stepId)).size).toBe(40);
  });
});
