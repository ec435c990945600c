import { mkdtemp, writeFile } from 'node:fs/promises';
import { get } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Handlers } from '../core/dispatch.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';

const handlers = {
  'hosts:list': async () => ({ hosts: [{ name: 'This machine', address: 'local', source: 'local' }] }),
} as unknown as Handlers;

let host: BrowserHost | undefined;
afterEach(async () => {
  await host?.close();
  host = undefined;
});

async function startWithPage(): Promise<BrowserHost> {
  const staticDir = await mkdtemp(join(tmpdir(), 'browser-host-'));
  await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Blast Radius</title>');
  host = await startBrowserHost({ staticDir, handlers, token: 'secret-token' });
  return host;
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
});
