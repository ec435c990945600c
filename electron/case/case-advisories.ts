/**
 * Advisories the owner loaded into a case ("Load advisories…": a checkout of an OSV or PyPA
 * advisory database, or an osv.dev `all.zip`), kept in the case folder as `advisories.json` so the
 * case judges with them offline and after a restart, each load with where it came from.
 */
import { z } from 'zod';
import { parseOsvJson, type OsvRecord } from '../../shared/domain/advisories/osv.js';
import type { AdvisorySourceEntry } from '../../shared/ipc/contract.js';

/** One load: its source as listed, and its records. */
export interface CaseAdvisoryLoad {
  source: AdvisorySourceEntry;
  records: OsvRecord[];
}

const sourceSchema = z.object({
  path: z.string(),
  kind: z.enum(['folder', 'zip']),
  records: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
  oldestModified: z.string().nullable(),
  newestModified: z.string().nullable(),
  loadedAt: z.string(),
});

/** The shape of `advisories.json`; records are checked again as OSV when read. */
export const caseAdvisoriesFileSchema = z.object({
  version: z.literal(1),
  loads: z.array(z.object({ source: sourceSchema, records: z.array(z.unknown()) })),
});

/** The loads of a parsed `advisories.json`, each record read again as an OSV record (one that is not throws). */
export function caseAdvisoryLoads(file: z.infer<typeof caseAdvisoriesFileSchema>): CaseAdvisoryLoad[] {
  return file.loads.map((load) => ({ source: load.source, records: load.records.map((record, index) => parseOsvJson(JSON.stringify(record), `${load.source.path} #${index + 1}`)) }));
}

/** The loads after a change: a load from the same path replaces the earlier one; `removePath` drops one. */
export function changedAdvisoryLoads(loads: readonly CaseAdvisoryLoad[], change: { add: CaseAdvisoryLoad } | { removePath: string }): CaseAdvisoryLoad[] {
  const path = 'add' in change ? change.add.source.path : change.removePath;
  const rest = loads.filter((load) => load.source.path !== path);
  return 'add' in change ? [...rest, change.add] : rest;
}
