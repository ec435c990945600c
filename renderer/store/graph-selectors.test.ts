import { describe, expect, it } from 'vitest';
import { LAB, SAMPLE, sampleLabReport, sampleReport } from '../../shared/fixtures/sample-report.js';
import { hostNodeId, keyNodeId, providerNodeId } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { selectBlastGraph, selectChainHighlight, selectProviderKeys, selectSelectedNodeChains, selectSelectedNodeDetails } from './graph-selectors.js';

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

  it('explains the selected key by its chain and highlights the nodes and edges on it', () => {
    const state = stateWith((s) => {
      s.caseLoaded({ report: sampleLabReport(), progress: {} });
      s.nodeSelected(keyNodeId(LAB.openaiKey));
    });

    const chains = selectSelectedNodeChains(state);
    const highlight = selectChainHighlight(state);

    expect(chains!.chains[0]!.steps.at(-1)!.to.id).toBe(keyNodeId(LAB.openaiKey));
    expect(highlight!.nodeIds.has(keyNodeId(LAB.openaiKey))).toBe(true);
    expect(highlight!.edgeIds.size).toBe(chains!.chains[0]!.steps.length);
  });

  it('gives a selected provider its keys with their rotate steps, and nothing to any other node', () => {
    const loaded = (nodeId: string) =>
      stateWith((s) => {
        s.caseLoaded({ report: sampleLabReport(), progress: {} });
        s.nodeSelected(nodeId);
      });

    const keys = selectProviderKeys(loaded(providerNodeId('openai')));

    expect(keys.map((entry) => entry.key.data.fingerprint)).toEqual([LAB.openaiKey]);
    expect(keys[0]!.steps.map((step) => step.key?.role)).toContain('rotate');
    expect(selectProviderKeys(loaded(hostNodeId(SAMPLE.gw)))).toEqual([]);
  });
});
