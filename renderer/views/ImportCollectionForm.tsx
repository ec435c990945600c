/**
 * "Import collection…": the output of `blast-radius collector` run on hosts SSH cannot reach, read
 * into the open case as a scan of them. The main process reads the files on its own machine (the
 * desktop app's, or the browser host's), so the field takes paths there rather than an upload:
 * a collection holds keys in clear and can be large, and it never passes through the renderer.
 */
import { useState, type FormEvent } from 'react';
import { useCommands } from '../app/commands-context.js';
import { parseImportPaths } from '../app/import-paths.js';
import { useScanControls } from '../store/hooks.js';

/** Paths of collection files (one per line) and an optional host name, imported as a scan. */
export function ImportCollectionForm() {
  const commands = useCommands();
  const { running } = useScanControls();
  const [pathsText, setPathsText] = useState('');
  const [host, setHost] = useState('');
  const paths = parseImportPaths(pathsText);
  const hostName = host.trim();
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (paths.length === 0) return;
    if (await commands.importCollections(paths, hostName === '' ? null : hostName)) {
      setPathsText('');
      setHost('');
    }
  };
  return (
    <section className="card import-collection" data-testid="import-collection">
      <div className="import-collection-text">
        <strong>Offline collections</strong>{' '}
        <span className="muted small" data-testid="import-collection-hint">
          For hosts SSH cannot reach: run the script <code>blast-radius collector</code> prints on each host, then give the output files’ paths on
          the machine running Blast Radius, one per line. Each file is read as a scan of its host, named by its own hostname unless you give a
          name (one file only). The files hold keys in clear: delete them once imported.
        </span>
      </div>
      <form className="import-collection-form" onSubmit={(event) => void submit(event)}>
        <label>
          <span className="visually-hidden">Collection files on the machine running Blast Radius, one path per line</span>
          <textarea
            rows={2}
            wrap="off"
            value={pathsText}
            placeholder={'/path/to/web-1.brc\n/path/to/box.brc'}
            spellCheck={false}
            data-testid="import-collection-paths"
            onChange={(event) => setPathsText(event.target.value)}
          />
        </label>
        <label>
          <span className="visually-hidden">Host name for the one file (optional)</span>
          <input
            type="text"
            value={host}
            placeholder="host name (optional)"
            spellCheck={false}
            data-testid="import-collection-host"
            onChange={(event) => setHost(event.target.value)}
          />
        </label>
        <button type="submit" className="button small-button" disabled={running || paths.length === 0} data-testid="import-collection-button">
          {paths.length > 1 ? `Import ${paths.length} collections…` : 'Import collection…'}
        </button>
      </form>
    </section>
  );
}
