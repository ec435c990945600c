import { describe, expect, it } from 'vitest';
import { LAB, LAB_FINDING_IDS, sampleLabReport } from '../fixtures/sample-report.js';
import { sysmonUnit } from '../fixtures/deep-report.js';
import type { IocFinding } from '../model/index.js';
import { findingFacts } from './registry.js';

describe('findingFacts', () => {
  it('states an ioc finding by rule, path, unit and source, leaving out what it does not have', () => {
    const withoutUnit: IocFinding = { ...sysmonUnit, unit: undefined, ruleKind: undefined };

    expect(findingFacts(sysmonUnit).map((fact) => fact.label)).toEqual(['Rule', 'Path', 'Unit', 'Source']);
    expect(findingFacts(withoutUnit)).toEqual([
      { label: 'Rule', value: 'litellm-sysmon-unit' },
      { label: 'Path', value: sysmonUnit.path },
      { label: 'Source', value: sysmonUnit.source },
    ]);
  });
});

describe('findingFacts of the key and topology kinds', () => {
  it('lists a key finding by provider, fingerprint and every location', () => {
    const secret = sampleLabReport().findings.find((finding) => finding.id === LAB_FINDING_IDS.openaiKey)!;

    expect(findingFacts(secret)).toEqual([
      { label: 'Provider', value: 'openai' },
      { label: 'Fingerprint', value: LAB.openaiKey },
      { label: 'Locations', value: `gw · container litellm · container-env OPENAI_API_KEY; gw · host · env-file ${LAB.envFile} OPENAI_API_KEY` },
    ]);
  });

  it('lists how a consumer reaches its gateway and where a lateral path leads', () => {
    const findings = sampleLabReport().findings;

    expect(findingFacts(findings.find((finding) => finding.id === LAB_FINDING_IDS.summarizer)!)).toContainEqual({ label: 'Via', value: 'ssh-tunnel' });
    expect(findingFacts(findings.find((finding) => finding.id === LAB_FINDING_IDS.lateral)!)).toContainEqual({ label: 'To', value: 'root@ollama' });
  });
});
