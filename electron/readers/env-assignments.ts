/**
 * Readers of `NAME=value` assignments: dotenv and systemd EnvironmentFile= files, shell start-up
 * files and systemd units' Environment= lines. Pure functions from text to assignments; values
 * are returned as the program reading the file would see them (quotes removed, `${…}` kept).
 * Both the secret search and the topology reader use them, so a file means the same to both.
 */

/** One `NAME=value`. The value may be a secret: main process only. */
export interface EnvAssignment {
  variable: string;
  value: string;
}

const NAME = /^[A-Za-z_][A-Za-z0-9_.]*$/;

/** Reads one shell-like word at `start`: quoted and unquoted parts joined, up to unquoted whitespace or `stop`. */
function readWord(text: string, start: number, stop: RegExp): { word: string; end: number } {
  let word = '';
  let i = start;
  while (i < text.length) {
    const char = text[i]!;
    if (char === "'") {
      const close = text.indexOf("'", i + 1);
      const end = close < 0 ? text.length : close;
      word += text.slice(i + 1, end);
      i = end + 1;
    } else if (char === '"') {
      i++;
      while (i < text.length && text[i] !== '"') {
        if (text[i] === '\\' && i + 1 < text.length) {
          const next = text[i + 1]!;
          word += next === 'n' ? '\n' : next;
          i += 2;
        } else {
          word += text[i];
          i++;
        }
      }
      i++;
    } else if (char === '\\' && i + 1 < text.length) {
      word += text[i + 1];
      i += 2;
    } else if (/\s/.test(char) || stop.test(char)) {
      break;
    } else {
      word += char;
      i++;
    }
  }
  return { word, end: i };
}

/** Splits `NAME=value` into a EnvAssignment, or null when the left side is not a variable name. */
function assignment(word: string): EnvAssignment | null {
  const equals = word.indexOf('=');
  if (equals <= 0) return null;
  const name = word.slice(0, equals);
  return NAME.test(name) ? { variable: name, value: word.slice(equals + 1) } : null;
}

/**
 * A dotenv file as Docker Compose and python-dotenv read it: `KEY=value`, `export KEY=value`,
 * single quotes literal, double quotes with escapes (both may span lines), ` #` comments after
 * unquoted values. systemd's EnvironmentFile= syntax is the same subset.
 */
export function parseDotenv(text: string): EnvAssignment[] {
  const found: EnvAssignment[] = [];
  const lines = text.split(/\r?\n/);
  for (let index = 0; index < lines.length; index++) {
    const match = /^\s*(?:export\s+)?([A-Za-z_][A-Za-z0-9_.-]*)\s*=\s*(.*)$/.exec(lines[index]!);
    if (!match) continue;
    const name = match[1]!;
    let rest = match[2]!;
    const quote = rest[0];
    if (quote === '"' || quote === "'") {
      // A quoted value may continue on the following lines until its closing quote.
      while (!new RegExp(`^${quote}(?:[^${quote}\\\\]|\\\\.)*${quote}`, 's').test(rest) && index + 1 < lines.length) {
        index++;
        rest += '\n' + lines[index];
      }
      const value = quote === "'" ? readSingle(rest) : readWord(rest, 0, /$^/).word;
      found.push({ variable: name, value });
    } else {
      found.push({ variable: name, value: rest.replace(/\s+#.*$/, '').trim() });
    }
  }
  return found;
}

const readSingle = (rest: string): string => {
  const close = rest.indexOf("'", 1);
  return rest.slice(1, close < 0 ? rest.length : close);
};

/** `export NAME=value`, `NAME=value`, `declare -x NAME=value` (several per line) in shell start-up files. */
export function parseShellAssignments(text: string): EnvAssignment[] {
  const found: EnvAssignment[] = [];
  for (const rawLine of text.split(/\r?\n/)) {
    const line = rawLine.replace(/^\s*(?:export|readonly|(?:declare|typeset|local)(?:\s+-[a-zA-Z]+)*)\s+/, '').trimStart();
    if (!/^[A-Za-z_][A-Za-z0-9_]*=/.test(line)) continue;
    // Assignments at the start of a line: `A=1 B=2 cmd` sets both for cmd.
    let i = 0;
    while (i < line.length) {
      while (i < line.length && /[ \t]/.test(line[i]!)) i++;
      const { word, end } = readWord(line, i, /[;&|)]/);
      const parsed = assignment(word);
      if (!parsed) break;
      found.push(parsed);
      i = end;
      if (line[i] !== undefined && /[;&|)]/.test(line[i]!)) break;
    }
  }
  return found;
}

/** `Environment=` lines of a systemd unit: each holds one or more (possibly quoted) `NAME=value` words. */
export function parseSystemdEnvironment(text: string): EnvAssignment[] {
  const found: EnvAssignment[] = [];
  // systemd joins a line ending in a backslash with the next one.
  const joined = text.replace(/\\\r?\n/g, ' ');
  for (const line of joined.split(/\r?\n/)) {
    const match = /^\s*Environment\s*=\s*(.*)$/.exec(line);
    if (!match) continue;
    const rest = match[1]!;
    let i = 0;
    while (i < rest.length) {
      while (i < rest.length && /\s/.test(rest[i]!)) i++;
      if (i >= rest.length) break;
      const { word, end } = readWord(rest, i, /$^/);
      const parsed = assignment(word);
      if (parsed) found.push(parsed);
      i = Math.max(end, i + 1);
    }
  }
  return found;
}

/**
 * A compose service's `environment:`, map or `NAME=value` list form. A bare `- NAME` passes the
 * variable through from the shell, so it has no value here; maps take strings, numbers and booleans.
 */
export function composeServiceEnvironment(environment: unknown): EnvAssignment[] {
  const found: EnvAssignment[] = [];
  if (Array.isArray(environment)) {
    for (const item of environment) {
      const entry = scalar(item);
      const equals = entry?.indexOf('=') ?? -1;
      if (entry && equals > 0) found.push({ variable: entry.slice(0, equals), value: entry.slice(equals + 1) });
    }
  } else if (typeof environment === 'object' && environment !== null) {
    for (const [name, value] of Object.entries(environment)) {
      const text = scalar(value);
      if (text !== null) found.push({ variable: name, value: text });
    }
  }
  return found;
}

function scalar(value: unknown): string | null {
  if (typeof value === 'string') return value;
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : null;
}
