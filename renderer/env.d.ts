import type { BlastRadiusApi } from '../shared/ipc/contract.js';

declare global {
  interface Window {
    /** The Electron preload API; absent when the page is served by the browser host. */
    api?: BlastRadiusApi;
  }
}

export {};
