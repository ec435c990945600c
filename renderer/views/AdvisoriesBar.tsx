/**
 * "Load advisories…": the advisories the case judges with beyond the bundled ones — a checkout of an
 * OSV or PyPA advisory database, or an osv.dev `all.zip` — each listed with where it came from.
 * The main process reads the path on its own machine (the desktop app's, or the browser host's),
 * so the field takes a path there rather than an upload: an all.zip is tens of megabytes.
 */
import { useState, type FormEvent } from 'react';
import { useCommands } from '../app/commands-context.js';
import { useLoadedAdvisories } from '../store/hooks.js';
import type { AdvisorySourceEntry } from '../../shared/ipc/index.js';

/** One load as a line: what, how many, how recent. */
function describeSource(source: AdvisorySourceEntry): string {
  const records = `${source.records} record${source.records === 1 ? '' : 's'}`;
  const skipped = source.skipped > 0 ? `, ${source.skipped} file${source.skipped === 1 ? '' : 's'} skipped` : '';
  const modified = source.newestModified ? `, modified ${source.oldestModified?.slice(0, 10)} to ${source.newestModified.slice(0, 10)}` : '';
  return `${source.kind === 'zip' ? 'archive' : 'folder'}: ${records}${skipped}${modified}; loaded ${source.loadedAt.slice(0, 16).replace('T', ' ')} UTC`;
}

/** The case's loaded advisories, a path field to load more, and a Forget per load. */
export function AdvisoriesBar() {
  const { sources, busy } = useLoadedAdvisories();
  const commands = useCommands();
  const [path, setPath] = useState('');
  const load = async (event: FormEvent) => {
    event.preventDefault();
    const wanted = path.trim();
    if (!wanted) return;
    if (await commands.loadAdvisories(wanted)) setPath('');
  };
  return (
    <section className="card advisories-bar" data-testid="advisories-bar" aria-busy={busy}>
      <div>
        <strong>Advisories</strong>{' '}
        <span className="muted small" data-testid="advisories-status">
          {sources.length === 0
            ? 'the bundled ones only; load a checkout of an advisory database or an osv.dev all.zip to judge with more, offline'
            : `the bundled ones and ${sources.length} load${sources.length === 1 ? '' : 's'} kept with this case:`}
        </span>
        {sources.length > 0 && (
          <ul className="advisory-sources" data-testid="advisory-sources">
            {sources.map((source) => (
              <li key={source.path} data-testid="advisory-source">
                <code>{source.path}</code> <span className="muted small">{describeSource(source)}</span>{' '}
                <button type="button" className="button small-button" disabled={busy} onClick={() => void commands.removeAdvisories(source.path)}>
                  Forget
                </button>
              </li>
            ))}
          </ul>
        )}
      </div>
      <form className="advisories-load" onSubmit={(event) => void load(event)}>
        <label>
          <span className="visually-hidden">Folder or all.zip on the machine running Blast Radius</span>
          <input
            type="text"
            value={path}
            placeholder="/path/to/advisory-database or all.zip"
            data-testid="advisories-path"
            onChange={(event) => setPath(event.target.value)}
          />
        </label>
        <button type="submit" className="button small-button" disabled={busy || path.trim() === ''} data-testid="advisories-load">
          {busy ? 'Loading…' : 'Load advisories…'}
        </button>
      </form>
    </section>
  );
}
