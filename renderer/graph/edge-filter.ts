/**
 * Filters of the blast-radius graph by edge style (the styles of the legend registry): which edges
 * a set of hidden styles takes off the canvas and, optionally, which nodes it leaves stranded. The
 * nodes keep their places (the filter hides, it does not lay out again), so turning a style off and
 * on again shows the same picture.
 */
import type { EdgeStyleKey } from './legend.js';

/** The fields of an edge the filter reads: its ends and the style it is drawn in. */
export interface FilterableEdge {
  id: string;
  source: string;
  target: string;
  data?: { style: EdgeStyleKey };
}

/** What the filter takes off the canvas. */
export interface HiddenElements {
  edgeIds: ReadonlySet<string>;
  nodeIds: ReadonlySet<string>;
}

/** Nothing hidden: the filter when every style is shown. */
export const NOTHING_HIDDEN: HiddenElements = { edgeIds: new Set(), nodeIds: new Set() };

/**
 * The edges drawn in a hidden style and, when `hideStranded`, the nodes that had edges but have
 * none left shown. A node that never had an edge (a lone host) is not stranded by a filter and stays.
 */
export function hiddenByEdgeFilter(edges: readonly FilterableEdge[], hiddenStyles: ReadonlySet<EdgeStyleKey>, hideStranded: boolean): HiddenElements {
  if (hiddenStyles.size === 0) return NOTHING_HIDDEN;
  const edgeIds = new Set<string>();
  const linked = new Set<string>();
  const stillLinked = new Set<string>();
  for (const edge of edges) {
    linked.add(edge.source);
    linked.add(edge.target);
    if (edge.data && hiddenStyles.has(edge.data.style)) edgeIds.add(edge.id);
    else {
      stillLinked.add(edge.source);
      stillLinked.add(edge.target);
    }
  }
  if (!hideStranded) return { edgeIds, nodeIds: new Set() };
  const nodeIds = new Set([...linked].filter((id) => !stillLinked.has(id)));
  return { edgeIds, nodeIds };
}

