/** Lays the blast-radius graph out left to right with elkjs (layered). Pure: nodes in, positioned nodes out. */
import ELK from 'elkjs/lib/elk.bundled.js';
import type { Edge, Node } from '@xyflow/react';

const elk = new ELK();

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '22',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

const DEFAULT_SIZE = { width: 200, height: 60 };

/**
 * Returns copies of `nodes` with positions from a layered, left-to-right layout of `nodes` and
 * `edges`; each node's `width`/`height` (or a default) is the box it is laid out as. Edges whose
 * ends are not among the nodes are ignored.
 */
export async function layoutGraph<N extends Node>(nodes: readonly N[], edges: readonly Edge[]): Promise<N[]> {
  if (nodes.length === 0) return [];
  const ids = new Set(nodes.map((node) => node.id));
  const result = await elk.layout({
    id: 'root',
    layoutOptions: LAYOUT_OPTIONS,
    children: nodes.map((node) => ({
      id: node.id,
      width: node.width ?? node.measured?.width ?? DEFAULT_SIZE.width,
      height: node.height ?? node.measured?.height ?? DEFAULT_SIZE.height,
    })),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  const positions = new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
  return nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? { x: 0, y: 0 } }));
}
