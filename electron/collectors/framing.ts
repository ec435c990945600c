/**
 * Record framing shared by every collector script. A script prints records as
 * `\n<boundary> <tag>\n<body>`, where the boundary is random per run: a body ends exactly where the
 * next `\n<boundary> ` starts, so a body (a path with newlines, a file's header lines) can hold any
 * byte sequence the host could not have guessed. Pure: no Node imports, fixtures test it.
 */

/** One framed record: its tag and its exact body. */
export interface FramedRecord {
  tag: string;
  body: string;
}

/** Shell functions every collector script defines: `emit TAG VALUE` and `emit_open TAG` (the command output that follows is the body). */
export const SHELL_EMIT = [
  `emit() { printf '\\n%s %s\\n%s' "$B" "$1" "$2"; }`,
  `emit_open() { printf '\\n%s %s\\n' "$B" "$1"; }`,
].join('\n');

const BOUNDARY_PATTERN = /^BR[0-9a-f]{32}$/;

/** A fresh boundary: 128 random bits, so nothing on the host can print it by accident or design. */
export function newBoundary(): string {
  const bytes = new Uint8Array(16);
  globalThis.crypto.getRandomValues(bytes);
  return `BR${Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('')}`;
}

/** True for a boundary made by newBoundary (the only kind a script may embed). */
export function isBoundary(value: string): boolean {
  return BOUNDARY_PATTERN.test(value);
}

/** Splits a script's output into records; text before the first record (never expected) is dropped. */
export function splitRecords(output: string, boundary: string): FramedRecord[] {
  if (!isBoundary(boundary)) throw new Error('invalid record boundary');
  const pieces = output.split(`\n${boundary} `);
  const records: FramedRecord[] = [];
  for (const piece of pieces.slice(1)) {
    const newline = piece.indexOf('\n');
    if (newline === -1) records.push({ tag: piece, body: '' });
    else records.push({ tag: piece.slice(0, newline), body: piece.slice(newline + 1) });
  }
  return records;
}

/** Decodes script output; bytes that are not UTF-8 become U+FFFD rather than failing the host. */
export function decodeOutput(stdout: Uint8Array): string {
  return new TextDecoder('utf-8').decode(stdout);
}

/** The trimmed body of the first record tagged `tag`, or null when the script printed none. */
export function recordValue(output: string, boundary: string, tag: string): string | null {
  const record = splitRecords(output, boundary).find((candidate) => candidate.tag === tag);
  return record ? record.body.trim() : null;
}
