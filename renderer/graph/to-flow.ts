/** Turns the shared BlastGraph into React Flow nodes and edges (positions come later, from layoutGraph). */
import type { BlastGraph } from '../../shared/present/index.js';
import { NODE_SIZES, UPDATES_HANDLE, type BlastFlowEdge, type BlastFlowNode } from './flow-types.js';
import { EDGE_STYLES, edgeStyleKey, markerId, type EdgeStyleKey } from './legend.js';

/** The inline SVG style of an edge style (inline, so the legend and the edges share one registry). */
export function edgeSvgStyle(style: EdgeStyleKey, emphasis = 0): { stroke: string; strokeWidth: number; strokeDasharray?: string } {
  const look = EDGE_STYLES[style];
  return { stroke: look.stroke, strokeWidth: look.width + emphasis, ...('dash' in look ? { strokeDasharray: look.dash } : {}) };
}

/** React Flow nodes (sized per kind, at the origin) and edges, each drawn in its style from the legend registry. */
export function toFlowElements(graph: BlastGraph): { nodes: BlastFlowNode[]; edges: BlastFlowEdge[] } {
  const statusById = new Map(graph.nodes.map((node) => [node.id, node.status]));
  const nodes = graph.nodes.map(
    (node) =>
      ({
        id: node.id,
        type: node.kind,
        position: { x: 0, y: 0 },
        ...NODE_SIZES[node.kind],
        data: { label: node.label, status: node.status, detail: node.sublabel, findingCount: node.findingIds.length, marks: node.marks },
      }) as BlastFlowNode,
  );
  const bracketsPerSource = new Map<string, number>();
  const edges = graph.edges.map((edge): BlastFlowEdge => {
    const style = edgeStyleKey(edge, statusById.get(edge.target));
    const look = EDGE_STYLES[style];
    const common = {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      className: `edge-${style}`,
      style: edgeSvgStyle(style),
      ...(look.arrow ? { markerEnd: markerId(style) } : {}),
      ...(edge.label ? { label: edge.label, labelStyle: { fill: look.stroke } } : {}),
      focusable: false,
    };
    if (edge.kind === 'updates') {
      // Nested brackets, inner to outer, capped so they stay in the gap before the next column.
      const index = bracketsPerSource.get(edge.source) ?? 0;
      bracketsPerSource.set(edge.source, index + 1);
      // Drawn dashed and labelled: a path a re-pull can take, not something the container holds.
      return {
        ...common,
        type: 'updates',
        targetHandle: UPDATES_HANDLE,
        label: edge.label ?? 'updates',
        labelStyle: { fill: look.stroke },
        data: { kind: 'updates', style, offset: Math.min(12 + index * 9, 42) },
      };
    }
    return { ...common, data: { kind: edge.kind, style } };
  });
  return { nodes, edges };
}

/**
 * The edges the layout ranks by: containment, and a place to its keys to their providers, so
 * keys and providers get columns of their own to the right. Updater, traffic and lateral edges
 * run between nodes already placed: ranking by them would push containers and hosts into
 * other columns (and a lateral path back to its source would make a cycle).
 */
export function containmentEdges(edges: readonly BlastFlowEdge[]): BlastFlowEdge[] {
  return edges.filter((edge) => {
    const kind = edge.data?.kind ?? 'contains';
    return kind === 'contains' || kind === 'holds' || kind === 'authenticates';
  });
}
