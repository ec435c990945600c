/**
 * docs/report.schema.json, generated from the zod schemas of the model (`npm run schema` writes
 * it; shared/model/report-schema.test.ts fails when the committed copy differs). zod writes the
 * JSON Schema; `widen` adjusts the places where the published contract is wider than the
 * TypeScript types (open string sets, unknown finding kinds, as docs/report-format.md promises)
 * and drops two zod annotations that constrain nothing a report can hold.
 */
import { z } from 'zod';
import { anyFindingSchema, findingSchema } from './findings.js';
import { isOpenSet } from './open-set.js';
import { scanReportSchema } from './report.js';

/** A JSON Schema document or subschema, as plain JSON. */
export type JsonSchema = { [keyword: string]: unknown };

// Input, not output: the schema describes what a consumer may read, and zod's output view would
// close every object (`additionalProperties: false`) because parsing strips unknown keys.
const options = { target: 'draft-2020-12', io: 'input', override: widen } as const;

/** The JSON Schema of the scan report (draft 2020-12), with its definitions named as the model's types. */
export function reportJsonSchema(): JsonSchema {
  return ordered(z.toJSONSchema(scanReportSchema, options)) as JsonSchema;
}

/** The file content of docs/report.schema.json: the schema as readable JSON (short values on one line), ending in a newline. */
export function reportJsonSchemaText(): string {
  return `${formatJson(reportJsonSchema(), '')}\n`;
}

function widen({ zodSchema, jsonSchema }: { zodSchema: z.core.$ZodType; jsonSchema: JsonSchema }): void {
  // Open sets: later versions may write values this one does not know.
  if (isOpenSet(zodSchema)) delete jsonSchema.enum;
  // Integers carry zod's safe-integer bounds, which say nothing JSON readers need.
  if (jsonSchema.type === 'integer' && jsonSchema.minimum === Number.MIN_SAFE_INTEGER && jsonSchema.maximum === Number.MAX_SAFE_INTEGER) {
    delete jsonSchema.minimum;
    delete jsonSchema.maximum;
  }
  // Every JSON key is a string: a record's `propertyNames: { type: string }` says nothing.
  if (isStringType(jsonSchema.propertyNames)) delete jsonSchema.propertyNames;
  // Consumers skip finding kinds they do not know, so a finding of any kind is checked on the
  // common fields, and one of a kind this version defines also by that kind's definition.
  if (zodSchema === findingSchema) {
    const { $schema: _schema, $defs: _defs, ...common } = z.toJSONSchema(anyFindingSchema, options) as JsonSchema;
    const kindDefinitions = jsonSchema.oneOf as JsonSchema[];
    delete jsonSchema.oneOf;
    Object.assign(jsonSchema, common, {
      allOf: findingSchema.options.map((kind, index) => ({
        if: { required: ['kind'], properties: { kind: { const: kind.shape.kind.value } } },
        then: kindDefinitions[index],
      })),
    });
  }
}

function isStringType(schema: unknown): boolean {
  return typeof schema === 'object' && schema !== null && Object.keys(schema).length === 1 && (schema as JsonSchema).type === 'string';
}

// The order keywords are written in: identity and prose first, then what is checked, definitions last.
const KEYWORD_ORDER = [
  '$schema',
  '$id',
  'title',
  'description',
  '$comment',
  '$ref',
  'type',
  'const',
  'enum',
  'format',
  'minLength',
  'required',
  'properties',
  'additionalProperties',
  'items',
  'anyOf',
  'oneOf',
  'allOf',
  'if',
  'then',
  'else',
  '$defs',
];

/** `value` with the keywords of every subschema in KEYWORD_ORDER (unknown keywords after, as found); names under `properties` and `$defs` keep their order. */
function ordered(value: unknown, isNameMap = false): unknown {
  if (Array.isArray(value)) return value.map((item) => ordered(item));
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value as JsonSchema);
  const rank = (key: string) => (KEYWORD_ORDER.includes(key) ? KEYWORD_ORDER.indexOf(key) : KEYWORD_ORDER.length);
  const sorted = isNameMap ? entries : [...entries].sort(([a], [b]) => rank(a) - rank(b));
  return Object.fromEntries(sorted.map(([key, sub]) => [key, ordered(sub, !isNameMap && (key === 'properties' || key === '$defs'))]));
}

const LINE_WIDTH = 140;

/** `value` as JSON, on one line when that fits in LINE_WIDTH at this indent, else one member a line. */
function formatJson(value: unknown, indent: string): string {
  if (typeof value !== 'object' || value === null) return JSON.stringify(value);
  const inner = `${indent}  `;
  const members = Array.isArray(value)
    ? value.map((item) => formatJson(item, inner))
    : Object.entries(value).map(([key, sub]) => `${JSON.stringify(key)}: ${formatJson(sub, inner)}`);
  const [open, close] = Array.isArray(value) ? ['[', ']'] : ['{ ', ' }'];
  if (members.length === 0) return Array.isArray(value) ? '[]' : '{}';
  const oneLine = `${open}${members.join(', ')}${close}`;
  if (!oneLine.includes('\n') && indent.length + oneLine.length <= LINE_WIDTH) return oneLine;
  return `${open.trim()}\n${members.map((member) => `${inner}${member}`).join(',\n')}\n${indent}${close.trim()}`;
}
