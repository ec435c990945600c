/**
 * The CycloneDX and SARIF renderings validate against the published schemas, vendored in
 * e2e/schemas/ (see its README): CycloneDX 1.6 with the SPDX and JSF schemas it
 * references, SARIF 2.1.0 (a draft-04 schema). Offline: nothing is fetched.
 */
import { describe, expect, it } from 'vitest';
import { cycloneDxValidator, sarifValidator, schemaErrors } from '../../e2e/schemas/validators.js';
import { everyVerdictReport, hostileReport, judgedSampleReport, registerReport, suppressedReport } from '../fixtures/format-reports.js';
import { sampleLabReport } from '../fixtures/sample-report.js';
import { VERDICTS, type ScanReport } from '../model/index.js';
import { renderReport } from './registry.js';

const validateBom = cycloneDxValidator();
const validateSarif = sarifValidator();

/** The reports validated: the judged sample, hostile names, every verdict, and the lab-shaped report of every finding kind. */
const REPORTS: Array<[string, () => ScanReport]> = [
  ['the judged sample', judgedSampleReport],
  ['hostile names', hostileReport],
  ['every verdict', () => everyVerdictReport(VERDICTS)],
  ['every finding kind (lab-shaped, no provenance)', sampleLabReport],
  ['a suppressed finding and one whose suppression expired', suppressedReport],
  ['the supply-chain register with trust and notes', registerReport],
];

const errorsOf = schemaErrors;

describe('CycloneDX output against bom-1.6.schema.json', () => {
  for (const [name, report] of REPORTS) {
    it(`validates for ${name}`, () => {
      expect(errorsOf(validateBom, JSON.parse(renderReport('cyclonedx', report())))).toEqual([]);
    });
  }

  it('refuses a BOM that breaks the schema, so the check can fail', () => {
    const bom = JSON.parse(renderReport('cyclonedx', judgedSampleReport())) as { vulnerabilities: Array<{ analysis: { state: string } }> };
    bom.vulnerabilities[0]!.analysis.state = 'exposed';

    expect(errorsOf(validateBom, bom).join('\n')).toMatch(/analysis\/state must be equal to one of the allowed values/);
  });
});

describe('SARIF output against sarif-schema-2.1.0', () => {
  for (const [name, report] of REPORTS) {
    it(`validates for ${name}`, () => {
      expect(errorsOf(validateSarif, JSON.parse(renderReport('sarif', report())))).toEqual([]);
    });
  }

  it('refuses a log that breaks the schema, so the check can fail', () => {
    const log = JSON.parse(renderReport('sarif', judgedSampleReport())) as { runs: Array<{ results: Array<{ level: string }> }> };
    log.runs[0]!.results[0]!.level = 'critical';

    expect(errorsOf(validateSarif, log).join('\n')).toMatch(/level must be equal to one of the allowed values/);
  });
});
