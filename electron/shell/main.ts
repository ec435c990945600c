/**
 * The Electron main process: one window, locked down, bound to the same AppBackend the browser
 * host uses. This, pdf-printer.ts and preload.cts are the only files that import `electron`.
 */
import { app, BrowserWindow, ipcMain, nativeTheme, protocol, session, shell } from 'electron';
import { join } from 'node:path';
import { homedir } from 'node:os';
import { fileURLToPath } from 'node:url';
import { isProviderConsoleUrl } from '../../shared/domain/providers/provider-consoles.js';
import { createBackend } from '../core/compose.js';
import { sharedKnownHostsFile } from '../ssh/known-hosts-store.js';
import { APP_INDEX_URL, APP_SCHEME, APP_SCHEME_PRIVILEGES, CONTENT_SECURITY_POLICY, serveAppRequest } from './app-protocol.js';
import { bindIpc, trustedAppSender } from './ipc-binding.js';
import { windowBackground } from './window-theme.js';
import { electronPdfPrinter } from './pdf-printer.js';

const here = fileURLToPath(new URL('.', import.meta.url));
/** The renderer's build folder (vite's outDir): the only files the app:// scheme serves. */
const rendererRoot = join(here, '../../renderer');

// Chromium reads its list of schemes once, as it starts: this must run before app is ready.
protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { ...APP_SCHEME_PRIVILEGES } }]);

function createWindow(): BrowserWindow {
  const window = new BrowserWindow({
    width: 1360,
    height: 860,
    title: 'Blast Radius',
    show: false,
    backgroundColor: windowBackground(nativeTheme.shouldUseDarkColors),
    webPreferences: {
      preload: join(here, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  const themeChanged = () => window.setBackgroundColor(windowBackground(nativeTheme.shouldUseDarkColors));
  nativeTheme.on('updated', themeChanged);
  window.once('closed', () => nativeTheme.off('updated', themeChanged));
  // The app never opens windows or navigates away. The only links it builds are the providers'
  // key pages of the checklist; those, and nothing else a compromised page could ask for, go to
  // the system browser.
  window.webContents.setWindowOpenHandler(({ url }) => {
    if (isProviderConsoleUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  window.webContents.on('will-navigate', (event) => event.preventDefault());
  void window.loadURL(APP_INDEX_URL);
  return window;
}

async function main(): Promise<void> {
  // The renderer's dark theme follows prefers-color-scheme, which Chromium takes from nativeTheme: keep it on the OS's choice.
  nativeTheme.themeSource = 'system';
  await app.whenReady();
  protocol.handle(APP_SCHEME, async (request) => {
    const answer = await serveAppRequest(request, rendererRoot);
    // Copied into a plain ArrayBuffer-backed array: what Response accepts in every lib's typing.
    return new Response(answer.body && new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
  });
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] } });
  });
  session.defaultSession.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));

  let window: BrowserWindow | null = null;
  const backend = await createBackend({
    dataDir: process.env['BLAST_RADIUS_DATA_DIR'] ?? join(app.getPath('userData'), 'case'),
    sshConfigPath: process.env['BLAST_RADIUS_SSH_CONFIG'] ?? join(homedir(), '.ssh', 'config'),
    sshConfigOptional: process.env['BLAST_RADIUS_SSH_CONFIG'] === undefined,
    // The store the CLI and `serve` use too, so a host key accepted in one is known to the others.
    knownHostsFile: sharedKnownHostsFile(),
    emit: (channel, payload) => window?.webContents.send(channel, payload),
    printPdf: electronPdfPrinter(),
  });
  bindIpc(ipcMain, backend.handlers(), trustedAppSender(APP_INDEX_URL));
  // The key values kept for the revocation check live only as long as this session.
  app.on('will-quit', () => backend.forgetKeys());

  window = createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) window = createWindow();
  });
  app.on('window-all-closed', () => {
    if (process.platform !== 'darwin') app.quit();
  });
}

main().catch((error: unknown) => {
  console.error(`Blast Radius failed to start: ${error instanceof Error ? error.message : String(error)}`);
  app.exit(1);
});
