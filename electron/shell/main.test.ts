/**
 * The Electron main process, run against a stand-in for the `electron` module (the runtime cannot
 * be downloaded here): it holds the window's security settings and the app:// scheme in place.
 */
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import type { IpcMainInvokeEvent } from 'electron';
import { APP_INDEX_URL, CONTENT_SECURITY_POLICY } from './app-protocol.js';
import { WINDOW_BACKGROUND } from './window-theme.js';

type Listener = (...args: unknown[]) => unknown;

const electron = vi.hoisted(() => {
  const calls: string[] = [];
  const schemes: unknown[] = [];
  const protocolHandlers = new Map<string, (request: { url: string; method: string }) => Promise<Response>>();
  const ipcListeners = new Map<string, (event: unknown, request: unknown) => Promise<unknown>>();
  const windows: FakeWindow[] = [];
  const openExternal = { urls: [] as string[] };
  const theme = { themeSource: 'light', shouldUseDarkColors: true, listeners: [] as (() => void)[] };

  class FakeWindow {
    readonly events = new Map<string, Listener>();
    openHandler: ((details: { url: string }) => { action: string }) | null = null;
    readonly loadedUrls: string[] = [];
    readonly loadedFiles: string[] = [];
    readonly webContents = {
      setWindowOpenHandler: (handler: (details: { url: string }) => { action: string }) => {
        this.openHandler = handler;
      },
      on: (event: string, listener: Listener) => void this.events.set(event, listener),
      send: () => undefined,
    };
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      calls.push('new BrowserWindow');
      windows.push(this);
    }
    readonly backgrounds: string[] = [];
    once() {}
    show() {}
    setBackgroundColor(colour: string) {
      this.backgrounds.push(colour);
    }
    async loadURL(url: string) {
      this.loadedUrls.push(url);
    }
    async loadFile(path: string) {
      this.loadedFiles.push(path);
    }
    static getAllWindows() {
      return windows;
    }
  }

  return { calls, schemes, protocolHandlers, ipcListeners, windows, openExternal, theme, FakeWindow };
});

vi.mock('electron', () => ({
  app: {
    whenReady: async () => {
      electron.calls.push('app.whenReady');
    },
    getPath: () => '/nonexistent/user-data',
    on: () => undefined,
    quit: () => undefined,
    exit: () => undefined,
  },
  BrowserWindow: electron.FakeWindow,
  nativeTheme: {
    get themeSource() {
      return electron.theme.themeSource;
    },
    set themeSource(value: string) {
      electron.theme.themeSource = value;
    },
    get shouldUseDarkColors() {
      return electron.theme.shouldUseDarkColors;
    },
    on: (_event: string, listener: () => void) => void electron.theme.listeners.push(listener),
    off: () => undefined,
  },
  protocol: {
    registerSchemesAsPrivileged: (schemes: unknown[]) => {
      electron.calls.push('protocol.registerSchemesAsPrivileged');
      electron.schemes.push(...schemes);
    },
    handle: (scheme: string, handler: (request: { url: string; method: string }) => Promise<Response>) => {
      electron.calls.push(`protocol.handle ${scheme}`);
      electron.protocolHandlers.set(scheme, handler);
    },
  },
  ipcMain: {
    handle: (channel: string, listener: (event: unknown, request: unknown) => Promise<unknown>) =>
      void electron.ipcListeners.set(channel, listener),
    removeHandler: (channel: string) => void electron.ipcListeners.delete(channel),
  },
  session: {
    defaultSession: {
      webRequest: { onHeadersReceived: () => undefined },
      setPermissionRequestHandler: () => undefined,
    },
  },
  shell: {
    openExternal: async (url: string) => {
      electron.openExternal.urls.push(url);
    },
  },
}));

vi.mock('../core/compose.js', () => ({
  createBackend: async () => ({
    handlers: () => ({ 'case:get': async () => ({ report: null, progress: {} }) }),
  }),
}));

