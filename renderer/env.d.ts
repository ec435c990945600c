import type { BlastRadiusApi } from '../shared/ipc/index.js';

declare global {
  interface Window {
    /** The Electron preload API; absent when the page is served by the browser host. */
    api?: BlastRadiusApi;
  }
}

export {};
