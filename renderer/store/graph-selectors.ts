/** Reads of the blast-radius graph and of the node whose evidence panel is open. */
import type { ScanReport } from '../../shared/model/index.js';
import { buildBlastGraph, selectNodeEvidence, type BlastGraph, type NodeEvidence } from '../../shared/present/index.js';
import type { AppState } from './app-state.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

const EMPTY_GRAPH: BlastGraph = { nodes: [], edges: [], findings: [] };

/** The blast-radius graph of the report (empty before the first scan). */
export const selectBlastGraph = createSelector([selectReport], (report: ScanReport | null): BlastGraph =>
  report ? buildBlastGraph(report) : EMPTY_GRAPH,
);

/** Id of the graph node whose evidence panel is open. */
export const selectSelectedNodeId = (state: AppState) => state.selectedNodeId;

/** The selected node's evidence panel content, or null when nothing (or a node gone since a re-scan) is selected. */
export const selectSelectedNodeDetails = createSelector(
  [selectBlastGraph, selectSelectedNodeId],
  (graph, nodeId): NodeEvidence | null => (nodeId === null ? null : selectNodeEvidence(graph, nodeId)),
);
