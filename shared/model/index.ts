/**
 * The inventory and report model: what a scan learns about hosts, and what the findings say.
 * This is the report contract of docs/report-format.md (schemaVersion 1); change it only by
 * adding optional fields or new finding kinds. Each type is inferred from its zod schema, and
 * docs/report.schema.json is generated from the same schemas (`npm run schema`).
 */
export * from './inventory.js';
export * from './findings.js';
export * from './provenance.js';
export * from './register.js';
export * from './report.js';
export * from './revocation.js';
export * from './suppression.js';
