/**
 * The outcome of asking a provider whether an old key still works (the opt-in revocation check).
 * It names the key by fingerprint only; nothing a provider answered is kept but its status code.
 */
import { z } from 'zod';

/** live: the provider accepted the key; revoked: a determinate refusal; indeterminate: no answer that decides; no-check: the provider has no read-only check. */
export const REVOCATION_OUTCOMES = ['live', 'revoked', 'indeterminate', 'no-check'] as const;

/** Why a check did not decide, as a class (never the error's own text, which may quote the server). */
export const REVOCATION_ERROR_CLASSES = [
  'not-in-memory',
  'timeout',
  'network',
  'redirect',
  'rate-limited',
  'server-error',
  'unexpected-status',
  'no-endpoint',
] as const;

/** The schema of one revocation check's result. */
export const revocationCheckSchema = z
  .object({
    fingerprint: z.string().describe('The key checked, as `<provider>:<12 hex>:<last4>`.'),
    provider: z.string(),
    outcome: z.enum(REVOCATION_OUTCOMES),
    httpStatus: z.number().int().optional().describe('The provider’s HTTP status, when it answered.'),
    errorClass: z.enum(REVOCATION_ERROR_CLASSES).optional().describe('Why the check was indeterminate or not made.'),
    reason: z.string().describe('One sentence the app wrote (never text from the provider).'),
    checkedAt: z.string().meta({ format: 'date-time', description: 'When the check was made, ISO 8601 UTC.' }),
    endpoint: z.string().optional().describe('`GET <url>` asked, without the key (which travels in a header).'),
  })
  .meta({ id: 'RevocationCheck', description: 'Whether a key the scan read is still accepted by its provider (`--check-revoked`).' });
/** The result of one revocation check. */
export type RevocationCheck = z.infer<typeof revocationCheckSchema>;
/** One of the check's outcomes. */
export type RevocationOutcome = (typeof REVOCATION_OUTCOMES)[number];
/** Why a check was indeterminate or not made. */
export type RevocationErrorClass = (typeof REVOCATION_ERROR_CLASSES)[number];
