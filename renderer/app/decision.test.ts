import { describe, expect, it } from 'vitest';
import { LAB_FINDING_IDS, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { CaseDecisions } from '../../shared/case/index.js';
import { createAppStore } from '../store/app-store.js';
import { selectChecklistSteps } from '../store/checklist-selectors.js';
import { selectAiComponent } from '../store/component-selectors.js';
import { createFakeApi } from '../test-support/fake-api.js';
import { createCommands } from './commands.js';
import { startApp } from './start-app.js';

const patched: CaseDecisions = { [LAB_FINDING_IDS.gateway]: { decision: 'patch', reason: 'pinned fixed release', decidedAt: '2026-03-26T09:00:00.000Z' } };

describe('the remove-or-patch decision in the renderer', () => {
  it('loads the decisions with the case, so the gateway shows the recorded one and the plan follows it after a reload', async () => {
    // Arrange
    const store = createAppStore();
    const fake = createFakeApi({
      'case:get': () => ({ report: sampleLabReport(), progress: {}, windowOverrides: {}, decisions: patched }),
      'hosts:list': () => ({ hosts: [] }),
    });

    // Act
    await startApp(fake.api, store);

    // Assert
    expect(selectAiComponent(LAB_FINDING_IDS.gateway)(store.getState())?.decision).toEqual(patched[LAB_FINDING_IDS.gateway]);
    expect(selectChecklistSteps(store.getState()).map((step) => step.id)).toContain('eradicate:redeploy-pinned:gw/litellm');
  });

  it('records a decision through the API and changes the plan from the answer', async () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleLabReport(), progress: {} });
    const fake = createFakeApi({ 'case:set-decision': () => ({ decisions: patched }) });
    const before = selectChecklistSteps(store.getState()).map((step) => step.id);

    await createCommands(fake.api, store).setDecision(LAB_FINDING_IDS.gateway, 'patch', 'pinned fixed release');

    expect(fake.calls).toEqual([{ channel: 'case:set-decision', request: { componentId: LAB_FINDING_IDS.gateway, decision: 'patch', reason: 'pinned fixed release' } }]);
    expect(before).toContain('teardown:remove-container:gw/litellm');
    expect(selectChecklistSteps(store.getState()).map((step) => step.id)).not.toContain('teardown:remove-container:gw/litellm');
    expect(store.getState().savingDecisions).toEqual([]);
  });

  it('keeps the previous decision and raises an error when recording fails', async () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleLabReport(), progress: {}, decisions: patched });
    const fake = createFakeApi({ 'case:set-decision': () => Promise.reject(new Error('disk full')) });

    await createCommands(fake.api, store).setDecision(LAB_FINDING_IDS.gateway, 'remove', '');

    expect(store.getState().decisions).toEqual(patched);
    expect(store.getState().errors.map((error) => error.message)).toEqual(['Recording the decision failed: disk full']);
  });
});
