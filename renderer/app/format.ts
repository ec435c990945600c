/** Small display formatters shared by the views. */

/** One formatter for every call: toLocaleString with options builds a new one each time, which a table of many hosts paid per row. */
let localTime: Intl.DateTimeFormat | null = null;

/** A local, human date and time for an ISO timestamp (the input itself when it does not parse). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return iso;
  localTime ??= new Intl.DateTimeFormat(undefined, { dateStyle: 'medium', timeStyle: 'short' });
  return localTime.format(date);
}

/** `sha256:` and the first 12 hex digits, as docker prints image ids; "unknown" for null. */
export function shortDigest(digest: string | null): string {
  if (!digest) return 'unknown';
  const colon = digest.indexOf(':');
  return colon === -1 ? digest.slice(0, 12) : `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}
