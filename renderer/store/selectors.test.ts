import { describe, expect, it } from 'vitest';
import type { StepProgress } from '../../shared/ipc/index.js';
import { SAMPLE, sampleReport } from '../../shared/fixtures/sample-report.js';
import { generateChecklist } from '../../shared/checklist/index.js';
import { hostNodeId } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import {
  environmentKey,
  selectBlastGraph,
  selectCanStartScan,
  selectChecklistChartData,
  selectChecklistGroups,
  selectChecklistSteps,
  selectChecklistSummary,
  selectCurrentPrompt,
  selectHostProgress,
  selectInventory,
  selectOrphanedProgress,
  selectScanCounts,
  selectSelectedNodeDetails,
} from './selectors.js';

const tick = (done: boolean, at = '2026-03-25T09:00:00.000Z', note = ''): StepProgress => ({ done, note, updatedAt: at, doneAt: done ? at : null });

function stateWith(setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  setup(store.getState());
  return store.getState();
}

describe('scan selectors', () => {
  it('allows a scan only when a host is ticked and none is running', () => {
    const none = stateWith((s) => s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]));
    const ticked = stateWith((s) => {
      s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
      s.hostToggled('gw');
    });
    const running = stateWith((s) => {
      s.hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
      s.hostToggled('gw');
      s.scanRequested(['gw']);
    });

    expect([selectCanStartScan(none), selectCanStartScan(ticked), selectCanStartScan(running)]).toEqual([false, true, false]);
  });

  it('counts hosts that are done, failed or cancelled as settled', () => {
    const state = stateWith((s) => {
      s.scanRequested(['a', 'b', 'c', 'd']);
      s.scanProgressed({ scanId: 's', host: 'a', phase: 'done', message: '' });
      s.scanProgressed({ scanId: 's', host: 'b', phase: 'failed', message: 'refused' });
      s.scanProgressed({ scanId: 's', host: 'c', phase: 'python', message: '' });
    });

    expect(selectScanCounts(state)).toEqual({ total: 4, settled: 2 });
  });

  it('returns null progress for a host that is not part of the scan', () => {
    const state = stateWith((s) => s.scanRequested(['gw']));

    expect(selectHostProgress('nas')(state)).toBeNull();
    expect(selectHostProgress('gw')(state)).toEqual({ phase: 'queued', message: 'Waiting to start' });
  });
});

describe('selectInventory', () => {
  it('is empty before the first scan', () => {
    expect(selectInventory(stateWith())).toEqual([]);
  });

  it('marks exactly the packages a finding names, and lists them first in their environment', () => {
    const state = stateWith((s) => s.caseLoaded({ report: sampleReport(), progress: {} }));

    const gw = selectInventory(state).find((host) => host.name === SAMPLE.gw)!;
    const litellmSite = gw.environments.find((environment) => environment.container === SAMPLE.litellmContainer)!;
    const debian = gw.environments.find((environment) => environment.container === null)!;

    expect(litellmSite.packages.map((pkg) => [pkg.name, pkg.findingIds.length > 0])).toEqual([
      ['litellm', true],
      ['httpx', false],
      ['openai', false],
    ]);
    expect(litellmSite).toMatchObject({ key: environmentKey(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite), packageCount: 3, flaggedCount: 1 });
    expect(debian.flaggedCount).toBe(0);
    expect(gw.findingCount).toBe(1);
  });

  it('does not flag the same package name in another environment of the same host', () => {
    const state = stateWith((s) => s.caseLoaded({ report: sampleReport(), progress: {} }));

    const nodocker = selectInventory(state).find((host) => host.name === SAMPLE.nodocker)!;

    expect(nodocker.environments.map((environment) => environment.flaggedCount)).toEqual([0, 1]);
  });

  it('keeps an unreachable host with its status and error', () => {
    const state = stateWith((s) => s.caseLoaded({ report: sampleReport(), progress: {} }));

    expect(selectInventory(state).find((host) => host.name === SAMPLE.unreachable)).toMatchObject({
      status: 'unreachable',
      error: SAMPLE.unreachableError,
      containers: [],
      environments: [],
    });
  });

  it('returns the same array while the report is unchanged, so hooks do not re-render', () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleReport(), progress: {} });
    const first = selectInventory(store.getState());

    store.getState().viewChosen('inventory');

    expect(selectInventory(store.getState())).toBe(first);
  });
});

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

describe('checklist selectors', () => {
  const report = sampleReport();
  const steps = generateChecklist(report);
  const [first, second] = steps;

  it('merges recorded progress into the generated steps', () => {
    const state = stateWith((s) => s.caseLoaded({ report, progress: { [first!.id]: tick(true) } }));

    const merged = selectChecklistSteps(state);

    expect(merged.map((step) => step.id)).toEqual(steps.map((step) => step.id));
    expect(merged.filter((step) => step.done).map((step) => step.id)).toEqual([first!.id]);
  });

  it('groups steps in working order and leaves empty groups out', () => {
    const state = stateWith((s) => s.caseLoaded({ report, progress: {} }));

    const groups = selectChecklistGroups(state);

    expect(groups.map((group) => group.group)).toEqual(['contain', 'rotate', 'teardown', 'clean-up']);
    expect(groups.reduce((sum, group) => sum + group.steps.length, 0)).toBe(steps.length);
    expect(groups[0]?.title).toBe('Contain');
  });

  it('feeds the chart done and open counts per group from the summary', () => {
    const state = stateWith((s) => s.caseLoaded({ report, progress: { [first!.id]: tick(true), [second!.id]: tick(false) } }));

    const summary = selectChecklistSummary(state);
    const rows = selectChecklistChartData(state);

    expect(summary).toMatchObject({ total: steps.length, done: 1 });
    expect(rows[0]).toEqual({ group: 'Contain', done: 1, open: steps.filter((step) => step.group === 'contain').length - 1 });
    expect(rows.reduce((sum, row) => sum + row.done + row.open, 0)).toBe(steps.length);
  });

  it('lists progress whose step the report no longer generates as orphaned, and does not count it', () => {
    const state = stateWith((s) => s.caseLoaded({ report, progress: { 'teardown:remove-container:old/box': tick(true), [first!.id]: tick(true) } }));

    expect(selectOrphanedProgress(state)).toEqual([{ stepId: 'teardown:remove-container:old/box', progress: tick(true) }]);
    expect(selectChecklistSummary(state).done).toBe(1);
  });

  it('treats all progress as orphaned when there is no report', () => {
    const state = stateWith((s) => s.caseLoaded({ report: null, progress: { a: tick(false) } }));

    expect(selectChecklistSteps(state)).toEqual([]);
    expect(selectOrphanedProgress(state).map((orphan) => orphan.stepId)).toEqual(['a']);
  });

  it('recomputes the merged steps when a save answers with new progress', () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report, progress: {} });
    const before = selectChecklistSteps(store.getState());

    store.getState().stepSaved(first!.id, { [first!.id]: tick(true) });
    const after = selectChecklistSteps(store.getState());

    expect(after).not.toBe(before);
    expect(after.find((step) => step.id === first!.id)?.done).toBe(true);
  });
});

describe('selectCurrentPrompt', () => {
  it('shows the oldest open prompt first', () => {
    const state = stateWith((s) => {
      s.hostKeyPrompted({ promptId: 'p1', host: 'gw', address: 'root@gw:22', keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' });
      s.passphrasePrompted({ promptId: 'p2', host: 'gw', keyPath: '/root/.ssh/id_ed25519' });
    });

    expect(selectCurrentPrompt(state)?.promptId).toBe('p1');
  });
});
