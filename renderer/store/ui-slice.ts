/** What the user is looking at, what the backend is asking them, and what went wrong. */
import type { StateCreator } from 'zustand';
import type { Pushes } from '../../shared/ipc/index.js';
import type { FindingKind, Severity } from '../../shared/model/index.js';
import type { EdgeStyleKey } from '../graph/legend.js';
import type { AppState } from './app-state.js';

/** The views of the left nav. */
export const VIEWS = ['hosts', 'inventory', 'findings', 'graph', 'gateways', 'register', 'checklist', 'journal', 'cases'] as const;
/** One view of the left nav. */
export type View = (typeof VIEWS)[number];

/** A question the backend is waiting on. Passphrases are never part of it. */
export type PendingPrompt =
  | ({ kind: 'host-key' } & Pushes['prompt:host-key'])
  | ({ kind: 'passphrase' } & Pushes['prompt:passphrase']);

/** What the findings list shows: null in a field means every value. */
export interface FindingFilters {
  host: string | null;
  severity: Severity | null;
  kind: FindingKind | null;
  /** Free text a finding's title, host, container, paths or fingerprints must contain ('' lets every finding through). */
  text: string;
}

/** The filters when nothing is narrowed. */
export const NO_FINDING_FILTERS: FindingFilters = { host: null, severity: null, kind: null, text: '' };

/** One error shown in the banner. */
export interface ErrorNotice {
  id: number;
  message: string;
}

/** State and events of the UI. */
export interface UiSlice {
  view: View;
  /** Id of the graph node whose evidence panel is open. */
  selectedNodeId: string | null;
  /** Keys of expanded Python environments in the inventory. */
  expandedEnvironments: string[];
  /** Keys (`host/name`) of containers whose detail row is open in the inventory. */
  expandedContainers: string[];
  /** Ids of findings whose evidence is open in the findings list. */
  expandedFindings: string[];
  /** How the findings list is narrowed. */
  findingFilters: FindingFilters;
  /** Whether the compromise-window timeline below the findings table is open (it starts folded). */
  timelineOpen: boolean;
  /** Edge styles the user turned off in the graph; kept while they switch views, so the graph comes back as they left it. */
  hiddenEdgeStyles: EdgeStyleKey[];
  /** Whether the graph also hides nodes whose every edge is turned off. */
  strandedNodesHidden: boolean;
  /** Whether the window is narrow enough (≤ 1100 px) for the nav to fold by itself. */
  windowNarrow: boolean;
  /** The user's own choice to fold (true) or unfold the nav; null follows the window's width. */
  navFoldChoice: boolean | null;
  /** Questions from the backend, oldest first; the first one is shown. */
  prompts: PendingPrompt[];
  errors: ErrorNotice[];
  /** True once the first case and host list have arrived (or failed to). */
  ready: boolean;
  /** The user picked a view in the nav. */
  viewChosen(view: View): void;
  /** The user clicked a graph node, or closed its panel (null). */
  nodeSelected(nodeId: string | null): void;
  /** The user expanded or collapsed one Python environment. */
  environmentToggled(key: string): void;
  /** The user opened or closed one container's detail row. */
  containerToggled(key: string): void;
  /** The user opened or closed one finding's evidence. */
  findingToggled(id: string): void;
  /** The user picked a value (null: all) in one of the findings filters. */
  findingFilterChanged<F extends keyof FindingFilters>(field: F, value: FindingFilters[F]): void;
  /** The user cleared every findings filter. */
  findingFiltersCleared(): void;
  /** The user asked for the findings of one kind (a summary tile): the findings view, narrowed to that kind alone. */
  findingsOfKindOpened(kind: FindingKind): void;
  /** The user opened or folded the compromise-window timeline. */
  timelineToggled(): void;
  /** The user turned one edge style of the graph off or on again. */
  edgeStyleToggled(style: EdgeStyleKey): void;
  /** The user turned every edge style of the graph back on. */
  edgeStylesAllShown(): void;
  /** The user chose whether nodes left without a shown edge are hidden too. */
  strandedNodesToggled(): void;
  /** The window crossed the width under which the nav folds: the width decides again, not an earlier choice. */
  windowNarrowChanged(narrow: boolean): void;
  /** The user folded or unfolded the nav. */
  navToggled(): void;
  /** The backend asked whether to trust a host key. */
  hostKeyPrompted(prompt: Pushes['prompt:host-key']): void;
  /** The backend asked for a key's passphrase. */
  passphrasePrompted(prompt: Pushes['prompt:passphrase']): void;
  /** The user answered (or dismissed) a prompt. */
  promptAnswered(promptId: string): void;
  /** A call failed or the connection dropped. */
  errorRaised(message: string): void;
  /** The user closed one error. */
  errorDismissed(id: number): void;
  /** Startup finished loading. */
  appStarted(): void;
}

