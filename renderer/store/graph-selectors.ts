/** Reads of the blast-radius graph and of the node whose evidence panel is open. */
import type { ScanReport } from '../../shared/model/index.js';
import {
  buildBlastGraph,
  chainsToNode,
  selectNodeEvidence,
  type BlastGraph,
  type KeyNode,
  type NodeChains,
  type NodeEvidence,
} from '../../shared/present/index.js';
import type { ChecklistStepWithProgress } from '../../shared/checklist/index.js';
import type { EdgeStyleKey } from '../graph/legend.js';
import type { AppState } from './app-state.js';
import { selectChecklistSteps } from './checklist-selectors.js';
import { selectorCreator } from './create-selector.js';
import { selectReport } from './report-selectors.js';

const createSelector = selectorCreator<AppState>();

const EMPTY_GRAPH: BlastGraph = { nodes: [], edges: [], findings: [] };

/** The blast-radius graph of the report (empty before the first scan). */
export const selectBlastGraph = createSelector([selectReport], (report: ScanReport | null): BlastGraph =>
  report ? buildBlastGraph(report) : EMPTY_GRAPH,
);

/** The edge styles the user turned off in the graph, as a set (the same set until they change). */
export const selectHiddenEdgeStyles = createSelector([(state: AppState) => state.hiddenEdgeStyles], (styles): ReadonlySet<EdgeStyleKey> => new Set(styles));

/** Whether the graph hides nodes left without a shown edge. */
export const selectStrandedNodesHidden = (state: AppState) => state.strandedNodesHidden;

/** Id of the graph node whose evidence panel is open. */
export const selectSelectedNodeId = (state: AppState) => state.selectedNodeId;

/** The selected node's evidence panel content, or null when nothing (or a node gone since a re-scan) is selected. */
export const selectSelectedNodeDetails = createSelector(
  [selectBlastGraph, selectSelectedNodeId],
  (graph, nodeId): NodeEvidence | null => (nodeId === null ? null : selectNodeEvidence(graph, nodeId)),
);

/** Why the selected node is in the graph: the shortest chains from compromised nodes to it, or null when nothing is selected. */
export const selectSelectedNodeChains = createSelector(
  [selectBlastGraph, selectSelectedNodeId],
  (graph, nodeId): NodeChains | null => (nodeId === null || !graph.nodes.some((node) => node.id === nodeId) ? null : chainsToNode(graph, nodeId)),
);

/** The nodes and edges on the selected node's chains, for the graph to highlight; null when no chain has a step. */
export const selectChainHighlight = createSelector([selectSelectedNodeChains], (chains): { nodeIds: Set<string>; edgeIds: Set<string> } | null => {
  // A compromised node explained only by itself has no path to show: dimming the rest would hide its context.
  if (!chains || chains.chains.every((chain) => chain.steps.length === 0)) return null;
  return {
    nodeIds: new Set(chains.chains.flatMap((chain) => chain.nodeIds)),
    edgeIds: new Set(chains.chains.flatMap((chain) => chain.edgeIds)),
  };
});

/** A key of a provider, with the plan's steps for it (rotate, replace, verify) and their progress. */
export interface ProviderKey {
  key: KeyNode;
  steps: ChecklistStepWithProgress[];
}

/** For a selected provider node: the keys that authenticate to it, in graph order, each with its steps; empty for any other node. */
export const selectProviderKeys = createSelector([selectBlastGraph, selectSelectedNodeId, selectChecklistSteps], (graph, nodeId, steps): ProviderKey[] => {
  if (nodeId === null || !graph.nodes.some((node) => node.id === nodeId && node.kind === 'provider')) return NO_KEYS;
  const keyIds = new Set(graph.edges.filter((edge) => edge.kind === 'authenticates' && edge.target === nodeId).map((edge) => edge.source));
  return graph.nodes
    .filter((node): node is KeyNode => node.kind === 'key' && keyIds.has(node.id))
    .map((key) => ({ key, steps: steps.filter((step) => step.key?.fingerprint === key.data.fingerprint) }));
});

const NO_KEYS: ProviderKey[] = [];
