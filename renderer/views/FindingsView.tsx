/**
 * Findings: every finding of every kind, searchable and filterable by host, severity and kind, with
 * the compromise-window timeline folded below. A suppression file loaded into the case marks the
 * findings it names ("suppressed: reason (until date)", or that the suppression expired): marked, never hidden.
 */
import { memo, type ChangeEvent } from 'react';
import { useCommands } from '../app/commands-context.js';
import { useAppStore } from '../store/app-store.js';
import { FINDING_KINDS, type Finding, type Severity } from '../../shared/model/index.js';
import {
  useFilteredFindings,
  useFindingCounts,
  useFindingFilterOptions,
  useFindingFilters,
  useIsFindingExpanded,
  useReport,
  useCaseSuppressions,
  useSuppressionCounts,
  useSuppressionMark,
  useUiEvents,
} from '../store/hooks.js';
import { findingFacts } from '../../shared/kinds/index.js';
import { EmptyState } from '../components/EmptyState.js';
import { TimelineChart } from './TimelineChart.js';
import { AdvisoriesBar } from './AdvisoriesBar.js';
import { findingKindLabel } from '../../shared/kinds/index.js';

/** The findings view. */
export function FindingsView() {
  const report = useReport();
  return (
    <section className="view" data-testid="view-findings">
      <header className="view-header">
        <h1>Findings</h1>
        <p className="muted">Everything the last scan flagged, most severe first; below, when each affected container got its image.</p>
      </header>
      {/* Advisories can be loaded before the first scan: the scan judges with them. */}
      <AdvisoriesBar />
      {!report ? (
        <EmptyState testId="findings-empty" title="No scan yet" text="Pick hosts in the Hosts view and scan them." />
      ) : (
        <>
          <SuppressionsBar />
          <FindingsList />
          <TimelineChart />
        </>
      )}
    </section>
  );
}

function FindingsList() {
  const findings = useFilteredFindings();
  const counts = useFindingCounts();
  const total = Object.values(counts).reduce((sum, count) => sum + count, 0);
  return (
    <section className="card table-card">
      <div className="findings-toolbar">
        <h2>
          {findings.length === total ? `${total} finding${total === 1 ? '' : 's'}` : `${findings.length} of ${total} findings`}
        </h2>
        <Filters />
      </div>
      {findings.length === 0 ? (
        <p className="muted empty-cell" data-testid="findings-none">
          {total === 0 ? 'The scan flagged nothing.' : 'No finding matches these filters.'}
        </p>
      ) : (
        <table className="table findings-table" data-testid="findings-table">
          <thead>
            <tr>
              <th>Severity</th>
              <th>Kind</th>
              <th>Host</th>
              <th>Container</th>
              <th>Title</th>
              <th className="verdict-cell">Verdict</th>
            </tr>
          </thead>
          {findings.map((finding) => (
            <FindingRow key={finding.id} finding={finding} />
          ))}
        </table>
      )}
    </section>
  );
}

/** Largest suppression file sent to the backend (it refuses more). */
const MAX_SUPPRESSION_FILE = 1_000_000;

/** The case's suppression file: load one (a file choice, which works in the desktop app and the browser alike), see what it does, drop it. */
function SuppressionsBar() {
  const suppressions = useCaseSuppressions();
  const counts = useSuppressionCounts();
  const commands = useCommands();
  const load = async (event: ChangeEvent<HTMLInputElement>) => {
    const file = event.target.files?.[0];
    event.target.value = '';
    if (!file) return;
    if (file.size > MAX_SUPPRESSION_FILE) {
      useAppStore.getState().errorRaised(`The suppression file ${file.name} was not loaded: it is larger than ${MAX_SUPPRESSION_FILE / 1_000_000} MB`);
      return;
    }
    await commands.setSuppressions(file.name, await file.text());
  };
  return (
    <section className="card suppressions-bar" data-testid="suppressions-bar">
      <div>
        <strong>Suppressions</strong>{' '}
        <span className="muted small" data-testid="suppressions-status">
          {suppressions
            ? `${suppressions.entries.length} entr${suppressions.entries.length === 1 ? 'y' : 'ies'} from ${suppressions.fileName}, loaded ${suppressions.loadedAt.slice(0, 16).replace('T', ' ')} UTC: ${counts.suppressed} finding${counts.suppressed === 1 ? '' : 's'} suppressed${counts.expired > 0 ? `, ${counts.expired} back (suppression expired)` : ''}`
            : 'none: a YAML file of accepted findings (by advisory id, key fingerprint or finding id, with a reason and an optional expiry date) marks them here and in exports'}
        </span>
      </div>
      <div className="suppressions-actions">
        <label className="button small-button">
          {suppressions ? 'Replace…' : 'Load suppressions…'}
          <input type="file" accept=".yaml,.yml,.json" className="visually-hidden" data-testid="suppressions-input" onChange={(event) => void load(event)} />
        </label>
        {suppressions && (
          <button type="button" className="button small-button" data-testid="suppressions-clear" onClick={() => void commands.setSuppressions(suppressions.fileName, null)}>
            Drop
          </button>
        )}
      </div>
    </section>
  );
}

