/**
 * What a host's scan status says about its inventory. Every status but `ok` and `partial` means
 * the scan never read the host (no connection, refused login or host key, or a crash before the
 * host was read), so its inventory is empty and nothing can be said present or gone there.
 * Pure: no Node imports.
 */
import type { HostStatus } from '../model/index.js';

/** Whether each status means the host was read, at least in part; a Record so a new status must be placed. */
const WAS_READ: Readonly<Record<HostStatus, boolean>> = {
  ok: true,
  partial: true,
  unreachable: false,
  'auth-failed': false,
  'host-key-mismatch': false,
  'host-key-unknown': false,
  // A collector crash or a cancel before the host was read: the inventory is empty.
  error: false,
};

/** True when the scan read the host, fully (`ok`) or in part (`partial`). */
export function hostWasRead(status: HostStatus): boolean {
  // A status this build does not know (a report from a newer one) is not taken as read: nothing is called gone on its word.
  return WAS_READ[status] === true;
}
