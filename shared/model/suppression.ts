/**
 * Suppressions as a report carries them: which findings the owner accepted (by advisory id, key
 * fingerprint or finding id, with a reason and an optional expiry), and which acceptances have
 * expired. A suppressed finding stays in `findings`; it is only kept out of `--fail-on`.
 */
import { z } from 'zod';

/** What a suppression entry names: an advisory (any of its aliases), a key by fingerprint, or one finding by id. */
export const SUPPRESSION_TARGETS = ['advisory', 'fingerprint', 'finding'] as const;

/** The kind of thing a suppression entry names. */
export type SuppressionTarget = (typeof SUPPRESSION_TARGETS)[number];

/** The schema of an AppliedSuppression. */
export const appliedSuppressionSchema = z
  .object({
    findingId: z.string().min(1).describe('The `id` of the finding it applies to.'),
    by: z.enum(SUPPRESSION_TARGETS).describe('What the entry named: `advisory` (an id or any alias of it), `fingerprint` (a key) or `finding` (a finding id).'),
    value: z.string().describe('The id or fingerprint the entry named, as written in the suppression file.'),
    reason: z.string().min(1).describe('Why the owner accepted it, as written in the suppression file.'),
    expires: z
      .string()
      .nullable()
      .describe('The date (`YYYY-MM-DD`, UTC) from which the entry no longer suppresses, or null when it does not expire.'),
    expired: z.boolean().describe('True when the entry had expired when the report was made: the finding counts again and says so.'),
  })
  .meta({
    id: 'AppliedSuppression',
    description: 'A suppression file entry that matched a finding, with whether it still suppresses it.',
  });
/** A suppression entry that matched a finding, and whether it still suppresses it. */
export type AppliedSuppression = z.infer<typeof appliedSuppressionSchema>;
