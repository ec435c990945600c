/**
 * Writes docs/report.schema.json from the zod schemas of shared/model/ (`npm run schema`).
 * shared/model/report-schema.test.ts fails until the committed copy matches.
 */
import { writeFileSync } from 'node:fs';
import { reportJsonSchemaText } from '../shared/model/json-schema.js';

const target = new URL('../docs/report.schema.json', import.meta.url);
writeFileSync(target, reportJsonSchemaText());
console.log(`wrote ${target.pathname}`);
