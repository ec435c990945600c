import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../shared/fixtures/sample-report.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { selectInventory } from './inventory-selectors.js';

function stateWith(setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  setup(store.getState());
  return store.getState();
}

describe('selectInventory', () => {
  it('is empty before the first scan', () => {
    expect(selectInventory(stateWith())).toEqual([]);
  });

  it('returns the same array while the report is unchanged, so hooks do not re-render', () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: sampleReport(), progress: {} });
    const first = selectInventory(store.getState());

    store.getState().viewChosen('inventory');

    expect(selectInventory(store.getState())).toBe(first);
  });
});
