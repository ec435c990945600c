/**
 * The one known_hosts file Blast Radius writes, shared by the CLI, the Electron app and the browser
 * host, so a host key accepted in one is known to the others. It is read beside the user's own
 * `~/.ssh/known_hosts` and the system's (which are never written).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import path from 'node:path';

/** `$XDG_STATE_HOME/blast-radius/known_hosts` (default `~/.local/state/blast-radius/known_hosts`). */
export function sharedKnownHostsFile(environment: Readonly<Record<string, string | undefined>> = process.env): string {
  return path.join(environment['XDG_STATE_HOME'] || path.join(homedir(), '.local', 'state'), 'blast-radius', 'known_hosts');
}

/**
 * Copies into the shared file the lines of a known_hosts an earlier version kept elsewhere (the
 * app's case folder) that it does not hold yet, so keys accepted before are still trusted; the
 * old file is left as it was. Returns how many lines were adopted.
 */
export async function adoptKnownHosts(legacyFile: string, sharedFile: string): Promise<number> {
  let legacy: string;
  try {
    legacy = await readFile(legacyFile, 'utf8');
  } catch {
    return 0;
  }
  const shared = await readFile(sharedFile, 'utf8').catch(() => '');
  const present = new Set(shared.split('\n').map((line) => line.trim()));
  const missing = [...new Set(legacy.split('\n').map((line) => line.trim()))].filter((line) => line && !line.startsWith('#') && !present.has(line));
  if (missing.length === 0) return 0;
  await mkdir(path.dirname(sharedFile), { recursive: true, mode: 0o700 });
  const separator = shared.length > 0 && !shared.endsWith('\n') ? '\n' : '';
  await appendFile(sharedFile, `${separator}${missing.join('\n')}\n`, { mode: 0o600 });
  return missing.length;
}