function Filters() {
  const filters = useFindingFilters();
  const options = useFindingFilterOptions();
  const { findingFilterChanged, findingFiltersCleared } = useUiEvents();
  const narrowed = filters.host !== null || filters.severity !== null || filters.kind !== null || filters.text !== '';
  return (
    <div className="filters">
      <label className="filter filter-search">
        Search
        <input
          type="search"
          data-testid="findings-search"
          placeholder="Title, host, container, path, fingerprint"
          value={filters.text}
          onChange={(event) => findingFilterChanged('text', event.target.value)}
        />
      </label>
      <label className="filter">
        Host
        <select data-testid="filter-host" value={filters.host ?? ''} onChange={(event) => findingFilterChanged('host', event.target.value || null)}>
          <option value="">All hosts</option>
          {options.hosts.map((host) => (
            <option key={host} value={host}>
              {host}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Severity
        <select
          data-testid="filter-severity"
          value={filters.severity ?? ''}
          onChange={(event) => findingFilterChanged('severity', (event.target.value || null) as Severity | null)}
        >
          <option value="">All severities</option>
          {options.severities.map((severity) => (
            <option key={severity} value={severity}>
              {severity}
            </option>
          ))}
        </select>
      </label>
      <label className="filter">
        Kind
        <select
          data-testid="filter-kind"
          value={filters.kind ?? ''}
          onChange={(event) => findingFilterChanged('kind', FINDING_KINDS.find((kind) => kind === event.target.value) ?? null)}
        >
          <option value="">All kinds</option>
          {options.kinds.map((kind) => (
            <option key={kind} value={kind}>
              {findingKindLabel(kind)}
            </option>
          ))}
        </select>
      </label>
      <button type="button" className="button small-button" data-testid="filter-clear" disabled={!narrowed} onClick={findingFiltersCleared}>
        Clear
      </button>
    </div>
  );
}

const FindingRow = memo(function FindingRow({ finding }: { finding: Finding }) {
  const expanded = useIsFindingExpanded(finding.id);
  const { findingToggled } = useUiEvents();
  const verdict = finding.kind === 'compromised-package' ? finding.verdict : undefined;
  const reasons = finding.kind === 'compromised-package' ? (finding.reasons ?? []) : [];
  const facts = findingFacts(finding);
  const suppression = useSuppressionMark(finding.id);
  return (
    <tbody className={expanded ? 'finding expanded' : 'finding'}>
      <tr
        data-testid={`finding-row-${finding.id}`}
        data-kind={finding.kind}
        data-severity={finding.severity}
        {...(suppression ? { 'data-suppression': suppression.state } : {})}
        className={suppression?.state === 'suppressed' ? 'suppressed' : undefined}
      >
        <td>
          <span className={`badge severity-${finding.severity}`}>{finding.severity}</span>
        </td>
        <td className="small">{findingKindLabel(finding.kind)}</td>
        <td className="host-cell">{finding.host}</td>
        <td className="mono small container-cell">{finding.container ?? <span className="muted">host</span>}</td>
        <td>
          <button
            type="button"
            className="finding-toggle"
            data-testid={`finding-toggle-${finding.id}`}
            aria-expanded={expanded}
            onClick={() => findingToggled(finding.id)}
          >
            <span className="chevron" aria-hidden="true">
              {expanded ? '▾' : '▸'}
            </span>
            <span>{finding.title}</span>
          </button>
          {suppression && (
            <div className={`suppression-mark ${suppression.state}`} data-testid={`finding-suppression-${finding.id}`}>
              {suppression.text}
            </div>
          )}
        </td>
        <td className="verdict-cell">{verdict ? <span className={`badge verdict-${verdict}`}>{verdict}</span> : <span className="muted">—</span>}</td>
      </tr>
      {expanded && (
        <tr className="detail-row">
          <td colSpan={6} data-testid={`finding-evidence-${finding.id}`}>
            {facts.length > 0 && (
              <dl className="facts detail-facts">
                {facts.map((fact) => (
                  <FactItem key={fact.label} label={fact.label} value={fact.value} />
                ))}
              </dl>
            )}
            {reasons.length > 0 && (
              <>
                <h5>Why {verdict ?? 'this verdict'}</h5>
                <ul className="evidence-list">
                  {reasons.map((reason, index) => (
                    <li key={index}>{reason}</li>
                  ))}
                </ul>
              </>
            )}
            <h5>Evidence</h5>
            <ul className="evidence-list">
              {finding.evidence.map((line, index) => (
                <li key={index}>{line}</li>
              ))}
            </ul>
            <p className="muted small mono wrap">{finding.id}</p>
          </td>
        </tr>
      )}
    </tbody>
  );
});

function FactItem({ label, value }: { label: string; value: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd className="mono">{value}</dd>
    </>
  );
}
