/**
 * The browser host's wire format: the same contract as Electron IPC, carried as JSON messages over
 * one WebSocket at `/ws?token=…` (the token printed by `npm run serve`).
 */
import type { Channel, PushChannel } from './contract.js';

/** Path of the WebSocket endpoint on the browser host. */
export const WS_PATH = '/ws';

/** Renderer → host: call a channel. */
export interface WsInvoke {
  type: 'invoke';
  id: number;
  channel: Channel;
  request: unknown;
}

/** Host → renderer: the answer to one invoke. */
export type WsResult =
  | { type: 'result'; id: number; ok: true; response: unknown }
  | { type: 'result'; id: number; ok: false; error: string };

/** Host → renderer: a push event. */
export interface WsPush {
  type: 'push';
  channel: PushChannel;
  payload: unknown;
}

/** Any message the host sends. */
export type WsServerMessage = WsResult | WsPush;
