import { describe, expect, it } from 'vitest';
import { everyVerdictReport, HOSTILE, hostileReport, judgedSampleReport, suppressedReport, SUPPRESSION_REASONS, TEST_TOOL } from '../fixtures/format-reports.js';
import { SAMPLE } from '../fixtures/sample-report.js';
import { bundledIocRulesVersion } from '../domain/iocs/rules.js';
import { VERDICTS, type ScanReport } from '../model/index.js';
import { REPORT_FORMATS, isReportFormat } from './formats.js';
import { ociPurl, pypiPurl } from './purl.js';
import { renderReport, REPORT_RENDERERS } from './registry.js';
import { escapeHtml } from './html.js';

type Json = Record<string, any>;

describe('every format', () => {
  it('has a renderer, a label and an extension', () => {
    expect(Object.keys(REPORT_RENDERERS).sort()).toEqual([...REPORT_FORMATS].sort());
    for (const format of REPORT_FORMATS) expect(REPORT_RENDERERS[format].extension.length, format).toBeGreaterThan(0);
    expect(isReportFormat('sarif')).toBe(true);
    expect(isReportFormat('pdf')).toBe(false);
  });

  it('carries the tool version, every advisory id with its modified date, and the IOC rules version', () => {
    const report = judgedSampleReport();
    const advisories = report.provenance!.advisories;
    expect(advisories.map((entry) => entry.id)).toContain('MAL-2026-2144');

    for (const format of REPORT_FORMATS) {
      const text = renderReport(format, report);
      expect(text, format).toContain(TEST_TOOL.version);
      expect(text, format).toContain(bundledIocRulesVersion());
      expect(text, format).toContain(report.provenance!.iocRules.fingerprint);
      for (const entry of advisories) {
        expect(text, `${format} ${entry.id}`).toContain(entry.id);
        if (entry.modified) expect(text, `${format} ${entry.id} modified`).toContain(entry.modified);
      }
      expect(text.endsWith('\n'), format).toBe(true);
    }
  });

  it('says the tool is unknown for a report written before reports carried provenance', () => {
    const { provenance: _dropped, ...old } = judgedSampleReport();

    // JSON is the report itself: it says nothing it does not hold.
    for (const format of REPORT_FORMATS.filter((name) => name !== 'json')) expect(renderReport(format, old as ScanReport), format).toMatch(/unknown/);
  });
});

