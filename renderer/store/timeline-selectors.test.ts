import { describe, expect, it } from 'vitest';
import { deepReport } from '../../shared/fixtures/deep-report.js';
import { createAppStore } from './app-store.js';
import { selectTimeline } from './timeline-selectors.js';

describe('selectTimeline', () => {
  it('is empty before the first scan', () => {
    expect(selectTimeline(createAppStore().getState())).toEqual([]);
  });

  it('builds the windows of the loaded report, and returns the same array while the report is unchanged', () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: deepReport(), progress: {} });
    const first = selectTimeline(store.getState());

    store.getState().viewChosen('inventory');

    expect(first.map((window) => window.id)).toEqual(['litellm-2026-03-24']);
    expect(selectTimeline(store.getState())).toBe(first);
  });
});
