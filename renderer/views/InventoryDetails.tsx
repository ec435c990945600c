/** The inventory's detail pieces: a container's deployment facts, an environment's .pth files, a host's IOC hits. */
import type { ReactNode } from 'react';
import type { Container, ContainerMount, IocHit, PthFile } from '../../shared/model/index.js';
import type { InventoryContainer } from '../../shared/present/index.js';
import { formatTime } from '../app/format.js';

/** How the scan read a container's files, as the evidence says it. */
const READ_VIA: Record<NonNullable<Container['readVia']>, string> = {
  'proc-root': 'from the host, through its process root (/proc/PID/root)',
  layers: 'from the host, through its image layers (stopped, never started)',
  exec: 'docker exec into it',
  'merged-dir': 'from the host, through its mounted MergedDir',
  'guest-root': "from the host, through the system container's root folder (never entered)",
};

const MOUNT_RISK: Record<NonNullable<ContainerMount['risk']>, string> = {
  'engine-socket': 'engine socket: controls the host',
  'host-root': "host's root",
  home: 'home folder',
};

function time(iso: string | null | undefined): ReactNode {
  // Docker writes 0001-01-01T00:00:00Z for "never".
  if (!iso || iso.startsWith('0001-01-01')) return <span className="muted">{iso === undefined ? 'not read' : 'never'}</span>;
  return <time dateTime={iso} title={iso}>{formatTime(iso)}</time>;
}

