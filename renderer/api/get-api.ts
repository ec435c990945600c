/**
 * Where the renderer gets its API: the Electron preload's `window.api`, or a WebSocket client to
 * the browser host that served the page.
 */
import type { BlastRadiusApi } from '../../shared/ipc/index.js';
import { createWsClient, wsUrlFor, type WsClient } from './ws-client.js';

let cached: BlastRadiusApi | null = null;

/** The API for this page: `window.api` under Electron, otherwise one WebSocket client to the browser host. */
export function getApi(): BlastRadiusApi {
  cached ??= window.api ?? createWsClient(wsUrlFor(window.location));
  return cached;
}

/** True when the API is the WebSocket client, which can lose its connection. */
export function isWsClient(api: BlastRadiusApi): api is WsClient {
  return typeof (api as Partial<WsClient>).onConnectionLost === 'function';
}
