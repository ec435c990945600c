/**
 * OSV records (https://ossf.github.io/osv-schema/) read from JSON or YAML text: the JSON of
 * ossf/malicious-packages and github/advisory-database, and the YAML of pypa/advisory-database.
 * Only the fields matching needs are typed; unknown fields are tolerated and dropped.
 */
import { parseDocument, visit } from 'yaml';
import { z } from 'zod';

/** One event of an OSV range; exactly one of the keys is set in a well-formed record. */
export interface OsvEvent {
  introduced?: string;
  fixed?: string;
  last_affected?: string;
  limit?: string;
}

/** An OSV range: ECOSYSTEM ranges use the ecosystem's own version ordering (PEP 440 for PyPI). */
export interface OsvRange {
  type: string;
  events: OsvEvent[];
}

/** One `affected[]` entry: a package and the versions of it the record covers. */
export interface OsvAffected {
  package?: { ecosystem: string; name: string; purl?: string };
  ranges: OsvRange[];
  versions: string[];
}

/** An OSV record, reduced to what advisory matching and the report use. */
export interface OsvRecord {
  id: string;
  aliases: string[];
  related: string[];
  summary: string;
  details: string;
  published: string | null;
  modified: string | null;
  withdrawn: string | null;
  affected: OsvAffected[];
  references: Array<{ type: string; url: string }>;
  /** Free-form per database (GHSA `severity`, malicious-packages `malicious-packages-origins`). */
  databaseSpecific: Record<string, unknown>;
}

/** Thrown when a file is not a usable OSV record; the message names the file and the cause. */
export class AdvisoryParseError extends Error {
  override readonly name = 'AdvisoryParseError';

  constructor(
    readonly fileName: string,
    readonly reason: string,
  ) {
    super(`${fileName}: ${reason}`);
  }
}

/** The formats an advisory file can be in. */
export type AdvisoryFormat = 'json' | 'yaml';

const optionalString = z.string().nullish();
const stringList = z.array(z.string()).nullish();

const eventSchema = z.object({
  introduced: z.string().optional(),
  fixed: z.string().optional(),
  last_affected: z.string().optional(),
  limit: z.string().optional(),
});

const affectedSchema = z.object({
  package: z
    .object({ ecosystem: z.string(), name: z.string(), purl: z.string().optional() })
    .nullish(),
  ranges: z.array(z.object({ type: z.string(), events: z.array(eventSchema) })).nullish(),
  versions: stringList,
});

const recordSchema = z.object({
  id: z.string().trim().min(1, {
    // Placeholder records (e.g. ossf/malicious-packages MAL-0000-* per-source imports) have
    // id "": they are fragments of a real record and must never become an advisory of their own.
    error: 'record has an empty id (placeholder or per-source import, not an advisory)',
  }),
  aliases: stringList,
  related: stringList,
  summary: optionalString,
  details: optionalString,
  published: optionalString,
  modified: optionalString,
  withdrawn: optionalString,
  affected: z.array(affectedSchema).nullish(),
  references: z.array(z.object({ type: z.string(), url: z.string() })).nullish(),
  database_specific: z.record(z.string(), z.unknown()).nullish(),
});

/** Parses one OSV record from JSON text; throws AdvisoryParseError naming `fileName`. */
export function parseOsvJson(text: string, fileName = '<json>'): OsvRecord {
  let data: unknown;
  try {
    data = JSON.parse(stripBom(text));
  } catch (error) {
    throw new AdvisoryParseError(fileName, `not valid JSON: ${errorMessage(error)}`);
  }
  return toRecord(data, fileName);
}

/** Parses one OSV record from YAML text (the pypa/advisory-database format); throws AdvisoryParseError. */
export function parseOsvYaml(text: string, fileName = '<yaml>'): OsvRecord {
  const document = parseDocument(stripBom(text));
  const firstError = document.errors[0];
  if (firstError) throw new AdvisoryParseError(fileName, `not valid YAML: ${firstError.message}`);
  // Plain scalars such as `introduced: 1.10` or `- 2.0` would otherwise become the numbers
  // 1.1 and 2 and silently change which versions match; OSV has no numeric fields, so every
  // number is put back as the text it was written as.
  visit(document, {
    Scalar(_key, node) {
      if ((typeof node.value === 'number' || typeof node.value === 'bigint') && node.source !== undefined) {
        node.value = node.source;
      }
    },
  });
  return toRecord(document.toJS(), fileName);
}

/** The format a file name's extension implies (`.json`, `.yaml`, `.yml`), or null for any other. */
export function advisoryFormatOf(fileName: string): AdvisoryFormat | null {
  const lower = fileName.toLowerCase();
  if (lower.endsWith('.json')) return 'json';
  if (lower.endsWith('.yaml') || lower.endsWith('.yml')) return 'yaml';
  return null;
}

/** Parses an advisory file, choosing JSON or YAML by its extension; throws AdvisoryParseError. */
export function parseAdvisoryFile(fileName: string, text: string): OsvRecord {
  const format = advisoryFormatOf(fileName);
  if (format === 'json') return parseOsvJson(text, fileName);
  if (format === 'yaml') return parseOsvYaml(text, fileName);
  throw new AdvisoryParseError(fileName, 'not an advisory file (expected .json, .yaml or .yml)');
}

function toRecord(data: unknown, fileName: string): OsvRecord {
  const result = recordSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    const where = issue && issue.path.length > 0 ? ` at ${issue.path.join('.')}` : '';
    throw new AdvisoryParseError(fileName, `not an OSV record${where}: ${issue?.message ?? 'invalid'}`);
  }
  const raw = result.data;
  return {
    id: raw.id.trim(),
    aliases: raw.aliases ?? [],
    related: raw.related ?? [],
    summary: raw.summary ?? '',
    details: raw.details ?? '',
    published: raw.published ?? null,
    modified: raw.modified ?? null,
    withdrawn: raw.withdrawn ?? null,
    affected: (raw.affected ?? []).map((entry) => ({
      ...(entry.package ? { package: entry.package } : {}),
      ranges: (entry.ranges ?? []).map((range) => ({ type: range.type, events: range.events })),
      versions: entry.versions ?? [],
    })),
    references: raw.references ?? [],
    databaseSpecific: raw.database_specific ?? {},
  };
}

// Editors on Windows save JSON with a byte-order mark, which JSON.parse rejects.
function stripBom(text: string): string {
  return text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
