import { describe, expect, it } from 'vitest';
import { LAB_FINDING_IDS, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from './app-store.js';
import { selectChecklistSteps } from './checklist-selectors.js';
import { selectGatewayMaps, selectGraphNodeIds } from './gateway-map-selectors.js';

describe('selectGatewayMaps', () => {
  it('has no map before the first scan', () => {
    expect(selectGatewayMaps(createAppStore().getState())).toEqual([]);
  });

  it("feeds each consumer the target picked on its move step, and keeps the maps while nothing they read changes", () => {
    // Arrange
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleLabReport(), progress: {} });
    const move = selectChecklistSteps(store.getState()).find((step) => step.choices && step.findingIds.includes(LAB_FINDING_IDS.openWebui));
    expect(move, 'the lab plan moves open-webui off the exposed gateway').toBeDefined();
    const picked = move!.choices![0]!;
    store.getState().caseLoaded({
      report: sampleLabReport(),
      progress: { [move!.id]: { done: false, note: '', updatedAt: '2026-03-25T09:00:00.000Z', doneAt: null, choice: picked.value } },
    });

    // Act
    const maps = selectGatewayMaps(store.getState());
    store.getState().viewChosen('gateways');

    // Assert
    const webui = maps[0]!.consumers.find((consumer) => consumer.findingId === LAB_FINDING_IDS.openWebui);
    expect(webui?.routeAroundTarget).toMatchObject({ stepId: move!.id, choice: picked.value, choiceLabel: picked.label, done: false, verified: false });
    expect(selectGatewayMaps(store.getState())).toBe(maps);
  });

  it("knows which map entries the blast graph draws (the gateway's container is one)", () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleLabReport(), progress: {} });

    const ids = selectGraphNodeIds(store.getState());

    expect(ids.has(selectGatewayMaps(store.getState())[0]!.nodeId)).toBe(true);
  });
});
