import { describe, expect, it } from 'vitest';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import { goneJudge, goneOutcome } from './gone.js';
import type { GoneCheck } from './types.js';

const OPENAI: GoneCheck = { kind: 'secret', fingerprint: LAB.openaiKey, hosts: [SAMPLE.gw] };
const OPEN_WEBUI: GoneCheck = { kind: 'consumer', consumer: 'open-webui', consumerHost: SAMPLE.gw, gateway: SAMPLE.litellmContainer, gatewayHost: SAMPLE.gw };

describe('goneJudge', () => {
  it('finds a key on every host that holds it, each once and in the order of the hosts', () => {
    const report = sampleLabReport();
    const ollama = report.hosts.find((host) => host.name === LAB.ollama)!;
    const copy = { fingerprint: LAB.openaiKey, provider: 'openai', container: null, source: 'env-file' as const, path: '/etc/app.env', variable: 'OPENAI_API_KEY' };
    ollama.secrets = [copy, { ...copy, path: '/etc/other.env' }];
    const order = report.hosts.map((host) => host.name).filter((name) => name === SAMPLE.gw || name === LAB.ollama);

    const judge = goneJudge(report.hosts, report.findings);

    expect(judge(OPENAI).foundOn).toEqual(order);
    expect(judge({ ...OPENAI, fingerprint: 'openai:SHA256:never-seen' })).toEqual({ foundOn: [], notScanned: [] });
    expect(goneOutcome(OPENAI, report.hosts, [], report.findings)).toEqual(judge(OPENAI));
  });

  it('finds a consumer while a finding names its way to the gateway, and not once the findings drop it', () => {
    const report = sampleLabReport();
    expect(goneJudge(report.hosts, report.findings)(OPEN_WEBUI)).toEqual({ foundOn: [SAMPLE.gw], notScanned: [] });

    const without = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openWebui);
    expect(goneJudge(report.hosts, without)(OPEN_WEBUI)).toEqual({ foundOn: [], notScanned: [] });
    expect(goneJudge(report.hosts, without)({ ...OPEN_WEBUI, gateway: 'other-router' }).foundOn).toEqual([]);
    // Without findings nothing about consumers counts as read.
    expect(goneJudge(report.hosts)(OPEN_WEBUI, ['db'])).toEqual({ foundOn: [], notScanned: [SAMPLE.gw, 'db'] });
  });
});
