import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReport } from '../../shared/fixtures/sample-report.js';
import { hostNodeId } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { selectBlastGraph, selectSelectedNodeDetails } from './graph-selectors.js';

function stateWith(setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  setup(store.getState());
  return store.getState();
}

describe('graph selectors', () => {
  it('builds the graph from the report and an empty one without a report', () => {
    const withReport = stateWith((s) => s.caseLoaded({ report: sampleReport(), progress: {} }));

    expect(selectBlastGraph(stateWith()).nodes).toEqual([]);
    expect(selectBlastGraph(withReport).nodes.filter((node) => node.status === 'compromised').map((node) => node.label).sort()).toEqual([
      'litellm 1.82.7',
      'litellm 1.82.8',
    ]);
  });

  it('resolves the selected node to its findings', () => {
    const state = stateWith((s) => {
      s.caseLoaded({ report: sampleReport(), progress: {} });
      s.nodeSelected(hostNodeId(SAMPLE.gw));
    });

    const details = selectSelectedNodeDetails(state);

    expect(details?.node.status).toBe('reached');
    expect(details?.findings.map((finding) => finding.title)).toEqual(['litellm 1.82.8 (malicious code, MAL-2026-2144) in container litellm on gw']);
  });

  it('returns no details for a selection the new report no longer has', () => {
    const state = stateWith((s) => {
      s.caseLoaded({ report: sampleReport(), progress: {} });
      s.nodeSelected('host:gone');
    });

    expect(selectSelectedNodeDetails(state)).toBeNull();
  });
});
