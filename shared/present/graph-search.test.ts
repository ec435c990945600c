import { describe, expect, it } from 'vitest';
import { LAB, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import { buildBlastGraph, containerNodeId, environmentNodeId, hostNodeId, keyNodeId } from './graph.js';
import { searchGraphNodes } from './graph-search.js';

const graph = () => buildBlastGraph(sampleLabReport());
const ids = (query: string) => searchGraphNodes(graph(), query).map((hit) => hit.node.id);

describe('searchGraphNodes', () => {
  it('finds a node by its name, a label that starts with the query first', () => {
    const hits = ids('litellm');

    expect(hits[0]).toBe(containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer));
    expect(hits).toContain(containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer));
  });

  it('finds an environment by its path and says the path matched', () => {
    const hits = searchGraphNodes(graph(), 'python3.13/site');

    expect(hits.map((hit) => hit.node.id)).toContain(environmentNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite));
  });

  it('finds a key by any part of its fingerprint, and by a file it was seen in', () => {
    expect(ids('7d4e')).toEqual([keyNodeId(LAB.openaiKey)]);
    const byFile = searchGraphNodes(graph(), LAB.envFile);
    expect(byFile.map((hit) => hit.node.id)).toContain(keyNodeId(LAB.openaiKey));
    expect(byFile.find((hit) => hit.node.id === keyNodeId(LAB.openaiKey))!.matched).toBe(LAB.envFile);
  });

  it('ignores case and surrounding spaces, and finds nothing for an empty query', () => {
    expect(ids('  NODOCKER ')).toContain(hostNodeId(SAMPLE.nodocker));
    expect(ids('   ')).toEqual([]);
  });

  it('returns at most the limit', () => {
    expect(searchGraphNodes(graph(), 'a', 2)).toHaveLength(2);
  });
});
