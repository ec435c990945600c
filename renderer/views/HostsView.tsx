/** Hosts: pick hosts, scan them or import their offline collections, watch each one's progress, add one by hand. */
import { memo } from 'react';
import { useCommands } from '../app/commands-context.js';
import { hostWasRead } from '../../shared/domain/index.js';
import { formatTime } from '../app/format.js';
import { useCanGiveUpHost, useCaseHost, useHostProgress, useHostVerdict, useHostRows, useHostSelection, useIsHostSelected, useScanControls, useScanCounts, useUiEvents } from '../store/hooks.js';
import type { HostRowEntry } from '../store/hosts-selectors.js';
import { ImportCollectionForm } from './ImportCollectionForm.js';
import { AddHostForm } from './AddHostForm.js';
import { VERDICT_LABELS } from '../components/IncidentSummary.js';

const SOURCE_LABELS: Record<HostRowEntry['source'], string> = { 'ssh-config': 'ssh config', manual: 'added', local: 'local', 'case-only': 'case only' };
/** Why a host the case holds has no checkbox: it is not in the hosts the app can reach. */
const CASE_ONLY_TITLE = 'In the case only (imported from an offline collection, or gone from the ssh config): import it again to update it';

/** The hosts view. */
export function HostsView() {
  const hosts = useHostRows();
  const selection = useHostSelection();
  const { allHostsToggled } = useUiEvents();
  return (
    <section className="view" data-testid="view-hosts">
      <header className="view-header">
        <h1>Hosts</h1>
        <p className="muted">Pick the machines to inspect. Scans only read files over SSH; nothing on the host is run.</p>
      </header>
      <ScanToolbar />
      <ImportCollectionForm />
      <div className="card table-card">
        <table className="table hosts-table">
          <thead>
            <tr>
              <th className="check-cell">
                <input
                  type="checkbox"
                  aria-label="Select all hosts"
                  data-testid="hosts-select-all"
                  checked={selection.all}
                  onChange={(event) => allHostsToggled(event.target.checked)}
                />
              </th>
              <th>Host</th>
              <th>Address</th>
              <th>Source</th>
              <th>Scan progress</th>
              <th>In the case</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {hosts.map((host) => (
              <HostRow key={host.name} host={host} />
            ))}
            {hosts.length === 0 && (
              <tr>
                <td colSpan={7} className="muted empty-cell" data-testid="hosts-empty">
                  No hosts yet.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      <AddHostForm />
    </section>
  );
}

function ScanToolbar() {
  const commands = useCommands();
  const { running, canStart, canCancel, outcome, source } = useScanControls();
  const counts = useScanCounts();
  const selection = useHostSelection();
  // An import is a scan of the files' hosts, told apart so a user who imported does not look for an SSH scan.
  const noun = source === 'import' ? 'Import' : 'Scan';
  const status = running
    ? source === 'import'
      ? counts.total === 0
        ? 'Importing: reading the collection files'
        : `Importing: ${counts.settled} of ${counts.total} hosts finished`
      : `Scanning: ${counts.settled} of ${counts.total} hosts finished`
    : outcome === 'finished'
      ? `${noun} finished. See Inventory and Blast radius.`
      : outcome === 'cancelled'
        ? `${noun} cancelled. What was read is kept.`
        : outcome === 'failed'
          ? `${noun} failed.`
          : `${selection.count} selected`;
  return (
    <div className="toolbar">
      <button type="button" className="button primary" data-testid="scan-button" disabled={!canStart} onClick={() => void commands.startScan()}>
        {running && source === 'ssh' ? 'Scanning…' : selection.count > 0 ? `Scan ${selection.count} host${selection.count === 1 ? '' : 's'}` : 'Scan'}
      </button>
      <button type="button" className="button" data-testid="cancel-scan" disabled={!canCancel} onClick={() => void commands.cancelScan()}>
        Cancel
      </button>
      <span className="muted" data-testid="scan-status" aria-live="polite">
        {status}
      </span>
    </div>
  );
}

const HostRow = memo(function HostRow({ host }: { host: HostRowEntry }) {
  const scannable = host.source !== 'case-only';
  const selected = useIsHostSelected(host.name);
  const progress = useHostProgress(host.name);
  const canGiveUp = useCanGiveUpHost(host.name);
  const commands = useCommands();
  const { hostToggled } = useUiEvents();
  return (
    <tr data-testid={`host-row-${host.name}`} className={selected ? 'selected' : undefined}>
      <td className="check-cell">
        <input
          type="checkbox"
          id={`host-check-${host.name}`}
          data-testid={`host-check-${host.name}`}
          checked={selected}
          disabled={!scannable}
          title={scannable ? undefined : CASE_ONLY_TITLE}
          onChange={() => hostToggled(host.name)}
        />
      </td>
      <td>
        <label htmlFor={`host-check-${host.name}`} className="host-name">
          {host.name}
        </label>
      </td>
      <td className="mono address-cell">{host.address}</td>
      <td>
        <span className="tag" title={scannable ? undefined : CASE_ONLY_TITLE} data-testid={`host-source-${host.name}`}>
          {SOURCE_LABELS[host.source]}
        </span>
      </td>
      <td className="progress-cell" data-testid={`host-progress-${host.name}`} data-phase={progress?.phase ?? 'idle'}>
        {progress ? (
          <span className="progress">
            <span className={`phase phase-${progress.phase}`}>{progress.phase}</span>
            <span className="progress-message">{progress.message}</span>
            {canGiveUp && (
              <button
                type="button"
                className="button small-button"
                data-testid={`give-up-${host.name}`}
                title="Stop scanning this host and keep what it gave; the other hosts go on"
                onClick={() => void commands.giveUpHost(host.name)}
              >
                Give up
              </button>
            )}
          </span>
        ) : (
          <span className="muted">—</span>
        )}
      </td>
      <CaseCells name={host.name} scannable={scannable} />
    </tr>
  );
});

/**
 * What the case holds for a host (each host keeps its latest result with its own scan time): its
 * verdict in the incident (compromised, reached, clean, partial, not read) rather than a scan
 * status that says DONE for a backdoored host, and the per-host actions: scan it again, or remove
 * its results from the case. A host only the case knows (`scannable` false) has no scan to repeat.
 */
function CaseCells({ name, scannable }: { name: string; scannable: boolean }) {
  const commands = useCommands();
  const caseHost = useCaseHost(name);
  const verdict = useHostVerdict(name);
  const { running } = useScanControls();
  return (
    <>
      <td data-testid={`host-case-${name}`} data-status={caseHost?.status ?? 'none'}>
        {caseHost ? (
          <span className="progress">
            {verdict ? (
              <span
                className={`badge verdict-badge ${VERDICT_LABELS[verdict.verdict].badge}`}
                data-testid={`host-verdict-${name}`}
                data-verdict={verdict.verdict}
                title={verdict.reasons.join('\n') || 'Read fully; nothing found that says compromised or reached'}
              >
                {VERDICT_LABELS[verdict.verdict].label}
              </span>
            ) : (
              <span className={`phase phase-${hostWasRead(caseHost.status) ? 'done' : 'failed'}`}>{caseHost.status}</span>
            )}
            <span className="progress-message">
              {[
                // The verdict says partial or not read; the status says which failure, and stays where the verdict is compromised or reached.
                ...(caseHost.status !== 'ok' && verdict?.verdict !== 'partial' ? [caseHost.status] : []),
                ...(caseHost.scannedAt ? [`${hostWasRead(caseHost.status) ? 'read' : 'tried'} ${formatTime(caseHost.scannedAt)}`] : []),
              ].join(', ')}
            </span>
            {caseHost.failedAttempt && (
              <span className="progress-message" data-testid={`host-failed-attempt-${name}`}>
                latest attempt {formatTime(caseHost.failedAttempt.at)} failed ({caseHost.failedAttempt.status}): showing what was read before
              </span>
            )}
          </span>
        ) : (
          <span className="muted">not in the case</span>
        )}
      </td>
      <td>
        <div className="row-actions">
          {scannable && (
            <button
              type="button"
              className="button small-button"
              data-testid={`host-rescan-${name}`}
              title="Scan only this host; the case keeps every other host's results"
              disabled={running}
              onClick={() => void commands.rescanHost(name)}
            >
              {caseHost ? 'Re-scan this host' : 'Scan this host'}
            </button>
          )}
          {caseHost && (
            <button
              type="button"
              className="button small-button"
              data-testid={`host-remove-${name}`}
              title="Drop this host's results, findings and steps from the case; the case's record of the keys it saw stays"
              disabled={running}
              onClick={() => void commands.removeHostFromCase(name)}
            >
              Remove from case
            </button>
          )}
        </div>
      </td>
    </>
  );
}
