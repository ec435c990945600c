/**
 * Supply chain: the register of every AI component the scan found (gateways, routers, model
 * servers, agent apps), where each came from and who published it, what depends on it and the keys
 * held where it runs, with the owner's trust level and notes, which the case keeps and every export
 * carries.
 */
import { useEffect, useState } from 'react';
import type { RegisterRow, TrustLevel } from '../../shared/model/index.js';
import { TRUST_LEVELS } from '../../shared/model/index.js';
import { MAX_REGISTER_NOTE } from '../../shared/case/index.js';
import { useCommands } from '../app/commands-context.js';
import { EmptyState } from '../components/EmptyState.js';
import { useIsAnnotationSaving, useRegister } from '../store/hooks.js';

const ROLE_TEXT: Record<RegisterRow['role'], string> = {
  gateway: 'Gateway',
  router: 'Router',
  'model-server': 'Model server',
  'agent-app': 'Agent app',
};

const TRUST_TEXT: Record<TrustLevel, string> = {
  trusted: 'Trusted',
  review: 'Review',
  distrusted: 'Distrusted',
};

/** The supply-chain register view. */
export function RegisterView() {
  const rows = useRegister();
  return (
    <section className="view" data-testid="view-register">
      <header className="view-header">
        <h1>Supply chain</h1>
        <p className="muted">
          Every AI component the scan found: how it was installed, its version and pin, where it came from and who says they published
          it (self-declared metadata), what depends on it and the keys held where it runs. Set how far you trust each one and keep
          notes: the case keeps them and every export carries them.
        </p>
      </header>
      {rows.length === 0 ? (
        <EmptyState testId="register-empty" title="No AI components yet" text="Scan hosts: gateways, model servers, agent apps and router packages they hold are listed here." />
      ) : (
        <div className="card table-card">
          <table className="table register-table" data-testid="register-table">
            <thead>
              <tr>
                <th>Component</th>
                <th>Installed</th>
                <th>Version and pin</th>
                <th>Source and publisher</th>
                <th>Blast radius</th>
                <th>Trust and notes</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((row) => (
                <RegisterTableRow key={row.id} row={row} />
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}

function RegisterTableRow({ row }: { row: RegisterRow }) {
  return (
    <tr data-testid="register-row" data-row-id={row.id} data-role={row.role} data-kind={row.kind}>
      <td>
        <strong>{row.kind}</strong> <span className="badge inline">{ROLE_TEXT[row.role]}</span>
        <div className="small muted">
          {row.name} on {row.host}
        </div>
      </td>
      <td>
        <strong data-testid="register-installed-by">{row.installedBy}</strong>
        <ul className="evidence-lines small muted">
          {row.installEvidence.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </td>
      <td>
        <span data-testid="register-version">{row.version ?? 'unknown'}</span>
        <div className="small">
          <span className={`badge inline pin-${row.pinning}`} data-testid="register-pinning">
            {row.pinning}
          </span>
        </div>
        <div className="small muted register-detail">{row.pinningDetail}</div>
      </td>
      <td>
        <span data-testid="register-source">{row.source ?? 'not read'}</span>
        <ul className="evidence-lines small muted">
          {row.publisher.length === 0 && <li>No publisher declared</li>}
          {row.publisher.map((line) => (
            <li key={line}>{line}</li>
          ))}
        </ul>
      </td>
      <td className="small">
        {row.consumers.length > 0 && <div>Used by {row.consumers.join(', ')}</div>}
        {row.uses.length > 0 && <div>Sends to {row.uses.join(', ')}</div>}
        <div className="muted">{row.keys.length === 0 ? 'No key found where it runs' : `${row.keys.length} key${row.keys.length === 1 ? '' : 's'}: ${row.keys.join(', ')}`}</div>
      </td>
      <td>
        <TrustForm row={row} />
      </td>
    </tr>
  );
}

function TrustForm({ row }: { row: RegisterRow }) {
  const commands = useCommands();
  const saving = useIsAnnotationSaving(row.id);
  const [note, setNote] = useState(row.note);
  // The case is the source: a reload or another case's rows bring their own note.
  useEffect(() => setNote(row.note), [row.note]);
  const save = (trust: TrustLevel | null, text: string) => void commands.annotateRegister(row.id, trust, text);
  return (
    <div className="register-trust">
      <label className="small" htmlFor={`register-trust-${row.id}`}>
        Trust
      </label>{' '}
      <select
        id={`register-trust-${row.id}`}
        data-testid="register-trust"
        value={row.trust ?? ''}
        disabled={saving}
        onChange={(event) => save(event.target.value === '' ? null : (event.target.value as TrustLevel), note)}
      >
        <option value="">Unset</option>
        {TRUST_LEVELS.map((level) => (
          <option key={level} value={level}>
            {TRUST_TEXT[level]}
          </option>
        ))}
      </select>
      <textarea
        className="step-note"
        data-testid="register-note"
        aria-label={`Notes on ${row.kind} ${row.name}`}
        placeholder="Notes: where it came from, who vouches for it, what to check"
        maxLength={MAX_REGISTER_NOTE}
        value={note}
        onChange={(event) => setNote(event.target.value)}
        onBlur={() => {
          if (note !== row.note) save(row.trust, note);
        }}
      />
      {row.annotatedAt && (
        <div className="small muted" data-testid="register-annotated-at">
          Set {row.annotatedAt}
        </div>
      )}
    </div>
  );
}
