/** Reads of the compromise-window timeline and of the window editors beside it. */
import { buildTimeline } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

/** The timeline of the report's compromise windows. */
export const selectTimeline = createSelector([selectReport], buildTimeline);

/** Whether the user changed a window (so it can be reset). */
export const selectIsWindowOverridden = (windowId: string) => (state: AppState) => Object.hasOwn(state.windowOverrides, windowId);
/** Whether a window's change is on its way to the backend. */
export const selectIsWindowSaving = (windowId: string) => (state: AppState) => state.savingWindows.includes(windowId);
