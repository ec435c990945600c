/**
 * Holds docs/report.schema.json to shared/model.ts and to a realistic report.
 *
 * What this does and does not check, honestly: no JSON Schema validator is a dependency of this
 * project, so `check` below is a small validator for exactly the keywords the schema uses (type,
 * required, properties, items, $ref to #/$defs, const, enum, anyOf, if/then/else, minLength;
 * format and the annotations are ignored, as 2020-12 does by default). A test fails if the schema
 * starts using any other keyword, so the validator cannot silently skip one. It is not a
 * conformance-tested implementation: for that, validate with a real 2020-12 validator.
 *
 * Drift is caught in two steps: fixtures/model-shape.ts is type-checked against model.ts (tsc
 * fails when a field is added, dropped, or changes optionality or nullability), and the tests
 * here compare each schema definition's properties, required list and null types against it,
 * and the Severity, HostStatus and finding-kind enums against the TypeScript constants.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { FINDING_KINDS, HOST_STATUSES, MODEL_SHAPES } from './fixtures/model-shape.js';
import { sampleReport } from './fixtures/sample-report.js';
import { SEVERITIES } from './model.js';

type Schema = { [keyword: string]: unknown };

const root = JSON.parse(readFileSync(new URL('../docs/report.schema.json', import.meta.url), 'utf8')) as Schema;
const formatDoc = readFileSync(new URL('../docs/report-format.md', import.meta.url), 'utf8');
const defs = root.$defs as Record<string, Schema>;

const ASSERTIONS = ['type', 'required', 'properties', 'items', '$ref', 'const', 'enum', 'anyOf', 'if', 'then', 'else', 'minLength'];
const ANNOTATIONS = ['$schema', '$id', '$defs', '$comment', 'title', 'description', 'format', 'examples'];

/** Errors of `value` against `schema`, as JSON-pointer-ish paths; empty when it validates. */
function check(value: unknown, schema: Schema, at = '$'): string[] {
  const errors: string[] = [];
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = defs[name];
    if (!target) return [`${at}: unresolvable $ref ${schema.$ref}`];
    errors.push(...check(value, target, at));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => isType(value, type))) errors.push(`${at}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  if ('const' in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof schema.minLength === 'number' && typeof value === 'string' && value.length < schema.minLength) {
    errors.push(`${at}: shorter than ${schema.minLength}`);
  }
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((branch) => check(value, branch, at).length === 0)) {
    errors.push(`${at}: matches no anyOf branch`);
  }
  if (isType(value, 'object')) {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${at}: missing ${key}`);
    for (const [key, sub] of Object.entries((schema.properties as Record<string, Schema> | undefined) ?? {})) {
      if (key in object) errors.push(...check(object[key], sub, `${at}.${key}`));
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, index) => errors.push(...check(item, schema.items as Schema, `${at}[${index}]`)));
  if (schema.if) {
    const branch = check(value, schema.if as Schema, at).length === 0 ? schema.then : schema.else;
    if (branch) errors.push(...check(value, branch as Schema, at));
  }
  return errors;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** Every subschema of the document, with where it sits. */
function subschemas(schema: Schema, at = '#'): Array<[string, Schema]> {
  const found: Array<[string, Schema]> = [[at, schema]];
  for (const key of ['properties', '$defs']) {
    for (const [name, sub] of Object.entries((schema[key] as Record<string, Schema> | undefined) ?? {})) found.push(...subschemas(sub, `${at}/${key}/${name}`));
  }
  for (const key of ['items', 'if', 'then', 'else']) if (schema[key]) found.push(...subschemas(schema[key] as Schema, `${at}/${key}`));
  ((schema.anyOf as Schema[] | undefined) ?? []).forEach((sub, index) => found.push(...subschemas(sub, `${at}/anyOf/${index}`)));
  return found;
}

/** A deep copy of the sample report as plain JSON, which is what a consumer reads. */
function reportJson(): Record<string, any> {
  return JSON.parse(JSON.stringify(sampleReport()));
}

function allowsNull(property: Schema): boolean {
  if (Array.isArray(property.type)) return property.type.includes('null');
  if (Array.isArray(property.anyOf)) return (property.anyOf as Schema[]).some((branch) => branch.type === 'null');
  return property.type === 'null';
}