function Fact({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

function None() {
  return <span className="muted">none</span>;
}

/** Everything the scan read about one container, for its expanded inventory row. */
export function ContainerDetails({ container }: { container: InventoryContainer }) {
  const mounts = container.mounts ?? [];
  const compose = container.compose;
  return (
    <div className="container-details">
      <dl className="facts detail-facts">
        {container.guest && (
          <Fact label="System container">
            <span className="mono wrap">
              {container.guest.platform} {container.guest.id}
              {container.guest.hostname ? ` (${container.guest.hostname})` : ''}
            </span>
            , root file system <span className="mono wrap">{container.guest.rootfs ?? 'not named'}</span>
            {container.guest.rootPath ? (
              <>
                , read as files from <span className="mono wrap">{container.guest.rootPath}</span>
              </>
            ) : (
              ', not read (see the host notes)'
            )}
            {container.guest.unprivileged !== undefined ? (container.guest.unprivileged ? ', unprivileged' : ', privileged') : ''}
            {container.guest.gatewayUnits?.length ? `, gateway units: ${container.guest.gatewayUnits.join(', ')}` : ''}
          </Fact>
        )}
        <Fact label="Deployed as">
          <span className="mono wrap">{container.guest ? 'no image (a system container)' : container.image}</span>{' '}
          {container.pinnedByDigest === true ? (
            <span className="tag tag-pinned">pinned by digest</span>
          ) : container.pinnedByDigest === false ? (
            <span className="tag tag-mutable">mutable tag: a re-pull can fetch other content</span>
          ) : null}
        </Fact>
        <Fact label="RepoDigests">
          {container.repoDigests && container.repoDigests.length > 0 ? (
            <ul className="plain mono small">
              {container.repoDigests.map((digest) => (
                <li key={digest} className="wrap">
                  {digest}
                </li>
              ))}
            </ul>
          ) : (
            <None />
          )}
        </Fact>
        <Fact label="Image built">{time(container.imageCreated)}</Fact>
        <Fact label="Created">{time(container.created)}</Fact>
        <Fact label="Started">{time(container.startedAt)}</Fact>
        <Fact label="Files read">{container.readVia ? (READ_VIA[container.readVia] ?? container.readVia) : <None />}</Fact>
        <Fact label="Restart policy">{container.restartPolicy ? <span className="mono">{container.restartPolicy}</span> : <None />}</Fact>
        <Fact label="Mounts">
          {mounts.length === 0 ? (
            <None />
          ) : (
            <ul className="plain small">
              {mounts.map((mount) => (
                <li key={`${mount.source}->${mount.destination}`} className={mount.risk ? 'risky-mount' : undefined} data-risk={mount.risk ?? 'none'}>
                  <span className="mono wrap">
                    {mount.source} → {mount.destination}
                  </span>{' '}
                  <span className="muted">
                    {mount.type}
                    {mount.readOnly ? ', read-only' : ''}
                  </span>
                  {mount.risk && <span className="badge inline badge-compromised">{MOUNT_RISK[mount.risk]}</span>}
                </li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact label="Networks">
          {(container.networks ?? []).length === 0 ? (
            <None />
          ) : (
            <ul className="plain small">
              {container.networks!.map((network) => (
                <li key={network.name}>
                  <strong>{network.name}</strong>{' '}
                  <span className="mono">{[network.ipAddress, network.ipv6Address].filter(Boolean).join(', ') || 'no address'}</span>
                  {network.aliases.length > 0 && <span className="muted"> · aliases {network.aliases.join(', ')}</span>}
                </li>
              ))}
            </ul>
          )}
        </Fact>
        <Fact label="Published ports">
          {(container.ports ?? []).length === 0 ? (
            <None />
          ) : (
            <span className="mono small">
              {container.ports!.map((port) => `${port.hostIp}:${port.hostPort} → ${port.containerPort}`).join(', ')}
            </span>
          )}
        </Fact>
        <Fact label="Environment names">
          {(container.envNames ?? []).length === 0 ? (
            <None />
          ) : (
            <span className="env-names">
              {container.envNames!.map((name) => (
                <code key={name}>{name}</code>
              ))}
            </span>
          )}
        </Fact>
        <Fact label="Compose">
          {compose ? (
            <div className="small">
              project <strong>{compose.project}</strong>
              {compose.service && (
                <>
                  , service <strong>{compose.service}</strong>
                </>
              )}
              {compose.configFiles.length > 0 && <div className="mono wrap">{compose.configFiles.join(', ')}</div>}
              {compose.image !== null && (
                <div>
                  image written as <span className="mono">{compose.image}</span>{' '}
                  {compose.imagePinnedByDigest === true ? (
                    <span className="tag tag-pinned">pinned</span>
                  ) : compose.imagePinnedByDigest === false ? (
                    <span className="tag tag-mutable">not pinned</span>
                  ) : null}
                </div>
              )}
              {compose.envFiles.length > 0 && <div className="muted">env_file {compose.envFiles.join(', ')}</div>}
              {compose.problem && <div className="muted">{compose.problem}</div>}
            </div>
          ) : (
            <None />
          )}
        </Fact>
        {container.autoUpdater && (
          <Fact label="Auto-updater">
            <span className="tag tag-updater">{container.autoUpdater.updater}</span>
            <div className="mono small">
              {Object.entries(container.autoUpdater.settings).map(([key, value]) => (
                <div key={key}>
                  {key}={value}
                </div>
              ))}
              {container.autoUpdater.args.length > 0 && <div>args: {container.autoUpdater.args.join(' ')}</div>}
            </div>
          </Fact>
        )}
        {container.watchedBy.length > 0 && <Fact label="Watched by">{container.watchedBy.join(', ')}</Fact>}
        <Fact label="Build-time installs">
          {container.buildInstalls === undefined ? (
            <span className="muted">history not read</span>
          ) : container.buildInstalls.length === 0 ? (
            <None />
          ) : (
            <ul className="plain small">
              {container.buildInstalls.map((step, index) => (
                <li key={index}>
                  <span className={step.hashPinned ? 'tag tag-pinned' : 'tag tag-mutable'}>{step.hashPinned ? 'hash-pinned' : 'not pinned'}</span>{' '}
                  <code className="wrap">{step.command}</code> <span className="muted">{step.reason}</span>
                </li>
              ))}
            </ul>
          )}
        </Fact>
      </dl>
    </div>
  );
}

/** The `.pth` files of one Python environment, executable lines marked. */
export function PthFiles({ environmentKey, files }: { environmentKey: string; files: PthFile[] }) {
  if (files.length === 0) return null;
  return (
    <div className="pth-files" data-testid={`env-pth-${environmentKey}`}>
      <h5>.pth files</h5>
      <ul className="plain">
        {files.map((file) => (
          <li key={file.path} className="pth-file">
            <div>
              <span className="mono wrap">{file.path}</span>{' '}
              <span className="muted small">{file.owner ? `owned by ${file.owner}` : 'no distribution lists it'}</span>
              {file.truncated && <span className="muted small"> · truncated</span>}
            </div>
            {file.lines.length > 0 && (
              <ol className="pth-lines">
                {file.lines.map((line, index) => (
                  <li key={index} className={line.executable ? 'executable' : undefined} data-executable={line.executable ? 'true' : 'false'}>
                    {line.executable && <span className="badge inline severity-high">runs at start</span>}
                    <code className="wrap">{line.text}</code>
                  </li>
                ))}
              </ol>
            )}
          </li>
        ))}
      </ul>
    </div>
  );
}

/** A host's IOC hits; says whether the search did not run or matched nothing. */
export function IocHits({ host, hits }: { host: string; hits: IocHit[] | null }) {
  if (hits === null) return <p className="muted small">The IOC search did not run on this host.</p>;
  if (hits.length === 0)
    return (
      <p className="muted small" data-testid={`ioc-hits-${host}`}>
        No indicator matched (that alone does not prove the host clean).
      </p>
    );
  return (
    <table className="table compact ioc-hits" data-testid={`ioc-hits-${host}`}>
      <thead>
        <tr>
          <th>Rule</th>
          <th>Where</th>
          <th>Matched</th>
        </tr>
      </thead>
      <tbody>
        {hits.map((hit, index) => (
          <tr key={index} className="flagged-row" data-testid={`ioc-hit-${host}-${index}`}>
            <td className="mono">{hit.ruleId}</td>
            <td className="mono wrap small">
              {hit.container ? `container ${hit.container}: ` : ''}
              {hit.path ?? ''}
              {hit.unit ? ` (${hit.unit})` : ''}
            </td>
            <td className="mono wrap small">{hit.matched}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
