/**
 * `npm start`: runs the Electron app. The Electron runtime is downloaded on first use; where that
 * download is impossible (offline, GitHub unreachable) this says so in one line and points to the
 * browser host instead of dumping an installer's stack trace.
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const appRoot = join(dirname(fileURLToPath(import.meta.url)), '../../..');

/** The Electron executable, downloading it first if needed; null with a reason when impossible. */
function electronExecutable(): { path: string } | { reason: string } {
  let packageDir: string;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return { reason: 'the electron package is not installed (run npm ci)' };
  }
  const pathFile = join(packageDir, 'path.txt');
  const installed = () => existsSync(pathFile) && existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8')));
  if (!installed()) {
    const download = spawnSync(process.execPath, [join(packageDir, 'install.js')], { encoding: 'utf8', timeout: 300_000 });
    if (download.status !== 0 || !installed()) {
      // The installer prints a stack trace; its first non-frame line says what went wrong ("TypeError: fetch failed").
      const output = `${download.stderr ?? ''}\n${download.stdout ?? ''}\n${download.error?.message ?? ''}`;
      const cause = output.split('\n').map((line) => line.trim()).find((line) => line && !line.startsWith('at ')) ?? 'download failed';
      return { reason: `the Electron runtime could not be downloaded (${cause.slice(0, 160)})` };
    }
  }
  return { path: join(packageDir, 'dist', readFileSync(pathFile, 'utf8')) };
}

const executable = electronExecutable();
if ('reason' in executable) {
  console.error(`Blast Radius cannot open its window: ${executable.reason}. Run \`npm run serve\` to use it in your browser instead.`);
  process.exit(1);
}
const child = spawn(executable.path, [appRoot, ...process.argv.slice(2)], { stdio: 'inherit' });
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
