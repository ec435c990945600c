import { describe, expect, it } from 'vitest';
import { LAB, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import { chainsToNode } from './graph-chains.js';
import { buildBlastGraph, containerNodeId, hostNodeId, keyNodeId, packageNodeId, providerNodeId, type BlastEdge, type BlastEdgeKind, type BlastNode } from './graph.js';

/** A bare node for graphs built by hand: only id and status matter to the chains. */
function bare(id: string, status: BlastNode['status'] = 'clean'): BlastNode {
  return { id, kind: 'host', label: id, sublabel: '', status, findingIds: [], marks: [], evidence: [], data: {} } as unknown as BlastNode;
}

function edge(kind: BlastEdgeKind, source: string, target: string): BlastEdge {
  return { id: `${kind}:${source}->${target}`, kind, source, target };
}

const litellmPackage = packageNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite, 'litellm', '1.82.8');

describe('chainsToNode', () => {
  it('explains a key by the compromised package, up through its container, to the key the container holds', () => {
    const graph = buildBlastGraph(sampleLabReport());

    const { chains } = chainsToNode(graph, keyNodeId(LAB.openaiKey));

    expect(chains[0]!.source.id).toBe(litellmPackage);
    expect(chains[0]!.steps.map((step) => [step.from.label, step.relation, step.to.label])).toEqual([
      ['litellm 1.82.8', 'is inside', SAMPLE.litellmSite],
      [SAMPLE.litellmSite, 'is inside', SAMPLE.litellmContainer],
      [SAMPLE.litellmContainer, 'holds', 'openai 3f2a9c1b…Qx7a'],
    ]);
    // The key is also in gw's compose .env, but through the host is one step longer: not a shortest chain.
    expect(chains.every((chain) => chain.steps.length === 3)).toBe(true);
  });

  it('follows a consumes edge against its arrow: a compromised gateway reaches the consumers that send it requests', () => {
    const graph = buildBlastGraph(sampleLabReport());

    const { chains } = chainsToNode(graph, containerNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer));

    const last = chains[0]!.steps.at(-1)!;
    expect([last.from.id, last.relation, last.to.id]).toEqual([
      containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer),
      'receives requests from (shared-network)',
      containerNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer),
    ]);
  });

  it('gives a compromised node its own zero-step chain first', () => {
    const graph = buildBlastGraph(sampleLabReport());

    const { chains } = chainsToNode(graph, litellmPackage);

    expect(chains[0]).toMatchObject({ steps: [], nodeIds: [litellmPackage], edgeIds: [] });
  });

  it('lists the node and edge ids of a chain in order, so the graph can highlight it', () => {
    const graph = buildBlastGraph(sampleLabReport());

    const [chain] = chainsToNode(graph, providerNodeId('openai')).chains;

    expect(chain!.nodeIds[0]).toBe(litellmPackage);
    expect(chain!.nodeIds.at(-1)).toBe(providerNodeId('openai'));
    expect(chain!.edgeIds).toHaveLength(chain!.nodeIds.length - 1);
    for (const id of chain!.edgeIds) expect(graph.edges.some((candidate) => candidate.id === id)).toBe(true);
  });

  it('returns only the shortest chains, at most the limit, and counts the rest', () => {
    // Three diamonds in a row: 2 × 2 × 2 = 8 shortest chains from s to t, and one longer detour.
    const nodes = ['s', 'a1', 'b1', 'm1', 'a2', 'b2', 'm2', 'a3', 'b3', 't', 'x'].map((id) => bare(id, id === 's' ? 'compromised' : 'clean'));
    const edges: BlastEdge[] = [];
    for (const [from, to] of [['s', 'm1'], ['m1', 'm2'], ['m2', 't']] as const) {
      const level = to === 't' ? '3' : to.slice(1);
      edges.push(edge('lateral', from, `a${level}`), edge('lateral', from, `b${level}`), edge('lateral', `a${level}`, to), edge('lateral', `b${level}`, to));
    }
    edges.push(edge('lateral', 's', 'x'), edge('lateral', 'x', 'a1'));

    const result = chainsToNode({ nodes, edges }, 't', 3);

    expect(result.chains).toHaveLength(3);
    expect(result.more).toBe(5);
    expect(result.chains.every((chain) => chain.steps.length === 6)).toBe(true);
    expect(new Set(result.chains.map((chain) => chain.nodeIds.join('>'))).size).toBe(3);
  });

  it('terminates on cycles and finds the chain around them', () => {
    const nodes = [bare('a', 'compromised'), bare('b'), bare('c')];
    const edges = [edge('lateral', 'a', 'b'), edge('lateral', 'b', 'a'), edge('lateral', 'b', 'c'), edge('lateral', 'c', 'b'), edge('lateral', 'c', 'c')];

    const { chains, more } = chainsToNode({ nodes, edges }, 'c');

    expect(chains.map((chain) => chain.nodeIds)).toEqual([['a', 'b', 'c']]);
    expect(more).toBe(0);
  });

  it('never follows containment downwards: a sibling of a compromised place has no chain', () => {
    const nodes = [bare('host'), bare('bad', 'compromised'), bare('sibling')];
    const edges = [edge('contains', 'host', 'bad'), edge('contains', 'host', 'sibling')];

    expect(chainsToNode({ nodes, edges }, 'host').chains).toHaveLength(1);
    expect(chainsToNode({ nodes, edges }, 'sibling')).toEqual({ chains: [], more: 0 });
  });

  it('lists chains from every compromised source that reaches the node, nearest first', () => {
    const nodes = [bare('far', 'compromised'), bare('mid'), bare('near', 'compromised'), bare('t')];
    const edges = [edge('lateral', 'far', 'mid'), edge('lateral', 'mid', 't'), edge('lateral', 'near', 't')];

    const { chains } = chainsToNode({ nodes, edges }, 't');

    expect(chains.map((chain) => chain.source.id)).toEqual(['near', 'far']);
  });

  it('returns nothing for an id the graph does not have', () => {
    expect(chainsToNode(buildBlastGraph(sampleLabReport()), hostNodeId('gone'))).toEqual({ chains: [], more: 0 });
  });
});
