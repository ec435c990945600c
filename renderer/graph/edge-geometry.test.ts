import { describe, expect, it } from 'vitest';
import { sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { buildBlastGraph, foldCleanContainers } from '../../shared/present/index.js';
import { edgeGeometry } from './edge-geometry.js';
import type { BlastFlowEdge, BlastFlowNode } from './flow-types.js';
import { quickLayout } from './quick-layout.js';
import { containmentEdges, toFlowElements } from './to-flow.js';

function node(id: string, x: number, y: number): BlastFlowNode {
  return { id, type: 'host', position: { x, y }, width: 100, height: 40, data: { label: id, status: 'clean', detail: '', findingCount: 0, marks: [] } };
}

function edge(id: string, source: string, target: string, kind: 'contains' | 'updates' = 'contains', offset?: number): BlastFlowEdge {
  return { id, source, target, data: { kind, style: kind, ...(offset !== undefined ? { offset } : {}) } };
}

describe('where the canvas draws each edge', () => {
  it('runs an edge from the middle of its source’s right side to the middle of its target’s left side', () => {
    const [line] = edgeGeometry([node('a', 0, 0), node('b', 300, 100)], [edge('e', 'a', 'b')]);

    expect(line!.curve).toBe(true);
    expect(line!.points.slice(0, 2)).toEqual([100, 20]);
    expect(line!.points.slice(6)).toEqual([300, 120]);
    // Control points pull along the row of each end, half the gap out.
    expect(line!.points.slice(2, 6)).toEqual([200, 20, 200, 120]);
  });

  it('boxes the whole curve, so an edge crossing the view is never skipped', () => {
    const [line] = edgeGeometry([node('a', 400, 0), node('b', 0, 200)], [edge('e', 'a', 'b')]);

    // The target is behind the source: the curve loops out past both ends.
    expect(line!.left).toBeLessThan(0);
    expect(line!.right).toBeGreaterThan(500);
    expect([line!.top, line!.bottom]).toEqual([20, 220]);
  });

  it('draws an updater’s edge as a bracket on the right of the container column, its offset out', () => {
    const [line] = edgeGeometry([node('updater', 0, 0), node('watched', 0, 100)], [edge('u', 'updater', 'watched', 'updates', 30)]);

    expect(line!.curve).toBe(false);
    expect(line!.points).toEqual([100, 20, 130, 20, 130, 120, 100, 120]);
  });

  it('draws one line per edge of a laid-out graph, each in its style, and none for an edge whose end is not drawn', () => {
    const { nodes, edges } = toFlowElements(foldCleanContainers(buildBlastGraph(sampleLabReport())));
    const placed = quickLayout(nodes, containmentEdges(edges));

    const lines = edgeGeometry(placed, [...edges, edge('dangling', placed[0]!.id, 'no-such-node')]);

    expect(lines.map((line) => line.id)).toEqual(edges.map((candidate) => candidate.id));
    expect(lines.map((line) => line.style)).toEqual(edges.map((candidate) => candidate.data!.style));
  });
});
