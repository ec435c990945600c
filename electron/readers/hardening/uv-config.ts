/**
 * Reads the index settings uv takes from `uv.toml` and from `pyproject.toml`'s `[tool.uv]` tables,
 * and from its environment variables. Only the keys that name an index are read, from a small
 * line-based subset of TOML (tables, `key = "string"`, string arrays, one-line inline tables), which
 * is all those keys use. Pure.
 */
import type { IndexSettings } from './pip-config.js';

/** uv's index settings from `uv.toml` text (top-level keys) or `pyproject.toml` text (`[tool.uv]`). */
export function readUvConfig(text: string, form: 'uv.toml' | 'pyproject.toml'): IndexSettings & { usesUv: boolean } {
  const prefix = form === 'uv.toml' ? '' : 'tool.uv';
  const settings: IndexSettings & { usesUv: boolean } = { usesUv: form === 'uv.toml' };
  const extras: string[] = [];
  let table = '';
  let arrayTable = false;
  // One `[[index]]` entry: its url and whether it replaces the default index.
  let entry: { url?: string; isDefault: boolean } | null = null;
  const closeEntry = (): void => {
    if (entry?.url) {
      if (entry.isDefault) settings.primary = entry.url;
      else extras.push(entry.url);
    }
    entry = null;
  };
  for (const statement of statements(text)) {
    const header = /^\[(\[)?\s*([A-Za-z0-9_.\-"]+)\s*\]\]?$/.exec(statement);
    if (header) {
      closeEntry();
      table = header[2]!.replace(/"/g, '');
      arrayTable = header[1] !== undefined;
      if (prefix !== '' && (table === prefix || table.startsWith(`${prefix}.`))) settings.usesUv = true;
      if (arrayTable && table === join(prefix, 'index')) entry = { isDefault: false };
      continue;
    }
    const pair = /^([A-Za-z0-9_\-."]+)\s*=\s*([\s\S]*)$/.exec(statement);
    if (!pair) continue;
    const key = pair[1]!.replace(/"/g, '');
    const value = pair[2]!;
    if (entry && arrayTable) {
      if (key === 'url') entry.url = firstString(value) ?? undefined;
      if (key === 'default') entry.isDefault = /^true\b/.test(value);
      continue;
    }
    // Keys may also be written dotted from an outer table (`tool.uv.index-url = …` under no table).
    const full = join(table, key);
    if (full === join(prefix, 'index-url')) settings.primary = firstString(value) ?? settings.primary;
    else if (full === join(prefix, 'extra-index-url')) extras.push(...strings(value));
    else if (full === join(prefix, 'index')) {
      // `index = [{ url = "…", default = true }, …]`: inline tables.
      for (const inline of value.matchAll(/\{([^}]*)\}/g)) {
        const url = /\burl\s*=\s*("[^"]*"|'[^']*')/.exec(inline[1]!)?.[1];
        if (!url) continue;
        if (/\bdefault\s*=\s*true\b/.test(inline[1]!)) settings.primary = url.slice(1, -1);
        else extras.push(url.slice(1, -1));
      }
    }
  }
  closeEntry();
  if (extras.length > 0) settings.extras = extras;
  return settings;
}

/** uv's index settings from its environment: `UV_DEFAULT_INDEX` (or the older `UV_INDEX_URL`), `UV_INDEX` / `UV_EXTRA_INDEX_URL` (space-separated). */
export function uvEnvironmentSettings(lookup: (name: string) => string | undefined): IndexSettings {
  const settings: IndexSettings = {};
  const primary = (lookup('UV_DEFAULT_INDEX') ?? lookup('UV_INDEX_URL'))?.trim();
  if (primary) settings.primary = stripName(primary);
  const extras = [lookup('UV_INDEX'), lookup('UV_EXTRA_INDEX_URL')].flatMap((value) => value?.trim().split(/\s+/).filter(Boolean) ?? []);
  if (extras.length > 0) settings.extras = extras.map(stripName);
  return settings;
}

/** `name=https://…` (uv's named-index form in UV_INDEX) to its URL. */
function stripName(value: string): string {
  const match = /^[A-Za-z0-9_-]+=(\S+:\/\/\S+)$/.exec(value);
  return match ? match[1]! : value;
}

function join(table: string, key: string): string {
  return table === '' ? key : `${table}.${key}`;
}

/** Statements: one a line, an array that spans lines joined into one; comments outside strings dropped. */
function statements(text: string): string[] {
  const result: string[] = [];
  let pending = '';
  let depth = 0;
  for (const raw of text.split(/\r?\n/)) {
    const line = stripComment(raw).trim();
    if (line === '' && depth === 0) continue;
    pending = pending === '' ? line : `${pending} ${line}`;
    depth += count(line, '[') - count(line, ']');
    // A table header is balanced on its own line; a value array is open until its brackets close.
    if (depth <= 0) {
      result.push(pending);
      pending = '';
      depth = 0;
    }
  }
  if (pending !== '') result.push(pending);
  return result;
}

function stripComment(line: string): string {
  let quote: string | null = null;
  for (let i = 0; i < line.length; i++) {
    const char = line[i]!;
    if (quote) {
      if (char === '\\' && quote === '"') i++;
      else if (char === quote) quote = null;
    } else if (char === '"' || char === "'") quote = char;
    else if (char === '#') return line.slice(0, i);
  }
  return line;
}

function count(line: string, char: string): number {
  let n = 0;
  let quote: string | null = null;
  for (const c of line) {
    if (quote) {
      if (c === quote) quote = null;
    } else if (c === '"' || c === "'") quote = c;
    else if (c === char) n++;
  }
  return n;
}

function strings(value: string): string[] {
  return [...value.matchAll(/"((?:[^"\\]|\\.)*)"|'([^']*)'/g)].map((match) => match[1] ?? match[2] ?? '');
}

function firstString(value: string): string | null {
  return strings(value)[0] ?? null;
}
