/**
 * The browser-host transport: the contract carried over one WebSocket, as shared/ipc/ws-protocol.ts
 * describes it. It does not reconnect; once the socket closes every pending and later call
 * rejects with a message telling the user to reload.
 */
import { WS_PATH, createApi, type BlastRadiusApi, type Channel, type Invoke, type PushChannel, type Subscribe, type WsInvoke, type WsServerMessage } from '../../shared/ipc/index.js';

/** The part of the DOM WebSocket the client uses, so tests can hand in a fake. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open', listener: () => void): void;
  addEventListener(type: 'close', listener: (event: { code: number; reason: string }) => void): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** Opens a socket to a URL. */
export type WebSocketFactory = (url: string) => WebSocketLike;

/** The contract API plus what only a socket has: a way to hear that the connection is gone. */
export interface WsClient extends BlastRadiusApi {
  /** Calls `listener` once with a readable message when the socket closes; returns the unsubscribe function. */
  onConnectionLost(listener: (message: string) => void): () => void;
  /** Closes the socket; pending calls reject. */
  close(): void;
}

const OPEN = 1;

/** The WebSocket URL of the browser host that served this page, with the page's token. */
export function wsUrlFor(location: Pick<Location, 'protocol' | 'host' | 'search'>): string {
  const token = new URLSearchParams(location.search).get('token') ?? '';
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}${WS_PATH}?token=${encodeURIComponent(token)}`;
}

/** Connects to the browser host and returns the contract API over that socket. */
export function createWsClient(url: string, open: WebSocketFactory = (target) => new WebSocket(target)): WsClient {
  const socket = open(url);
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  const listeners = new Map<PushChannel, Set<(payload: never) => void>>();
  const lostListeners = new Set<(message: string) => void>();
  // Calls made before the socket opens wait here, in order.
  const outbox: string[] = [];
  let nextId = 1;
  let closedMessage: string | null = null;

  socket.addEventListener('open', () => {
    for (const message of outbox.splice(0)) socket.send(message);
  });

  socket.addEventListener('message', (event) => {
    const message = parse(event.data);
    if (!message) return;
    if (message.type === 'result') {
      const call = pending.get(message.id);
      if (!call) return;
      pending.delete(message.id);
      if (message.ok) call.resolve(message.response);
      else call.reject(new Error(message.error));
    } else if (message.type === 'push') {
      for (const listener of listeners.get(message.channel) ?? []) listener(message.payload as never);
    }
  });

  socket.addEventListener('close', (event) => {
    if (closedMessage !== null) return;
    const detail = event.reason ? `: ${event.reason}` : event.code ? ` (code ${event.code})` : '';
    closedMessage = `The connection to the Blast Radius host closed${detail}. Reload the page to reconnect.`;
    outbox.length = 0;
    for (const call of pending.values()) call.reject(new Error(closedMessage));
    pending.clear();
    for (const listener of [...lostListeners]) listener(closedMessage);
    lostListeners.clear();
  });

  const invoke = ((channel: Channel, request: unknown) => {
    if (closedMessage !== null) return Promise.reject(new Error(closedMessage));
    const id = nextId++;
    const text = JSON.stringify({ type: 'invoke', id, channel, request } satisfies WsInvoke);
    return new Promise((resolve, reject) => {
      pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
      if (socket.readyState === OPEN) socket.send(text);
      else outbox.push(text);
    });
  }) as Invoke;

  const subscribe: Subscribe = (channel, listener) => {
    let set = listeners.get(channel);
    if (!set) listeners.set(channel, (set = new Set()));
    const stored = listener as (payload: never) => void;
    set.add(stored);
    return () => {
      set.delete(stored);
    };
  };

  return {
    ...createApi(invoke, subscribe),
    onConnectionLost(listener) {
      if (closedMessage !== null) {
        listener(closedMessage);
        return () => {};
      }
      lostListeners.add(listener);
      return () => {
        lostListeners.delete(listener);
      };
    },
    close() {
      socket.close();
    },
  };
}

function parse(data: unknown): WsServerMessage | null {
  if (typeof data !== 'string') return null;
  try {
    const message = JSON.parse(data) as WsServerMessage | null;
    return message && typeof message === 'object' && 'type' in message ? message : null;
  } catch {
    return null; // Not a message of ours.
  }
}
