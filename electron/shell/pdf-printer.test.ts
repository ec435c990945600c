/**
 * The desktop app's PDF printer against a stand-in for the `electron` module (the runtime cannot be
 * downloaded here): what it asks of Electron — a hidden window without script in its own session
 * that refuses every request but the page, printToPDF with backgrounds — and that it leaves nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it, vi } from 'vitest';

type RequestFilter = (details: { url: string }, callback: (answer: { cancel: boolean }) => void) => void;

const electron = vi.hoisted(() => {
  const state = {
    filter: null as RequestFilter | null,
    partitions: [] as string[],
    windows: [] as Array<{ options: { show: boolean; webPreferences: Record<string, unknown> }; loaded: string[]; printOptions: unknown[]; destroyed: boolean; pageText: string }>,
  };
  class FakeWindow {
    readonly record;
    constructor(options: { show: boolean; webPreferences: Record<string, unknown> }) {
      this.record = { options, loaded: [] as string[], printOptions: [] as unknown[], destroyed: false, pageText: '' };
      state.windows.push(this.record);
    }
    readonly webContents = {
      setWindowOpenHandler: () => undefined,
      on: () => undefined,
      printToPDF: async (options: unknown) => {
        this.record.printOptions.push(options);
        return Buffer.from(`%PDF-1.7 ${this.record.pageText}`);
      },
    };
    async loadURL(url: string) {
      this.record.loaded.push(url);
      // What the page holds when it is printed: the file the printer wrote.
      this.record.pageText = readFileSync(fileURLToPath(url), 'utf8');
    }
    destroy() {
      this.record.destroyed = true;
    }
  }
  return { state, FakeWindow };
});

vi.mock('electron', () => ({
  BrowserWindow: electron.FakeWindow,
  session: {
    fromPartition: (partition: string) => {
      electron.state.partitions.push(partition);
      return {
        webRequest: { onBeforeRequest: (filter: RequestFilter) => void (electron.state.filter = filter) },
        setPermissionRequestHandler: () => undefined,
      };
    },
  },
}));

const { electronPdfPrinter, printRequestAllowed } = await import('./pdf-printer.js');

describe('electronPdfPrinter', () => {
  it('prints the page in a hidden, script-free window of an in-memory session, then destroys it and its file', async () => {
    const pdf = await electronPdfPrinter()('<!doctype html><h1>gw: litellm 1.82.8</h1>');

    expect(Buffer.from(pdf).toString()).toBe('%PDF-1.7 <!doctype html><h1>gw: litellm 1.82.8</h1>');
    const [window] = electron.state.windows;
    expect(window?.options.show).toBe(false);
    expect(window?.options.webPreferences).toMatchObject({ javascript: false, sandbox: true, contextIsolation: true, nodeIntegration: false });
    expect(electron.state.partitions.every((partition) => !partition.startsWith('persist:'))).toBe(true);
    expect(window?.printOptions).toEqual([{ printBackground: true, preferCSSPageSize: true }]);
    expect(window?.destroyed).toBe(true);
    expect(existsSync(dirname(fileURLToPath(window!.loaded[0]!)))).toBe(false);
  });

  it('refuses every request but the page itself and inline data, loopback and file neighbours included', async () => {
    await electronPdfPrinter()('<p>x</p>');
    const page = electron.state.windows.at(-1)!.loaded[0]!;
    const answer = (url: string) => {
      let cancel: boolean | null = null;
      electron.state.filter!({ url }, (result) => (cancel = result.cancel));
      return cancel;
    };

    expect(answer(page)).toBe(false);
    expect(answer('data:image/png;base64,AAAA')).toBe(false);
    for (const url of ['http://127.0.0.1:8080/x.css', 'https://example.com/font.woff', `${page}.other`, 'file:///etc/passwd', 'ws://localhost/']) expect(answer(url), url).toBe(true);
    expect(printRequestAllowed('HTTP://example.com', page)).toBe(false);
  });
});
