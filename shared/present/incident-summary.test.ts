import { describe, expect, it } from 'vitest';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import { labReportWithTraffic, trafficClient } from '../fixtures/gateway-traffic.js';
import type { Finding, HostInventory, ScanReport } from '../model/index.js';
import { buildIncidentSummary, type HostVerdict } from './incident-summary.js';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { buildReport } from '../findings/build-report.js';

const verdicts = (report: ScanReport): Record<string, HostVerdict> =>
  Object.fromEntries(buildIncidentSummary(report).hosts.map((entry) => [entry.host, entry.verdict]));

const readHost = (name: string, extra: Partial<HostInventory> = {}): HostInventory => ({
  name,
  address: `root@${name}:22`,
  status: 'ok',
  facts: null,
  containers: [],
  pythonEnvironments: [],
  ...extra,
});

/** The lab report with only the findings `keep` lets through. */
function labWith(keep: (finding: Finding) => boolean): ScanReport {
  const report = sampleLabReport();
  return { ...report, findings: report.findings.filter(keep) };
}

describe('buildIncidentSummary on the lab report', () => {
  it('names the hosts carrying malicious code, the host reached from them, and the one never read', () => {
    const summary = buildIncidentSummary(sampleLabReport());

    expect(summary.compromisedHosts).toEqual([SAMPLE.gw, SAMPLE.nodocker]);
    expect(summary.reachedHosts).toEqual([LAB.ollama]);
    expect(verdicts(sampleLabReport())).toEqual({ gw: 'compromised', nodocker: 'compromised', ollama: 'reached', unreachable: 'not-read' });
    expect(summary.verdictCounts).toEqual({ compromised: 2, reached: 1, 'not-read': 1, partial: 0, clean: 0 });
  });

  it('says why each host got its verdict', () => {
    const summary = buildIncidentSummary(sampleLabReport());
    const reasons = (host: string) => summary.hosts.find((entry) => entry.host === host)!.reasons.join('\n');

    expect(reasons(SAMPLE.gw)).toContain('litellm 1.82.8 (malicious code, MAL-2026-2144) in container litellm on gw');
    expect(reasons(LAB.ollama)).toContain('Reachable over SSH from compromised host nodocker in 1 hop (root@ollama)');
    expect(reasons(LAB.ollama)).toContain('ollama sends requests to the exposed gateway litellm on gw');
    expect(reasons(SAMPLE.unreachable)).toBe(SAMPLE.unreachableError);
  });

  it('counts every key to rotate by severity', () => {
    const { keys } = buildIncidentSummary(sampleLabReport());

    expect(keys.total).toBe(3);
    expect(keys.bySeverity).toEqual({ critical: 2, high: 1, medium: 0, low: 0, info: 0 });
  });

  it('lists the gateway as exposed with its three consumers, its log not read', () => {
    const { gateways, consumers, unidentifiedClients } = buildIncidentSummary(sampleLabReport());

    expect(gateways).toEqual([
      {
        findingId: LAB_FINDING_IDS.gateway,
        host: SAMPLE.gw,
        name: SAMPLE.litellmContainer,
        gateway: 'litellm',
        exposed: true,
        consumerIds: [LAB_FINDING_IDS.openWebui, LAB_FINDING_IDS.ollamaHost, LAB_FINDING_IDS.summarizer],
        logRead: false,
        unidentifiedClients: 0,
        unidentifiedRequests: 0,
      },
    ]);
    expect([consumers, unidentifiedClients]).toEqual([3, 0]);
  });

  it('lists the host that was never read', () => {
    expect(buildIncidentSummary(sampleLabReport()).notFullyRead).toEqual([{ host: SAMPLE.unreachable, status: 'unreachable', reason: 'not-read' }]);
  });
});

