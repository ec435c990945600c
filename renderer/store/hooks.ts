/** Small hooks over the store: each reads one atomic value or a memoised selector's result. */
import { useShallow } from 'zustand/react/shallow';
import { useAppStore } from './app-store.js';
import {
  selectChecklistChartData,
  selectChecklistPhases,
  selectChecklistSummary,
  selectIsKeyChecking,
  selectIsStepSaving,
  selectOrphanedProgress,
  selectRevocationChecks,
  selectStepLabels,
} from './checklist-selectors.js';
import {
  selectCaseSuppressions,
  selectSuppressionMarks,
  selectFilteredFindings,
  selectFindingCounts,
  selectFindingFilterOptions,
  selectFindingFilters,
  selectIsFindingExpanded,
} from './findings-selectors.js';
import {
  selectBlastGraph,
  selectChainHighlight,
  selectHiddenEdgeStyles,
  selectStrandedNodesHidden,
  selectProviderKeys,
  selectSelectedNodeChains,
  selectSelectedNodeDetails,
  selectSelectedNodeId,
} from './graph-selectors.js';
import { selectGatewayMaps, selectGraphNodeIds } from './gateway-map-selectors.js';
import { selectJournalBurndown, selectJournalDamaged, selectJournalRows } from './journal-selectors.js';
import {
  selectCanStartScan,
  selectCaseHost,
  selectHostProgress,
  selectCanGiveUpHost,
  selectHosts,
  selectIsHostSelected,
  selectScanCounts,
  selectHostRows,
  selectScanId,
  selectScanOutcome,
  selectScanRunning,
  selectScanSource,
} from './hosts-selectors.js';
import { selectInventory, selectIsContainerExpanded, selectIsEnvironmentExpanded } from './inventory-selectors.js';
import { selectReport } from './report-selectors.js';
import { selectIsWindowOverridden, selectIsWindowSaving, selectTimeline } from './timeline-selectors.js';
import { selectGatewayTrafficCharts } from './traffic-selectors.js';
import { selectAiComponent, selectIsAnnotationSaving, selectIsDecisionSaving, selectRegister } from './component-selectors.js';
import { selectHostVerdict, selectIncidentSummary } from './summary-selectors.js';
import { selectActiveCases, selectArchivedCases, selectOpenCase } from './cases-selectors.js';
import { selectCurrentPrompt, selectErrors, selectNavFolded, selectReady, selectTimelineOpen, selectView } from './ui-selectors.js';

/** Every host the user can pick. */
export const useHosts = () => useAppStore(selectHosts);
/** The hosts table's rows: the hosts the user can pick, then those only the case or the running import knows. */
export const useHostRows = () => useAppStore(selectHostRows);
/** How many hosts are ticked, and whether all of them are. */
export const useHostSelection = () =>
  useAppStore(useShallow((state) => ({ count: state.selectedHosts.length, all: state.hosts.length > 0 && state.selectedHosts.length === state.hosts.length })));
/** Whether one host is ticked. */
export const useIsHostSelected = (name: string) => useAppStore(selectIsHostSelected(name));
/** One host's scan progress, or null. */
export const useHostProgress = (name: string) => useAppStore(selectHostProgress(name));
/** One host's entry in the case's report, or null. */
export const useCaseHost = (name: string) => useAppStore(selectCaseHost(name));
/** Whether the user can give up on one host of the running scan. */
export const useCanGiveUpHost = (name: string) => useAppStore(selectCanGiveUpHost(name));
/** The scan controls' state. */
export const useScanControls = () =>
  useAppStore(
    useShallow((state) => ({
      running: selectScanRunning(state),
      canStart: selectCanStartScan(state),
      canCancel: selectScanRunning(state) && selectScanId(state) !== null,
      outcome: selectScanOutcome(state),
      source: selectScanSource(state),
    })),
  );
