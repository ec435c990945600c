/** The one bound zustand store, built from its slices. */
import { create, type StoreApi, type UseBoundStore } from 'zustand';
import type { AppState } from './app-state.js';
import { createCaseSlice } from './case-slice.js';
import { createCasesSlice } from './cases-slice.js';
import { createHostsSlice } from './hosts-slice.js';
import { createJournalSlice } from './journal-slice.js';
import { createScanSlice } from './scan-slice.js';
import { createUiSlice } from './ui-slice.js';

/** Creates a fresh store; tests make their own, the app uses `useAppStore`. */
export function createAppStore(): UseBoundStore<StoreApi<AppState>> {
  return create<AppState>()((...args) => ({
    ...createHostsSlice(...args),
    ...createScanSlice(...args),
    ...createCaseSlice(...args),
    ...createUiSlice(...args),
    ...createCasesSlice(...args),
    ...createJournalSlice(...args),
  }));
}

/** The app's store. */
export const useAppStore = createAppStore();