describe('docs/report.schema.json as checked here', () => {
  it('uses only keywords this test can check', () => {
    const unknown = subschemas(root).flatMap(([at, schema]) =>
      Object.keys(schema)
        .filter((keyword) => !ASSERTIONS.includes(keyword) && !ANNOTATIONS.includes(keyword))
        .map((keyword) => `${at}: ${keyword}`),
    );

    expect(unknown).toEqual([]);
  });

  it('is a draft 2020-12 schema that leaves objects open for later optional fields', () => {
    const closed = subschemas(root).filter(([, schema]) => 'additionalProperties' in schema || 'unevaluatedProperties' in schema);

    expect(root.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(closed).toEqual([]);
  });

  it('accepts the sample report', () => {
    const report = reportJson();

    expect(check(report, root)).toEqual([]);
  });

  it('rejects reports that break the contract, so the check above can fail', () => {
    const cases: Array<[string, (report: Record<string, any>) => void, string]> = [
      ['no scannedAt', (report) => delete report.scannedAt, '$: missing scannedAt'],
      ['schemaVersion 2', (report) => (report.schemaVersion = 2), '$.schemaVersion: expected 1'],
      ['unknown severity', (report) => (report.findings[0].severity = 'severe'), '$.findings[0].severity: "severe" not in enum'],
      ['unknown host status', (report) => (report.hosts[0].status = 'down'), '$.hosts[0].status: "down" not in enum'],
      ['failed host without error', (report) => delete report.hosts[2].error, '$.hosts[2]: missing error'],
      ['package finding without path', (report) => delete report.findings[1].path, '$.findings[1]: missing path'],
      ['numeric digest', (report) => (report.hosts[0].containers[0].imageDigest = 42), '$.hosts[0].containers[0].imageDigest: expected string or null, got 42'],
      ['facts as a string', (report) => (report.hosts[0].facts = 'Debian'), '$.hosts[0].facts: matches no anyOf branch'],
      ['empty finding id', (report) => (report.findings[0].id = ''), '$.findings[0].id: shorter than 1'],
    ];

    for (const [, breakIt, expected] of cases) {
      const report = reportJson();
      breakIt(report);
      expect(check(report, root)).toContain(expected);
    }
  });

  it('accepts what later versions may add: unknown fields and finding kinds with the common fields', () => {
    const report = reportJson();
    report.generator = 'blast-radius 0.2.0';
    report.hosts[0].containers[0].labels = { 'com.centurylinklabs.watchtower.enable': 'true' };
    report.findings.push({ id: 'exposed-docker-api:gw', kind: 'exposed-docker-api', severity: 'high', title: 'Docker API on TCP 2375 without TLS' });

    expect(check(report, root)).toEqual([]);
  });

  it('still requires id, kind, severity and title of a finding kind it does not know', () => {
    const report = reportJson();
    report.findings.push({ id: 'future:1', kind: 'future-kind', title: 'no severity' });

    expect(check(report, root)).toEqual(['$.findings[2]: missing severity']);
  });
});

describe('docs/report.schema.json against shared/model.ts', () => {
  it('lists the severities of SEVERITIES in the same order', () => {
    expect(defs.Severity?.enum).toEqual([...SEVERITIES]);
  });

  it('lists every HostStatus', () => {
    expect(defs.HostStatus?.enum).toEqual(Object.keys(HOST_STATUSES));
  });

  it('defines every FindingKind', () => {
    const kinds = Object.values(defs)
      .map((definition) => (definition.properties as Record<string, Schema> | undefined)?.kind?.const)
      .filter((kind) => kind !== undefined);

    expect(kinds).toEqual(Object.keys(FINDING_KINDS));
  });

  it('has the sample report schemaVersion as its only version', () => {
    expect((root.properties as Record<string, Schema>).schemaVersion?.const).toBe(sampleReport().schemaVersion);
  });

  for (const [name, shape] of Object.entries(MODEL_SHAPES)) {
    it(`describes ${name === '#' ? 'ScanReport' : name} field for field: names, required and nullable`, () => {
      const definition = name === '#' ? root : defs[name];
      const properties = (definition?.properties ?? {}) as Record<string, Schema>;
      const fields = Object.entries(shape) as Array<[string, string]>;

      expect(Object.keys(properties).sort()).toEqual(fields.map(([field]) => field).sort());
      expect([...((definition?.required as string[]) ?? [])].sort()).toEqual(
        fields.filter(([, presence]) => presence.startsWith('required')).map(([field]) => field).sort(),
      );
      expect(Object.keys(properties).filter((field) => allowsNull(properties[field]!)).sort()).toEqual(
        fields.filter(([, presence]) => presence.endsWith('nullable')).map(([field]) => field).sort(),
      );
    });
  }

  it('is documented field by field in docs/report-format.md', () => {
    const fields = new Set(Object.values(MODEL_SHAPES).flatMap((shape) => Object.keys(shape)));

    const undocumented = [...fields].filter((field) => !formatDoc.includes(`\`${field}\``));

    expect(undocumented).toEqual([]);
  });
});