/** Whether a scan is running (the open case cannot change meanwhile). */
export const useScanRunning = () => useAppStore(selectScanRunning);
/** Settled and total host counts of the current scan. */
export const useScanCounts = () => useAppStore(selectScanCounts);
/** The case's report. */
export const useReport = () => useAppStore(selectReport);
/** The inventory rows of the report. */
export const useInventory = () => useAppStore(selectInventory);
/** Whether one Python environment is expanded. */
export const useIsEnvironmentExpanded = (key: string) => useAppStore(selectIsEnvironmentExpanded(key));
/** Whether one container's detail row is open. */
export const useIsContainerExpanded = (key: string) => useAppStore(selectIsContainerExpanded(key));
/** The findings list as filtered. */
export const useFilteredFindings = () => useAppStore(selectFilteredFindings);
/** Findings per severity, before filtering. */
export const useFindingCounts = () => useAppStore(selectFindingCounts);
/** The case's suppression file, or null. */
export const useCaseSuppressions = () => useAppStore(selectCaseSuppressions);
/** One finding's suppression mark, or undefined when no entry names it. */
export const useSuppressionMark = (findingId: string) => useAppStore((state) => selectSuppressionMarks(state)[findingId]);
/** How many findings are suppressed now and how many came back when their entry expired. */
export const useSuppressionCounts = () =>
  useAppStore(
    useShallow((state) => {
      const marks = Object.values(selectSuppressionMarks(state));
      return { suppressed: marks.filter((mark) => mark.state === 'suppressed').length, expired: marks.filter((mark) => mark.state === 'expired').length };
    }),
  );
/** How the findings list is narrowed. */
export const useFindingFilters = () => useAppStore(selectFindingFilters);
/** The values the findings filters offer. */
export const useFindingFilterOptions = () => useAppStore(selectFindingFilterOptions);
/** Whether one finding's evidence is open. */
export const useIsFindingExpanded = (id: string) => useAppStore(selectIsFindingExpanded(id));
/** The compromise-window timeline. */
export const useTimeline = () => useAppStore(selectTimeline);
/** A window editor's state: changed by the user, and being saved. */
export const useWindowEditState = (windowId: string) =>
  useAppStore(useShallow((state) => ({ overridden: selectIsWindowOverridden(windowId)(state), saving: selectIsWindowSaving(windowId)(state) })));
/** The blast-radius graph. */
export const useBlastGraph = () => useAppStore(selectBlastGraph);
/** The edge styles turned off in the graph. */
export const useHiddenEdgeStyles = () => useAppStore(selectHiddenEdgeStyles);
/** Whether nodes left without a shown edge are hidden too. */
export const useStrandedNodesHidden = () => useAppStore(selectStrandedNodesHidden);
/** The selected graph node and its findings. */
export const useSelectedNodeDetails = () => useAppStore(selectSelectedNodeDetails);
/** Id of the selected graph node. */
export const useSelectedNodeId = () => useAppStore(selectSelectedNodeId);
/** The chains from compromised nodes to the selected node ("why is this here"). */
export const useSelectedNodeChains = () => useAppStore(selectSelectedNodeChains);
/** The node and edge ids on the selected node's chains, or null. */
export const useChainHighlight = () => useAppStore(selectChainHighlight);
/** The keys that authenticate to the selected provider node. */
export const useProviderKeys = () => useAppStore(selectProviderKeys);
/** Checklist steps by phase for display. */
export const useChecklistPhases = () => useAppStore(selectChecklistPhases);
/** How steps name the steps they wait for, by id. */
export const useStepLabels = () => useAppStore(selectStepLabels);
/** Checklist totals. */
export const useChecklistSummary = () => useAppStore(selectChecklistSummary);
/** Rows of the checklist progress chart. */
export const useChecklistChartData = () => useAppStore(selectChecklistChartData);
/** The traffic chart of one gateway finding, or null when its logs were not read. */
export const useGatewayTrafficChart = (findingId: string) => useAppStore((state) => selectGatewayTrafficCharts(state)[findingId] ?? null);
/** Progress from an earlier scan whose steps are gone. */
export const useOrphanedProgress = () => useAppStore(selectOrphanedProgress);
/** Whether one step is being saved. */
export const useIsStepSaving = (stepId: string) => useAppStore(selectIsStepSaving(stepId));
/** Every revocation check the case keeps, by fingerprint. */
export const useRevocationChecks = () => useAppStore(selectRevocationChecks);
/** True while a key's revocation check is under way. */
export const useIsKeyChecking = (fingerprint: string) => useAppStore(selectIsKeyChecking(fingerprint));
/** The incident summary of the case, or null before the first scan. */
export const useIncidentSummary = () => useAppStore(selectIncidentSummary);
/** One host's verdict in the case, or null when the case holds no result for it. */
export const useHostVerdict = (name: string) => useAppStore(selectHostVerdict(name));
/** The current view. */
export const useView = () => useAppStore(selectView);
/** The prompt to show, or null. */
export const useCurrentPrompt = () => useAppStore(selectCurrentPrompt);
/** Errors for the banner. */
export const useErrors = () => useAppStore(selectErrors);
/** True once startup has loaded. */
export const useReady = () => useAppStore(selectReady);
/** Whether the nav is folded to a rail. */
export const useNavFolded = () => useAppStore(selectNavFolded);
/** Whether the compromise-window timeline is open. */
export const useTimelineOpen = () => useAppStore(selectTimelineOpen);

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
      findingsOfKindOpened: state.findingsOfKindOpened,
      timelineToggled: state.timelineToggled,
      edgeStyleToggled: state.edgeStyleToggled,
      edgeStylesAllShown: state.edgeStylesAllShown,
      strandedNodesToggled: state.strandedNodesToggled,
      windowNarrowChanged: state.windowNarrowChanged,
      navToggled: state.navToggled,
      hostToggled: state.hostToggled,
      allHostsToggled: state.allHostsToggled,
      errorDismissed: state.errorDismissed,
    })),
  );

