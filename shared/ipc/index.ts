/**
 * The ipc room's public entry point: the typed channel contract between main and renderer, and
 * the WebSocket framing the browser host carries it over.
 */
export * from './contract.js';
export * from './ws-protocol.js';
