/**
 * The scan report itself: the document `blast-radius scan --json` writes and the case folder
 * keeps, and the exposure verdicts it carries. Its schema is the root of docs/report.schema.json.
 */
import { z } from 'zod';
import { findingSchema, verdictSchema } from './findings.js';
import { hostInventorySchema } from './inventory.js';
import { reportProvenanceSchema } from './provenance.js';
import { registerRowSchema } from './register.js';
import { revocationCheckSchema } from './revocation.js';
import { appliedSuppressionSchema } from './suppression.js';

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

/** The phases of the incident plan, in the order they are worked. */
export const PLAN_PHASES = ['contain', 'eradicate', 'rotate', 'verify', 'recover', 'harden'] as const;

/** The schema of a PlanPhase (a closed set in version 1). */
export const planPhaseSchema = z.enum(PLAN_PHASES).meta({
  id: 'PlanPhase',
  description:
    'An incident-response phase: `contain` (cut the attacker off), `eradicate` (remove the compromised code and what it left), `rotate` (replace what it could read), `verify` (prove the old secrets gone), `recover` (move consumers, restore service), `harden` (keep it from happening again).',
});
/** An incident-response phase of the plan. */
export type PlanPhase = z.infer<typeof planPhaseSchema>;

/** The schema of a PlanStepState. */
export const planStepStateSchema = z.enum(['open', 'blocked', 'done']).meta({
  id: 'PlanStepState',
  description:
    '`blocked` while a step it waits for is not done, else `open`; `done` only where ticks are kept (the app\'s case), never in a report the CLI writes.',
});

/** The schema of a PlanPlace. */
export const planPlaceSchema = z
  .object({
    host: z.string().describe('The `name` of the host.'),
    container: z.string().nullable().describe("The container's name, or null for the host itself."),
  })
  .meta({ id: 'PlanPlace', description: 'A host or container a plan step is about.' });

/** The schema of a PlanStep. */
export const planStepSchema = z
  .object({
    id: z.string().min(1).describe('Stable: the same findings give the same id on every scan; the app keeps ticks by it.'),
    phase: planPhaseSchema,
    title: z.string(),
    detail: z.string().describe('Why and how, in plain text; may span several lines. Names places and keys by fingerprint, never a value.'),
    places: z.array(planPlaceSchema).describe('The hosts and containers the step concerns, the one it acts on first.'),
    blockedBy: z.array(z.string()).describe('Ids of the steps it waits for (earlier in the plan); empty when it waits for none.'),
    blockedReason: z.string().optional().describe('Why it waits for them, when it does.'),
    state: planStepStateSchema,
  })
  .meta({
    id: 'PlanStep',
    description: 'One step of the incident plan derived from the findings, in the order it is worked.',
  });
/** One step of the incident plan as a report carries it. */
export type PlanStep = z.infer<typeof planStepSchema>;

/** The schema of a CopyComparison. */
export const copyComparisonSchema = z
  .object({
    package: z.string(),
    version: z.string(),
    copies: z
      .array(
        z.object({
          host: z.string().describe('The `name` of the host.'),
          container: z.string().nullable().describe("The container's name, or null for the host itself."),
          path: z.string().describe('Path of the Python environment.'),
          variant: z
            .number()
            .int()
            .describe('Copies with the same number hold the same files with the same bytes (1 is the variant most copies hold).'),
          knownGood: z
            .enum(['matches', 'differs'])
            .optional()
            .describe('How it compares with the known-good artifact the owner imported for this version; absent when none was.'),
          incomplete: z.boolean().optional().describe('True when some of its files could not be hashed.'),
        }),
      )
      .describe('Every installed copy of this version whose files were hashed.'),
    variants: z.number().int().describe('How many different file sets the copies hold: 1 means installed identically everywhere it was hashed.'),
    knownGood: z.string().optional().describe('The known-good artifact the copies were compared with (file name and sha256), when the owner imported one.'),
  })
  .meta({
    id: 'CopyComparison',
    description:
      'One distribution version whose installed files were hashed, with every copy of it across the hosts and containers of the report: whether they are byte-identical, and how each compares with a known-good artifact.',
  });
/** One distribution version's installed copies compared with each other and with a known-good artifact. */
export type CopyComparison = z.infer<typeof copyComparisonSchema>;

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
    plan: z
      .array(planStepSchema)
      .optional()
      .describe(
        'The incident plan derived from the findings, phase by phase (contain, eradicate, rotate, verify, recover, harden), each step with what it waits for; absent in reports of earlier versions and where no plan was asked for.',
      ),
    copyComparisons: z
      .array(copyComparisonSchema)
      .optional()
      .describe(
        'Each distribution version whose files were hashed, its copies compared with each other and with a known-good artifact the owner imported (the `artifact-mismatch` findings name the files that differ); absent in reports of earlier versions.',
      ),
    provenance: reportProvenanceSchema
      .optional()
      .describe('The tool version, advisory records and IOC rules the report was judged with; absent in reports of earlier versions.'),
    revocationChecks: z
      .array(revocationCheckSchema)
      .optional()
      .describe(
        'Whether each key the scan read is still accepted by its provider, by fingerprint (only with `--check-revoked`: the check sends each key to its provider); absent otherwise.',
      ),
    register: z
      .array(registerRowSchema)
      .optional()
      .describe(
        "The supply-chain register: one row per AI component (gateway, model server, agent app) with how it was installed, its version and pin, its registry, publisher, consumers and keys, and the owner's trust level and notes. Present in the app's exports; absent from a bare scan.",
      ),
    suppressions: z
      .array(appliedSuppressionSchema)
      .optional()
      .describe(
        'The suppression file entries that matched findings (one per finding and entry): active ones keep the finding out of `--fail-on`, expired ones say the finding is back. Absent when no suppression file was given.',
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
