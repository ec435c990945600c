/**
 * The one registry of how each node kind, node status and edge style of the blast-radius graph
 * looks and reads: the edges are drawn from it (stroke, width, dash, arrowhead) and the legend is
 * generated from it, listing only what the current graph draws. Each table is typed
 * `satisfies Record<Kind, …>`, so a kind without an entry does not compile.
 */
import type { BlastEdge, BlastGraph, BlastNodeStatus } from '../../shared/present/index.js';
import type { BlastKind } from './flow-types.js';

/**
 * How an edge is drawn: its kind, except that a containment edge into a reached or compromised
 * node is `compromised` (the path flagged code takes up to its host), drawn unlike any other.
 */
export type EdgeStyleKey = 'contains' | 'compromised' | 'updates' | 'holds' | 'authenticates' | 'routes' | 'consumes' | 'lateral';

/** The look of one edge style; colours are CSS custom properties with a fallback, so a theme can change them. */
export interface EdgeStyle {
  /** What the legend says the line means. */
  legend: string;
  stroke: string;
  width: number;
  /** SVG stroke-dasharray; absent for a solid line. */
  dash?: string;
  /** False for plain containment, which needs no arrowhead (the tree reads left to right). */
  arrow: boolean;
}

/** Every edge style, in legend order (compromise first: it is what the graph is about); distinct in colour, dash or weight. */
export const EDGE_STYLES = {
  compromised: { legend: 'compromise: holds flagged code', stroke: 'var(--compromised)', width: 3, arrow: true },
  contains: { legend: 'holds (host › container › environment)', stroke: 'var(--edge-contains)', width: 1.5, arrow: false },
  updates: { legend: 'auto-updater re-pulls', stroke: 'var(--edge-updates)', width: 1.5, dash: '6 4', arrow: true },
  holds: { legend: 'place holds a key', stroke: 'var(--edge-holds)', width: 1.5, arrow: true },
  authenticates: { legend: 'key authenticates to provider', stroke: 'var(--edge-authenticates)', width: 1.5, dash: '2 3', arrow: true },
  routes: { legend: 'gateway routes to backend', stroke: 'var(--edge-routes)', width: 2, arrow: true },
  consumes: { legend: 'consumer sends requests to gateway', stroke: 'var(--edge-consumes)', width: 2, dash: '10 3', arrow: true },
  lateral: { legend: 'lateral: SSH key logs in', stroke: 'var(--edge-lateral)', width: 2, dash: '9 4 2 4', arrow: true },
} satisfies Record<EdgeStyleKey, EdgeStyle>;

/** How a node kind reads on the node (its tag) and in the legend. */
export interface NodeKindStyle {
  /** The short tag on the node. */
  tag: string;
  legend: string;
}

/** Every node kind; the node's shape comes from its `kind-*` class in blast-nodes.css. */
export const NODE_KINDS = {
  host: { tag: 'Host', legend: 'host' },
  container: { tag: 'Container', legend: 'container' },
  environment: { tag: 'Python env', legend: 'Python environment with flagged code' },
  package: { tag: 'Package', legend: 'flagged package' },
  key: { tag: 'Key', legend: 'key (fingerprint only)' },
  provider: { tag: 'Provider', legend: 'provider' },
  endpoint: { tag: 'Backend', legend: 'backend URL' },
  tunnel: { tag: 'SSH tunnel', legend: 'SSH tunnel' },
  route: { tag: 'Proxy route', legend: 'proxy route' },
  fold: { tag: 'Folded', legend: 'clean containers, folded (click to show)' },
} satisfies Record<BlastKind, NodeKindStyle>;

/** How each node status reads in the legend. */
export const NODE_STATUSES = {
  compromised: { legend: 'compromised' },
  reached: { legend: 'reached' },
  clean: { legend: 'clean' },
  failed: { legend: 'scan failed' },
} satisfies Record<BlastNodeStatus, { legend: string }>;

/** The style an edge is drawn in; `hot` says whether its target holds or is flagged code. */
export function edgeStyleKey(edge: Pick<BlastEdge, 'kind'>, targetStatus: BlastNodeStatus | undefined): EdgeStyleKey {
  if (edge.kind !== 'contains') return edge.kind;
  return targetStatus === 'compromised' || targetStatus === 'reached' ? 'compromised' : 'contains';
}

/** What one graph draws, in legend order: the legend lists exactly these. */
export interface DrawnKinds {
  statuses: BlastNodeStatus[];
  nodeKinds: BlastKind[];
  edgeStyles: EdgeStyleKey[];
}

/** The node statuses, node kinds and edge styles `graph` draws, each in its registry's order. */
export function drawnKinds(graph: Pick<BlastGraph, 'nodes' | 'edges'>): DrawnKinds {
  const statusById = new Map(graph.nodes.map((node) => [node.id, node.status]));
  const statuses = new Set(graph.nodes.map((node) => node.status));
  const kinds = new Set(graph.nodes.map((node) => node.kind));
  const styles = new Set(graph.edges.map((edge) => edgeStyleKey(edge, statusById.get(edge.target))));
  return {
    statuses: (Object.keys(NODE_STATUSES) as BlastNodeStatus[]).filter((status) => statuses.has(status)),
    nodeKinds: (Object.keys(NODE_KINDS) as BlastKind[]).filter((kind) => kinds.has(kind)),
    edgeStyles: (Object.keys(EDGE_STYLES) as EdgeStyleKey[]).filter((style) => styles.has(style)),
  };
}

/** How a large graph draws an edge style (the canvas edge layer): solid, no arrowhead, and a dashed style faded instead of dashed. */
export interface PlainLook {
  stroke: string;
  width: number;
  opacity: number;
}

/**
 * The plain look of an edge style. Dashes cost the software rasteriser dearly on thousands of long
 * edges (see EdgeCanvas), so a dashed style is told from a solid one of the same colour (a key's
 * provider edge from its holder's) by being fainter; the legend shows the same.
 */
export function plainLook(style: EdgeStyleKey): PlainLook {
  const look = EDGE_STYLES[style];
  return { stroke: look.stroke, width: look.width, opacity: 'dash' in look ? 0.45 : 1 };
}

/** The id of the arrowhead marker of an edge style (GraphMarkers defines one per style). */
export function markerId(style: EdgeStyleKey): string {
  return `blast-arrow-${style}`;
}
