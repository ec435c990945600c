/**
 * `npm run serve`: the browser host. Prints the tokened URL as the first line of stdout (the only
 * place the token appears), then serves until interrupted.
 *
 *   node dist/electron/server/main.js [--ssh-config FILE] [--port N] [--data-dir DIR] [--known-hosts FILE] [--chromium PATH]
 *
 * Host keys accepted here go to the known_hosts the CLI and the app share (known-hosts-store.ts)
 * unless --known-hosts names another.
 */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createBackend } from '../core/compose.js';
import { sharedKnownHostsFile } from '../ssh/known-hosts-store.js';
import { startBrowserHost, type BrowserHost } from './browser-host.js';
import { chromiumPdfPrinter } from '../pdf/chromium-printer.js';

interface ServeArgs {
  sshConfig: string | null;
  port: number;
  dataDir: string | null;
  knownHosts: string | null;
  /** The Chromium that prints PDF exports (else BLAST_RADIUS_CHROMIUM, else PATH). */
  chromium: string | null;
}

const USAGE = 'usage: blast-radius-serve [--ssh-config FILE] [--port N] [--data-dir DIR] [--known-hosts FILE] [--chromium PATH]';

function parseServeArgs(argv: readonly string[]): ServeArgs {
  const args: ServeArgs = { sshConfig: null, port: 0, dataDir: null, knownHosts: null, chromium: null };
  for (let index = 0; index < argv.length; index++) {
    const flag = argv[index];
    const value = argv[index + 1];
    if (flag === '-h' || flag === '--help') {
      console.log(USAGE);
      process.exit(0);
    }
    if (value === undefined) throw new Error(`${flag} needs a value`);
    index++;
    if (flag === '--ssh-config') args.sshConfig = value;
    else if (flag === '--data-dir') args.dataDir = value;
    else if (flag === '--known-hosts') args.knownHosts = value;
    else if (flag === '--chromium') args.chromium = value;
    else if (flag === '--port') {
      args.port = Number(value);
      if (!Number.isInteger(args.port) || args.port < 0 || args.port > 65535) throw new Error(`--port must be 0-65535, not ${JSON.stringify(value)}`);
    } else throw new Error(`unknown option ${JSON.stringify(flag)}`);
  }
  return args;
}

/** The default case folder: $XDG_DATA_HOME/blast-radius/case. */
function defaultDataDir(): string {
  return join(process.env['XDG_DATA_HOME'] || join(homedir(), '.local', 'share'), 'blast-radius', 'case');
}

async function main(): Promise<void> {
  let args: ServeArgs;
  try {
    args = parseServeArgs(process.argv.slice(2));
  } catch (error) {
    console.error(`blast-radius serve: ${(error as Error).message}\n${USAGE}`);
    process.exit(2);
  }
  let host: BrowserHost | null = null;
  const backend = await createBackend({
    dataDir: args.dataDir ?? defaultDataDir(),
    sshConfigPath: args.sshConfig ?? join(homedir(), '.ssh', 'config'),
    sshConfigOptional: args.sshConfig === null,
    knownHostsFile: args.knownHosts ?? sharedKnownHostsFile(),
    emit: (channel, payload) => host?.broadcast(channel, payload),
    // Looked up at each PDF export, so installing Chromium while serving is enough.
    printPdf: chromiumPdfPrinter({ executable: args.chromium }),
  });
  const staticDir = fileURLToPath(new URL('../../renderer/', import.meta.url));
  host = await startBrowserHost({
    staticDir,
    handlers: backend.handlers(),
    port: args.port,
    onRefused: (reason) => console.error(`refused a request: ${reason}`),
    onFault: (description) => console.error(`fault: ${description}`),
  });
  console.log(host.url);
  console.error('Blast Radius is serving on 127.0.0.1 only; open the URL above. Ctrl-C stops it.');

  const stop = () => {
    void host?.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

main().catch((error: unknown) => {
  console.error(`blast-radius serve: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