/** One AI component (a gateway finding's id) with its centrality and recorded decision, or null. */
export const useAiComponent = (componentId: string) => useAppStore(selectAiComponent(componentId));
/** Whether one component's decision is being saved. */
export const useIsDecisionSaving = (componentId: string) => useAppStore(selectIsDecisionSaving(componentId));
/** The supply-chain register with the owner's trust level and notes. */
export const useRegister = () => useAppStore(selectRegister);
/** Whether one register row's trust or notes are being saved. */
export const useIsAnnotationSaving = (rowId: string) => useAppStore(selectIsAnnotationSaving(rowId));
/** The gateway maps of the report. */
export const useGatewayMaps = () => useAppStore(selectGatewayMaps);
/** The ids of the nodes the blast graph draws. */
export const useGraphNodeIds = () => useAppStore(selectGraphNodeIds);

/** The open case, or null when none is. */
export const useOpenCase = () => useAppStore(selectOpenCase);
/** The cases in use, the open one first. */
export const useActiveCases = () => useAppStore(selectActiveCases);
/** The archived cases, the last archived first. */
export const useArchivedCases = () => useAppStore(selectArchivedCases);
/** True while the open case is being switched. */
export const useSwitchingCase = () => useAppStore((state) => state.switchingCase);
/** The journal's timeline rows, oldest first. */
export const useJournalRows = () => useAppStore(selectJournalRows);
/** Each plan phase's burndown over the journal's span. */
export const useJournalBurndown = () => useAppStore(selectJournalBurndown);
/** Damaged journal records the backend skipped. */
export const useJournalDamaged = () => useAppStore(selectJournalDamaged);
/** The parts of the case whose change means the journal has grown (a scan, a tick, a decision, a window, a check). */
export const useCaseChanges = () =>
  useAppStore(useShallow((state) => [state.report, state.progress, state.decisions, state.windowOverrides, state.revocationChecks, state.registerAnnotations] as const));
/** The advisories loaded into the case (each load's source) and whether a change is under way. */
export const useLoadedAdvisories = () => useAppStore(useShallow((state) => ({ sources: state.advisorySources, busy: state.advisoriesBusy })));
/** The known-good artifacts of the case, whether a change is under way, and what the last import said. */
export const useKnownGood = () =>
  useAppStore(useShallow((state) => ({ entries: state.knownGood, busy: state.knownGoodBusy, notice: state.knownGoodNotice })));
