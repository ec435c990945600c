/** Cases: one per incident. Make one, rename it, open another, close or archive one; each keeps its own hosts, scans and plan. */
import { useState, type FormEvent } from 'react';
import type { CaseSummary } from '../../shared/ipc/index.js';
import { CASE_NAME_MAX } from '../../shared/ipc/index.js';
import { useCommands } from '../app/commands-context.js';
import { formatTime } from '../app/format.js';
import { useActiveCases, useArchivedCases, useOpenCase, useScanRunning, useSwitchingCase } from '../store/hooks.js';

/** The cases view. */
export function CasesView() {
  const active = useActiveCases();
  const archived = useArchivedCases();
  const openCase = useOpenCase();
  const scanning = useScanRunning();
  return (
    <section className="view" data-testid="view-cases">
      <header className="view-header">
        <h1>Cases</h1>
        <p className="muted">
          One case per incident. Each keeps its own hosts, scans, plan progress, notes, windows and decisions; the open case is the
          one every view shows.
        </p>
      </header>
      <CreateCaseForm />
      {scanning && (
        <p className="muted small" data-testid="cases-scan-running">
          A scan is running in {openCase ? `“${openCase.name}”` : 'the open case'}: wait for it or cancel it before opening another case.
        </p>
      )}
      <div className="card table-card">
        <table className="table cases-table" data-testid="cases-table">
          <thead>
            <tr>
              <th>Case</th>
              <th>Created</th>
              <th>Last opened</th>
              <th aria-label="Actions" />
            </tr>
          </thead>
          <tbody>
            {active.map((summary) => (
              <CaseRow key={summary.id} summary={summary} open={summary.id === openCase?.id} scanning={scanning} />
            ))}
            {active.length === 0 && (
              <tr>
                <td colSpan={4} className="muted empty-cell" data-testid="cases-empty">
                  No cases in use: create one above, or unarchive one below.
                </td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
      {archived.length > 0 && <ArchivedCases cases={archived} />}
    </section>
  );
}

function CreateCaseForm() {
  const commands = useCommands();
  const switching = useSwitchingCase();
  const scanning = useScanRunning();
  const [name, setName] = useState('');
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (name.trim() === '') return;
    if (await commands.createCase(name)) setName('');
  };
  return (
    <form className="card case-create" data-testid="case-create-form" onSubmit={(event) => void submit(event)}>
      <label className="field">
        <span>New case</span>
        <input
          data-testid="case-new-name"
          value={name}
          maxLength={CASE_NAME_MAX}
          placeholder="e.g. LiteLLM PyPI compromise, March 2026"
          onChange={(event) => setName(event.target.value)}
        />
      </label>
      <button type="submit" className="button primary" data-testid="case-create" disabled={name.trim() === '' || switching || scanning}>
        Create and open
      </button>
    </form>
  );
}

function CaseRow({ summary, open, scanning }: { summary: CaseSummary; open: boolean; scanning: boolean }) {
  const commands = useCommands();
  const switching = useSwitchingCase();
  const [renaming, setRenaming] = useState(false);
  const [name, setName] = useState(summary.name);
  const busy = switching || scanning;
  const saveName = async (event: FormEvent) => {
    event.preventDefault();
    if (await commands.renameCase(summary.id, name)) setRenaming(false);
  };
  return (
    <tr data-testid="case-row" data-case-name={summary.name} data-open={open} className={open ? 'case-open' : undefined}>
      <td>
        {renaming ? (
          <form className="case-rename" onSubmit={(event) => void saveName(event)}>
            <input
              aria-label={`New name for ${summary.name}`}
              data-testid="case-rename-input"
              value={name}
              maxLength={CASE_NAME_MAX}
              autoFocus
              onChange={(event) => setName(event.target.value)}
              onKeyDown={(event) => {
                if (event.key === 'Escape') setRenaming(false);
              }}
            />
            <button type="submit" className="button small-button" data-testid="case-rename-save" disabled={name.trim() === ''}>
              Save
            </button>
          </form>
        ) : (
          <>
            <strong data-testid="case-name">{summary.name}</strong>
            {open && (
              <span className="badge inline status-clean" data-testid="case-open-badge">
                open
              </span>
            )}
          </>
        )}
      </td>
      <td className="muted small">{formatTime(summary.createdAt)}</td>
      <td className="muted small">{summary.openedAt ? formatTime(summary.openedAt) : 'never'}</td>
      <td>
        <div className="case-actions">
          {open ? (
            <button type="button" className="button small-button" data-testid="case-close" disabled={busy} onClick={() => void commands.closeCase()}>
              Close
            </button>
          ) : (
            <button type="button" className="button small-button primary" data-testid="case-open" disabled={busy} onClick={() => void commands.openCase(summary.id)}>
              Open
            </button>
          )}
          <button
            type="button"
            className="button small-button"
            data-testid="case-rename"
            onClick={() => {
              setName(summary.name);
              setRenaming(!renaming);
            }}
          >
            {renaming ? 'Cancel' : 'Rename'}
          </button>
          <button
            type="button"
            className="button small-button"
            data-testid="case-archive"
            disabled={open && busy}
            onClick={() => void commands.archiveCase(summary.id, true)}
          >
            Archive
          </button>
        </div>
      </td>
    </tr>
  );
}

function ArchivedCases({ cases }: { cases: CaseSummary[] }) {
  const commands = useCommands();
  return (
    <section className="card" data-testid="cases-archived">
      <h2>Archived</h2>
      <p className="muted small">Archived cases keep everything; unarchive one to open it again.</p>
      <ul className="archived-cases">
        {cases.map((summary) => (
          <li key={summary.id} data-testid="case-archived-row" data-case-name={summary.name}>
            <span>{summary.name}</span>
            <span className="muted small">archived {formatTime(summary.archivedAt!)}</span>
            <button type="button" className="button small-button" data-testid="case-unarchive" onClick={() => void commands.archiveCase(summary.id, false)}>
              Unarchive
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}
