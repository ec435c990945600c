/** Small display formatters shared by the views. */
import type { FindingKind } from '../../shared/model/index.js';

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

/** How each finding kind reads in the findings list and the evidence panel. */
export const FINDING_KIND_LABELS: Record<FindingKind, string> = {
  'compromised-package': 'Compromised package',
  'executable-pth': 'Executable .pth file',
  'record-mismatch': 'Files differ from RECORD',
  ioc: 'Indicator of compromise',
  'mutable-image-tag': 'Mutable image tag',
  'auto-updater': 'Auto-updater',
  'build-time-install': 'Build-time install',
  'docker-socket-mount': 'Docker socket mount',
  'cached-compromised-artifact': 'Cached compromised artifact',
  secret: 'Exposed key',
  gateway: 'AI gateway',
  consumer: 'Gateway consumer',
  'ssh-lateral': 'SSH lateral path',
};
