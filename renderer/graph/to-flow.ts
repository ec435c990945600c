/** Turns the shared BlastGraph into React Flow nodes and edges (positions come later, from layoutGraph). */
import { Position, type NodeHandle } from '@xyflow/react';
import type { BlastGraph } from '../../shared/present/index.js';
import { NODE_SIZES, UPDATES_HANDLE, type BlastFlowEdge, type BlastFlowNode, type BlastKind } from './flow-types.js';
import { EDGE_STYLES, edgeStyleKey, markerId, type EdgeStyleKey } from './legend.js';

/** The inline SVG style of an edge style (inline, so the legend and the edges share one registry). */
export function edgeSvgStyle(style: EdgeStyleKey, emphasis = 0): { stroke: string; strokeWidth: number; strokeDasharray?: string } {
  const look = EDGE_STYLES[style];
  return { stroke: look.stroke, strokeWidth: look.width + emphasis, ...('dash' in look ? { strokeDasharray: look.dash } : {}) };
}

/** The side of a handle box (renderer/views/graph.css). */
const HANDLE_SIDE = 6;

/**
 * Where each kind's handles sit (BlastNodes.tsx: in on the left, out on the right, halfway down;
 * a container also takes updater brackets on its right). React Flow renders every node it has not
 * measured a handle of, in view or not, to measure it: at 5,000 nodes that mounted and laid out all
 * 5,000 before the view culled them. Known up front, only the nodes in view are mounted; those are
 * then measured as usual.
 */
function handlesOf(kind: BlastKind): NodeHandle[] {
  const { width, height } = NODE_SIZES[kind];
  const top = height / 2 - HANDLE_SIDE / 2;
  const side = { width: HANDLE_SIDE, height: HANDLE_SIDE, y: top };
  const handles: NodeHandle[] = [
    { ...side, type: 'target', position: Position.Left, x: -HANDLE_SIDE / 2, id: null },
    { ...side, type: 'source', position: Position.Right, x: width - HANDLE_SIDE / 2, id: null },
  ];
  if (kind === 'container') handles.push({ ...side, type: 'target', position: Position.Right, x: width - HANDLE_SIDE / 2, id: UPDATES_HANDLE });
  return handles;
}

const HANDLES = Object.fromEntries((Object.keys(NODE_SIZES) as BlastKind[]).map((kind) => [kind, handlesOf(kind)])) as Record<BlastKind, NodeHandle[]>;

/** React Flow nodes (sized per kind, with their handles, at the origin) and edges, each drawn in its style from the legend registry. */
export function toFlowElements(graph: BlastGraph): { nodes: BlastFlowNode[]; edges: BlastFlowEdge[] } {
  const statusById = new Map(graph.nodes.map((node) => [node.id, node.status]));
  const nodes = graph.nodes.map(
    (node) =>
      ({
        id: node.id,
        type: node.kind,
        position: { x: 0, y: 0 },
        ...NODE_SIZES[node.kind],
        handles: HANDLES[node.kind],
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
