/**
 * Validators for the published schemas vendored beside this file (see README.md): CycloneDX 1.6
 * with the SPDX and JSF schemas it references, and SARIF 2.1.0 (draft-04). Offline: nothing is
 * fetched. Used by the report formats' unit tests and the CLI's end-to-end test.
 */
import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import AjvDraft04Module from 'ajv-draft-04';
import addFormatsModule from 'ajv-formats';

// CommonJS packages: their default export is the module object, whose `default` is the function.
const AjvDraft04 = AjvDraft04Module.default;
const addFormats = addFormatsModule.default;

const schema = (name: string): Record<string, unknown> => JSON.parse(readFileSync(new URL(name, import.meta.url), 'utf8')) as Record<string, unknown>;

/** Validates a document as a CycloneDX 1.6 BOM. */
export function cycloneDxValidator(): ValidateFunction {
  // The BOM schema refers to its neighbours by file name, resolved against its own $id. The CycloneDX
  // schemas use annotation keywords of their own (`meta:enum`), which strict mode refuses.
  const ajv = new Ajv({ strict: false, allErrors: true });
  addFormats(ajv);
  // ajv-formats has no `iri-reference` (CycloneDX 1.6 uses it for URLs): a reference with no
  // whitespace, control character or character RFC 3987 excludes.
  ajv.addFormat('iri-reference', /^[^\s\u0000-\u001f\u007f<>"{}|\\^`]*$/u);
  // Nor `idn-email` (contacts, which no rendering writes): one @ between non-empty parts.
  ajv.addFormat('idn-email', /^[^\s@]+@[^\s@]+$/u);
  ajv.addSchema(schema('spdx.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/spdx.SNAPSHOT.schema.json');
  ajv.addSchema(schema('jsf-0.82.SNAPSHOT.schema.json'), 'http://cyclonedx.org/schema/jsf-0.82.SNAPSHOT.schema.json');
  return ajv.compile(schema('bom-1.6.SNAPSHOT.schema.json'));
}

/** Validates a document as a SARIF 2.1.0 log. */
export function sarifValidator(): ValidateFunction {
  // This copy's language-tag pattern (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) is not a valid
  // Unicode-mode regular expression (the errata copy fixed it), so patterns compile without the u flag.
  const ajv = new AjvDraft04({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema('sarif-2.1.0-rtm.5.json'));
}

/** The validator's errors as `path message` lines; empty when the document is valid. */
export function schemaErrors(validate: ValidateFunction, document: unknown): string[] {
  return validate(document) ? [] : (validate.errors ?? []).map((error) => `${error.instancePath} ${error.message}`);
}
