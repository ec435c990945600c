/**
 * "Re-scan gw, ollama": scans again the hosts a step or a graph node is about, so its evidence is
 * refreshed without scanning everything. Only hosts in the host list can be scanned; the others
 * are named, so the owner knows why the button is missing or partial.
 */
import { useCommands } from '../app/commands-context.js';
import { useHosts, useScanControls } from '../store/hooks.js';

/** A small button that re-scans `hosts` (those in the host list); nothing when `hosts` is empty. */
export function RescanButton({ hosts, testId }: { hosts: readonly string[]; testId: string }) {
  const commands = useCommands();
  const known = useHosts();
  const { running } = useScanControls();
  if (hosts.length === 0) return null;
  const listed = new Set(known.map((host) => host.name));
  const scannable = hosts.filter((host) => listed.has(host));
  const missing = hosts.filter((host) => !listed.has(host));
  return (
    <span className="rescan" data-testid={testId}>
      {scannable.length > 0 && (
        <button
          type="button"
          className="link-button small"
          data-testid={`${testId}-button`}
          disabled={running}
          title={running ? 'A scan is running' : `Scan ${scannable.join(', ')} again; every other host keeps its results`}
          onClick={() => void commands.rescanHosts(scannable)}
        >
          Re-scan {scannable.join(', ')}
        </button>
      )}
      {missing.length > 0 && (
        <span className="muted small" data-testid={`${testId}-missing`}>
          {' '}
          ({missing.join(', ')} not in the host list)
        </span>
      )}
    </span>
  );
}
