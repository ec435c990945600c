import { describe, expect, it } from 'vitest';
import { EVERY_KIND_JOURNAL } from '../fixtures/journal-entries.js';
import { journalRows } from './journal-timeline.js';

describe('journalRows', () => {
  it('says what each kind of entry did, in the order written', () => {
    const rows = journalRows(EVERY_KIND_JOURNAL, new Map([['isolate:gw', 'Isolate gw from the network']]));

    expect(rows.map((row) => [row.seq, row.label, row.text, row.detail])).toEqual([
      [1, 'Scan', 'Scanned 2 hosts: gw, nas', 'not fully read: nas (unreachable); case findings: 2 critical, 1 high'],
      [2, 'Scan failed', 'The scan of gw failed', null],
      [3, 'Ticked', 'Contain: Isolate gw', null],
      [4, 'Unticked', 'Isolate gw from the network', null],
      [5, 'Note', 'Note on Isolate gw from the network', 'unplugged at 10:05'],
      [6, 'Note', 'Cleared the note on Isolate gw from the network', null],
      [7, 'Choice', 'Picked provider-sdk for move:chat', null],
      [8, 'Decision', 'Decided to remove gateway:gw/litellm', 'nobody needs it'],
      [9, 'Decision', 'Cleared the decision on gateway:gw/litellm', null],
      [10, 'Window', 'Set the window "litellm 1.82.7 and 1.82.8 on PyPI"', '2026-03-24 09:00 UTC to 2026-03-24 18:00 UTC'],
      [11, 'Window', 'Reset the window "litellm 1.82.7 and 1.82.8 on PyPI" to the known one', null],
      [12, 'Export', 'Exported the report as SARIF 2.1.0', 'blast-radius-20260325T083000Z.sarif'],
      [13, 'Host removed', 'Removed nas from the case', null],
      [14, 'Revocation check', 'Asked the provider whether openai:3f2a9c1b7d4e:Qx7a still works: revoked', null],
      [15, 'Journal repaired', 'Opened the journal after a crash and dropped its torn last record', '37 bytes dropped; every record before it kept'],
    ]);
  });

  it('says when every host of a scan was read and the case holds no findings', () => {
    const [row] = journalRows([
      { seq: 1, at: '2026-03-25T08:00:00.000Z', kind: 'scan', scanId: 's', scannedAt: '2026-03-25T08:00:00.000Z', cancelled: true, hosts: [{ name: 'gw', status: 'ok' }], findings: { critical: 0, high: 0, medium: 0, low: 0, info: 0 } },
    ]);

    expect(row).toMatchObject({ text: 'Cancelled scan 1 host: gw', detail: 'every host fully read; no findings in the case' });
  });
});
