import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { LAB, LAB_FINDING_IDS, sampleFindings, sampleLabFindings } from '../fixtures/sample-report.js';
import type { CompromisedPackageFinding } from '../model/index.js';
import { activeSuppression, applySuppressions, parseSuppressionFile, SuppressionFileError, suppressionNote } from './suppressions.js';

const NOW = '2026-04-01T12:00:00.000Z';
const advisoryIds = bundledAdvisoryIndex().groups.map((group) => group.ids);

/** A compromised-package finding that names only one id of its advisory, as a report of an older database would. */
function findingWithAdvisories(id: string, advisories: string[]): CompromisedPackageFinding {
  return { ...sampleFindings()[0]!, id, advisories };
}

function problemsOf(text: string): readonly string[] {
  try {
    parseSuppressionFile(text);
  } catch (error) {
    if (error instanceof SuppressionFileError) return error.problems;
    throw error;
  }
  return [];
}

describe('parseSuppressionFile', () => {
  it('reads entries by advisory, fingerprint and finding id, with reasons and optional expiry dates', () => {
    const entries = parseSuppressionFile(`
suppressions:
  - advisory: CVE-2026-33634
    reason: trivy runs only in an air-gapped CI
    expires: 2026-06-30
  - fingerprint: ${LAB.openaiKey}
    reason: revoked at the provider
  - fingerprint: SHA256:${LAB.aliceSshKey.slice('ssh:SHA256:'.length)}
    reason: key destroyed
  - finding: ${LAB_FINDING_IDS.gateway}
    reason: gateway already rebuilt
`);

    expect(entries).toEqual([
      { by: 'advisory', value: 'CVE-2026-33634', reason: 'trivy runs only in an air-gapped CI', expires: '2026-06-30' },
      { by: 'fingerprint', value: LAB.openaiKey, reason: 'revoked at the provider', expires: null },
      // As ssh-keygen prints it, without the ssh: the report's fingerprints carry.
      { by: 'fingerprint', value: LAB.aliceSshKey, reason: 'key destroyed', expires: null },
      { by: 'finding', value: LAB_FINDING_IDS.gateway, reason: 'gateway already rebuilt', expires: null },
    ]);
  });

  it('reads an empty file as no suppressions', () => {
    expect(parseSuppressionFile('')).toEqual([]);
    expect(parseSuppressionFile('suppressions: []\n')).toEqual([]);
  });

  it('refuses the whole file, naming every bad entry: no reason, two targets, a bad date, an unknown field', () => {
    const problems = problemsOf(`
suppressions:
  - advisory: MAL-2026-2144
  - advisory: MAL-2026-2144
    finding: x
    reason: both
  - finding: x
    reason: r
    expires: 30/06/2026
  - finding: x
    reason: r
    expires: 2026-02-30
  - finding: x
    reason: r
    until: 2026-06-30
`);

    expect(problems).toEqual([
      'entry 1: reason is required',
      'entry 2: needs exactly one of advisory, fingerprint or finding',
      'entry 3: expires must be a date, YYYY-MM-DD',
      'entry 4: expires must be a date, YYYY-MM-DD',
      'entry 5: unknown field "until"',
    ]);
  });

  it('refuses a fingerprint that is not one without repeating it: it may be the key itself', () => {
    const key = 'sk-proj-AbCdEfGhIjKlMnOpQrStUvWxYz0123456789';

    const problems = problemsOf(`suppressions:\n  - fingerprint: ${key}\n    reason: oops, pasted the key\n`);

    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/entry 1: fingerprint is not a fingerprint/);
    expect(problems.join('\n')).not.toContain(key.slice(-10));
  });

  it('refuses a document that is not a suppressions list, and YAML that does not parse', () => {
    expect(problemsOf('- advisory: x\n')).toEqual(['expected a mapping with a `suppressions:` list']);
    expect(problemsOf('suppressions: [\n')[0]).toMatch(/^not valid YAML/);
  });
});

describe('applySuppressions', () => {
  it('matches an advisory entry through any alias of the advisory (PYSEC for a finding that names MAL, CVE for GHSA)', () => {
    const litellm = findingWithAdvisories('litellm', ['MAL-2026-2144']);
    const trivy = findingWithAdvisories('trivy', ['GHSA-69fq-xp46-6x23']);
    const telnyx = findingWithAdvisories('telnyx', ['MAL-2026-2254']);
    const entries = parseSuppressionFile(`
suppressions:
  - advisory: pysec-2026-2
    reason: accepted
  - advisory: CVE-2026-33634
    reason: accepted too
`);

    const applied = applySuppressions([litellm, trivy, telnyx], entries, { now: NOW, advisoryIds });

    expect(applied.map((entry) => `${entry.findingId} ${entry.value}`)).toEqual(['litellm pysec-2026-2', 'trivy CVE-2026-33634']);
  });

  it('without the advisory index, matches only the ids the finding names', () => {
    const litellm = findingWithAdvisories('litellm', ['MAL-2026-2144']);
    const entries = [{ by: 'advisory', value: 'PYSEC-2026-2', reason: 'r', expires: null }] as const;

    expect(applySuppressions([litellm], entries, { now: NOW })).toEqual([]);
  });

  it('matches a key by fingerprint in its secret finding and in the SSH lateral finding it enables', () => {
    const entries = parseSuppressionFile(`suppressions:\n  - fingerprint: ${LAB.aliceSshKey}\n    reason: key destroyed\n`);

    const applied = applySuppressions(sampleLabFindings(), entries, { now: NOW });

    expect(applied.map((entry) => entry.findingId).sort()).toEqual([LAB_FINDING_IDS.aliceSshKey, LAB_FINDING_IDS.lateral].sort());
  });

  it('matches one finding by id and leaves the others alone', () => {
    const findings = sampleLabFindings();
    const entries = parseSuppressionFile(`suppressions:\n  - finding: ${LAB_FINDING_IDS.gateway}\n    reason: rebuilt\n`);

    expect(applySuppressions(findings, entries, { now: NOW }).map((entry) => entry.findingId)).toEqual([LAB_FINDING_IDS.gateway]);
  });

  it('marks an entry expired from its expiry date on, so the finding is back and says so', () => {
    const [finding] = sampleFindings();
    const entries = parseSuppressionFile(`suppressions:\n  - finding: ${finding!.id}\n    reason: waiting for the vendor\n    expires: 2026-04-01\n`);

    const dayBefore = applySuppressions([finding!], entries, { now: '2026-03-31T23:59:59Z' });
    const onTheDay = applySuppressions([finding!], entries, { now: '2026-04-01T00:00:00Z' });

    expect(activeSuppression(dayBefore, finding!.id)?.reason).toBe('waiting for the vendor');
    expect(suppressionNote(dayBefore, finding!.id)).toBe('suppressed: waiting for the vendor (until 2026-04-01)');
    expect(activeSuppression(onTheDay, finding!.id)).toBeNull();
    expect(onTheDay[0]?.expired).toBe(true);
    expect(suppressionNote(onTheDay, finding!.id)).toBe('suppression expired 2026-04-01: waiting for the vendor');
  });

  it('says nothing about a finding no entry names', () => {
    expect(suppressionNote([], 'any')).toBeNull();
    expect(suppressionNote(undefined, 'any')).toBeNull();
  });
});
