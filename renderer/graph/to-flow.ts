/** Turns the shared BlastGraph into React Flow nodes and edges (positions come later, from layoutGraph). */
import type { BlastGraph } from '../../shared/graph.js';
import { NODE_SIZES, type BlastFlowEdge, type BlastFlowNode } from './flow-types.js';

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
        data: { label: node.label, status: node.status, detail: node.sublabel, findingCount: node.findingIds.length },
      }) as BlastFlowNode,
  );
  const edges = graph.edges.map((edge): BlastFlowEdge => {
    const status = statusById.get(edge.target);
    const hot = status === 'compromised' || status === 'reached';
    return {
      id: edge.id,
      source: edge.source,
      target: edge.target,
      className: hot ? 'edge-compromised' : undefined,
      animated: status === 'compromised',
      focusable: false,
    };
  });
  return { nodes, edges };
}
