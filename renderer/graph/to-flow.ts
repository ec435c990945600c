/** Turns the shared BlastGraph into React Flow nodes and edges (positions come later, from layoutGraph). */
import { MarkerType } from '@xyflow/react';
import type { BlastGraph } from '../../shared/graph.js';
import { NODE_SIZES, UPDATES_HANDLE, type BlastFlowEdge, type BlastFlowNode } from './flow-types.js';

// The same purple as .edge-updates in blast-nodes.css; a marker takes its colour as a value, not from CSS.
const UPDATES_COLOUR = '#7f56d9';

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

/** The edges the layout ranks by: containment only, so an updater's edges never push a container into another column. */
export function containmentEdges(edges: readonly BlastFlowEdge[]): BlastFlowEdge[] {
  return edges.filter((edge) => edge.data?.kind !== 'updates');
}
