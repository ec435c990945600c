/** Turns the shared BlastGraph into React Flow nodes and edges (positions come later, from layoutGraph). */
import { MarkerType } from '@xyflow/react';
import type { BlastEdgeKind, BlastGraph } from '../../shared/present/index.js';
import { NODE_SIZES, UPDATES_HANDLE, type BlastFlowEdge, type BlastFlowNode } from './flow-types.js';

// The same palette entries as the .edge-* rules in blast-nodes.css; a marker takes its colour as a
// value, not from CSS, and `var()` resolves in its inline style, so arrows follow the theme too.
const UPDATES_COLOUR = 'var(--edge-updates)';
const EDGE_COLOURS: Record<Exclude<BlastEdgeKind, 'contains' | 'updates'>, string> = {
  holds: 'var(--edge-holds)',
  authenticates: 'var(--edge-holds)',
  routes: 'var(--edge-routes)',
  consumes: 'var(--edge-consumes)',
  lateral: 'var(--edge-lateral)',
};

/** React Flow nodes (sized per kind, at the origin) and edges, coloured by the status of what they lead to. */
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
    if (edge.kind === 'updates') {
      // Nested brackets, inner to outer, capped so they stay in the gap before the next column.
      const index = bracketsPerSource.get(edge.source) ?? 0;
      bracketsPerSource.set(edge.source, index + 1);
      // Drawn dashed and labelled: a path a re-pull can take, not something the container holds.
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        type: 'updates',
        targetHandle: UPDATES_HANDLE,
        className: 'edge-updates',
        label: edge.label ?? 'updates',
        markerEnd: { type: MarkerType.ArrowClosed, color: UPDATES_COLOUR, width: 14, height: 14 },
        data: { kind: 'updates', offset: Math.min(12 + index * 9, 42) },
        focusable: false,
      };
    }
    if (edge.kind !== 'contains') {
      // Keys, traffic and lateral paths are relations, not containment: each kind has its own look.
      return {
        id: edge.id,
        source: edge.source,
        target: edge.target,
        className: `edge-${edge.kind}`,
        ...(edge.label ? { label: edge.label } : {}),
        markerEnd: { type: MarkerType.ArrowClosed, color: EDGE_COLOURS[edge.kind], width: 14, height: 14 },
        data: { kind: edge.kind },
        focusable: false,
      };
    }
    const status = statusById.get(edge.target);
    const hot = status === 'compromised' || status === 'reached';
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      className: hot ? 'edge-compromised' : undefined,
      animated: status === 'compromised',
      data: { kind: 'contains' },
      focusable: false,
    };
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
