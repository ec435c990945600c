/**
 * Reads `.pth` files the way Python's site.py does, without running them: which lines it would
 * execute at every interpreter start, and whether a file is one an installer writes on purpose
 * or one known to be malicious. Pure.
 */
import type { PthFile, PthLine } from '../../model/index.js';
import { KNOWN_BENIGN_PTH, KNOWN_MALICIOUS_PTH, type KnownBenignPth, type KnownMaliciousPth } from './pth-known.js';

/** Most lines of one `.pth` file kept in the inventory (the collector reads at most this many). */
export const PTH_MAX_LINES = 200;
/** Longest line kept in the inventory; longer ones are cut (and the file marked truncated). */
export const PTH_MAX_LINE_CHARS = 1000;

// str.splitlines() boundaries: Python 3.13 splits .pth content with it, older versions with
// universal newlines (a subset), so a line any version would see as separate is kept separate.
const PYTHON_LINE_BREAK = /\r\n|[\n\r\v\f\x1c\x1d\x1e\x85\u2028\u2029]/;

/** Splits `.pth` content into lines as str.splitlines() does, after dropping a UTF-8 BOM (3.13 reads utf-8-sig). */
export function splitPthLines(content: string): string[] {
  const text = content.startsWith('\ufeff') ? content.slice(1) : content;
  const lines = text.split(PYTHON_LINE_BREAK);
  // A trailing line break does not start another line.
  if (lines.length > 0 && lines[lines.length - 1] === '') lines.pop();
  return lines;
}

/** True when site.addpackage executes the line: it starts with `import` and a space or tab, as written (no stripping). */
export function isExecutablePthLine(line: string): boolean {
  return line.startsWith('import ') || line.startsWith('import\t');
}

/** True when site.addpackage skips the line: it starts with `#`, or is blank. */
export function isSkippedPthLine(line: string): boolean {
  return line.startsWith('#') || line.trim() === '';
}

/** The lines Python acts on, classified, and whether anything was cut to the bounds. */
export function classifyPthContent(
  content: string,
  limits: { maxLines?: number; maxLineChars?: number } = {},
): { lines: PthLine[]; truncated: boolean } {
  const maxLines = limits.maxLines ?? PTH_MAX_LINES;
  const maxLineChars = limits.maxLineChars ?? PTH_MAX_LINE_CHARS;
  const lines: PthLine[] = [];
  let truncated = false;
  for (const line of splitPthLines(content)) {
    if (isSkippedPthLine(line)) continue;
    if (lines.length >= maxLines) {
      truncated = true;
      break;
    }
    if (line.length > maxLineChars) truncated = true;
    // Classified before cutting, so a long payload line is still executable.
    lines.push({ text: line.slice(0, maxLineChars), executable: isExecutablePthLine(line) });
  }
  return { lines, truncated };
}

/** The file name of a path (after the last `/`). */
export function pthFileName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** The known-malicious entry whose hash the file has, if any. */
export function knownMaliciousPth(file: Pick<PthFile, 'sha256'>, known: readonly KnownMaliciousPth[] = KNOWN_MALICIOUS_PTH): KnownMaliciousPth | null {
  if (!file.sha256) return null;
  const hash = file.sha256.toLowerCase();
  return known.find((entry) => entry.sha256 === hash) ?? null;
}

/**
 * The benign rule that explains every executable line of the file, if one does: its name must
 * match the rule and each executable line one of the rule's line shapes. A truncated file is never
 * benign, since its unread part could hold anything.
 */
export function knownBenignPth(file: Pick<PthFile, 'path' | 'lines' | 'truncated'>, known: readonly KnownBenignPth[] = KNOWN_BENIGN_PTH): KnownBenignPth | null {
  if (file.truncated) return null;
  const executable = file.lines.filter((line) => line.executable);
  if (executable.length === 0) return null;
  const name = pthFileName(file.path);
  return (
    known.find((rule) => rule.fileName.test(name) && executable.every((line) => rule.lines.some((shape) => shape.test(line.text)))) ?? null
  );
}
