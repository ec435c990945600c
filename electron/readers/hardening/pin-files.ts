/**
 * Judges the files that pin what a project installs: requirements files (exact `==` pins, `--hash`
 * lines, the index options pip reads from them) and lockfiles (uv.lock, poetry.lock, pylock.toml,
 * Pipfile.lock: do they record hashes). Pure.
 */
import type { PinFile } from '../../../shared/model/index.js';
import { maskUrlCredentials } from './index-url.js';
import type { IndexSettings } from './pip-config.js';

/** Most loose requirements a pin file names. */
export const MAX_LOOSE = 20;

/** The kind of pin file a name is, or null when it is none (pyproject.toml, uv.toml, pip.conf are read for their settings only). */
export function pinFileKind(fileName: string): PinFile['kind'] | null {
  if (fileName === 'uv.lock' || fileName === 'poetry.lock' || fileName === 'Pipfile.lock') return fileName;
  if (fileName === 'pylock.toml' || /^pylock\.[^/]+\.toml$/.test(fileName)) return 'pylock.toml';
  if (/^requirements[^/]*\.(txt|in)$/.test(fileName) || fileName === 'requirements.lock') return 'requirements';
  return null;
}

/** A pin file judged from its text. */
export function readPinFile(path: string, kind: PinFile['kind'], text: string): PinFile {
  if (kind !== 'requirements') {
    // Each lockfile format records a sha256 per artifact when it records hashes at all.
    return { path, kind, hashes: /sha256[:"'\s=]/.test(text), loose: [] };
  }
  const requirements = requirementLines(text);
  // A requirement may be a URL with a token in it (`https://user:token@host/pkg.whl`): only its masked form is kept.
  const loose = requirements.filter((line) => !isExactPin(line.requirement)).map((line) => maskUrlCredentials(line.requirement.split(/\s+--/)[0]!.trim()));
  return { path, kind, hashes: requirements.length > 0 && requirements.every((line) => line.hashed), loose: loose.slice(0, MAX_LOOSE) };
}

/** The index options a requirements file gives pip (`-i`/`--index-url`, `--extra-index-url`); `--no-index` is an empty primary. */
export function requirementsIndexSettings(text: string): IndexSettings & { noIndex: boolean } {
  const settings: IndexSettings & { noIndex: boolean } = { noIndex: false };
  const extras: string[] = [];
  for (const line of logicalLines(text)) {
    const option = /^(-i|--index-url|--extra-index-url)(?:\s*=\s*|\s+)(\S+)/.exec(line);
    if (option) {
      if (option[1] === '--extra-index-url') extras.push(option[2]!);
      else settings.primary = option[2]!;
    }
    if (/^--no-index\b/.test(line)) settings.noIndex = true;
  }
  if (extras.length > 0) settings.extras = extras;
  return settings;
}

/** A requirement line and whether it carries a `--hash`. */
interface RequirementLine {
  requirement: string;
  hashed: boolean;
}

function requirementLines(text: string): RequirementLine[] {
  return logicalLines(text)
    .filter((line) => !line.startsWith('-'))
    .map((line) => ({ requirement: line, hashed: /--hash[=\s]+sha(256|384|512):/.test(line) }));
}

/** `name==1.2.3`, `name===1.2.3` or a direct reference (`name @ https://…`): one exact artifact; anything else floats. */
function isExactPin(requirement: string): boolean {
  const spec = requirement.split(/\s+--/)[0]!.split(';')[0]!.trim();
  if (/^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*@\s*\S+/.test(spec)) return true;
  return /^[A-Za-z0-9][A-Za-z0-9._-]*(\[[^\]]*\])?\s*===?\s*[A-Za-z0-9.+!_-]+$/.test(spec) && !spec.includes('*');
}

/** Lines with `\` continuations joined and comments dropped (pip's requirements-file syntax). */
function logicalLines(text: string): string[] {
  const joined = text.replace(/\\\r?\n/g, ' ');
  return joined
    .split(/\r?\n/)
    .map((line) => line.replace(/(^|\s)#.*$/, '').trim())
    .filter((line) => line !== '');
}
