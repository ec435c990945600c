import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { Container } from '../model/index.js';
import { FOLD_MIN, foldCleanContainers, foldHolding, foldNodeId } from './graph-fold.js';
import { buildBlastGraph, containerNodeId, hostNodeId } from './graph.js';

function idle(name: string): Container {
  return { id: name.padEnd(64, '0'), name, image: `library/${name}:1`, imageDigest: null, running: true };
}

/** The lab sample (its gw containers all linked: the gateway and its consumer) with `count` idle containers added on gw. */
function withIdle(count: number) {
  const report = sampleLabReport();
  for (let index = 0; index < count; index++) report.hosts[0]!.containers.push(idle(`idle-${index}`));
  return buildBlastGraph(report);
}

describe('foldCleanContainers', () => {
  it("folds a host's clean, unlinked containers into one node that counts and names them", () => {
    const graph = withIdle(4);

    const shown = foldCleanContainers(graph);

    const fold = shown.nodes.find((node) => node.id === foldNodeId(hostNodeId(SAMPLE.gw)))!;
    expect(fold).toMatchObject({ kind: 'fold', label: '4 clean containers', status: 'clean' });
    expect(fold.kind === 'fold' && fold.data.labels).toEqual(['idle-0', 'idle-1', 'idle-2', 'idle-3']);
    expect(shown.nodes.some((node) => node.id === containerNodeId(SAMPLE.gw, 'idle-0'))).toBe(false);
    expect(shown.edges.filter((edge) => edge.target === fold.id).map((edge) => [edge.source, edge.kind])).toEqual([[hostNodeId(SAMPLE.gw), 'contains']]);
    expect(shown.edges.some((edge) => edge.target === containerNodeId(SAMPLE.gw, 'idle-0'))).toBe(false);
  });

  it('never folds a container that is reached, marked, holds a key or carries traffic', () => {
    const graph = buildBlastGraph(sampleLabReport());

    const shown = foldCleanContainers(graph);

    // litellm (reached, holds keys, routes) and open-webui (a consumer) stay drawn.
    for (const name of [SAMPLE.litellmContainer, SAMPLE.openWebuiContainer]) expect(shown.nodes.some((node) => node.id === containerNodeId(SAMPLE.gw, name))).toBe(true);
  });

  it('leaves fewer than FOLD_MIN clean containers as they are, and an expanded host unfolded', () => {
    expect(foldCleanContainers(withIdle(FOLD_MIN - 1)).nodes.some((node) => node.kind === 'fold')).toBe(false);

    const graph = withIdle(5);
    const shown = foldCleanContainers(graph, new Set([hostNodeId(SAMPLE.gw)]));

    expect(shown).toBe(graph);
  });

  it('finds the fold that hides a container, and none for a drawn one', () => {
    const shown = foldCleanContainers(withIdle(3));

    expect(foldHolding(shown, containerNodeId(SAMPLE.gw, 'idle-2'))?.id).toBe(foldNodeId(hostNodeId(SAMPLE.gw)));
    expect(foldHolding(shown, containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer))).toBeNull();
  });
});