const frameEvent = (url: string) => ({ senderFrame: { url, parent: null } }) as unknown as IpcMainInvokeEvent;

beforeAll(async () => {
  await import('./main.js');
  await vi.waitFor(() => expect(electron.windows).toHaveLength(1));
});

describe('the Electron main process', () => {
  it('registers app:// as a standard, secure scheme before the app is ready, without CORS or CSP bypass', () => {
    expect(electron.schemes).toEqual([{ scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
    expect(electron.calls.indexOf('protocol.registerSchemesAsPrivileged')).toBeLessThan(electron.calls.indexOf('app.whenReady'));
  });

  it('serves the scheme with protocol.handle before it opens the window', () => {
    expect(electron.protocolHandlers.has('app')).toBe(true);
    expect(electron.calls.indexOf('protocol.handle app')).toBeLessThan(electron.calls.indexOf('new BrowserWindow'));
  });

  it('follows the OS theme, opening on the dark background on a dark desktop and repainting when the OS switches', () => {
    const [window] = electron.windows;

    expect(electron.theme.themeSource).toBe('system');
    expect((window!.options as { backgroundColor?: string }).backgroundColor).toBe(WINDOW_BACKGROUND.dark);
    electron.theme.shouldUseDarkColors = false;
    for (const listener of electron.theme.listeners) listener();
    expect(window!.backgrounds.at(-1)).toBe(WINDOW_BACKGROUND.light);
  });

  it('loads the renderer from app://renderer/index.html and never from a file', () => {
    const [window] = electron.windows;

    expect(window!.loadedUrls).toEqual([APP_INDEX_URL]);
    expect(window!.loadedFiles).toEqual([]);
  });

  it('serves the renderer page through the scheme with the content security policy', async () => {
    const handler = electron.protocolHandlers.get('app')!;

    const response = await handler({ url: APP_INDEX_URL, method: 'GET' });

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(await response.text()).toContain('<div id="root">');
  });

  it('refuses through the scheme a file beside the renderer folder', async () => {
    const handler = electron.protocolHandlers.get('app')!;
    const beside = fileURLToPath(new URL('../../package.json', import.meta.url));

    const responses = await Promise.all(
      ['app://renderer/..%2fpackage.json', 'app://renderer/%2e%2e/package.json', `app://renderer/${beside}`].map((url) => handler({ url, method: 'GET' })),
    );

    expect(responses.map((response) => response.status)).toEqual([404, 404, 404]);
  });

  it('keeps the window isolated, sandboxed and without Node', () => {
    const [window] = electron.windows;

    expect(window!.options.webPreferences).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false, webviewTag: false });
    expect(window!.options.webPreferences).not.toHaveProperty('webSecurity');
    expect(window!.options.webPreferences).not.toHaveProperty('allowRunningInsecureContent');
    expect(window!.options.webPreferences).not.toHaveProperty('experimentalFeatures');
    expect(window!.options.webPreferences).not.toHaveProperty('enableBlinkFeatures');
  });

  it('cancels every navigation and denies every new window', () => {
    const [window] = electron.windows;
    const event = { preventDefault: vi.fn() };

    window!.events.get('will-navigate')!(event, 'app://renderer/index.html');
    const opened = window!.openHandler!({ url: 'https://evil.example/' });

    expect(event.preventDefault).toHaveBeenCalled();
    expect(opened).toEqual({ action: 'deny' });
    expect(electron.openExternal.urls).toEqual([]);
  });

  it('answers IPC from the app page on app:// and refuses the same page over file://', async () => {
    const listener = electron.ipcListeners.get('case:get')!;

    const answer = await listener(frameEvent(APP_INDEX_URL), {});

    expect(answer).toEqual({ report: null, progress: {} });
    await expect(listener(frameEvent('file:///opt/blast-radius/dist/renderer/index.html'), {})).rejects.toThrow('untrusted frame');
  });
});
