import { describe, expect, it } from 'vitest';
import { LAB, SAMPLE, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from './app-store.js';
import { selectHostVerdict, selectIncidentSummary } from './summary-selectors.js';

function storeWithLab() {
  const store = createAppStore();
  store.getState().caseLoaded({ report: sampleLabReport(), progress: {} });
  return store;
}

describe('selectIncidentSummary', () => {
  it('has no summary before the first scan', () => {
    expect(selectIncidentSummary(createAppStore().getState())).toBeNull();
  });

  it("summarises the case's report and returns the same summary while the report is unchanged", () => {
    const store = storeWithLab();
    const first = selectIncidentSummary(store.getState());

    store.getState().viewChosen('graph');

    expect(first?.compromisedHosts).toEqual([SAMPLE.gw, SAMPLE.nodocker]);
    expect(selectIncidentSummary(store.getState())).toBe(first);
  });

  it('summarises again when a new report arrives', () => {
    const store = storeWithLab();
    const first = selectIncidentSummary(store.getState());

    store.getState().caseLoaded({ report: { ...sampleLabReport(), findings: [] }, progress: {} });

    expect(selectIncidentSummary(store.getState())).not.toBe(first);
    expect(selectIncidentSummary(store.getState())?.compromisedHosts).toEqual([]);
  });
});

describe('selectHostVerdict', () => {
  it("gives a host's verdict, and null for a host the case holds no result for", () => {
    const state = storeWithLab().getState();

    expect(selectHostVerdict(LAB.ollama)(state)?.verdict).toBe('reached');
    expect(selectHostVerdict(SAMPLE.unreachable)(state)?.verdict).toBe('not-read');
    expect(selectHostVerdict('alpine')(state)).toBeNull();
  });
});

describe('findingsOfKindOpened (a summary tile)', () => {
  it('opens the findings view narrowed to that kind alone, dropping other filters', () => {
    const store = storeWithLab();
    store.getState().findingFilterChanged('host', SAMPLE.gw);

    store.getState().findingsOfKindOpened('secret');

    expect(store.getState().view).toBe('findings');
    expect(store.getState().findingFilters).toEqual({ host: null, severity: null, kind: 'secret', text: '' });
  });
});
