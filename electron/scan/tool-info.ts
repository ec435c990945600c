/**
 * The tool's name and version as reports carry them, read once from the package's own
 * package.json: found by walking up from this module, so it is the same from the source tree
 * (tests), `dist/` (the CLI, the browser host) and the Electron app's archive.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ToolInfo } from '../../shared/model/index.js';

/** The package name the walk looks for, so a package.json of some other project above ours is never taken. */
const PACKAGE_NAME = 'blast-radius';

let cached: ToolInfo | undefined;

/** `{ name: 'blast-radius', version }`; the version is `unknown` if no package.json of ours is found. */
export function toolInfo(): ToolInfo {
  cached ??= { name: PACKAGE_NAME, version: findVersion(dirname(fileURLToPath(import.meta.url))) ?? 'unknown' };
  return cached;
}

function findVersion(start: string): string | null {
  for (let dir = start, depth = 0; depth < 8; dir = dirname(dir), depth++) {
    try {
      const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as { name?: unknown; version?: unknown };
      if (manifest.name === PACKAGE_NAME && typeof manifest.version === 'string') return manifest.version;
    } catch {
      // No package.json here, or not ours: keep walking up.
    }
    if (dirname(dir) === dir) break;
  }
  return null;
}
