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

/** A sender is trusted when it is the main frame showing the app's own file. */
export function trustedFileSender(indexUrl: string): TrustedSender {
  return (event) => {
    const frame = event.senderFrame;
    if (!frame || frame.parent !== null) return false;
    return new URL(frame.url).href.split('#')[0] === indexUrl;
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
