import { describe, expect, it } from 'vitest';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { ScanReport } from '../model/index.js';
import { supplyChainRegister } from './supply-chain-register.js';

const row = (report: ScanReport, id: string) => {
  const found = supplyChainRegister(report).find((candidate) => candidate.id === id);
  if (!found) throw new Error(`no register row ${id}`);
  return found;
};

describe('supplyChainRegister', () => {
  it("lists the lab's AI components: the litellm gateway, the ollama model server, the agent apps and the litellm installed on nodocker", () => {
    const register = supplyChainRegister(sampleLabReport());

    expect(register.map((entry) => [entry.role, entry.kind, entry.name, entry.host])).toEqual([
      ['gateway', 'litellm', SAMPLE.litellmContainer, SAMPLE.gw],
      ['model-server', 'ollama', LAB.ollama, LAB.ollama],
      ['agent-app', 'open-webui', SAMPLE.openWebuiContainer, SAMPLE.gw],
      ['agent-app', LAB.ollama, LAB.ollama, LAB.ollama],
      ['agent-app', LAB.consumerUnit, LAB.consumerUnit, SAMPLE.nodocker],
      ['router', 'litellm', SAMPLE.aliceUserSite, SAMPLE.nodocker],
    ]);
  });

  it('says where the gateway came from: its image on ghcr.io by a moving tag, the litellm version inside it, its consumers and keys', () => {
    const gateway = row(sampleLabReport(), LAB_FINDING_IDS.gateway);

    expect(gateway).toMatchObject({ installedBy: 'image', source: 'ghcr.io', version: '1.82.8', pinning: 'tag' });
    expect(gateway.pinningDetail).toContain('tag main-latest');
    expect(gateway.pinningDetail).toContain(SAMPLE.litellmDigest);
    expect(gateway.installEvidence).toContain(`image ${SAMPLE.litellmImage}`);
    expect(gateway.installEvidence).toContain(`litellm 1.82.8 in ${SAMPLE.litellmSite}/litellm-1.82.8.dist-info`);
    expect(gateway.consumers).toEqual([`${SAMPLE.openWebuiContainer} on ${SAMPLE.gw}`, LAB.ollama, `${LAB.consumerUnit} on ${SAMPLE.nodocker}`]);
    expect(gateway.keys).toEqual([LAB.openaiKey, LAB.anthropicKey]);
    expect(gateway).toMatchObject({ trust: null, note: '', annotatedAt: null });
  });

  it('names an image deployed by digest as pinned by digest, and takes the publisher from its OCI labels and its METADATA', () => {
    const report = sampleLabReport();
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    const litellm = gw.containers.find((container) => container.name === SAMPLE.litellmContainer)!;
    litellm.image = `ghcr.io/berriai/litellm@${SAMPLE.litellmDigest}`;
    litellm.pinnedByDigest = true;
    litellm.labels = { ...litellm.labels, 'org.opencontainers.image.vendor': 'BerriAI', 'org.opencontainers.image.source': 'https://github.com/BerriAI/litellm' };
    const site = gw.pythonEnvironments.find((environment) => environment.container === SAMPLE.litellmContainer)!;
    site.packages.find((pkg) => pkg.name === 'litellm')!.publisher = { author: 'BerriAI', homePage: 'https://litellm.ai' };

    const gateway = row(report, LAB_FINDING_IDS.gateway);

    expect(gateway.pinning).toBe('digest');
    expect(gateway.pinningDetail).toBe(`deployed by digest ${SAMPLE.litellmDigest}`);
    expect(gateway.publisher).toEqual([
      'BerriAI (label org.opencontainers.image.vendor)',
      'https://github.com/BerriAI/litellm (label org.opencontainers.image.source)',
      'BerriAI (Author)',
      'https://litellm.ai (Home-page)',
    ]);
  });

  it('says a host install came from uv when its virtualenv was made by uv, and from pip by its INSTALLER otherwise', () => {
    const report = sampleLabReport();
    const nodocker = report.hosts.find((host) => host.name === SAMPLE.nodocker)!;
    const site = nodocker.pythonEnvironments.find((environment) => environment.path === SAMPLE.aliceUserSite)!;
    site.packages.find((pkg) => pkg.name === 'litellm')!.installer = 'pip';
    const id = `router:${SAMPLE.nodocker}/-${SAMPLE.aliceUserSite}/litellm`;

    expect(row(report, id)).toMatchObject({ installedBy: 'pip', version: '1.82.7', pinning: 'version', source: null });
    expect(row(report, id).installEvidence).toContain('INSTALLER: pip');

    site.origin = { root: '/home/alice/agent/.venv', kind: 'uv', uvVersion: '0.6.14' };
    site.path = '/home/alice/agent/.venv/lib/python3.11/site-packages';
    const uvId = `router:${SAMPLE.nodocker}/-${site.path}/litellm`;
    expect(row(report, uvId).installedBy).toBe('uv');
    expect(row(report, uvId).installEvidence).toContain('uv 0.6.14 virtualenv /home/alice/agent/.venv (pyvenv.cfg)');
  });

  it('says what it does not know about a component installed other than by a container or a Python distribution', () => {
    const server = row(sampleLabReport(), `model-server:${LAB.ollama}/-`);

    expect(server).toMatchObject({ installedBy: 'unknown', version: null, pinning: 'unknown', source: null, consumers: [`${SAMPLE.litellmContainer} on ${SAMPLE.gw}`] });
  });

  it("carries the owner's trust level and notes on the row they were set for, and no other", () => {
    const annotations = { [LAB_FINDING_IDS.gateway]: { trust: 'distrusted' as const, note: 'replace with a pinned build', updatedAt: '2026-03-26T10:00:00.000Z' } };

    const register = supplyChainRegister(sampleLabReport(), annotations);

    expect(register.find((entry) => entry.id === LAB_FINDING_IDS.gateway)).toMatchObject({ trust: 'distrusted', note: 'replace with a pinned build', annotatedAt: '2026-03-26T10:00:00.000Z' });
    expect(register.filter((entry) => entry.trust !== null)).toHaveLength(1);
  });
});
