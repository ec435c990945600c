/**
 * Binds the contract's handlers to Electron's ipcMain: one `handle` per channel, each checking
 * that the request comes from the app's own top frame before validating and dispatching it.
 * Takes ipcMain as a parameter so it is tested without the Electron runtime.
 */
import type { IpcMain, IpcMainInvokeEvent } from 'electron';
import { requestSchemas } from '../../shared/ipc/contract.js';
import { dispatch, type Handlers } from '../core/dispatch.js';

/** Decides whether an IPC sender frame is the app's own page. */
export type TrustedSender = (event: IpcMainInvokeEvent) => boolean;

/**
 * A sender is trusted when it is the main frame showing the app's own page: same scheme, host and
 * path as `indexUrl` (the fragment may differ, nothing else may), so another origin, another
 * page of the same origin, a `file://` copy of the page or a subframe is refused.
 */
export function trustedAppSender(indexUrl: string): TrustedSender {
  const expected = new URL(indexUrl);
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    let url: URL;
    try {
      url = new URL(frame.url);
    } catch {
      return false;
    }
    return (
      url.protocol === expected.protocol &&
      url.host === expected.host &&
      url.pathname === expected.pathname &&
      url.search === '' &&
      url.username === '' &&
      url.password === ''
    );
  };
}

/** Registers every channel's handler; returns a function that removes them. */
export function bindIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, handlers: Handlers, isTrusted: TrustedSender): () => void {
  const channels = Object.keys(requestSchemas);
  for (const channel of channels) {
    ipcMain.handle(channel, async (event, request: unknown) => {
      if (!isTrusted(event)) throw new Error(`refused ${channel} from an untrusted frame`);
      return dispatch(handlers, channel, request);
    });
  }
  return () => channels.forEach((channel) => ipcMain.removeHandler(channel));
}
