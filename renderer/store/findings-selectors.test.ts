import { describe, expect, it } from 'vitest';
import { LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { deepReport, mutableTag, sysmonUnit, watchtower } from '../../shared/fixtures/deep-report.js';
import type { Finding, ScanReport } from '../../shared/model/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { filterFindings, findingFilterOptions, selectFilteredFindings, selectFindingCounts, selectFindingFilterOptions, selectSortedFindings, suppressionMarks } from './findings-selectors.js';
import { judgedSampleReport } from '../../shared/fixtures/format-reports.js';
import { NO_FINDING_FILTERS } from './ui-slice.js';

function stateWith(report: ScanReport, setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  store.getState().caseLoaded({ report, progress: {} });
  setup(store.getState());
  return store.getState();
}

describe('findings list', () => {
  it('lists every finding most severe first', () => {
    const findings = selectSortedFindings(stateWith(deepReport()));

    expect(findings.map((finding) => finding.severity)).toEqual(['critical', 'critical', 'critical', 'high', 'medium']);
    expect(findings.map((finding) => finding.id)).toEqual(expect.arrayContaining([mutableTag.id, sysmonUnit.id, watchtower.id]));
  });

  it('lets every finding through when no filter is set', () => {
    const findings = deepReport().findings;

    expect(filterFindings(findings, NO_FINDING_FILTERS)).toHaveLength(findings.length);
  });

  it('keeps only the findings of the picked host, severity and kind together', () => {
    const findings: Finding[] = deepReport().findings;

    const onGwHigh = filterFindings(findings, { ...NO_FINDING_FILTERS, host: SAMPLE.gw, severity: 'high' });
    const iocs = filterFindings(findings, { ...NO_FINDING_FILTERS, kind: 'ioc' });
    const none = filterFindings(findings, { ...NO_FINDING_FILTERS, host: SAMPLE.nodocker, kind: 'mutable-image-tag' });

    expect([onGwHigh.map((finding) => finding.id), iocs.map((finding) => finding.id), none]).toEqual([[mutableTag.id], [sysmonUnit.id], []]);
  });

  it('finds findings by free text in the title, host, container or a path, case aside, and with the other filters', () => {
    const findings: Finding[] = deepReport().findings;
    const search = (text: string, narrowing: Partial<typeof NO_FINDING_FILTERS> = {}) =>
      filterFindings(findings, { ...NO_FINDING_FILTERS, ...narrowing, text }).map((finding) => finding.id);

    expect(search('PERSISTENCE unit')).toEqual([sysmonUnit.id]);
    expect(search('/home/alice/.config/systemd')).toEqual([sysmonUnit.id]);
    expect(search(mutableTag.container!)).toContain(mutableTag.id);
    expect(search('  ')).toHaveLength(findings.length);
    expect(search('sysmon', { host: SAMPLE.gw })).toEqual([]);
    expect(search('no finding says this')).toEqual([]);
  });

  it('finds a key by its fingerprint', () => {
    const report = sampleLabReport();
    const key = report.findings.find((finding) => finding.kind === 'secret');
    if (key?.kind !== 'secret') throw new Error('the lab sample has no key finding');

    expect(filterFindings(report.findings, { ...NO_FINDING_FILTERS, text: key.fingerprint.slice(-10) }).map((finding) => finding.id)).toContain(key.id);
  });

  it('filters through the ui slice filter events and clears them again', () => {
    const filtered = stateWith(deepReport(), (s) => {
      s.findingFilterChanged('host', SAMPLE.nodocker);
      s.findingFilterChanged('kind', 'ioc');
    });
    const cleared = stateWith(deepReport(), (s) => {
      s.findingFilterChanged('host', SAMPLE.nodocker);
      s.findingFiltersCleared();
    });

    expect(selectFilteredFindings(filtered).map((finding) => finding.id)).toEqual([sysmonUnit.id]);
    expect(selectFilteredFindings(cleared)).toHaveLength(5);
  });

  it('offers the hosts and kinds that have findings, and keeps a picked value a re-scan dropped', () => {
    const findings = deepReport().findings;

    const options = findingFilterOptions(findings, NO_FINDING_FILTERS);
    const stale = findingFilterOptions(findings, { ...NO_FINDING_FILTERS, host: 'nas', kind: 'build-time-install' });

    expect(options.hosts).toEqual([SAMPLE.gw, SAMPLE.nodocker]);
    expect(options.kinds).toEqual(['compromised-package', 'ioc', 'mutable-image-tag', 'auto-updater']);
    expect(options.severities).toEqual(['critical', 'high', 'medium', 'low', 'info']);
    expect([stale.hosts.at(-1), stale.kinds.at(-1)]).toEqual(['nas', 'build-time-install']);
  });

  it('counts findings per severity before any filter', () => {
    const state = stateWith(deepReport(), (s) => s.findingFilterChanged('severity', 'medium'));

    expect(selectFindingCounts(state)).toEqual({ critical: 3, high: 1, medium: 1, low: 0, info: 0 });
  });
});

describe('findings selectors with the new kinds', () => {
  it('offers the new kinds as filters and filters on them', () => {
    const state = stateWith(sampleLabReport(), (s) => s.findingFilterChanged('kind', 'consumer'));

    expect(selectFindingFilterOptions(state).kinds).toEqual(expect.arrayContaining(['secret', 'gateway', 'consumer', 'ssh-lateral']));
    expect(selectFilteredFindings(state).map((finding) => finding.id).sort()).toEqual(
      [LAB_FINDING_IDS.openWebui, LAB_FINDING_IDS.ollamaHost, LAB_FINDING_IDS.summarizer].sort(),
    );
  });
});

describe('suppressionMarks', () => {
  const report = judgedSampleReport();
  const [first, second] = report.findings;
  const suppressions = {
    fileName: 'accepted.yaml',
    loadedAt: '2026-03-26T00:00:00.000Z',
    entries: [
      { by: 'finding' as const, value: first!.id, reason: 'rebuilt tonight', expires: '2026-04-30' },
      { by: 'finding' as const, value: second!.id, reason: 'vendor answer pending', expires: '2026-03-28' },
    ],
  };

  it('marks each finding the file names, suppressed until its date and back after it', () => {
    const marks = suppressionMarks(report, suppressions, '2026-04-01T00:00:00.000Z');

    expect(marks).toEqual({
      [first!.id]: { state: 'suppressed', text: 'suppressed: rebuilt tonight (until 2026-04-30)' },
      [second!.id]: { state: 'expired', text: 'suppression expired 2026-03-28: vendor answer pending' },
    });
  });

  it('marks nothing without a file or a report', () => {
    expect(suppressionMarks(report, null, '2026-04-01T00:00:00.000Z')).toEqual({});
    expect(suppressionMarks(null, suppressions, '2026-04-01T00:00:00.000Z')).toEqual({});
  });
});
