/**
 * The browser host: serves the built renderer on 127.0.0.1 and carries the IPC contract over one
 * WebSocket per page, for headless boxes (reached through an SSH tunnel) and end-to-end tests.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { randomBytes } from 'node:crypto';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { PushChannel, Pushes } from '../../shared/ipc/contract.js';
import { WS_PATH, type WsInvoke, type WsServerMessage } from '../../shared/ipc/ws-protocol.js';
import { dispatch, type Handlers } from '../core/dispatch.js';
import { TOKEN_COOKIE, admit } from './access-guard.js';

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
  /** Called when a handler failed unexpectedly; the text names the error, never the request (which may hold anything). */
  onFault?: (description: string) => void;
}

/**
 * Largest WebSocket message accepted. The largest legitimate request, `checklist:set-step` at its
 * schema's limits (a 10,000-character note and 500 watched hosts of 200 characters, every
 * character escaped by JSON), is about 665 KB; anything above is closed with 1009.
 */
export const MAX_WS_PAYLOAD = 1024 * 1024;

/** Starts the browser host on 127.0.0.1. */
export async function startBrowserHost(options: BrowserHostOptions): Promise<BrowserHost> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const sockets = new Set<WebSocket>();
  const webSockets = new WebSocketServer({ noServer: true, maxPayload: MAX_WS_PAYLOAD });
  const fault = (where: string, error: unknown): void => options.onFault?.(`${where}: ${describeError(error)}`);

  const server: Server = createServer((request, response) => {
    // Last resort: a handler that throws answers 500 on its own request, never stops the host.
    serveStatic(request, response, options.staticDir, token, options.onRefused).catch((error: unknown) => {
      fault('request handler failed', error);
      if (response.headersSent) response.destroy();
      else response.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', connection: 'close' }).end('Internal error\n');
    });
  });

  server.on('upgrade', (request: IncomingMessage, socket: Duplex, head: Buffer) => {
    // Node hands over the socket with no error listener: a client that resets mid-answer would throw.
    socket.on('error', () => socket.destroy());
    try {
      const admission = admit(request, token, { requireSameOrigin: true });
      const refusal = !admission.ok ? admission : admission.target.pathname !== WS_PATH ? ({ status: 403, reason: 'not the WebSocket path' } as const) : null;
      if (refusal) {
        options.onRefused?.(refusal.reason);
        endSocket(socket, refusal.status);
        return;
      }
      webSockets.handleUpgrade(request, socket, head, (webSocket) => {
        sockets.add(webSocket);
        webSocket.on('close', () => sockets.delete(webSocket));
        // ws closes the connection itself (1009 above maxPayload, 1007 on bad UTF-8, 1002 on a bad
        // frame) and then emits 'error', which would throw without a listener.
        webSocket.on('error', (error) => options.onRefused?.(`WebSocket closed: ${describeError(error)}`));
        webSocket.on('message', (data) => {
          answer(webSocket, options.handlers, data.toString(), fault).catch((error: unknown) => fault('message handler failed', error));
        });
      });
    } catch (error) {
      fault('upgrade handler failed', error);
      endSocket(socket, 500);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  // Once listening, a server error (running out of descriptors under a flood) is reported, not thrown.
  server.on('error', (error) => fault('server error', error));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    broadcast(channel, payload) {
      const message = JSON.stringify({ type: 'push', channel, payload } satisfies WsServerMessage);
      for (const webSocket of sockets) if (webSocket.readyState === webSocket.OPEN) webSocket.send(message);
    },
    async close() {
      for (const webSocket of sockets) webSocket.terminate();
      webSockets.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const STATUS_LINES = { 400: '400 Bad Request', 403: '403 Forbidden', 500: '500 Internal Server Error' } as const;

/** Answers a raw (upgrade) socket with a bare status and closes it. */
function endSocket(socket: Duplex, status: keyof typeof STATUS_LINES): void {
  if (!socket.destroyed) socket.end(`HTTP/1.1 ${STATUS_LINES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

/** An error's name and code only: its message may quote the request (`new URL` puts the input in it). */
function describeError(error: unknown): string {
  if (!(error instanceof Error)) return typeof error;
  const code = (error as NodeJS.ErrnoException).code;
  return code ? `${error.name} (${code})` : error.name;
}

async function answer(webSocket: WebSocket, handlers: Handlers, text: string, fault: (where: string, error: unknown) => void): Promise<void> {
  let message: WsInvoke;
  try {
    message = JSON.parse(text) as WsInvoke;
  } catch {
    return; // Not a message of ours; nothing to answer.
  }
  if (message?.type !== 'invoke' || typeof message.id !== 'number') return;
  let result: WsServerMessage;
  try {
    result = { type: 'result', id: message.id, ok: true, response: await dispatch(handlers, message.channel, message.request) };
  } catch (error) {
    result = { type: 'result', id: message.id, ok: false, error: error instanceof Error ? error.message : String(error) };
  }
  let reply: string;
  try {
    reply = JSON.stringify(result);
  } catch (error) {
    // A response that cannot be encoded (a cycle, a BigInt) is the host's own fault: logged, and the page still hears back.
    fault(`${message.channel} response not encodable`, error);
    reply = JSON.stringify({ type: 'result', id: message.id, ok: false, error: 'the response could not be encoded' } satisfies WsServerMessage);
  }
  if (webSocket.readyState === webSocket.OPEN) webSocket.send(reply);
}

async function serveStatic(
  request: IncomingMessage,
  response: ServerResponse,
  staticDir: string,
  token: string,
  onRefused: ((reason: string) => void) | undefined,
): Promise<void> {
  const admission = admit(request, token, { requireSameOrigin: false });
  if (!admission.ok) {
    onRefused?.(admission.reason);
    const body = admission.status === 400 ? 'Bad request.\n' : 'Forbidden: open the URL printed by `npm run serve`.\n';
    response.writeHead(admission.status, { 'content-type': 'text/plain; charset=utf-8' }).end(body);
    return;
  }
  if (request.method !== 'GET' && request.method !== 'HEAD') {
    response.writeHead(405).end();
    return;
  }
  const root = resolve(staticDir);
  const path = normalize(join(root, admission.path === '/' ? '/index.html' : admission.path));
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
  if (admission.tokenInQuery) {
    headers['set-cookie'] = `${TOKEN_COOKIE}=${encodeURIComponent(token)}; HttpOnly; SameSite=Strict; Path=/`;
  }
  response.writeHead(200, headers).end(request.method === 'HEAD' ? undefined : body);
}
