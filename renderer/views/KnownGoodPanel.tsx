/**
 * Known-good artifacts: the owner imports a wheel, sdist or hash manifest of a distribution version
 * downloaded elsewhere; the main process reads it, and every hashed installed copy of that version is
 * compared with it file by file (artifact-mismatch findings, the report's copy comparisons).
 */
import { useRef } from 'react';
import { useCommands } from '../app/commands-context.js';
import { useKnownGood } from '../store/hooks.js';

/** The import button, the artifacts the case keeps and what the last import said. */
export function KnownGoodPanel() {
  const commands = useCommands();
  const { entries, busy, notice } = useKnownGood();
  const input = useRef<HTMLInputElement>(null);
  return (
    <article className="card" data-testid="known-good-panel">
      <header className="host-card-header">
        <div>
          <h2>Known-good artifacts</h2>
          <p className="muted">
            A wheel, sdist (.tar.gz) or hash manifest of a release, downloaded from a source you trust. Every installed copy of that version is compared with it file by file:
            files it lacks (a .pth, a new module), files that differ, files missing. Nothing in it is run.
          </p>
        </div>
        <div>
          <input
            ref={input}
            type="file"
            accept=".whl,.zip,.tar.gz,.tgz,.json"
            hidden
            data-testid="known-good-file"
            onChange={(event) => {
              const file = event.currentTarget.files?.[0];
              event.currentTarget.value = '';
              if (file) void commands.importKnownGood(file);
            }}
          />
          <button type="button" className="button" disabled={busy} onClick={() => input.current?.click()} data-testid="known-good-import">
            {busy ? 'Reading…' : 'Import known-good artifact…'}
          </button>
        </div>
      </header>
      {notice && (
        <p role="status" data-testid="known-good-notice">
          {notice}
        </p>
      )}
      {entries.length === 0 ? (
        <p className="muted" data-testid="known-good-none">
          None imported: copies of the same version are still compared with each other.
        </p>
      ) : (
        <ul data-testid="known-good-list">
          {entries.map((entry) => (
            <li key={entry.id} data-testid={`known-good-${entry.id}`}>
              <strong>
                {entry.name} {entry.version}
              </strong>{' '}
              <span className="muted">
                {entry.source} <span className="mono">{entry.artifact}</span> · sha256 <span className="mono">{entry.artifactSha256.slice(0, 16)}…</span> · {entry.files} files
              </span>{' '}
              <button type="button" className="button small-button" disabled={busy} onClick={() => void commands.removeKnownGood(entry.id)} data-testid={`known-good-remove-${entry.id}`}>
                Remove
              </button>
            </li>
          ))}
        </ul>
      )}
    </article>
  );
}
