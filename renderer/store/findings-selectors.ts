/** Reads of the findings view: the sorted list, its filters, the values they offer and the totals. */
import { suppressionNote, suppressionState, withSuppressions, type CaseSuppressions } from '../../shared/case/index.js';
import { FINDING_KINDS, SEVERITIES, type Finding, type FindingKind, type ScanReport, type Severity } from '../../shared/model/index.js';
import { findingFacts } from '../../shared/kinds/index.js';
import { countBySeverity, sortFindings } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';
import type { FindingFilters } from './ui-slice.js';

const createSelector = selectorCreator<AppState>();

/** How the findings list is narrowed. */
export const selectFindingFilters = (state: AppState) => state.findingFilters;
/** Whether one finding's evidence is open. */
export const selectIsFindingExpanded = (id: string) => (state: AppState) => state.expandedFindings.includes(id);

const EMPTY_FINDINGS: Finding[] = [];

/** Every finding of the report, most severe first, then by host, kind and title. */
export const selectSortedFindings = createSelector([selectReport], (report): Finding[] => (report ? sortFindings(report.findings) : EMPTY_FINDINGS));

/**
 * Whether a finding mentions the searched text (case aside): in its title, host, container, id, or
 * any of its kind's facts (paths, fingerprints, images, units…). Blank text matches every finding.
 */
export function findingMatchesText(finding: Finding, text: string): boolean {
  const needle = text.trim().toLowerCase();
  if (needle === '') return true;
  const haystack = [finding.title, finding.host, finding.container ?? '', finding.id, ...findingFacts(finding).map((fact) => fact.value)];
  return haystack.some((value) => value.toLowerCase().includes(needle));
}

/** The findings that pass every filter that is set (a null field, or blank text, lets every value through). */
export function filterFindings(findings: readonly Finding[], filters: FindingFilters): Finding[] {
  return findings.filter(
    (finding) =>
      (filters.host === null || finding.host === filters.host) &&
      (filters.severity === null || finding.severity === filters.severity) &&
      (filters.kind === null || finding.kind === filters.kind) &&
      findingMatchesText(finding, filters.text),
  );
}

/** The findings list as filtered. */
export const selectFilteredFindings = createSelector([selectSortedFindings, selectFindingFilters], filterFindings);

/** The values each findings filter offers. */
export interface FindingFilterOptions {
  hosts: string[];
  severities: Severity[];
  kinds: FindingKind[];
}

/**
 * The values the filters offer: hosts and kinds that have findings, every severity, in report
 * order; a value picked earlier stays offered after a re-scan drops it, so the select can show it.
 */
export function findingFilterOptions(findings: readonly Finding[], filters: FindingFilters): FindingFilterOptions {
  const hosts = [...new Set(findings.map((finding) => finding.host))].sort((a, b) => a.localeCompare(b));
  if (filters.host !== null && !hosts.includes(filters.host)) hosts.push(filters.host);
  const present = new Set<FindingKind>(findings.map((finding) => finding.kind));
  if (filters.kind !== null) present.add(filters.kind);
  return { hosts, severities: [...SEVERITIES], kinds: FINDING_KINDS.filter((kind) => present.has(kind)) };
}

/** The values the findings filters offer now. */
export const selectFindingFilterOptions = createSelector([selectSortedFindings, selectFindingFilters], findingFilterOptions);

/** Findings per severity, before filtering, for the view's summary line. */
export const selectFindingCounts = createSelector([selectSortedFindings], countBySeverity);

/** A finding's suppression as the findings table shows it. */
export interface SuppressionMark {
  state: 'suppressed' | 'expired';
  /** `suppressed: REASON (until DATE)` or `suppression expired DATE: REASON`. */
  text: string;
}

/** What the case's suppression file says of each finding it names, judged at `now` (pushed reports carry no suppressions: they are applied here). */
export function suppressionMarks(report: ScanReport | null, suppressions: CaseSuppressions | null, now: string): Record<string, SuppressionMark> {
  if (!report || !suppressions) return {};
  const applied = withSuppressions(report, suppressions, now).suppressions;
  const marks: Record<string, SuppressionMark> = {};
  for (const { findingId } of applied ?? []) {
    const found = suppressionState(applied, findingId);
    const text = suppressionNote(applied, findingId);
    if (found && text) marks[findingId] = { state: found.state, text };
  }
  return marks;
}

/** The case's suppression file. */
export const selectCaseSuppressions = (state: AppState) => state.suppressions;

/** Each named finding's suppression mark, judged when the report or the file changes. */
export const selectSuppressionMarks = createSelector([selectReport, selectCaseSuppressions], (report, suppressions) =>
  suppressionMarks(report, suppressions, new Date().toISOString()),
);
