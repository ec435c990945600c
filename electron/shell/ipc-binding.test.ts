import { describe, expect, it } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import type { Handlers } from '../core/dispatch.js';
import { bindIpc, trustedAppSender } from './ipc-binding.js';
import { requestSchemas } from '../../shared/ipc/contract.js';

type Listener = (event: IpcMainInvokeEvent, request: unknown) => Promise<unknown>;

function fakeIpcMain() {
  const listeners = new Map<string, Listener>();
  return {
    listeners,
    handle: (channel: string, listener: Listener) => void listeners.set(channel, listener),
    removeHandler: (channel: string) => void listeners.delete(channel),
  };
}

const INDEX = 'app://renderer/index.html';
const eventFrom = (url: string, parent: unknown = null) => ({ senderFrame: { url, parent } }) as unknown as IpcMainInvokeEvent;
const handlers = { 'case:get': async () => ({ report: null, progress: {} }) } as unknown as Handlers;

describe('bindIpc', () => {
  it('answers the app page with the handler result', async () => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain, handlers, trustedAppSender(INDEX));

    const result = await ipcMain.listeners.get('case:get')!(eventFrom(INDEX), {});

    expect(result).toEqual({ report: null, progress: {} });
  });

  it('refuses a call from a page that is not the app', async () => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain, handlers, trustedAppSender(INDEX));

    await expect(ipcMain.listeners.get('case:get')!(eventFrom('https://evil.example/'), {})).rejects.toThrow('untrusted frame');
  });

  it.each([
    ['the same file over file://', 'file:///opt/blast-radius/dist/renderer/index.html'],
    ['another host of the app scheme', 'app://evil/index.html'],
    ['the app host under another scheme', 'https://renderer/index.html'],
    ['another page of the app origin', 'app://renderer/other.html'],
    ['the app page with a query', 'app://renderer/index.html?next=evil'],
    ['the app page with credentials', 'app://user:pw@renderer/index.html'],
    ['the app host with a port', 'app://renderer:8080/index.html'],
    ['an unparseable URL', 'not a url'],
  ])('refuses a call from %s', async (_name, url) => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain, handlers, trustedAppSender(INDEX));

    await expect(ipcMain.listeners.get('case:get')!(eventFrom(url), {})).rejects.toThrow('untrusted frame');
  });

  it('answers the app page whatever its fragment', async () => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain, handlers, trustedAppSender(INDEX));

    const result = await ipcMain.listeners.get('case:get')!(eventFrom(`${INDEX}#/graph`), {});

    expect(result).toEqual({ report: null, progress: {} });
  });

  it('refuses a call from a subframe even when it shows the app file', async () => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain, handlers, trustedAppSender(INDEX));

    await expect(ipcMain.listeners.get('case:get')!(eventFrom(INDEX, {}), {})).rejects.toThrow('untrusted frame');
  });

  it('rejects a request that does not match the channel schema', async () => {
    const ipcMain = fakeIpcMain();
    bindIpc(ipcMain, handlers, trustedAppSender(INDEX));

    await expect(ipcMain.listeners.get('case:get')!(eventFrom(INDEX), { sneaky: 1 })).rejects.toThrow('invalid case:get request');
  });

  it('registers every channel and removes them all on unbind', () => {
    const ipcMain = fakeIpcMain();
    const unbind = bindIpc(ipcMain, handlers, trustedAppSender(INDEX));
    // Every request channel of the contract (15 with case:set-suppressions), counted from it so a new channel does not edit this line.
    expect(ipcMain.listeners.size).toBe(Object.keys(requestSchemas).length);
    expect(ipcMain.listeners.size).toBeGreaterThanOrEqual(15);

    unbind();

    expect(ipcMain.listeners.size).toBe(0);
  });
});