describe('buildIncidentSummary variants', () => {
  it("counts log clients no scanned place accounts for, the gateway host's own address included, once per address", () => {
    const report = labReportWithTraffic([
      trafficClient('172.20.0.3', [['2026-03-24T11:00:00Z', 5]]),
      trafficClient('10.0.0.7', [['2026-03-24T12:00:00Z', 2]]),
      trafficClient('192.168.50.10', [['2026-03-24T13:00:00Z', 4]]),
      trafficClient('127.0.0.1', [['2026-03-24T13:00:00Z', 9]]),
    ]);

    const [gateway] = buildIncidentSummary(report).gateways;

    expect(gateway).toMatchObject({ logRead: true, unidentifiedClients: 2, unidentifiedRequests: 6 });
  });

  it('leaves a host whose only finding is a known-benign .pth clean', () => {
    const report = sampleLabReport();
    report.hosts.push(readHost('alpine'));
    report.findings.push({
      id: 'executable-pth:alpine:host:/usr/lib/python3/dist-packages/distutils-precedence.pth',
      kind: 'executable-pth',
      severity: 'info',
      title: 'Known-benign distutils-precedence.pth on alpine',
      host: 'alpine',
      container: null,
      path: '/usr/lib/python3/dist-packages/distutils-precedence.pth',
      sha256: '',
      package: null,
      evidence: [],
    });

    expect(verdicts(report)['alpine']).toBe('clean');
  });

  it('does not call a package covered only by a vulnerability advisory malicious code', () => {
    const report = labWith((finding) => finding.kind === 'compromised-package' && finding.host === SAMPLE.gw);
    const [finding] = report.findings as [Extract<Finding, { kind: 'compromised-package' }>];
    Object.assign(finding, { severity: 'high', advisories: ['GHSA-53gh-p8jc-7rg8'], title: 'litellm 1.82.8 (high-severity advisory, GHSA-53gh-p8jc-7rg8) in container litellm on gw' });

    expect(verdicts(report)[SAMPLE.gw]).toBe('clean');
  });

  it('calls a host compromised when an IOC or an unrecognised start-up hook is there, or a place there is judged likely exposed', () => {
    const ioc = labWith(() => false);
    ioc.findings.push({ id: 'ioc:ollama', kind: 'ioc', severity: 'high', title: 'sysmon.service', host: LAB.ollama, container: null, rule: 'r', source: 's', evidence: [] });
    const hook = labWith(() => false);
    hook.findings.push({ id: 'pth', kind: 'executable-pth', severity: 'high', title: 'x.pth', host: LAB.ollama, container: null, path: '/x.pth', sha256: '', package: null, evidence: [] });
    const likely = labWith(() => false);
    likely.exposures = [
      { host: LAB.ollama, container: null, path: '/p', package: 'litellm', installedVersion: '1.83.0', advisories: ['MAL-2026-2144'], verdict: 'likely-exposed', reasons: [], window: null },
    ];

    expect([verdicts(ioc), verdicts(hook), verdicts(likely)].map((all) => all[LAB.ollama])).toEqual(['compromised', 'compromised', 'compromised']);
  });

  it('calls a host reached when it holds a key that was exposed on a compromised host', () => {
    const report = labWith((finding) => finding.kind === 'compromised-package' || finding.id === LAB_FINDING_IDS.openaiKey);
    const key = report.findings.find((finding) => finding.id === LAB_FINDING_IDS.openaiKey) as Extract<Finding, { kind: 'secret' }>;
    // Medium by its own finding: the host-level rule alone must find it.
    key.severity = 'medium';
    key.locations.push({ host: LAB.ollama, container: null, source: 'env-file', path: '/opt/app/.env' });

    const summary = buildIncidentSummary(report);

    expect(summary.hosts.find((entry) => entry.host === LAB.ollama)).toMatchObject({ verdict: 'reached', reasons: [`Holds key ${LAB.openaiKey}, exposed on gw`] });
  });

  it('follows lateral paths over several hops from the nearest compromised host', () => {
    const report = labWith((finding) => finding.kind === 'compromised-package' || finding.kind === 'ssh-lateral');
    report.hosts.push(readHost('backup'));
    report.findings.push({ ...(report.findings.find((finding) => finding.kind === 'ssh-lateral') as Extract<Finding, { kind: 'ssh-lateral' }>), id: 'ssh-lateral:ollama->backup', host: LAB.ollama, fromHost: LAB.ollama, toHost: 'backup' });

    const summary = buildIncidentSummary(report);

    expect(summary.hosts.find((entry) => entry.host === 'backup')).toMatchObject({ verdict: 'reached', reasons: ['Reachable over SSH from compromised host nodocker in 2 hops (root@backup)'] });
  });

  it('does not count consumers of a gateway that is not exposed as reached', () => {
    const report = labWith((finding) => finding.kind === 'gateway' || finding.kind === 'consumer');
    for (const finding of report.findings) finding.severity = 'info';

    const summary = buildIncidentSummary(report);

    expect(summary.gateways[0]).toMatchObject({ exposed: false, consumerIds: [LAB_FINDING_IDS.openWebui, LAB_FINDING_IDS.ollamaHost, LAB_FINDING_IDS.summarizer] });
    expect(verdicts(report)).toEqual({ gw: 'clean', nodocker: 'clean', ollama: 'clean', unreachable: 'not-read' });
  });

  it('tells a partial host with nothing found from a clean one, and lists a failed latest attempt as not fully read', () => {
    const report = labWith(() => false);
    report.hosts[1]!.status = 'partial';
    report.hosts[1]!.notes = [{ collector: 'docker', message: 'permission denied on /var/run/docker.sock' }];
    report.hosts[2]!.failedAttempt = { at: '2026-03-26T10:00:00.000Z', status: 'unreachable', error: 'timed out' };

    const summary = buildIncidentSummary(report);

    expect(summary.hosts.map((entry) => [entry.host, entry.verdict, entry.failedAttempt])).toEqual([
      [SAMPLE.gw, 'clean', false],
      [SAMPLE.nodocker, 'partial', false],
      [LAB.ollama, 'clean', true],
      [SAMPLE.unreachable, 'not-read', false],
    ]);
    expect(summary.hosts[1]!.reasons).toEqual(['docker: permission denied on /var/run/docker.sock']);
    expect(summary.notFullyRead.map((entry) => [entry.host, entry.reason])).toEqual([
      [SAMPLE.nodocker, 'partial'],
      [LAB.ollama, 'failed-attempt'],
      [SAMPLE.unreachable, 'not-read'],
    ]);
  });
});

