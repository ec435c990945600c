/**
 * Reads the index settings of a pip configuration file (`pip.conf`, INI as pip's configparser reads
 * it: `[global]` for every command, `[install]` over it for `pip install`; `key = value` or
 * `key: value`; a value continues on indented lines; `#` and `;` start comments). Pure.
 */

/** The index settings one file or environment makes; absent keys are not set there. */
export interface IndexSettings {
  /** `index-url`: where pip (or uv) looks first. */
  primary?: string;
  /** `extra-index-url`: searched beside it, in order. */
  extras?: string[];
}

/** `index-url` and `extra-index-url` of a pip.conf; `[install]` wins over `[global]`. */
export function readPipConfig(text: string): IndexSettings {
  const sections = new Map<string, Map<string, string>>();
  let section: Map<string, string> | null = null;
  let lastKey: string | null = null;
  for (const raw of text.split(/\r?\n/)) {
    if (/^\s*([#;]|$)/.test(raw)) continue;
    const header = /^\s*\[([^\]]+)\]\s*$/.exec(raw);
    if (header) {
      const name = header[1]!.trim().toLowerCase();
      section = sections.get(name) ?? new Map();
      sections.set(name, section);
      lastKey = null;
      continue;
    }
    if (!section) continue;
    // An indented line continues the value above it (configparser's multi-line values).
    if (/^\s/.test(raw) && lastKey !== null) {
      section.set(lastKey, `${section.get(lastKey) ?? ''}\n${raw.trim()}`);
      continue;
    }
    const pair = /^\s*([^=:\s][^=:]*?)\s*[=:]\s*(.*)$/.exec(raw);
    if (!pair) continue;
    // pip accepts `index-url`, `index_url` and the long option's own spelling.
    lastKey = pair[1]!.trim().toLowerCase().replace(/_/g, '-');
    section.set(lastKey, pair[2]!.trim());
  }
  const settings: IndexSettings = {};
  for (const name of ['global', 'install']) {
    const values = sections.get(name);
    if (!values) continue;
    const primary = values.get('index-url') ?? values.get('i');
    if (primary) settings.primary = primary.split(/\s+/)[0]!;
    const extras = values.get('extra-index-url');
    if (extras !== undefined) settings.extras = extras.split(/\s+/).filter(Boolean);
  }
  return settings;
}

/** The index settings of an environment's variables (`PIP_INDEX_URL`, `PIP_EXTRA_INDEX_URL`: space-separated). */
export function pipEnvironmentSettings(lookup: (name: string) => string | undefined): IndexSettings {
  const settings: IndexSettings = {};
  const primary = lookup('PIP_INDEX_URL')?.trim();
  if (primary) settings.primary = primary;
  const extras = lookup('PIP_EXTRA_INDEX_URL')?.trim();
  if (extras) settings.extras = extras.split(/\s+/);
  return settings;
}
