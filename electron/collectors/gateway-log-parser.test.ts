import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { GATEWAY_LOG_LIMITS, parseGatewayLog } from './gateway-log-parser.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-03-24T16:00:00Z' };

describe('parseGatewayLog', () => {
  it('counts uvicorn access lines per client address and hour, inside the window only', async () => {
    const parsed = parseGatewayLog(await fixture('litellm-docker-logs.txt'), WINDOW);

    expect(parsed.requests).toBe(9);
    expect(parsed.clients.map((client) => [client.address, client.requests])).toEqual([
      ['10.88.0.3', 4],
      ['172.20.0.3', 3],
      ['2001:db8::7', 1],
      ['fd00:77::5', 1],
    ]);
    expect(parsed.clients[1]).toEqual({
      address: '172.20.0.3',
      requests: 3,
      first: '2026-03-24T10:41:07.552Z',
      // Podman's offset timestamp (12:05+01:00) is 11:05 UTC.
      last: '2026-03-24T11:05:00.000Z',
      hours: [
        { hour: '2026-03-24T10:00:00Z', requests: 2 },
        { hour: '2026-03-24T11:00:00Z', requests: 1 },
      ],
      paths: ['/v1/chat/completions', '/v1/embeddings', '/v1/models'],
      statuses: [
        { status: 200, requests: 2 },
        { status: 500, requests: 1 },
      ],
    });
  });

  it('keeps paths without query strings, with key-like segments replaced, and statuses by count', async () => {
    const [client] = parseGatewayLog(await fixture('litellm-docker-logs.txt'), WINDOW).clients;

    expect(client!.paths).toEqual(['/chat/completions', '/key/info', '/key/{id}/info']);
    expect(client!.statuses).toEqual([
      { status: 200, requests: 2 },
      { status: 404, requests: 1 },
      { status: 429, requests: 1 },
    ]);
  });

  it('keeps nothing of debug lines, headers, prompts, tracebacks or query strings', async () => {
    const text = await fixture('litellm-docker-logs.txt');
    expect(text).toContain('sk-fixture-virtual-BRTEST0123456789abcd');
    expect(text).toContain('Project Falcon');

    const json = JSON.stringify(parseGatewayLog(text, WINDOW));

    expect(json).not.toContain('BRTEST');
    expect(json).not.toContain('sk-fixture');
    expect(json).not.toContain('Falcon');
    expect(json).not.toContain('Bearer');
    expect(json).not.toContain('Traceback');
  });

  it('reads colour codes, bracketed and bare IPv6 clients, and skips clients uvicorn could not name', async () => {
    const parsed = parseGatewayLog(await fixture('litellm-docker-logs.txt'), WINDOW);

    expect(parsed.clients.map((client) => client.address)).toContain('fd00:77::5');
    expect(parsed.clients.map((client) => client.address)).toContain('2001:db8::7');
    expect(parsed.clients.map((client) => client.address)).not.toContain('-');
  });

  it('ignores lines without Docker timestamps and a cut-off last line', () => {
    const text = 'INFO:     172.20.0.3:1 - "GET /v1/models HTTP/1.1" 200 OK\n2026-03-24T11:00:00.000000000Z INFO:     172.20.0.3:2 - "GET /v1/mo';

    expect(parseGatewayLog(text, WINDOW)).toEqual({ clients: [], requests: 0, clientsLeftOut: 0 });
  });

  it('keeps the busiest clients and counts the rest as left out', () => {
    const lines = Array.from({ length: GATEWAY_LOG_LIMITS.maxClients + 3 }, (_, index) =>
      `2026-03-24T11:00:00.000000000Z INFO:     10.1.${Math.floor(index / 250)}.${index % 250}:5000 - "GET /v1/models HTTP/1.1" 200 OK`,
    );

    const parsed = parseGatewayLog(lines.join('\n'), WINDOW);

    expect(parsed.clients).toHaveLength(GATEWAY_LOG_LIMITS.maxClients);
    expect(parsed.clientsLeftOut).toBe(3);
    expect(parsed.requests).toBe(GATEWAY_LOG_LIMITS.maxClients + 3);
  });
});
