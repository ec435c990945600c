import { describe, expect, it } from 'vitest';
import type { ExposureVerdict, Finding } from '../../model/index.js';
import { sampleLabReport } from '../../fixtures/sample-report.js';
import { exposedPlaces } from './exposed-places.js';

const OLLAMA_EXPOSED: ExposureVerdict = {
  host: 'ollama',
  container: null,
  path: '/usr/lib/python3/dist-packages',
  package: 'litellm',
  installedVersion: '1.82.8',
  advisories: ['MAL-2026-2144'],
  verdict: 'likely-exposed',
  reasons: [],
  window: null,
};

/** The lab's findings without the compromised package on nodocker, which a test adds back. */
function findingsWithoutNodocker(): { findings: Finding[]; nodocker: Finding } {
  const all = sampleLabReport().findings;
  const nodocker = all.find((finding) => finding.kind === 'compromised-package' && finding.host === 'nodocker')!;
  return { findings: all.filter((finding) => finding !== nodocker), nodocker };
}

describe('exposedPlaces', () => {
  it('says why a place and its host are exposed, from compromise findings and from verdicts', () => {
    const { findings } = findingsWithoutNodocker();
    const exposed = exposedPlaces(findings, [OLLAMA_EXPOSED]);

    expect(exposed.place('gw', 'litellm')).toMatch(/^compromised-package finding: /);
    expect(exposed.place('gw', null)).toBeNull();
    expect(exposed.host('gw')).toMatch(/\(container litellm\)$/);
    expect(exposed.place('ollama', null)).toBe('litellm 1.82.8 judged likely-exposed (MAL-2026-2144)');
    expect(exposed.host('nodocker')).toBeNull();
  });

  it('reads a report again once a finding is added to it, though asked about the same array before', () => {
    const { findings, nodocker } = findingsWithoutNodocker();
    expect(exposedPlaces(findings, []).host('nodocker')).toBeNull();

    findings.push(nodocker);

    expect(exposedPlaces(findings, []).place('nodocker', null)).toMatch(/^compromised-package finding: /);
  });

  it('reads a report again once its findings are reordered, so the first reason noted for a place stays the first in the report', () => {
    const report = sampleLabReport();
    const litellm = report.findings.find((finding) => finding.kind === 'compromised-package' && finding.host === 'gw')!;
    const findings: Finding[] = [litellm, { ...litellm, id: 'second', title: 'telnyx 4.87.1 in litellm' }];
    expect(exposedPlaces(findings, []).place('gw', 'litellm')).toBe(`compromised-package finding: ${litellm.title}`);

    findings.reverse();

    expect(exposedPlaces(findings, []).place('gw', 'litellm')).toBe('compromised-package finding: telnyx 4.87.1 in litellm');
  });

  it('answers for the verdicts it is given, not those of an earlier question about the same findings', () => {
    const { findings } = findingsWithoutNodocker();
    expect(exposedPlaces(findings, [OLLAMA_EXPOSED]).host('ollama')).not.toBeNull();

    expect(exposedPlaces(findings, []).host('ollama')).toBeNull();
    expect(exposedPlaces(findings, [{ ...OLLAMA_EXPOSED, verdict: 'not-exposed' }]).host('ollama')).toBeNull();
    expect(exposedPlaces(findings, [{ ...OLLAMA_EXPOSED, host: 'db' }]).host('db')).not.toBeNull();
  });
});
