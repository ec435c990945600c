/** The whole renderer state: every slice together. */
import type { CaseSlice } from './case-slice.js';
import type { CasesSlice } from './cases-slice.js';
import type { HostsSlice } from './hosts-slice.js';
import type { JournalSlice } from './journal-slice.js';
import type { ScanSlice } from './scan-slice.js';
import type { UiSlice } from './ui-slice.js';

/** The bound store's state: the union of its slices. */
export type AppState = HostsSlice & ScanSlice & CaseSlice & UiSlice & CasesSlice & JournalSlice;