let nextErrorId = 1;

function toggled<T extends string>(list: T[], item: T): T[] {
  return list.includes(item) ? list.filter((entry) => entry !== item) : [...list, item];
}

/** Creates the UI slice. */
export const createUiSlice: StateCreator<AppState, [], [], UiSlice> = (set) => ({
  view: 'hosts',
  selectedNodeId: null,
  expandedEnvironments: [],
  expandedContainers: [],
  expandedFindings: [],
  findingFilters: NO_FINDING_FILTERS,
  timelineOpen: false,
  hiddenEdgeStyles: [],
  strandedNodesHidden: false,
  windowNarrow: false,
  navFoldChoice: null,
  prompts: [],
  errors: [],
  ready: false,
  viewChosen: (view) => set({ view }),
  nodeSelected: (selectedNodeId) => set({ selectedNodeId }),
  environmentToggled: (key) => set((state) => ({ expandedEnvironments: toggled(state.expandedEnvironments, key) })),
  containerToggled: (key) => set((state) => ({ expandedContainers: toggled(state.expandedContainers, key) })),
  findingToggled: (id) => set((state) => ({ expandedFindings: toggled(state.expandedFindings, id) })),
  findingFilterChanged: (field, value) => set((state) => ({ findingFilters: { ...state.findingFilters, [field]: value } })),
  findingFiltersCleared: () => set({ findingFilters: NO_FINDING_FILTERS }),
  findingsOfKindOpened: (kind) => set({ view: 'findings', findingFilters: { ...NO_FINDING_FILTERS, kind } }),
  timelineToggled: () => set((state) => ({ timelineOpen: !state.timelineOpen })),
  edgeStyleToggled: (style) => set((state) => ({ hiddenEdgeStyles: toggled(state.hiddenEdgeStyles, style) })),
  edgeStylesAllShown: () => set({ hiddenEdgeStyles: [] }),
  strandedNodesToggled: () => set((state) => ({ strandedNodesHidden: !state.strandedNodesHidden })),
  windowNarrowChanged: (narrow) => set((state) => (state.windowNarrow === narrow ? state : { windowNarrow: narrow, navFoldChoice: null })),
  navToggled: () => set((state) => ({ navFoldChoice: !(state.navFoldChoice ?? state.windowNarrow) })),
  hostKeyPrompted: (prompt) => set((state) => ({ prompts: [...state.prompts, { kind: 'host-key', ...prompt }] })),
  passphrasePrompted: (prompt) => set((state) => ({ prompts: [...state.prompts, { kind: 'passphrase', ...prompt }] })),
  promptAnswered: (promptId) => set((state) => ({ prompts: state.prompts.filter((prompt) => prompt.promptId !== promptId) })),
  errorRaised: (message) =>
    set((state) =>
      // The same failure reported twice (a dropped socket rejects every pending call) shows once.
      state.errors.some((error) => error.message === message)
        ? state
        : { errors: [...state.errors, { id: nextErrorId++, message }] },
    ),
  errorDismissed: (id) => set((state) => ({ errors: state.errors.filter((error) => error.id !== id) })),
  appStarted: () => set({ ready: true }),
});
