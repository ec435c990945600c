import { mkdtemp, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Handlers } from '../core/dispatch.js';
import { MAX_WS_PAYLOAD, startBrowserHost, type BrowserHost, type BrowserHostOptions } from './browser-host.js';
import { requestSchemas } from '../../shared/ipc/contract.js';

const handlers = {
  'hosts:list': async () => ({ hosts: [{ name: 'This machine', address: 'local', source: 'local' }] }),
  'checklist:set-step': async () => ({ progress: {} }),
  // A response JSON cannot encode: the host's own fault, which must not take the host down.
  'case:get': async () => ({ size: 1n }),
} as unknown as Handlers;

let host: BrowserHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function startWithPage(extra: Partial<BrowserHostOptions> = {}): Promise<BrowserHost> {
  const staticDir = await mkdtemp(join(tmpdir(), 'browser-host-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Blast Radius</title>');
  host = await startBrowserHost({ staticDir, handlers, token: 'secret-token', ...extra });
  return host;
}

/** Sends one invoke on an open socket and resolves with its reply. */
function call(socket: WebSocket, id: number, channel: string, request: unknown): Promise<unknown> {
  const reply = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
  socket.send(JSON.stringify({ type: 'invoke', id, channel, request }));
  return reply;
}

function openSocket(url: string, origin: string): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { origin });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
  });
}

describe('browser host', () => {
  it('serves the page to the tokened URL and sets the cookie its assets need', async () => {
    const { url } = await startWithPage();

    const response = await fetch(url);

    expect(response.status).toBe(200);
    expect(await response.text()).toContain('Blast Radius');
    expect(response.headers.get('set-cookie')).toContain('HttpOnly');
  });

  it('refuses the page without the token', async () => {
    const { port } = await startWithPage();

    const response = await fetch(`http://127.0.0.1:${port}/`);

    expect(response.status).toBe(403);
  });

  it('refuses a request whose Host is not a loopback name', async () => {
    const { port } = await startWithPage();

    // fetch() will not send a forged Host header; a DNS-rebinding page would, so use node:http.
    const status = await new Promise<number | undefined>((resolve, reject) =>
      get({ host: '127.0.0.1', port, path: '/?token=secret-token', headers: { host: 'evil.example' } }, (response) => {
        response.resume();
        resolve(response.statusCode);
      }).once('error', reject),
    );

    expect(status).toBe(403);
  });

  it('refuses a WebSocket opened from another origin even with the token', async () => {
    const { port } = await startWithPage();

    await expect(openSocket(`ws://127.0.0.1:${port}/ws?token=secret-token`, 'http://evil.example')).rejects.toThrow('HTTP 403');
  });

  it('refuses a WebSocket without the token', async () => {
    const { port } = await startWithPage();

    await expect(openSocket(`ws://127.0.0.1:${port}/ws`, `http://127.0.0.1:${port}`)).rejects.toThrow('HTTP 403');
  });

  it('answers a contract call over the WebSocket and rejects a malformed one with a reason', async () => {
    const { port } = await startWithPage();
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws?token=secret-token`, `http://127.0.0.1:${port}`);
    const replies: unknown[] = [];
    const twoReplies = new Promise<void>((resolve) =>
      socket.on('message', (data) => {
        replies.push(JSON.parse(data.toString()));
        if (replies.length === 2) resolve();
      }),
    );

    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'hosts:list', request: {} }));
    socket.send(JSON.stringify({ type: 'invoke', id: 2, channel: 'hosts:list', request: { extra: true } }));
    await twoReplies;
    socket.close();

    expect(replies).toContainEqual({
      type: 'result',
      id: 1,
      ok: true,
      response: { hosts: [{ name: 'This machine', address: 'local', source: 'local' }] },
    });
    expect(replies).toContainEqual(expect.objectContaining({ id: 2, ok: false, error: expect.stringContaining('invalid hosts:list request') }));
  });

  it('answers 500 when a request handler throws, logs only the error name and keeps serving', async () => {
    const faults: string[] = [];
    const { port, url } = await startWithPage({
      onRefused: () => {
        throw new Error('a message quoting the request: secret-token');
      },
      onFault: (description) => faults.push(description),
    });

    const failed = await fetch(`http://127.0.0.1:${port}/?token=wrong`);
    const served = await fetch(url);

    expect(failed.status).toBe(500);
    expect(served.status).toBe(200);
    expect(faults).toEqual(['request handler failed: Error']);
  });

  it('answers 500 when an upgrade handler throws and keeps accepting WebSockets', async () => {
    const faults: string[] = [];
    const { port } = await startWithPage({
      onRefused: () => {
        throw new Error('log failed');
      },
      onFault: (description) => faults.push(description),
    });

    await expect(openSocket(`ws://127.0.0.1:${port}/ws?token=wrong`, `http://127.0.0.1:${port}`)).rejects.toThrow('HTTP 500');
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws?token=secret-token`, `http://127.0.0.1:${port}`);
    socket.close();

    expect(faults).toEqual(['upgrade handler failed: Error']);
  });

  it('answers a response JSON cannot encode with an error, and the socket keeps answering', async () => {
    const faults: string[] = [];
    const { port } = await startWithPage({ onFault: (description) => faults.push(description) });
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws?token=secret-token`, `http://127.0.0.1:${port}`);

    const broken = await call(socket, 1, 'case:get', {});
    const next = await call(socket, 2, 'hosts:list', {});
    socket.close();

    expect(broken).toEqual({ type: 'result', id: 1, ok: false, error: 'the response could not be encoded' });
    expect(next).toMatchObject({ id: 2, ok: true });
    expect(faults).toEqual(['case:get response not encodable: TypeError']);
  });

  it('carries the largest request the contract allows and closes a larger message with 1009', async () => {
    // Every character a control character, which JSON escapes to six bytes: the longest encoding there is.
    const worst = (length: number): string => '\u0001'.repeat(length);
    const largest = { stepId: worst(500), done: true, note: worst(10_000), choice: worst(100), watchedHosts: Array.from({ length: 500 }, () => worst(200)) };
    expect(requestSchemas['checklist:set-step'].safeParse(largest).success).toBe(true);
    const { port } = await startWithPage();
    const socket = await openSocket(`ws://127.0.0.1:${port}/ws?token=secret-token`, `http://127.0.0.1:${port}`);

    const answered = await call(socket, 1, 'checklist:set-step', largest);
    const closed = new Promise<number>((resolve) => socket.once('close', (code) => resolve(code)));
    socket.send(Buffer.alloc(MAX_WS_PAYLOAD + 1, 0x20));

    expect(answered).toMatchObject({ id: 1, ok: true });
    expect(await closed).toBe(1009);
  });
});
