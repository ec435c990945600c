/**
 * The "Import collection…" field's text as the paths `scan:import` takes: one per line, because a
 * path may hold a comma (or a space) but a pasted list of files puts each on its own line.
 */

/** The most paths one import takes (the contract's limit). */
export const MAX_IMPORT_PATHS = 500;

/**
 * The paths in `text`, one per line, in order and each once: blank lines dropped, the spaces
 * around a line trimmed, and one pair of matching quotes around a whole line removed (a shell or
 * a file manager's "copy path" adds them; a collection's name rarely starts and ends with one).
 */
export function parseImportPaths(text: string): string[] {
  const paths: string[] = [];
  for (const line of text.split(/\r?\n/)) {
    const trimmed = line.trim();
    const path = /^(['"]).+\1$/.test(trimmed) ? trimmed.slice(1, -1) : trimmed;
    if (path !== '' && !paths.includes(path)) paths.push(path);
  }
  return paths;
}
