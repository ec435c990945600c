import { describe, expect, it } from 'vitest';
import { sampleLabReport } from '../fixtures/sample-report.js';
import { buildBlastGraph, selectNodeEvidence } from './graph.js';
import { hostsOfNode } from './node-hosts.js';

/** The hosts a node's "Re-scan" button would ask for, found through the evidence panel's own lookup. */
function rescanHostsFor(nodeKind: string, match: (label: string) => boolean): string[] {
  const graph = buildBlastGraph(sampleLabReport());
  const node = graph.nodes.find((candidate) => candidate.kind === nodeKind && match(candidate.label));
  if (!node) throw new Error(`no ${nodeKind} node in the sample graph`);
  const details = selectNodeEvidence(graph, node.id)!;
  return hostsOfNode(details.node, details.ancestors);
}

describe('the hosts a graph node re-scans', () => {
  it('re-scans the host a container sits on', () => {
    const graph = buildBlastGraph(sampleLabReport());
    const container = graph.nodes.find((node) => node.kind === 'container')!;
    const host = selectNodeEvidence(graph, container.id)!.ancestors.find((node) => node.kind === 'host')!;
    expect(rescanHostsFor('container', (label) => label === container.label)).toEqual([host.label]);
  });

  it('re-scans a host node itself', () => {
    const graph = buildBlastGraph(sampleLabReport());
    const host = graph.nodes.find((node) => node.kind === 'host');
    if (host?.kind !== 'host') throw new Error('the sample graph has no host');
    expect(rescanHostsFor('host', (label) => label === host.label)).toEqual([host.data.name]);
  });

  it('re-scans every host a key was seen on, once each', () => {
    const graph = buildBlastGraph(sampleLabReport());
    // The sample's OpenAI key was seen twice on gw (the container's environment and the compose .env).
    const key = graph.nodes.find((node) => node.kind === 'key' && node.data.locations.length > 1);
    if (key?.kind !== 'key') throw new Error('the sample graph has no key seen in two places');
    const hosts = key.data.locations.map((location) => location.host);
    expect(rescanHostsFor('key', (label) => label === key.label)).toEqual([...new Set(hosts)]);
    expect(rescanHostsFor('key', (label) => label === key.label).length).toBeLessThan(hosts.length);
  });

  it('has nothing to re-scan for a provider outside the lab', () => {
    expect(rescanHostsFor('provider', () => true)).toEqual([]);
  });
});