describe('HTML', () => {
  it('escapes markup, quotes and control characters', () => {
    expect(escapeHtml(`<a href="x" title='y'>&\u0007`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;\\u0007');
  });

  it('renders every hostile host string as text: no tag, attribute or script of its own', () => {
    const html = renderReport('html', hostileReport());

    expect(html).not.toContain('<script');
    expect(html).not.toContain('<iframe');
    expect(html).not.toContain('<img');
    expect(html).not.toContain('" onmouseover=');
    expect(html).toContain('&lt;script&gt;alert(&quot;h&quot;)&lt;/script&gt;');
    expect(html).toContain('x&quot; onmouseover=&quot;alert(1)');
  });

  it('loads nothing: a CSP that forbids every fetch, no stylesheet link, no src attribute, and a print stylesheet', () => {
    const html = renderReport('html', judgedSampleReport());

    expect(html).toMatch(/<meta http-equiv="Content-Security-Policy" content="default-src 'none';/);
    expect(html).not.toMatch(/<link|<script|\ssrc=|@import|url\(/i);
    expect(html).toContain('@media print');
    expect(html).toContain('<h2>Plan</h2>');
    expect(html).toContain(SAMPLE.unreachableError);
  });
});

describe('JSON and JSON lines', () => {
  it('writes the report itself as JSON', () => {
    const report = judgedSampleReport();

    expect(JSON.parse(renderReport('json', report))).toEqual(report);
  });

  it('writes a header line with the provenance and host statuses, then one line per finding, newlines in values kept inside their line', () => {
    const report = hostileReport();
    const lines = renderReport('jsonl', report).trimEnd().split('\n');
    const [header, ...findings] = lines.map((line) => JSON.parse(line) as Json);

    expect(lines).toHaveLength(report.findings.length + 1);
    expect(header).toMatchObject({ record: 'header', schemaVersion: 1, scannedAt: report.scannedAt, provenance: report.provenance, findings: report.findings.length });
    expect(header!.hosts).toContainEqual(expect.objectContaining({ name: SAMPLE.unreachable, status: 'unreachable' }));
    expect(findings.map((finding) => finding.id)).toEqual(report.findings.map((finding) => finding.id));
    expect(findings.every((finding) => finding.record === 'finding')).toBe(true);
    expect(findings.find((finding) => finding.id === 'hostile-1')?.title).toBe(HOSTILE.title);
  });
});

describe('CycloneDX with VEX', () => {
  const bomOf = (report: ScanReport): Json => JSON.parse(renderReport('cyclonedx', report)) as Json;

  it('maps each verdict to its VEX analysis: exploitable, in triage, in triage, not affected because the code is not present', () => {
    const bom = bomOf(everyVerdictReport(VERDICTS));
    const property = (vulnerability: Json, name: string): string | undefined => vulnerability.properties.find((candidate: Json) => candidate.name === name)?.value;
    // The sample's own findings, whose places have no exposure here, are there too (assumed exposed): only the four places count.
    const placed = (bom.vulnerabilities as Json[]).filter((vulnerability) => property(vulnerability, 'blast-radius:path')?.startsWith('/srv/env-'));
    const analyses = placed.map((vulnerability) => [
      property(vulnerability, 'blast-radius:verdict'),
      vulnerability.analysis.state,
      vulnerability.analysis.justification ?? null,
      vulnerability.analysis.detail,
    ]);

    expect(analyses).toEqual([
      ['exposed', 'exploitable', null, 'reason for exposed'],
      ['likely-exposed', 'in_triage', null, 'reason for likely-exposed'],
      ['unknown', 'in_triage', null, 'reason for unknown'],
      ['not-exposed', 'not_affected', 'code_not_present', 'reason for not-exposed'],
    ]);
  });

  it('names the package by pypi purl and its image by oci purl with the digest, the image depending on the package', () => {
    const bom = bomOf(judgedSampleReport());
    const components = bom.components as Json[];
    const litellm = components.find((component) => component.purl === 'pkg:pypi/litellm@1.82.8');
    const image = components.find((component) => component.type === 'container' && component.purl.startsWith('pkg:oci/litellm@'));

    expect(litellm?.properties).toEqual([
      { name: 'blast-radius:host', value: SAMPLE.gw },
      { name: 'blast-radius:container', value: SAMPLE.litellmContainer },
      { name: 'blast-radius:path', value: SAMPLE.litellmSite },
    ]);
    expect(image?.purl).toBe(`pkg:oci/litellm@${SAMPLE.litellmDigest}?repository_url=ghcr.io/berriai/litellm&tag=main-latest`);
    expect(bom.dependencies).toContainEqual({ ref: image!['bom-ref'], dependsOn: expect.arrayContaining([litellm!['bom-ref']]) });
    const exploitable = (bom.vulnerabilities as Json[]).find((vulnerability) => vulnerability.affects[0].ref === litellm!['bom-ref']);
    expect(exploitable).toMatchObject({ id: 'MAL-2026-2144', analysis: { state: 'exploitable' }, affects: [{ versions: [{ version: '1.82.8', status: 'affected' }] }] });
    expect(exploitable?.references).toContainEqual({ id: 'PYSEC-2026-2', source: { name: 'OSV', url: 'https://osv.dev/vulnerability/PYSEC-2026-2' } });
  });

  it('assumes exposed for a compromised package the report has no verdict for (a report of an earlier version)', () => {
    const { exposures: _dropped, ...older } = judgedSampleReport();
    // Neither the exposures nor the findings' verdicts: what a report before verdicts held.
    const findings = older.findings.map((finding) => (finding.kind === 'compromised-package' ? { ...finding, verdict: undefined, reasons: undefined } : finding));
    const bom = bomOf(JSON.parse(JSON.stringify({ ...older, findings })) as ScanReport);
    const litellm = (bom.components as Json[]).find((component) => component.purl === 'pkg:pypi/litellm@1.82.7');
    const vulnerability = (bom.vulnerabilities as Json[]).find((candidate) => candidate.affects[0].ref === litellm?.['bom-ref']);

    expect(vulnerability?.analysis.state).toBe('exploitable');
    expect(vulnerability?.properties).toContainEqual({ name: 'blast-radius:verdict', value: 'exposed' });
  });

  it('gives the same report the same serial number and another report another', () => {
    const report = judgedSampleReport();
    const other = { ...report, scannedAt: '2026-03-26T08:30:00.000Z' };

    expect(bomOf(report).serialNumber).toBe(bomOf(judgedSampleReport()).serialNumber);
    expect(bomOf(report).serialNumber).not.toBe(bomOf(other).serialNumber);
  });
});

describe('package URLs', () => {
  it('lowercases PyPI names with _ as -, and percent-encodes what could add a qualifier or a segment', () => {
    expect(pypiPurl('LiteLLM', '1.82.8')).toBe('pkg:pypi/litellm@1.82.8');
    expect(pypiPurl('my_pkg', '1.0+local')).toBe('pkg:pypi/my-pkg@1.0%2Blocal');
    expect(pypiPurl('a/b?c#d', '1@2')).toBe('pkg:pypi/a%2Fb%3Fc%23d@1%402');
  });

  it('names an image by its repository and digest, Docker Hub names in full, and gives no version without a sha256 digest', () => {
    const digest = `sha256:${'a'.repeat(64)}`;

    expect(ociPurl('alpine', digest)).toBe(`pkg:oci/alpine@${digest}?repository_url=docker.io/library/alpine&tag=latest`);
    expect(ociPurl('ghcr.io/BerriAI/litellm:main-latest', null)).toBe('pkg:oci/litellm?repository_url=ghcr.io/berriai/litellm&tag=main-latest');
    expect(ociPurl('evil.example/x:t&y=z', 'sha256:not-a-digest')).toBe('pkg:oci/x?repository_url=evil.example/x&tag=t%26y%3Dz');
  });
});

describe('SARIF', () => {
  const runOf = (report: ScanReport): Json => (JSON.parse(renderReport('sarif', report)) as Json).runs[0];

  it('gives one result per finding, a rule per advisory for compromised packages and per kind otherwise', () => {
    const report = judgedSampleReport();
    const run = runOf(report);
    const ruleIds = (run.tool.driver.rules as Json[]).map((rule) => rule.id);

    expect(run.results).toHaveLength(report.findings.length);
    expect(ruleIds).toContain('MAL-2026-2144');
    expect(new Set(ruleIds).size).toBe(ruleIds.length);
    for (const result of run.results as Json[]) expect(ruleIds[result.ruleIndex]).toBe(result.ruleId);
    const kinds = new Set(report.findings.filter((finding) => finding.kind !== 'compromised-package').map((finding) => finding.kind));
    for (const kind of kinds) expect(ruleIds).toContain(kind);
    expect((run.results as Json[]).map((result) => result.partialFingerprints['blastRadiusFindingId/v1'])).toEqual(report.findings.map((finding) => finding.id));
  });

  it('locates a finding as HOST/CONTAINER/PATH, _host for the host itself, every segment encoded and no dot segment left', () => {
    const run = runOf(hostileReport());
    const uris = (run.results as Json[]).map((result) => result.locations[0].physicalLocation.artifactLocation.uri as string);

    expect(uris).toContain(`${SAMPLE.gw}/${SAMPLE.litellmContainer}${SAMPLE.litellmSite}`);
    expect(uris).toContain(`${SAMPLE.nodocker}/_host${SAMPLE.aliceUserSite}`);
    const hostile = (run.results as Json[]).find((result) => result.partialFingerprints['blastRadiusFindingId/v1'] === 'hostile-1');
    expect(hostile?.locations[0].physicalLocation.artifactLocation.uri).toBe('%3Cscript%3Ealert(%22h%22)%3C%2Fscript%3E/x%22%20onmouseover%3D%22alert(1)/%2E%2E/%2E%2E/etc/%3Cimg%20src%3Dx%3E%0Anext');
    expect(hostile?.locations[0].logicalLocations[0]).toEqual({ name: HOSTILE.container, fullyQualifiedName: `${HOSTILE.host}/${HOSTILE.container}`, kind: 'container' });
  });

  it('reports a host not fully read as a notification and the invocation as not successful', () => {
    const run = runOf(judgedSampleReport());

    expect(run.invocations[0].executionSuccessful).toBe(false);
    expect(run.invocations[0].toolExecutionNotifications[0].message.text).toContain(`${SAMPLE.unreachable} (root@127.0.0.9:22) was not fully read: unreachable`);
    expect(run.tool.driver).toMatchObject({ name: 'blast-radius', version: TEST_TOOL.version });
  });
});

describe('suppressed findings', () => {
  const report = suppressedReport();
  const [suppressed, expired] = report.findings.filter((finding) => finding.kind === 'compromised-package');

  it('SARIF: an accepted external suppression with the reason, and none (an empty list) once expired', () => {
    const results = (JSON.parse(renderReport('sarif', report)) as Json).runs[0].results as Json[];
    const resultOf = (id: string) => results.find((result) => result.partialFingerprints['blastRadiusFindingId/v1'] === id)!;

    expect(resultOf(suppressed!.id).suppressions).toEqual([
      { kind: 'external', status: 'accepted', justification: SUPPRESSION_REASONS.active, properties: { by: 'advisory', value: 'PYSEC-2026-2', expires: '2026-06-30' } },
    ]);
    expect(resultOf(expired!.id).suppressions).toEqual([]);
    expect(resultOf(expired!.id).properties.suppressionExpired).toMatchObject({ reason: SUPPRESSION_REASONS.expired, expires: '2026-03-26' });
    expect(results.filter((result) => result.suppressions === undefined).length).toBe(results.length - 2);
  });

  it('CycloneDX: the suppressed place keeps its state and gains will_not_fix with the reason; the expired one says it expired', () => {
    const vulnerabilities = (JSON.parse(renderReport('cyclonedx', report)) as Json).vulnerabilities as Json[];
    const of = (host: string) => vulnerabilities.filter((vulnerability) => vulnerability.properties.some((property: Json) => property.name === 'blast-radius:host' && property.value === host) && vulnerability.affects[0].versions[0].status === 'affected');
    const [onSuppressed] = of(suppressed!.host);
    const [onExpired] = of(expired!.host);

    expect(onSuppressed!.analysis.state).toBe('exploitable');
    expect(onSuppressed!.analysis.response).toEqual(['will_not_fix']);
    expect(onSuppressed!.analysis.detail).toMatch(/^Suppressed by the owner: accepted: the container is rebuilt <b>tonight<\/b> \(until 2026-06-30\)\./);
    expect(onExpired!.analysis.response).toBeUndefined();
    expect(onExpired!.analysis.detail).toMatch(/^Suppression expired on 2026-03-26: accepted until the vendor answered\./);
  });

  it('Markdown, HTML and JSON lines mark the suppressed finding and the one back after expiry, the reason escaped in HTML', () => {
    const markdown = renderReport('markdown', report);
    const html = renderReport('html', report);
    const lines = renderReport('jsonl', report).trimEnd().split('\n').map((line) => JSON.parse(line) as Json);

    expect(markdown).toContain('**Suppressed: accepted: the container is rebuilt <b>tonight</b> (until 2026-06-30)**'.replace('<b>', '\\<b\\>').replace('</b>', '\\</b\\>'));
    expect(markdown).toContain('**Suppression expired 2026-03-26: accepted until the vendor answered**');
    expect(html).toContain(`suppressed: ${escapeHtml(SUPPRESSION_REASONS.active)} (until 2026-06-30)`);
    expect(html).not.toContain('<b>tonight</b>');
    expect(html).toContain('suppression expired 2026-03-26: accepted until the vendor answered');
    expect(lines.find((line) => line.id === suppressed!.id)?.suppression).toMatchObject({ state: 'suppressed', reason: SUPPRESSION_REASONS.active });
    expect(lines.find((line) => line.id === expired!.id)?.suppression).toMatchObject({ state: 'expired', expires: '2026-03-26' });
  });
});
