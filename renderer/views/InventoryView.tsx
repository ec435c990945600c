/** Inventory: each host's status, containers and Python environments, flagged packages first. */
import { memo } from 'react';
import type { Container } from '../../shared/model.js';
import { useInventory, useIsEnvironmentExpanded, useUiEvents } from '../store/hooks.js';
import type { EnvironmentRow, InventoryHost } from '../store/selectors.js';
import { EmptyState } from '../components/EmptyState.js';
import { shortDigest } from '../app/format.js';

/** The inventory view. */
export function InventoryView() {
  const hosts = useInventory();
  return (
    <section className="view" data-testid="view-inventory">
      <header className="view-header">
        <h1>Inventory</h1>
        <p className="muted">What the last scan read on each host: containers, image digests and Python environments.</p>
      </header>
      {hosts.length === 0 ? (
        <EmptyState testId="inventory-empty" title="No scan yet" text="Pick hosts in the Hosts view and scan them." />
      ) : (
        hosts.map((host) => <HostSection key={host.name} host={host} />)
      )}
    </section>
  );
}

const STATUS_LABELS: Record<InventoryHost['status'], string> = {
  ok: 'OK',
  partial: 'Partial',
  unreachable: 'Unreachable',
  'auth-failed': 'Auth failed',
  'host-key-mismatch': 'Host key mismatch',
  'host-key-unknown': 'Host key unknown',
  error: 'Error',
};

const HostSection = memo(function HostSection({ host }: { host: InventoryHost }) {
  // A partial host's error usually repeats its one collector note; list only notes it does not say.
  const notes = host.notes.filter((note) => !host.error?.includes(note.message));
  return (
    <article className="card host-card" data-testid={`inventory-host-${host.name}`}>
      <header className="host-card-header">
        <div>
          <h2>{host.name}</h2>
          <p className="muted mono">
            {host.address}
            {host.facts && ` · ${host.facts.os} · ${host.facts.kernel}`}
          </p>
        </div>
        <div className="host-card-badges">
          {host.findingCount > 0 && (
            <span className="badge badge-compromised" data-testid={`host-findings-${host.name}`}>
              {host.findingCount} finding{host.findingCount === 1 ? '' : 's'}
            </span>
          )}
          <span className={`badge status-${host.status}`} data-testid={`host-status-${host.name}`} data-status={host.status}>
            {STATUS_LABELS[host.status] ?? host.status}
          </span>
        </div>
      </header>
      {host.error && (
        <p className="host-error" data-testid={`host-error-${host.name}`}>
          {host.error}
        </p>
      )}
      {notes.length > 0 && (
        <ul className="notes" data-testid={`host-notes-${host.name}`}>
          {notes.map((note, index) => (
            <li key={index}>
              <strong>{note.collector}:</strong> {note.message}
            </li>
          ))}
        </ul>
      )}

      <h3>Containers</h3>
      {host.containers.length === 0 ? (
        <p className="muted small">No containers found.</p>
      ) : (
        <table className="table compact">
          <thead>
            <tr>
              <th>Name</th>
              <th>Image</th>
              <th>Digest</th>
              <th>State</th>
            </tr>
          </thead>
          <tbody>
            {host.containers.map((container) => (
              <ContainerRow key={container.id} host={host.name} container={container} />
            ))}
          </tbody>
        </table>
      )}

      <h3>Python environments</h3>
      {host.environments.length === 0 ? (
        <p className="muted small">No Python environments found.</p>
      ) : (
        <ul className="env-list">
          {host.environments.map((environment) => (
            <EnvironmentItem key={environment.key} environment={environment} />
          ))}
        </ul>
      )}
    </article>
  );
});

function ContainerRow({ host, container }: { host: string; container: Container }) {
  return (
    <tr data-testid={`container-row-${host}-${container.name}`}>
      <td>{container.name}</td>
      <td className="mono wrap">{container.image}</td>
      <td className="mono" title={container.imageDigest ?? 'unknown'} data-testid={`container-digest-${host}-${container.name}`}>
        {shortDigest(container.imageDigest)}
      </td>
      <td>
        <span className={container.running ? 'tag tag-running' : 'tag'}>{container.running ? 'running' : 'stopped'}</span>
      </td>
    </tr>
  );
}

const EnvironmentItem = memo(function EnvironmentItem({ environment }: { environment: EnvironmentRow }) {
  const expanded = useIsEnvironmentExpanded(environment.key);
  const { environmentToggled } = useUiEvents();
  const flagged = environment.flaggedCount > 0;
  return (
    <li className={flagged ? 'env flagged' : 'env'} data-testid={`env-row-${environment.key}`}>
      <button
        type="button"
        className="env-toggle"
        data-testid={`env-toggle-${environment.key}`}
        aria-expanded={expanded}
        onClick={() => environmentToggled(environment.key)}
      >
        <span className="chevron" aria-hidden="true">
          {expanded ? '▾' : '▸'}
        </span>
        <span className="mono env-path">{environment.path}</span>
        <span className="tag">{environment.container === null ? 'host' : `container ${environment.container}`}</span>
        <span className="muted small">
          {environment.packageCount} package{environment.packageCount === 1 ? '' : 's'}
        </span>
        {flagged && <span className="badge badge-compromised">{environment.flaggedCount} flagged</span>}
      </button>
      {expanded && (
        <table className="table compact packages" data-testid={`env-packages-${environment.key}`}>
          <thead>
            <tr>
              <th>Package</th>
              <th>Version</th>
              <th>Read from</th>
            </tr>
          </thead>
          <tbody>
            {environment.packages.map((pkg) => (
              <tr
                key={`${pkg.name}@${pkg.version}:${pkg.metadataPath ?? ''}`}
                className={pkg.findingIds.length > 0 ? 'flagged-row' : undefined}
                data-flagged={pkg.findingIds.length > 0 ? 'true' : 'false'}
                data-testid={`package-row-${environment.key}-${pkg.name}`}
              >
                <td>
                  {pkg.name}
                  {pkg.findingIds.length > 0 && <span className="badge badge-compromised inline">flagged</span>}
                </td>
                <td className="mono">{pkg.version}</td>
                <td className="mono muted wrap small">{pkg.metadataPath ?? '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </li>
  );
});
