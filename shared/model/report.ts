/**
 * The scan report itself: the document `blast-radius scan --json` writes and the case folder
 * keeps, and the exposure verdicts it carries. Its schema is the root of docs/report.schema.json.
 */
import { z } from 'zod';
import { findingSchema, verdictSchema } from './findings.js';
import { hostInventorySchema } from './inventory.js';

/** The schema of the compromise window an ExposureVerdict used. */
export const exposureWindowSchema = z
  .object({
    id: z.string().describe('e.g. `litellm-2026-03-24`.'),
    start: z.string().meta({ format: 'date-time' }),
    end: z.string().meta({ format: 'date-time' }),
  })
  .meta({
    id: 'ExposureWindow',
    description: 'When a compromised release could be installed, as the verdict used it (the user may narrow or widen it).',
  });

/** The schema of an ExposureVerdict. */
export const exposureVerdictSchema = z
  .object({
    host: z.string().describe('The `name` of the host.'),
    container: z.string().nullable().describe("The container's name, or null for the host itself."),
    path: z.string().describe('Path of the Python environment.'),
    package: z.string(),
    installedVersion: z.string(),
    advisories: z.array(z.string()).describe("The advisory's ids, primary first."),
    verdict: verdictSchema,
    reasons: z.array(z.string()).describe('The facts behind the verdict, deciding fact first.'),
    window: exposureWindowSchema.nullable().describe('The compromise window used; null when none is known.'),
  })
  .meta({
    id: 'ExposureVerdict',
    description:
      "One place (a host's or a container's Python environment) holding a package one advisory covers, judged for exposure.",
  });
/** A place (host or container Python environment) × an advisory, judged for exposure. */
export type ExposureVerdict = z.infer<typeof exposureVerdictSchema>;

/** The schema of a ScanReport, the root of docs/report.schema.json. */
export const scanReportSchema = z
  .object({
    schemaVersion: z.literal(1).describe('Bumped only by a change that breaks consumers; refuse versions you do not know.'),
    scannedAt: z.string().meta({ format: 'date-time', description: 'When the scan finished, ISO 8601 UTC.' }),
    hosts: z.array(hostInventorySchema),
    findings: z.array(findingSchema),
    exposures: z
      .array(exposureVerdictSchema)
      .optional()
      .describe(
        'Every place holding a package an advisory covers, affected or not, with its exposure verdict; absent in reports of earlier versions.',
      ),
  })
  .meta({
    $id: 'urn:blast-radius:scan-report:1',
    title: 'Blast Radius scan report',
    description:
      'What `blast-radius scan --json` writes and the case folder keeps (schemaVersion 1). Generated from shared/model/ (`npm run schema`). Objects allow properties not listed here: later versions add optional fields and new finding kinds without changing schemaVersion. See docs/report-format.md.',
  });
/** The document a scan produces: `blast-radius scan --json`, case files and the UI all use it. */
export type ScanReport = z.infer<typeof scanReportSchema>;
