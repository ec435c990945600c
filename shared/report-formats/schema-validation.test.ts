/**
 * The CycloneDX and SARIF renderings validate against the published schemas, vendored in
 * shared/fixtures/schemas/ (see its README): CycloneDX 1.6 with the SPDX and JSF schemas it
 * references, SARIF 2.1.0 (a draft-04 schema). Offline: nothing is fetched.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { everyVerdictReport, hostileReport, judgedSampleReport } from '../fixtures/format-reports.js';
import { sampleLabReport } from '../fixtures/sample-report.js';
import { VERDICTS, type ScanReport } from '../model/index.js';
import { renderReport } from './registry.js';

// CommonJS packages: their default export is the module object, whose `default` is the function.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(`../fixtures/schemas/${name}`, import.meta.url), 'utf8')) as Record<string, unknown>;

function cycloneDxValidator(): ValidateFunction {
  // The BOM schema refers to its neighbours by file name, resolved against its own $id. The CycloneDX schemas use annotation keywords of their own (`meta:enum`), which strict mode refuses.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(schema('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(schema('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  return ajv.compile(schema('bom-1.6.SNAPSHOT.schema.json'));
}

function sarifValidator(): ValidateFunction {
  // This copy's language-tag pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid
  // Unicode-mode regular expression (the errata copy fixed it), so patterns compile without the u flag.
  const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema('sarif-2.1.0-rtm.5.json'));
}

const validateBom = cycloneDxValidator();
const validateSarif = sarifValidator();

/** The reports validated: the judged sample, hostile names, every verdict, and the lab-shaped report of every finding kind. */
const REPORTS: Array<[string, () => ScanReport]> = [
  ['the judged sample', judgedSampleReport],
  ['hostile names', hostileReport],
  ['every verdict', () => everyVerdictReport(VERDICTS)],
  ['every finding kind (lab-shaped, no provenance)', sampleLabReport],
];

const errorsOf = (validate: ValidateFunction, document: unknown): string[] =>
  validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);

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
