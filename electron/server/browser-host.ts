/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the IPC contract over one
 * WebSocket per page, for headless boxes (reached through an SSH tunnel) and end-to-end tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PushChannel, Pushes } from '../../shared/ipc/contract.js';
import { WS_PATH, type WsInvoke, type WsServerMessage } from '../../shared/ipc/ws-protocol.js';
import { dispatch, type Handlers } from '../core/dispatch.js';
import { TOKEN_COOKIE, refusalReason, tokenMatches } from './access-guard.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/** A running browser host. */
export interface BrowserHost {
  /** The URL to open, token included. */
  url: string;
  port: number;
  /** Sends a push to every connected page. */
  broadcast<P extends PushChannel>(channel: P, payload: Pushes[P]): void;
  close(): Promise<void>;
}

/** Options for the browser host. */
export interface BrowserHostOptions {
  /** Folder of the built renderer (dist/renderer). */
  staticDir: string;
  handlers: Handlers;
  /** 0 picks a free port. */
  port?: number;
  /** Fixed token (tests); a random one otherwise. */
  token?: string;
  /** Called for every refused request, with the reason (never the token). */
  onRefused?: (reason: string) => void;
}

/** Starts the browser host on 127.0.0.1. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: 1024 * 1024 });

  const server: Server = createServer((request, response) => {
    void serveStatic(request, response, options.staticDir, token, options.onRefused);
  });

  server.on('upgrade', (request, socket, head) => {
    const path = new URL(request.url ?? '/', 'http://placeholder').pathname;
    const reason = path === WS_PATH ? refusalReason(request, token, { requireSameOrigin: true }) : 'not the WebSocket path';
    if (reason) {
      options.onRefused?.(reason);
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      return;
    }
    webSockets.handleUpgrade(request, socket, head, (webSocket) => {
      sockets.add(webSocket);
      webSocket.on('close', () => sockets.delete(webSocket));
      webSocket.on('message', (data) => void answer(webSocket, options.handlers, data.toString()));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    broadcast(channel, payload) {
      const message = JSON.stringify({ type: 'push', channel, payload } satisfies WsServerMessage);
      for (const webSocket of sockets) webSocket.send(message);
    },
    async close() {
      for (const webSocket of sockets) webSocket.terminate();
      webSockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function answer(webSocket: WebSocket, handlers: Handlers, text: string): Promise<void> {
  let message: WsInvoke;
  try {
    message = JSON.parse(text) as WsInvoke;
  } catch {
    return; // Not a message of ours; nothing to answer.
  }
  if (message?.type !== 'invoke' || typeof message.id !== 'number') return;
  let reply: WsServerMessage;
  try {
    reply = { type: 'result', id: message.id, ok: true, response: await dispatch(handlers, message.channel, message.request) };
  } catch (error) {
    reply = { type: 'result', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  if (webSocket.readyState === webSocket.OPEN) webSocket.send(JSON.stringify(reply));
}

async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  staticDir: string,
  token: string,
  onRefused: ((reason: string) => void) | undefined,
): Promise<void> {
  const reason = refusalReason(request, token, { requireSameOrigin: false });
  if (reason) {
    onRefused?.(reason);
    response.writeHead(403, { 'content-type': 'text/plain; charset=utf-8' }).end('Forbidden: open the URL printed by `npm run serve`.\n');
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const url = new URL(request.url ?? '/', 'http://placeholder');
  const relative = decodeURIComponent(url.pathname === '/' ? '/index.html' : url.pathname);
  const root = resolve(staticDir);
  const path = normalize(join(root, relative));
  if (!path.startsWith(root + sep)) {
    response.writeHead(404).end();
    return;
  }
  let body: Buffer;
  try {
    body = await readFile(path);
  } catch {
    response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': CONTENT_TYPES[extname(path)] ?? 'application/octet-stream',
    'cache-control': 'no-store',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
  };
  // The tokened URL sets the cookie so that the page's own asset requests (which carry no query) pass.
  if (tokenMatches(token, url.searchParams.get('token'))) {
    headers['set-cookie'] = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
  }
  response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
}
