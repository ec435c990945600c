import { describe, expect, it } from 'vitest';
import type { StepProgress } from '../../shared/ipc/index.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport, sampleReport } from '../../shared/fixtures/sample-report.js';
import { generateChecklist } from '../../shared/checklist/index.js';
import type { ScanReport } from '../../shared/model/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import {
  selectChecklistChartData,
  selectChecklistPhases,
  selectChecklistSteps,
  selectChecklistSummary,
  selectOrphanedProgress,
} from './checklist-selectors.js';

const tick = (done: boolean, at = '2026-03-25T09:00:00.000Z', note = ''): StepProgress => ({ done, note, updatedAt: at, doneAt: done ? at : null });

function stateWith(setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  setup(store.getState());
  return store.getState();
}

function stateWithReport(report: ScanReport, progress: Record<string, StepProgress> = {}, setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  store.getState().caseLoaded({ report, progress });
  setup(store.getState());
  return store.getState();
}

const openaiGone = `rotate:key-gone:${encodeURIComponent(LAB.openaiKey)}`;

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

  it('shows steps by phase in working order and leaves empty phases out', () => {
    const state = stateWith((s) => s.caseLoaded({ report, progress: {} }));

    const phases = selectChecklistPhases(state);

    // The sample has no keys or deployment findings: nothing to verify or harden; its gateway's consumers are still to find (recover).
    expect(phases.map((phase) => phase.phase)).toEqual(['contain', 'eradicate', 'rotate', 'recover']);
    expect(phases.reduce((sum, phase) => sum + phase.steps.length, 0)).toBe(steps.length);
    expect(phases.map((phase) => phase.title)).toEqual(['Contain', 'Eradicate', 'Rotate', 'Recover']);
  });

  it('marks a step blocked until what it waits for is ticked, and names what it waits for', () => {
    const lab = sampleLabReport();
    const rotateId = `rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`;

    const before = selectChecklistSteps(stateWithReport(lab)).find((step) => step.id === rotateId)!;
    const after = selectChecklistSteps(stateWithReport(lab, { 'contain:isolate-host:gw': tick(true) })).find((step) => step.id === rotateId)!;

    expect(before).toMatchObject({ blocked: true, waitsFor: ['contain:isolate-host:gw'] });
    expect(after).toMatchObject({ blocked: false, waitsFor: [] });
  });

  it('feeds the chart done and open counts per phase from the summary', () => {
    const state = stateWith((s) => s.caseLoaded({ report, progress: { [first!.id]: tick(true), [second!.id]: tick(false) } }));

    const summary = selectChecklistSummary(state);
    const rows = selectChecklistChartData(state);

    expect(summary).toMatchObject({ total: steps.length, done: 1 });
    expect(rows[0]).toEqual({ phase: 'Contain', done: 1, open: steps.filter((step) => step.phase === 'contain').length - 1 });
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

describe('checklist selectors with keys', () => {
  it('shows the key-gone step verified from the store once a newer report lacks the key everywhere', () => {
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T10:00:00.000Z';
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.secrets = gw.secrets!.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    const at = '2026-03-25T09:00:00.000Z';

    const state = stateWithReport(report, { [openaiGone]: { done: true, note: '', updatedAt: at, doneAt: at, watchedHosts: [SAMPLE.gw] } });

    expect(selectChecklistSteps(state).find((step) => step.id === openaiGone)).toMatchObject({ verified: true });
    expect(selectOrphanedProgress(state)).toEqual([]);
  });
});