describe('buildIncidentSummary on copies compared by content', () => {
  const SITE = '/usr/local/lib/python3.11/site-packages';
  const h = (char: string): string => char.repeat(64);
  /** requests 2.32.3 (no advisory covers it) as installed, with `extra` files of its own. */
  const requests = (extra: Record<string, string> = {}) => ({
    name: 'requests',
    version: '2.32.3',
    metadataPath: `${SITE}/requests-2.32.3.dist-info`,
    files: { sha256: { 'requests/__init__.py': h('a'), 'requests/api.py': h('b'), ...extra } },
  });
  const place = (name: string, pkg: ReturnType<typeof requests>): HostInventory => readHost(name, { pythonEnvironments: [{ path: SITE, container: null, packages: [pkg] }] });
  const judged = (third: ReturnType<typeof requests>) => buildIncidentSummary(buildReport([place('a', requests()), place('b', requests()), place('c', third)], bundledAdvisoryIndex(), new Date('2026-12-07T12:00:00Z')));

  it('calls a host compromised when its copy adds a start-up hook no other copy of the version holds, and shows the finding as the reason', () => {
    const summary = judged(requests({ 'requests_init.pth': h('e') }));

    expect(summary.hosts.map((entry) => [entry.host, entry.verdict])).toEqual([
      ['a', 'clean'],
      ['b', 'clean'],
      ['c', 'compromised'],
    ]);
    expect(summary.hosts[2]!.reasons).toEqual(['requests 2.32.3 differs from other installed copies of the same version (1 added) on c']);
  });

  it('leaves a host clean whose copy only changes a module of a release no advisory flags (a finding, not a verdict)', () => {
    const summary = judged(requests({ 'requests/api.py': h('f') }));

    expect(summary.hosts.map((entry) => entry.verdict)).toEqual(['clean', 'clean', 'clean']);
  });
});
