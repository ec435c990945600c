import { describe, expect, it } from 'vitest';
import { findContainerRisks } from '../findings/container-risks.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport, sampleReport, sampleWatchtower, type SampleReport } from '../fixtures/sample-report.js';
import { findIocs } from '../findings/ioc.js';
import { bundledIocRules } from '../domain/iocs/rules.js';
import type { Finding, ScanReport } from '../model/index.js';
import {
  buildBlastGraph,
  containerNodeId,
  endpointNodeId,
  environmentNodeId,
  hostNodeId,
  keyNodeId,
  packageNodeId,
  providerNodeId,
  routeNodeId,
  selectNodeEvidence,
  shortFingerprint,
  tunnelNodeId,
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

/**
 * The sample with watchtower on gw and the payload's sysmon.py on nodocker, its container and IOC
 * findings made by the real finders (findContainerRisks, findIocs).
 */
function deepReport(): ScanReport {
  const report = sampleReport();
  report.hosts[0]!.containers.push(sampleWatchtower());
  report.hosts[1]!.iocHits = [{ ruleId: 'litellm-sysmon-script', container: null, path: '/home/alice/.config/sysmon/sysmon.py', matched: 'sha256:ab' }];
  const findings: Finding[] = [
    ...report.findings,
    ...findContainerRisks(report.hosts, report.findings),
    ...findIocs(report.hosts, bundledIocRules()),
  ];
  return { ...report, findings };
}

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

describe('buildBlastGraph with findings of every kind', () => {
  it('draws an updates edge from the watchtower container to the gateway container it re-pulls', () => {
    const graph = buildBlastGraph(deepReport());

    const watchtower = containerNodeId(SAMPLE.gw, 'watchtower');
    expect(graph.edges).toContainEqual({
      id: `updates:${watchtower}->${containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer)}`,
      source: watchtower,
      target: containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer),
      kind: 'updates',
      label: 'updates',
    });
    expect(graph.edges.filter((edge) => edge.kind === 'updates').map((edge) => edge.target).sort()).toEqual([
      containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer),
      containerNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer),
    ]);
  });

  it('gives watchtower the updater and socket marks and lists its findings on it', () => {
    const report = deepReport();

    const graph = buildBlastGraph(report);

    const watchtower = node(graph, containerNodeId(SAMPLE.gw, 'watchtower'));
    expect(watchtower.marks).toEqual(['updater', 'socket']);
    expect(watchtower.findingIds.sort()).toEqual(
      ['auto-updater:gw:container=watchtower', 'docker-socket-mount:gw:container=watchtower', 'mutable-image-tag:gw:container=watchtower'].sort(),
    );
    expect(watchtower).toMatchObject({ status: 'reached', severity: 'high' });
    expect(node(graph, containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer)).marks).toEqual([]);
  });

  it('gives the nodocker host the ioc mark and keeps it reached by its critical findings', () => {
    const report = deepReport();

    const graph = buildBlastGraph(report);

    const host = node(graph, hostNodeId(SAMPLE.nodocker));
    const ioc = report.findings.find((finding) => finding.kind === 'ioc')!;
    expect(host.marks).toEqual(['ioc']);
    expect(host.findingIds).toContain(ioc.id);
    expect(selectNodeEvidence(graph, host.id)?.findings.map((finding) => finding.kind)).toEqual(['compromised-package', 'ioc']);
  });

  it('lists a medium finding on its container without raising it from clean', () => {
    const report = deepReport();

    const graph = buildBlastGraph(report);

    const openWebui = node(graph, containerNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer));
    expect(openWebui).toMatchObject({ status: 'clean', findingIds: ['mutable-image-tag:gw:container=open-webui'] });
    expect(openWebui.severity).toBeUndefined();
    expect(node(graph, hostNodeId(SAMPLE.gw)).findingIds).toContain('mutable-image-tag:gw:container=open-webui');
  });

  it('makes an environment compromised by a critical executable .pth file and reaches its host', () => {
    const report = sampleReport();
    report.findings = [];
    const pth: Finding = {
      id: `executable-pth:nodocker:host:${SAMPLE.aliceUserSite}/litellm_init.pth`,
      kind: 'executable-pth',
      severity: 'critical',
      title: 'litellm_init.pth is the known-malicious litellm 1.82.8 startup hook on nodocker',
      host: SAMPLE.nodocker,
      container: null,
      path: `${SAMPLE.aliceUserSite}/litellm_init.pth`,
      sha256: 'ab',
      package: null,
      evidence: [],
    };

    const graph = buildBlastGraph({ hosts: report.hosts, findings: [pth] });

    // No flagged package draws the environment, so the host itself carries the finding.
    expect(node(graph, hostNodeId(SAMPLE.nodocker))).toMatchObject({ status: 'compromised', severity: 'critical', findingIds: [pth.id] });
  });

  it('puts an executable .pth file on the environment the graph already draws', () => {
    const report = sampleReport();
    const pth: Finding = {
      id: `executable-pth:nodocker:host:${SAMPLE.aliceUserSite}/litellm_init.pth`,
      kind: 'executable-pth',
      severity: 'high',
      title: 'litellm_init.pth runs unrecognised code at every Python start on nodocker',
      host: SAMPLE.nodocker,
      container: null,
      path: `${SAMPLE.aliceUserSite}/litellm_init.pth`,
      sha256: 'ab',
      package: 'litellm',
      evidence: [],
    };

    const graph = buildBlastGraph({ hosts: report.hosts, findings: [...report.findings, pth] });

    expect(node(graph, environmentNodeId(SAMPLE.nodocker, null, SAMPLE.aliceUserSite)).findingIds).toEqual([aliceFinding(report).id, pth.id]);
  });

  it('still ignores unknown finding kinds among the new ones', () => {
    const report = deepReport();
    const future = { ...report.findings[0]!, id: 'future', kind: 'exposed-docker-api', container: 'watchtower' } as unknown as Finding;

    const graph = buildBlastGraph({ hosts: report.hosts, findings: [...report.findings, future] });

    expect(graph.findings.some((finding) => finding.id === 'future')).toBe(false);
    expect(graph.nodes.some((candidate) => candidate.findingIds.includes('future'))).toBe(false);
  });

  it('keeps the ancestors of a node on containment edges, never on updates edges', () => {
    const graph = buildBlastGraph(deepReport());

    const selected = selectNodeEvidence(graph, containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer));

    expect(selected?.ancestors.map((ancestor) => ancestor.id)).toEqual([hostNodeId(SAMPLE.gw)]);
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

describe('buildBlastGraph with keys, gateways, consumers and lateral movement', () => {
  const lab = () => buildBlastGraph(sampleLabReport());
  const edgesOf = (graph: BlastGraph, kind: string) => graph.edges.filter((edge) => edge.kind === kind);

  it('draws one key node for a key seen in two places, with an edge from each place', () => {
    const graph = lab();

    const keyId = keyNodeId(LAB.openaiKey);
    const holds = edgesOf(graph, 'holds').filter((edge) => edge.target === keyId);

    expect(graph.nodes.filter((candidate) => candidate.kind === 'key' && candidate.id === keyId)).toHaveLength(1);
    expect(holds.map((edge) => edge.source).sort()).toEqual([containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer), hostNodeId(SAMPLE.gw)].sort());
  });

  it('labels a key by provider and short fingerprint, with its locations as evidence', () => {
    const key = node(lab(), keyNodeId(LAB.openaiKey));

    expect(key).toMatchObject({ kind: 'key', label: 'openai 3f2a9c1b…Qx7a', status: 'reached', severity: 'critical', findingIds: [LAB_FINDING_IDS.openaiKey] });
    expect(key.evidence).toContain(`Seen at gw · host · env-file ${LAB.envFile} OPENAI_API_KEY`);
  });

  it('lists a key on the places it was seen without making them reached', () => {
    const graph = lab();

    const nodocker = node(graph, hostNodeId(SAMPLE.nodocker));

    expect(nodocker.findingIds).toContain(LAB_FINDING_IDS.aliceSshKey);
    expect(nodocker.status).toBe('reached'); // by its critical package, not by the key
    expect(node(graph, hostNodeId(LAB.ollama)).findingIds).not.toContain(LAB_FINDING_IDS.aliceSshKey);
  });

  it('links keys to their provider, and draws no provider for an SSH key', () => {
    const graph = lab();

    const authenticates = edgesOf(graph, 'authenticates').map((edge) => [edge.source, edge.target]);

    expect(authenticates).toEqual([
      [keyNodeId(LAB.openaiKey), providerNodeId('openai')],
      [keyNodeId(LAB.anthropicKey), providerNodeId('anthropic')],
    ]);
  });

  it('routes the gateway to the ollama host and to both providers', () => {
    const graph = lab();

    const routes = edgesOf(graph, 'routes').map((edge) => edge.target);

    expect(edgesOf(graph, 'routes').every((edge) => edge.source === containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer))).toBe(true);
    expect(routes).toEqual([hostNodeId(LAB.ollama), providerNodeId('openai'), providerNodeId('anthropic')]);
  });

  it('draws a backend URL naming no scanned host as an endpoint node', () => {
    const report = sampleLabReport();
    const gateway = report.findings.find((finding) => finding.kind === 'gateway')!;
    if (gateway.kind === 'gateway') gateway.backends = ['https://vllm.lan:8000/v1'];

    const graph = buildBlastGraph(report);

    expect(node(graph, endpointNodeId('https://vllm.lan:8000/v1'))).toMatchObject({ kind: 'endpoint', label: 'vllm.lan' });
  });

  it('draws each consumer edge with how it reaches the gateway, through the tunnel for the SSH-tunnel one', () => {
    const graph = lab();
    const gateway = containerNodeId(SAMPLE.gw, SAMPLE.litellmContainer);
    const tunnel = tunnelNodeId(SAMPLE.nodocker, { localAddress: '127.0.0.1', localPort: 4000 });

    const consumes = edgesOf(graph, 'consumes').map((edge) => [edge.source, edge.target, edge.label]);

    expect(consumes).toEqual([
      [containerNodeId(SAMPLE.gw, SAMPLE.openWebuiContainer), gateway, 'shared-network'],
      [hostNodeId(LAB.ollama), gateway, 'host-port'],
      [hostNodeId(SAMPLE.nodocker), tunnel, `ssh-tunnel · ${LAB.consumerUnit}`],
      [tunnel, gateway, 'forwards'],
    ]);
    expect(node(graph, tunnel)).toMatchObject({ kind: 'tunnel', label: '127.0.0.1:4000 → 127.0.0.1:4000' });
    expect(selectNodeEvidence(graph, tunnel)!.ancestors.map((ancestor) => ancestor.id)).toEqual([hostNodeId(SAMPLE.nodocker)]);
  });

  it('draws a route node for a consumer that goes through a reverse proxy', () => {
    const report = sampleLabReport();
    const consumer = report.findings.find((finding) => finding.id === LAB_FINDING_IDS.ollamaHost)!;
    if (consumer.kind === 'consumer') consumer.via = 'proxy-route';
    const route = { proxy: 'caddy' as const, container: null, path: '/etc/caddy/Caddyfile', match: 'llm.lan', upstreamHost: '192.168.50.10', upstreamPort: 4000 };
    report.hosts.find((host) => host.name === LAB.ollama)!.proxyRoutes = [route];

    const graph = buildBlastGraph(report);

    const routeId = routeNodeId(LAB.ollama, route);
    expect(node(graph, routeId)).toMatchObject({ kind: 'route', label: 'llm.lan' });
    expect(edgesOf(graph, 'consumes').filter((edge) => edge.source === routeId || edge.target === routeId).map((edge) => edge.label)).toEqual([
      'proxy-route',
      'proxies',
    ]);
  });

  it('draws the lateral path from nodocker to ollama with the account it logs into', () => {
    const graph = lab();

    expect(edgesOf(graph, 'lateral')).toEqual([
      { id: `lateral:${hostNodeId(SAMPLE.nodocker)}->${hostNodeId(LAB.ollama)}`, source: hostNodeId(SAMPLE.nodocker), target: hostNodeId(LAB.ollama), kind: 'lateral', label: 'ssh as root' },
    ]);
  });

  it('keeps every new node id stable across two builds, and no label carries more than a fingerprint', () => {
    const first = lab();
    const second = lab();

    expect(second.nodes.map((candidate) => candidate.id)).toEqual(first.nodes.map((candidate) => candidate.id));
    expect(second.edges.map((edge) => edge.id)).toEqual(first.edges.map((edge) => edge.id));
    for (const key of first.nodes.filter((candidate) => candidate.kind === 'key')) {
      expect(Object.keys(key.data).sort()).toEqual(['fingerprint', 'locations', 'provider']);
    }
  });
});

describe('shortFingerprint', () => {
  it('keeps the hash head and last four of an API key, and the head of an SSH fingerprint', () => {
    expect(shortFingerprint('openai:3f2a9c1b7d4e:Qx7a')).toBe('3f2a9c1b…Qx7a');
    expect(shortFingerprint(LAB.aliceSshKey)).toBe('SHA256:n3VfY0yq…');
  });
});
