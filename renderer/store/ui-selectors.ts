/** Reads of the app shell: the current view, the prompt to answer, errors, and startup. */
import type { AppState } from './app-state.js';

/** The current view. */
export const selectView = (state: AppState) => state.view;
/** The prompt to show now (the oldest), or null. */
export const selectCurrentPrompt = (state: AppState) => state.prompts[0] ?? null;
/** Errors shown in the banner, oldest first. */
export const selectErrors = (state: AppState) => state.errors;
/** True once startup has loaded (or failed to load) the case and hosts. */
export const selectReady = (state: AppState) => state.ready;
/** Whether the nav is folded: the user's choice, else folded in a narrow window. */
export const selectNavFolded = (state: AppState) => state.navFoldChoice ?? state.windowNarrow;
/** Whether the compromise-window timeline is open. */
export const selectTimelineOpen = (state: AppState) => state.timelineOpen;
