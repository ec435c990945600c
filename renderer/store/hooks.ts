/** Small hooks over the store: each reads one atomic value or a memoised selector's result. */
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from './app-store.js';
import * as select from './selectors.js';

/** Every host the user can pick. */
export const useHosts = () => useAppStore(select.selectHosts);
/** How many hosts are ticked, and whether all of them are. */
export const useHostSelection = () =>
  useAppStore(useShallow((state) => ({ count: state.selectedHosts.length, all: state.hosts.length > 0 && state.selectedHosts.length === state.hosts.length })));
/** Whether one host is ticked. */
export const useIsHostSelected = (name: string) => useAppStore(select.selectIsHostSelected(name));
/** One host's scan progress, or null. */
export const useHostProgress = (name: string) => useAppStore(select.selectHostProgress(name));
/** The scan controls' state. */
export const useScanControls = () =>
  useAppStore(
    useShallow((state) => ({
      running: select.selectScanRunning(state),
      canStart: select.selectCanStartScan(state),
      canCancel: select.selectScanRunning(state) && select.selectScanId(state) !== null,
      outcome: select.selectScanOutcome(state),
    })),
  );
/** Settled and total host counts of the current scan. */
export const useScanCounts = () => useAppStore(select.selectScanCounts);
/** The case's report. */
export const useReport = () => useAppStore(select.selectReport);
/** The inventory rows of the report. */
export const useInventory = () => useAppStore(select.selectInventory);
/** Whether one Python environment is expanded. */
export const useIsEnvironmentExpanded = (key: string) => useAppStore(select.selectIsEnvironmentExpanded(key));
/** Whether one container's detail row is open. */
export const useIsContainerExpanded = (key: string) => useAppStore(select.selectIsContainerExpanded(key));
/** The findings list as filtered. */
export const useFilteredFindings = () => useAppStore(select.selectFilteredFindings);
/** Findings per severity, before filtering. */
export const useFindingCounts = () => useAppStore(select.selectFindingCounts);
/** How the findings list is narrowed. */
export const useFindingFilters = () => useAppStore(select.selectFindingFilters);
/** The values the findings filters offer. */
export const useFindingFilterOptions = () => useAppStore(select.selectFindingFilterOptions);
/** Whether one finding's evidence is open. */
export const useIsFindingExpanded = (id: string) => useAppStore(select.selectIsFindingExpanded(id));
/** The compromise-window timeline. */
export const useTimeline = () => useAppStore(select.selectTimeline);
/** A window editor's state: changed by the user, and being saved. */
export const useWindowEditState = (windowId: string) =>
  useAppStore(useShallow((state) => ({ overridden: select.selectIsWindowOverridden(windowId)(state), saving: select.selectIsWindowSaving(windowId)(state) })));
/** The blast-radius graph. */
export const useBlastGraph = () => useAppStore(select.selectBlastGraph);
/** The selected graph node and its findings. */
export const useSelectedNodeDetails = () => useAppStore(select.selectSelectedNodeDetails);
/** Id of the selected graph node. */
export const useSelectedNodeId = () => useAppStore(select.selectSelectedNodeId);
/** Checklist steps grouped for display. */
export const useChecklistGroups = () => useAppStore(select.selectChecklistGroups);
/** Checklist totals. */
export const useChecklistSummary = () => useAppStore(select.selectChecklistSummary);
/** Rows of the checklist progress chart. */
export const useChecklistChartData = () => useAppStore(select.selectChecklistChartData);
/** The traffic chart of one gateway finding, or null when its logs were not read. */
export const useGatewayTrafficChart = (findingId: string) => useAppStore((state) => select.selectGatewayTrafficCharts(state)[findingId] ?? null);
/** Progress from an earlier scan whose steps are gone. */
export const useOrphanedProgress = () => useAppStore(select.selectOrphanedProgress);
/** Whether one step is being saved. */
export const useIsStepSaving = (stepId: string) => useAppStore(select.selectIsStepSaving(stepId));
/** The current view. */
export const useView = () => useAppStore(select.selectView);
/** The prompt to show, or null. */
export const useCurrentPrompt = () => useAppStore(select.selectCurrentPrompt);
/** Errors for the banner. */
export const useErrors = () => useAppStore(select.selectErrors);
/** True once startup has loaded. */
export const useReady = () => useAppStore(select.selectReady);

/** The store's UI events, for components that only send them (actions never change identity). */
export const useUiEvents = () =>
  useAppStore(
    useShallow((state) => ({
      viewChosen: state.viewChosen,
      nodeSelected: state.nodeSelected,
      environmentToggled: state.environmentToggled,
      containerToggled: state.containerToggled,
      findingToggled: state.findingToggled,
      findingFilterChanged: state.findingFilterChanged,
      findingFiltersCleared: state.findingFiltersCleared,
      hostToggled: state.hostToggled,
      allHostsToggled: state.allHostsToggled,
      errorDismissed: state.errorDismissed,
    })),
  );
