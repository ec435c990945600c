import { describe, expect, it } from 'vitest';
import { sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { buildBlastGraph, foldCleanContainers } from '../../shared/present/index.js';
import { hiddenByEdgeFilter, type FilterableEdge } from './edge-filter.js';
import type { EdgeStyleKey } from './legend.js';
import { toFlowElements } from './to-flow.js';

function edge(id: string, source: string, target: string, style: EdgeStyleKey): FilterableEdge {
  return { id, source, target, data: { style } };
}

/** The lab's graph as the canvas draws it. */
function labEdges() {
  return toFlowElements(foldCleanContainers(buildBlastGraph(sampleLabReport()))).edges;
}

describe('the edge filter of the graph', () => {
  it('hides every edge drawn in a turned-off style and no other', () => {
    const edges = labEdges();

    const hidden = hiddenByEdgeFilter(edges, new Set(['holds']), false);

    const holds = edges.filter((candidate) => candidate.data!.style === 'holds').map((candidate) => candidate.id);
    expect(holds.length).toBeGreaterThan(0);
    expect([...hidden.edgeIds].sort()).toEqual(holds.sort());
    expect(hidden.nodeIds.size).toBe(0);
  });

  it('hides nothing when every style is on', () => {
    const hidden = hiddenByEdgeFilter(labEdges(), new Set(), true);

    expect(hidden.edgeIds.size).toBe(0);
    expect(hidden.nodeIds.size).toBe(0);
  });

  it('hides a node whose every edge is off only when asked to', () => {
    const edges = [edge('a', 'host', 'container', 'contains'), edge('b', 'container', 'key', 'holds'), edge('c', 'key', 'provider', 'authenticates')];

    expect([...hiddenByEdgeFilter(edges, new Set(['holds', 'authenticates']), true).nodeIds].sort()).toEqual(['key', 'provider']);
    expect(hiddenByEdgeFilter(edges, new Set(['holds', 'authenticates']), false).nodeIds.size).toBe(0);
  });

  it('keeps a node with one edge still shown, and a node that never had an edge', () => {
    const edges = [edge('a', 'host', 'container', 'contains'), edge('b', 'container', 'key', 'holds'), edge('c', 'other', 'key', 'holds'), edge('d', 'other', 'gw', 'consumes')];

    const hidden = hiddenByEdgeFilter(edges, new Set(['holds']), true);

    // "other" still consumes; "container" is still held by its host; "lone" is in no edge at all.
    expect([...hidden.nodeIds]).toEqual(['key']);
    expect(hidden.nodeIds.has('lone')).toBe(false);
  });

  it('hides the lab key nodes, and only them, when the place-holds-key and key-to-provider edges are off', () => {
    const { nodes, edges } = toFlowElements(foldCleanContainers(buildBlastGraph(sampleLabReport())));

    const hidden = hiddenByEdgeFilter(edges, new Set(['holds', 'authenticates']), true);

    const types = new Set(nodes.filter((node) => hidden.nodeIds.has(node.id)).map((node) => node.type));
    expect(types.has('key')).toBe(true);
    // Providers a gateway routes to keep that edge; anything else hidden must be a key or a provider.
    expect([...types].every((type) => type === 'key' || type === 'provider')).toBe(true);
  });
});
