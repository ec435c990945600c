/** Small display formatters shared by the views. */

/** A local, human date and time for an ISO timestamp (the input itself when it does not parse). */
export function formatTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'short' });
}

/** `sha256:` and the first 12 hex digits, as docker prints image ids; "unknown" for null. */
export function shortDigest(digest: string | null): string {
  if (!digest) return 'unknown';
  const colon = digest.indexOf(':');
  return colon === -1 ? digest.slice(0, 12) : `${digest.slice(0, colon + 1)}${digest.slice(colon + 1, colon + 13)}`;
}
