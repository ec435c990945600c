/**
 * What a report was judged with: the tool and its version, the advisory records in effect and the
 * IOC rules in effect. Every report format carries it, so a reader can tell two reports of the
 * same hosts apart by what they knew.
 */
import { z } from 'zod';

/** The schema of the ToolInfo. */
export const toolInfoSchema = z
  .object({
    name: z.string().min(1).describe('`blast-radius`.'),
    version: z.string().min(1).describe("The tool's version (its package.json), e.g. `0.1.0`."),
  })
  .meta({ id: 'ToolInfo', description: 'The program that wrote the report.' });
/** The program that wrote a report. */
export type ToolInfo = z.infer<typeof toolInfoSchema>;

/** The schema of an AdvisorySnapshotEntry. */
export const advisorySnapshotEntrySchema = z
  .object({
    id: z.string().min(1).describe('The OSV record id, e.g. `MAL-2026-2144`.'),
    modified: z.string().nullable().describe("The record's own `modified` time (ISO 8601), or null when it has none."),
    aliases: z.array(z.string()).describe('The other ids of the same advisory (records merged with it), primary first; empty when none.'),
  })
  .meta({ id: 'AdvisorySnapshotEntry', description: 'One OSV record the scan matched packages against.' });
/** One OSV record the scan matched against. */
export type AdvisorySnapshotEntry = z.infer<typeof advisorySnapshotEntrySchema>;

/** The schema of the IocRulesInfo. */
export const iocRulesInfoSchema = z
  .object({
    version: z.string().min(1).describe("The bundled rules file's `version`, e.g. `2026.05.1`."),
    rules: z.number().int().describe('How many rules were in effect, bundled and extra.'),
    custom: z.number().int().describe('How many of them came from the user (`--ioc-rules`) rather than the bundled file, a corrected copy of a bundled rule included.'),
    fingerprint: z
      .string()
      .min(1)
      .describe('A digest of the rules in effect (`fnv1a64:` and 16 hex digits): equal fingerprints mean the same rules, so two reports judged the same way.'),
  })
  .meta({ id: 'IocRulesInfo', description: 'The IOC rules the scan searched for and judged by.' });
/** The IOC rules a report was judged by. */
export type IocRulesInfo = z.infer<typeof iocRulesInfoSchema>;

/** The schema of a ReportProvenance. */
export const reportProvenanceSchema = z
  .object({
    tool: toolInfoSchema,
    advisories: z.array(advisorySnapshotEntrySchema).describe('Every advisory record in effect (withdrawn ones left out), by id.'),
    iocRules: iocRulesInfoSchema,
  })
  .meta({
    id: 'ReportProvenance',
    description: 'What the report was judged with: the tool, the advisory snapshot and the IOC rules. Every export format carries it.',
  });
/** What a report was judged with. */
export type ReportProvenance = z.infer<typeof reportProvenanceSchema>;
