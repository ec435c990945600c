import { describe, expect, it } from 'vitest';
import { LAB, sampleLabReport, sampleReport } from '../../shared/fixtures/sample-report.js';
import { buildBlastGraph, containerNodeId, hostNodeId, keyNodeId, providerNodeId } from '../../shared/present/index.js';
import { layoutGraph } from './layout.js';
import { containmentEdges, toFlowElements } from './to-flow.js';

/** The sample with an auto-updater on gw watching both of its containers. */
function withWatchtower() {
  const report = sampleReport();
  report.hosts[0]!.containers.push({
    id: 'f'.repeat(64),
    name: 'watchtower',
    image: 'containrrr/watchtower',
    imageDigest: null,
    running: true,
    mounts: [{ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, risk: 'engine-socket' }],
    autoUpdater: { updater: 'watchtower', settings: {}, args: [] },
  });
  return buildBlastGraph(report);
}

describe('toFlowElements', () => {
  it('gives each node its kind as type, its size, and its status in data', () => {
    const { nodes } = toFlowElements(buildBlastGraph(sampleReport()));

    const gw = nodes.find((node) => node.id === hostNodeId('gw'))!;

    expect(gw).toMatchObject({ type: 'host', width: 230, height: 78, data: { label: 'gw', status: 'reached' } });
  });

  it('marks edges that lead to reached or compromised nodes, and only those', () => {
    const { edges } = toFlowElements(buildBlastGraph(sampleReport()));

    const hot = edges.filter((edge) => edge.className === 'edge-compromised').map((edge) => edge.target);

    expect(hot).toContain(containerNodeId('gw', 'litellm'));
    expect(hot).not.toContain(containerNodeId('gw', 'open-webui'));
  });

  it('draws updates edges dashed and labelled, and carries node marks into data', () => {
    const { nodes, edges } = toFlowElements(withWatchtower());

    const updates = edges.filter((edge) => edge.className === 'edge-updates');

    expect(updates.map((edge) => [edge.target, edge.label])).toEqual([
      [containerNodeId('gw', 'litellm'), 'updates'],
      [containerNodeId('gw', 'open-webui'), 'updates'],
    ]);
    expect(nodes.find((node) => node.id === containerNodeId('gw', 'watchtower'))?.data.marks).toEqual(['updater', 'socket']);
  });
});

describe('layoutGraph', () => {
  it('keeps an updater and the containers it updates in one column', async () => {
    const { nodes, edges } = toFlowElements(withWatchtower());

    const positioned = await layoutGraph(nodes, containmentEdges(edges));

    const x = (id: string) => positioned.find((node) => node.id === id)!.position.x;
    expect(x(containerNodeId('gw', 'watchtower'))).toBe(x(containerNodeId('gw', 'litellm')));
  });

  it('places every holder to the left of what it holds', async () => {
    const { nodes, edges } = toFlowElements(buildBlastGraph(sampleReport()));

    const positioned = await layoutGraph(nodes, edges);

    const x = new Map(positioned.map((node) => [node.id, node.position.x]));
    for (const edge of edges) expect(x.get(edge.source)!, edge.id).toBeLessThan(x.get(edge.target)!);
  });

  it('does not overlap nodes in the same layer', async () => {
    const { nodes, edges } = toFlowElements(buildBlastGraph(sampleReport()));

    const positioned = await layoutGraph(nodes, edges);

    for (const a of positioned) {
      for (const b of positioned) {
        if (a === b) continue;
        const overlap =
          a.position.x < b.position.x + b.width! && b.position.x < a.position.x + a.width! && a.position.y < b.position.y + b.height! && b.position.y < a.position.y + a.height!;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
  });

  it('returns an empty list for an empty graph and ignores edges to unknown nodes', async () => {
    expect(await layoutGraph([], [])).toEqual([]);
    const [node] = toFlowElements(buildBlastGraph(sampleReport())).nodes;

    const positioned = await layoutGraph([node!], [{ id: 'dangling', source: node!.id, target: 'nowhere' }]);

    expect(positioned).toHaveLength(1);
  });
});

describe('the lab graph with keys, gateway traffic and lateral paths', () => {
  it('gives key, provider and tunnel nodes their own type and size', () => {
    const { nodes } = toFlowElements(buildBlastGraph(sampleLabReport()));

    const types = new Set(nodes.map((node) => node.type));

    expect([...types]).toEqual(expect.arrayContaining(['key', 'provider', 'tunnel']));
    expect(nodes.find((node) => node.id === keyNodeId(LAB.openaiKey))).toMatchObject({ type: 'key', width: 210, data: { label: 'openai 3f2a9c1b…Qx7a' } });
  });

  it('draws the lateral edge with its own class and label, and consumer edges labelled by how they connect', () => {
    const { edges } = toFlowElements(buildBlastGraph(sampleLabReport()));

    const lateral = edges.filter((edge) => edge.className === 'edge-lateral');

    expect(lateral.map((edge) => [edge.source, edge.target, edge.label])).toEqual([[hostNodeId('nodocker'), hostNodeId(LAB.ollama), 'ssh as root']]);
    expect(edges.filter((edge) => edge.className === 'edge-consumes').map((edge) => edge.label)).toContain('shared-network');
  });

  it('lays keys out right of every place holding them and providers right of keys, without overlaps', async () => {
    const { nodes, edges } = toFlowElements(buildBlastGraph(sampleLabReport()));

    const positioned = await layoutGraph(nodes, containmentEdges(edges));

    const x = new Map(positioned.map((node) => [node.id, node.position.x]));
    for (const edge of edges.filter((candidate) => candidate.data?.kind === 'holds' || candidate.data?.kind === 'authenticates')) {
      expect(x.get(edge.source)!, edge.id).toBeLessThan(x.get(edge.target)!);
    }
    expect(x.get(keyNodeId(LAB.openaiKey))!).toBeLessThan(x.get(providerNodeId('openai'))!);
    for (const a of positioned) {
      for (const b of positioned) {
        if (a === b) continue;
        const overlap =
          a.position.x < b.position.x + b.width! && b.position.x < a.position.x + a.width! && a.position.y < b.position.y + b.height! && b.position.y < a.position.y + a.height!;
        expect(overlap, `${a.id} overlaps ${b.id}`).toBe(false);
      }
    }
  });

  it('never ranks by traffic or lateral edges, so a consumer never pushes its gateway into another column', () => {
    const { edges } = toFlowElements(buildBlastGraph(sampleLabReport()));

    const kinds = new Set(containmentEdges(edges).map((edge) => edge.data?.kind));

    expect([...kinds].sort()).toEqual(['authenticates', 'contains', 'holds']);
  });
});
