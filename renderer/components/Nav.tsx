/** The left nav: one button per view, with a count that says where attention is needed; folds to a rail in narrow windows or on request. */
import { useDeferredValue } from 'react';
import { useChecklistSummary, useNavFolded, useReport, useUiEvents, useView } from '../store/hooks.js';
import { useNarrowWindow } from '../app/use-narrow-window.js';
import { VIEWS, type View } from '../store/ui-slice.js';
import { formatTime } from '../app/format.js';
import { CaseSwitcher } from './CaseSwitcher.js';
import { ExportReport } from './ExportReport.js';
import { VIEW_TABLE } from './view-table.js';

/** The left navigation. */
export function Nav() {
  const current = useView();
  const { viewChosen, navToggled } = useUiEvents();
  const folded = useNavFolded();
  useNarrowWindow();
  const report = useReport();
  // The plan's count needs the whole plan (a quarter of a second at 5,000 graph nodes): it comes in a
  // render of its own after the one that shows the loaded case, so the first view does not wait on it.
  const planCounted = useDeferredValue(report, null) !== null;
  const badges: Partial<Record<View, { text: string; tone: 'alert' | 'muted' }>> = {};
  if (report) {
    badges.inventory = { text: String(report.hosts.length), tone: 'muted' };
    if (report.findings.length > 0) badges.findings = { text: String(report.findings.length), tone: 'alert' };
    if (report.findings.length > 0) badges.graph = { text: String(report.findings.length), tone: 'alert' };
  }

  return (
    <nav className={folded ? 'nav folded' : 'nav'} aria-label="Views" data-testid="nav" data-folded={folded}>
      <div className="brand">
        <span className="brand-mark" aria-hidden="true" />
        <span className="brand-name">Blast Radius</span>
        <button
          type="button"
          className="nav-fold"
          data-testid="nav-fold"
          aria-expanded={!folded}
          aria-label={folded ? 'Unfold the navigation' : 'Fold the navigation'}
          title={folded ? 'Unfold the navigation' : 'Fold the navigation'}
          onClick={navToggled}
        >
          <span aria-hidden="true">{folded ? '»' : '«'}</span>
        </button>
      </div>
      <CaseSwitcher />
      <ul>
        {VIEWS.map((view) => {
          const { label } = VIEW_TABLE[view];
          const badge = badges[view];
          return (
            <li key={view}>
              <button
                type="button"
                data-testid={`nav-${view}`}
                className={view === current ? 'nav-item active' : 'nav-item'}
                aria-current={view === current ? 'page' : undefined}
                title={folded ? label : undefined}
                onClick={() => viewChosen(view)}
              >
                <span>{label}</span>
                <span className="nav-initial" aria-hidden="true">
                  {label.charAt(0)}
                </span>
                {badge && <span className={`nav-badge ${badge.tone}`}>{badge.text}</span>}
                {view === 'checklist' && planCounted && <PlanBadge />}
              </button>
            </li>
          );
        })}
      </ul>
      <ExportReport />
      {report && (
        <p className="nav-footer" data-testid="last-scan">
          Last scan
          <br />
          <time dateTime={report.scannedAt}>{formatTime(report.scannedAt)}</time>
        </p>
      )}
    </nav>
  );
}

/** Steps done of the plan's steps, once the plan has any. */
function PlanBadge() {
  const summary = useChecklistSummary();
  return summary.total > 0 ? <span className="nav-badge muted" data-testid="nav-plan-count">{`${summary.done}/${summary.total}`}</span> : null;
}
