import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { journalLines, parseJournalLog } from './journal-log-parser.js';

// Recorded with Debian 12's journalctl 252 (`journalctl -D DIR -u litellm-proxy.service -o json --no-pager`)
// from a journal systemd-journal-remote wrote: uvicorn access lines from two clients in and out of the window,
// systemd's own "Started" line, a debug line with a key and a prompt, and a MESSAGE that is not UTF-8 (an array of bytes).
const fixture = (): Promise<string> => readFile(new URL('./fixtures/litellm-journal.jsonl', import.meta.url), 'utf8');
const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-03-24T16:00:00Z' };

describe('parseJournalLog', () => {
  it('counts the access lines of a unit journal per client, inside the window only', async () => {
    const parsed = parseJournalLog(await fixture(), WINDOW);

    expect(parsed.clients.map((client) => [client.address, client.requests])).toEqual([
      ['192.168.1.20', 2],
      ['192.168.1.31', 2],
      ['127.0.0.1', 1],
    ]);
    expect(parsed.clients[0]).toMatchObject({ first: '2026-03-24T10:41:07.552Z', last: '2026-03-24T11:05:00.000Z', paths: ['/chat/completions', '/v1/embeddings'] });
    // The byte-array MESSAGE is decoded; its undecodable path segment is not kept.
    expect(parsed.clients[1]).toMatchObject({ paths: ['/v1/models', '/{id}'], statuses: [{ status: 401, requests: 1 }, { status: 404, requests: 1 }] });
  });

  it('keeps nothing of the other lines: no key, prompt or query string reaches the result', async () => {
    const text = JSON.stringify(parseJournalLog(await fixture(), WINDOW));

    expect(text).not.toContain('sk-JOURNAL');
    expect(text).not.toContain('Project Falcon');
    expect(text).not.toContain('sk-QUERY');
    expect(text).not.toContain('Started');
  });

  it('skips what is not an entry: a cut first line, journalctl notices, broken JSON', () => {
    const lines = journalLines(
      ['d":"1774350000000000","MESSAGE":"INFO:     10.0.0.1:1 - \\"GET / HTTP/1.1\\" 200 OK"}', '-- No entries --', '{"MESSAGE":', '{"__REALTIME_TIMESTAMP":"1774350000000000","MESSAGE":"x"}'].join('\n'),
    );

    expect(lines).toEqual(['2026-03-24T11:00:00.000Z x']);
  });
});
