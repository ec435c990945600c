/** Reads `NAME=value` assignments from dotenv files, shell rc files and systemd units. */
import { joinContinuations, shellWords } from './shell-words.js';

/** Assignments of a dotenv, EnvironmentFile or shell rc file (`NAME=value`, `export NAME=value`, quoted or not). */
export function parseEnvFile(text: string): [string, string][] {
  const assignments: [string, string][] = [];
  for (const line of joinContinuations(text)) {
    // `setenv NAME value` is csh's form; everything else is `NAME=value`, maybe exported.
    const match =
      /^\s*(?:export\s+|declare\s+-x\s+)?([A-Za-z_][A-Za-z0-9_.]*)=(.*)$/.exec(line) ??
      /^\s*setenv\s+([A-Za-z_][A-Za-z0-9_]*)\s+(.*)$/.exec(line);
    if (!match) continue;
    assignments.push([match[1] ?? '', unquote(match[2] ?? '')]);
  }
  return assignments;
}

/** Assignments of a unit's `Environment=` lines (`Environment="A=1" B=2`, several per line). */
export function parseUnitEnvironment(text: string): [string, string][] {
  const assignments: [string, string][] = [];
  for (const line of joinContinuations(text)) {
    const match = /^\s*Environment\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    for (const word of shellWords(match[1] ?? '')) {
      const equals = word.indexOf('=');
      if (equals > 0) assignments.push([word.slice(0, equals), word.slice(equals + 1)]);
    }
  }
  return assignments;
}

/** A value as the shell (or a dotenv loader) would give it: quotes removed, a trailing ` # comment` dropped. */
function unquote(raw: string): string {
  const value = raw.trim();
  const quote = value[0];
  if (quote === '"' || quote === "'") {
    const end = value.indexOf(quote, 1);
    return end === -1 ? value.slice(1) : value.slice(1, end);
  }
  return value.replace(/\s+#.*$/, '');
}
