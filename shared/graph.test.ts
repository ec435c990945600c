import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReport, type SampleReport } from './fixtures/sample-report.js';
import {
  buildBlastGraph,
  containerNodeId,
  environmentNodeId,
  hostNodeId,
  packageNodeId,
  selectNodeEvidence,
  type BlastGraph,
  type BlastNode,
} from './graph.js';

function node(graph: BlastGraph, id: string): BlastNode {
  const found = graph.nodes.find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no node ${id} in ${graph.nodes.map((candidate) => candidate.id).join(', ')}`);
  return found;
}

const litellmFinding = (report: SampleReport) => report.findings.find((finding) => finding.container === SAMPLE.litellmContainer)!;
const aliceFinding = (report: SampleReport) => report.findings.find((finding) => finding.host === SAMPLE.nodocker)!;

describe('buildBlastGraph', () => {
  it('marks the flagged package compromised and its environment, container and host reached', () => {
    const report = sampleReport();
    const finding = litellmFinding(report);

    const graph = buildBlastGraph(report);

    const pkg = node(graph, packageNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite, 'litellm', '1.82.8'));
    expect(pkg).toMatchObject({ kind: 'package', status: 'compromised', severity: 'critical', findingIds: [finding.id], label: 'litellm 1.82.8' });
    for (const id of [
      environmentNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite),
      containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer),
      hostNodeId(SAMPLE.gw),
    ]) {
      expect(node(graph, id)).toMatchObject({ status: 'reached', severity: 'critical', findingIds: [finding.id] });
    }
  });

  it('links host to container to environment to package', () => {
    const report = sampleReport();

    const graph = buildBlastGraph(report);

    const chain = [
      hostNodeId(SAMPLE.gw),
      containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer),
      environmentNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite),
      packageNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite, 'litellm', '1.82.8'),
    ];
    const pairs = graph.edges.map((edge) => [edge.source, edge.target]);
    expect(pairs).toEqual(expect.arrayContaining([[chain[0], chain[1]], [chain[1], chain[2]], [chain[2], chain[3]]]));
  });

  it('links a host environment straight to its host when no container holds it', () => {
    const report = sampleReport();

    const graph = buildBlastGraph(report);

    const environmentId = environmentNodeId(SAMPLE.nodocker, null, SAMPLE.aliceUserSite);
    expect(graph.edges).toContainEqual(expect.objectContaining({ source: hostNodeId(SAMPLE.nodocker), target: environmentId }));
    expect(node(graph, environmentId)).toMatchObject({ status: 'reached', findingIds: [aliceFinding(report).id] });
    expect(node(graph, hostNodeId(SAMPLE.nodocker)).status).toBe('reached');
  });

  it('marks an unreachable host failed and shows its address and error as evidence', () => {
    const report = sampleReport();

    const graph = buildBlastGraph(report);

    const host = node(graph, hostNodeId(SAMPLE.unreachable));
    expect(host.status).toBe('failed');
    expect(host.severity).toBeUndefined();
    expect(host.evidence).toEqual(expect.arrayContaining(['Address: root@127.0.0.9:22', `Error: ${SAMPLE.unreachableError}`]));
    expect(graph.edges.some((edge) => edge.source === host.id)).toBe(false);
  });

  it('marks every not-scanned status failed but a partly scanned host as scanned and incomplete', () => {
    const report = sampleReport();
    const template = report.hosts[2]!;
    report.hosts = (['auth-failed', 'host-key-mismatch', 'host-key-unknown', 'error', 'partial'] as const).map((status) => ({
      ...template,
      name: status,
      status,
    }));

    const graph = buildBlastGraph({ hosts: report.hosts, findings: [] });

    expect(graph.nodes.map((host) => [host.label, host.status])).toEqual([
      ['auth-failed', 'failed'],
      ['host-key-mismatch', 'failed'],
      ['host-key-unknown', 'failed'],
      ['error', 'failed'],
      ['partial', 'clean'],
    ]);
    expect(node(graph, hostNodeId('partial'))).toMatchObject({ incomplete: true, sublabel: expect.stringContaining('partial scan') });
  });

  it('keeps a clean container clean and leaves its clean environment out but counted', () => {
    const report = sampleReport();

    const graph = buildBlastGraph(report);

    const openWebui = node(graph, containerNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer));
    expect(openWebui).toMatchObject({ status: 'clean', findingIds: [], environments: { total: 1, shown: 0, packages: 3 } });
    expect(openWebui.severity).toBeUndefined();
    expect(openWebui.sublabel).toBe('ghcr.io/open-webui/open-webui:main · running · 1 Python environment (0 flagged) · 3 packages');
    expect(graph.nodes.some((candidate) => candidate.id === environmentNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer, SAMPLE.openWebuiSite))).toBe(
      false,
    );
  });

  it('keeps a host without findings clean and draws only hosts and containers for it', () => {
    const report = sampleReport();
    report.findings = report.findings.filter((finding) => finding.host !== SAMPLE.gw);

    const graph = buildBlastGraph(report);

    const gwNodes = graph.nodes.filter((candidate) => candidate.id.startsWith('host:gw') || candidate.id.includes(':gw/'));
    expect(gwNodes.map((candidate) => [candidate.kind, candidate.status])).toEqual([
      ['host', 'clean'],
      ['container', 'clean'],
      ['container', 'clean'],
    ]);
    expect(node(graph, hostNodeId(SAMPLE.gw)).sublabel).toBe('root@127.0.0.7:22 · 2 containers · 1 Python environment (0 flagged) · 2 packages');
  });

  it('puts the image reference, digest and running state in a container evidence', () => {
    const report = sampleReport();

    const graph = buildBlastGraph(report);

    expect(node(graph, containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer)).evidence).toEqual(
      expect.arrayContaining([`Image: ${SAMPLE.litellmImage}`, `Image digest: ${SAMPLE.litellmDigest}`, 'State: running']),
    );
  });

  it('gives the same node and edge ids for two scans with the same inventory in another order', () => {
    const first = sampleReport();
    const second = sampleReport();
    second.hosts.reverse();
    second.findings.reverse();
    for (const host of second.hosts) host.containers.reverse();

    const ids = (graph: BlastGraph) => [graph.nodes.map((candidate) => candidate.id).sort(), graph.edges.map((edge) => edge.id).sort()];

    expect(ids(buildBlastGraph(second))).toEqual(ids(buildBlastGraph(first)));
  });

  it('derives ids that cannot collide when names and paths contain slashes', () => {
    const ids = [
      environmentNodeId('a/b', null, '/x'),
      environmentNodeId('a', 'b', '/x'),
      environmentNodeId('a', null, 'b//x'),
      containerNodeId('a/b', 'c'),
      containerNodeId('a', 'b/c'),
    ];

    expect(new Set(ids).size).toBe(ids.length);
  });

  it('treats other spellings of the project name as the same package node', () => {
    const report = sampleReport();

    const id = packageNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite, 'LiteLLM', '1.82.8');

    expect(node(buildBlastGraph(report), id).kind).toBe('package');
  });

  it('merges several findings in one container into one container node with the worst severity', () => {
    const report = sampleReport();
    const lead = litellmFinding(report);
    report.hosts[0]!.pythonEnvironments[1]!.packages.push({ name: 'telnyx', version: '4.87.1' });
    report.findings.push({ ...lead, id: `${lead.id}-telnyx`, severity: 'high', package: 'telnyx', version: '4.87.1', title: 'telnyx 4.87.1' });

    const graph = buildBlastGraph(report);

    const container = node(graph, containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer));
    expect(container).toMatchObject({ severity: 'critical', findingIds: [lead.id, `${lead.id}-telnyx`] });
    expect(graph.nodes.filter((candidate) => candidate.kind === 'package' && candidate.id.includes('/litellm/'))).toHaveLength(2);
    expect(node(graph, environmentNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite)).sublabel).toBe('4 packages, 2 flagged');
  });

  it('ignores finding kinds it does not know', () => {
    const report = sampleReport();
    const unknownKind = { ...litellmFinding(report), id: 'future', kind: 'exposed-docker-api' } as unknown as SampleReport['findings'][number];
    report.findings = [unknownKind];

    const graph = buildBlastGraph(report);

    expect(graph.nodes.every((candidate) => candidate.status !== 'compromised' && candidate.status !== 'reached')).toBe(true);
    expect(graph.findings).toEqual([]);
  });
});

describe('selectNodeEvidence', () => {
  it('returns the package evidence, its findings and the path from its host', () => {
    const report = sampleReport();
    const graph = buildBlastGraph(report);
    const id = packageNodeId(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite, 'litellm', '1.82.8');

    const selected = selectNodeEvidence(graph, id);

    expect(selected?.findings).toEqual([litellmFinding(report)]);
    expect(selected?.ancestors.map((ancestor) => ancestor.kind)).toEqual(['host', 'container', 'environment']);
    expect(selected?.evidence).toEqual(
      expect.arrayContaining([
        `Metadata: ${SAMPLE.litellmSite}/litellm-1.82.8.dist-info`,
        'Advisories: MAL-2026-2144, PYSEC-2026-2, GHSA-5mg7-485q-xm76',
        'MAL-2026-2144 (also PYSEC-2026-2): Malicious code in litellm (PyPI)',
      ]),
    );
  });

  it('returns null for an id the graph no longer has', () => {
    const graph = buildBlastGraph(sampleReport());

    expect(selectNodeEvidence(graph, 'container:gw/gone')).toBeNull();
  });
});
