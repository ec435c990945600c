/**
 * A first, rough picture of a large graph while elkjs lays it out properly: each node in the
 * column of its depth along the ranking edges (as the layered layout ranks them), stacked in
 * graph order. Linear in the graph's size, so thousands of nodes show at once instead of after
 * seconds of layout. Pure: nodes in, positioned copies out.
 */
import type { Edge, Node } from '@xyflow/react';

/** The same gaps the layered layout keeps, so the rough picture and the final one look alike. */
const COLUMN_GAP = 56;
const ROW_GAP = 22;
const DEFAULT_SIZE = { width: 200, height: 60 };

/**
 * Returns copies of `nodes` placed in columns: a node no ranking edge reaches is in the first;
 * any other is one column right of the deepest node with an edge to it (edges that would close a
 * cycle, or whose ends are not among the nodes, are ignored).
 */
export function quickLayout<N extends Node>(nodes: readonly N[], edges: readonly Edge[]): N[] {
  const index = new Map(nodes.map((node, position) => [node.id, position]));
  const children = new Map<string, string[]>();
  const incoming = new Map<string, number>();
  for (const edge of edges) {
    if (!index.has(edge.source) || !index.has(edge.target) || edge.source === edge.target) continue;
    const list = children.get(edge.source);
    if (list) list.push(edge.target);
    else children.set(edge.source, [edge.target]);
    incoming.set(edge.target, (incoming.get(edge.target) ?? 0) + 1);
  }
  // Longest path by Kahn's order: a node's depth is settled once every edge into it has been seen.
  const depth = new Map<string, number>();
  const queue = nodes.filter((node) => !incoming.has(node.id)).map((node) => node.id);
  for (const id of queue) depth.set(id, 0);
  for (let head = 0; head < queue.length; head++) {
    const id = queue[head]!;
    for (const child of children.get(id) ?? []) {
      depth.set(child, Math.max(depth.get(child) ?? 0, depth.get(id)! + 1));
      const left = incoming.get(child)! - 1;
      incoming.set(child, left);
      if (left === 0) queue.push(child);
    }
  }
  const size = (node: N) => ({ width: node.width ?? DEFAULT_SIZE.width, height: node.height ?? DEFAULT_SIZE.height });
  const columns: N[][] = [];
  // Nodes on a cycle are never settled: the column after their deepest known parent.
  for (const node of nodes) (columns[depth.get(node.id) ?? 0] ??= []).push(node);
  const positions = new Map<string, { x: number; y: number }>();
  let x = 0;
  for (const column of columns) {
    if (!column) continue;
    let y = 0;
    for (const node of column) {
      positions.set(node.id, { x, y });
      y += size(node).height + ROW_GAP;
    }
    x += Math.max(...column.map((node) => size(node).width)) + COLUMN_GAP;
  }
  return nodes.map((node) => ({ ...node, position: positions.get(node.id)! }));
}
