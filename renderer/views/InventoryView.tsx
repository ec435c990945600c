/** Inventory: each host's status, containers and Python environments, flagged packages first. */
import { memo } from 'react';
import { useInventory, useIsContainerExpanded, useIsEnvironmentExpanded, useUiEvents } from '../store/hooks.js';
import type { EnvironmentRow, InventoryContainer, InventoryHost } from '../../shared/present/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { shortDigest } from '../app/format.js';
import { ContainerDetails, IocHits, PthFiles } from './InventoryDetails.js';
import { KnownGoodPanel } from './KnownGoodPanel.js';

/** The inventory view. */
export function InventoryView() {
  const hosts = useInventory();
  return (
    <section className="view" data-testid="view-inventory">
      <header className="view-header">
        <h1>Inventory</h1>
        <p className="muted">What the last scan read on each host: containers and how they were deployed, Python environments and their .pth files, and indicator-of-compromise matches. Open a container for its details.</p>
      </header>
      <KnownGoodPanel />
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
              <th>Deployment</th>
              <th>State</th>
            </tr>
          </thead>
          {host.containers.map((container) => (
            <ContainerRow key={container.id} host={host.name} container={container} />
          ))}
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

      <h3>Indicators of compromise</h3>
      <IocHits host={host.name} hits={host.iocHits} />
    </article>
  );
});

const ContainerRow = memo(function ContainerRow({ host, container }: { host: string; container: InventoryContainer }) {
  const expanded = useIsContainerExpanded(container.key);
  const { containerToggled } = useUiEvents();
  const id = `${host}-${container.name}`;
  return (
    <tbody className={expanded ? 'container expanded' : 'container'}>
      <tr data-testid={`container-row-${id}`}>
        <td>
          <button
            type="button"
            className="row-toggle"
            data-testid={`container-toggle-${id}`}
            aria-expanded={expanded}
            aria-controls={`container-details-${id}`}
            onClick={() => containerToggled(container.key)}
          >
            <span className="chevron" aria-hidden="true">
              {expanded ? '▾' : '▸'}
            </span>
            {container.name}
          </button>
        </td>
        <td className="mono wrap">{container.image}</td>
        <td className="mono" title={container.imageDigest ?? 'unknown'} data-testid={`container-digest-${id}`}>
          {shortDigest(container.imageDigest)}
        </td>
        <td>
          <span className="badge-row">
            {container.pinnedByDigest === true && <span className="tag tag-pinned">pinned by digest</span>}
            {container.pinnedByDigest === false && (
              <span className="tag tag-mutable" data-testid={`container-mutable-${id}`}>
                mutable tag
              </span>
            )}
            {container.autoUpdater && <span className="tag tag-updater">updater: {container.autoUpdater.updater}</span>}
            {container.watchedBy.length > 0 && <span className="tag tag-updater">watched by {container.watchedBy.join(', ')}</span>}
            {container.riskyMountCount > 0 && (
              <span className="tag tag-risk">
                {container.riskyMountCount} risky mount{container.riskyMountCount === 1 ? '' : 's'}
              </span>
            )}
          </span>
        </td>
        <td>
          <span className={container.running ? 'tag tag-running' : 'tag'}>{container.running ? 'running' : 'stopped'}</span>
        </td>
      </tr>
      {expanded && (
        <tr className="detail-row">
          <td colSpan={5} id={`container-details-${id}`} data-testid={`container-details-${id}`}>
            <ContainerDetails container={container} />
          </td>
        </tr>
      )}
    </tbody>
  );
});

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
        {environment.executablePthCount > 0 && (
          <span className="badge severity-medium" data-testid={`env-pth-count-${environment.key}`}>
            {environment.executablePthCount} executable .pth
          </span>
        )}
      </button>
      {expanded && <PthFiles environmentKey={environment.key} files={environment.pthFiles} />}
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
