/** Journal: what was done to the case and when (scans, ticks, notes, decisions, windows, exports), and each phase's progress over time. */
import { useEffect } from 'react';
import { useCommands } from '../app/commands-context.js';
import { EmptyState } from '../components/EmptyState.js';
import { useCaseChanges, useJournalDamaged, useJournalRows } from '../store/hooks.js';
import { JournalBurndownChart } from './JournalBurndownChart.js';

/** An entry's local date and time to the second: several entries often fall in one minute. */
function entryTime(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

/** The journal view. */
export function JournalView() {
  const commands = useCommands();
  const changes = useCaseChanges();
  const rows = useJournalRows();
  const damaged = useJournalDamaged();
  // Read again whenever the case changed: every change the store hears of was journalled before it was answered.
  useEffect(() => {
    void commands.loadJournal();
  }, [commands, ...changes]);
  return (
    <section className="view" data-testid="view-journal">
      <header className="view-header">
        <h1>Journal</h1>
        <p className="muted">
          Everything done in this case, in order, as the case folder keeps it (<code>journal.jsonl</code>): each scan with its hosts and what
          the case then held, ticks and unticks, notes, decisions, window changes and exports. Names and fingerprints only, never a key.
        </p>
      </header>
      {damaged > 0 && (
        <p className="card warning" role="status" data-testid="journal-damaged">
          {damaged === 1 ? '1 record' : `${damaged} records`} of the journal could not be read and {damaged === 1 ? 'is' : 'are'} not shown.
        </p>
      )}
      {rows.length === 0 ? (
        <EmptyState testId="journal-empty" title="Nothing recorded yet" text="Scans, ticks, notes, decisions, window changes and exports appear here as they are made." />
      ) : (
        <>
          <JournalBurndownChart />
          <section className="card" aria-label="Journal entries">
            <h2>
              Entries <span className="muted small">{rows.length}</span>
            </h2>
            <ol className="journal-list" data-testid="journal-list">
              {rows.map((row) => (
                <li key={row.seq} className="journal-row" data-testid="journal-entry" data-kind={row.kind}>
                  <time className="journal-time muted small" dateTime={row.at}>
                    {entryTime(row.at)}
                  </time>
                  <span className={`journal-kind journal-kind-${row.kind}`}>{row.label}</span>
                  <span className="journal-text">
                    {row.text}
                    {row.detail && <span className="journal-detail muted small">{row.detail}</span>}
                  </span>
                </li>
              ))}
            </ol>
          </section>
        </>
      )}
    </section>
  );
}
