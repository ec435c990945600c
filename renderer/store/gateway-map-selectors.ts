/** Reads of the gateway map: each gateway with its consumers, fed the move step of each consumer from the checklist. */
import { buildGatewayMaps, consumerRouteTargets, type GatewayMap } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectChecklistSteps, selectDecisions } from './checklist-selectors.js';
import { selectorCreator } from './create-selector.js';
import { selectBlastGraph } from './graph-selectors.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

const NO_MAPS: readonly GatewayMap[] = [];

/** The gateway maps of the case's report (empty before the first scan), each consumer with its move step's picked target. */
export const selectGatewayMaps = createSelector([selectReport, selectChecklistSteps, selectDecisions], (report, steps, decisions): readonly GatewayMap[] =>
  report ? buildGatewayMaps(report, consumerRouteTargets(steps), decisions) : NO_MAPS,
);

/** The ids of the blast graph's nodes: a map entry whose node is drawn opens the graph's evidence panel. */
export const selectGraphNodeIds = createSelector([selectBlastGraph], (graph): ReadonlySet<string> => new Set(graph.nodes.map((node) => node.id)));
