/**
 * Where each edge of a laid-out graph runs, in graph coordinates, for the canvas edge layer: a
 * curve from the source's right side to the target's left (the control points React Flow's bezier
 * edges use, so a large graph reads like a small one), or an updater's bracket beside the container
 * column. Pure: nodes and edges in, one line per edge whose two ends are drawn.
 */
import type { BlastFlowEdge, BlastFlowNode } from './flow-types.js';
import type { EdgeStyleKey } from './legend.js';

/** One edge's line and the box around it (control points included, so the box holds the whole curve). */
export interface EdgeGeometry {
  id: string;
  style: EdgeStyleKey;
  /** True: a cubic curve (start, two control points, end); false: a polyline through the points. */
  curve: boolean;
  /** x, y pairs. */
  points: number[];
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** The lines of `edges` between `nodes` (by position and size); an edge with an end not among the nodes has none. */
export function edgeGeometry(nodes: readonly BlastFlowNode[], edges: readonly BlastFlowEdge[]): EdgeGeometry[] {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const lines: EdgeGeometry[] = [];
  for (const edge of edges) {
    const source = byId.get(edge.source);
    const target = byId.get(edge.target);
    if (!source || !target || !edge.data) continue;
    const sx = source.position.x + (source.width ?? 0);
    const sy = source.position.y + (source.height ?? 0) / 2;
    const ty = target.position.y + (target.height ?? 0) / 2;
    let curve = true;
    let points: number[];
    if (edge.data.kind === 'updates') {
      // Both ends on the right of containers in one column: a bracket `offset` wide.
      const tx = target.position.x + (target.width ?? 0);
      const out = Math.max(sx, tx) + (edge.data.offset ?? 14);
      curve = false;
      points = [sx, sy, out, sy, out, ty, tx, ty];
    } else {
      const tx = target.position.x;
      const pull = controlOffset(tx - sx);
      points = [sx, sy, sx + pull, sy, tx - pull, ty, tx, ty];
    }
    const xs = points.filter((_, index) => index % 2 === 0);
    const ys = points.filter((_, index) => index % 2 === 1);
    lines.push({ id: edge.id, style: edge.data.style, curve, points, left: Math.min(...xs), top: Math.min(...ys), right: Math.max(...xs), bottom: Math.max(...ys) });
  }
  return lines;
}

/** How far a control point stands out from its end: half the gap when the target is to the right, a gentle loop when it is behind (React Flow's bezier rule, curvature 0.25). */
function controlOffset(distance: number): number {
  return distance >= 0 ? 0.5 * distance : 0.25 * 25 * Math.sqrt(-distance);
}
