/**
 * What the opt-in revocation check says about a key's rotate step: a revoked result verifies the
 * step; a live result on a ticked step is an alarm (the owner believes the key is dead, its
 * provider still accepts it); anything else is shown as it is. Pure: the checks come from the case.
 */
import type { RevocationCheck } from '../model/index.js';
import type { ChecklistStepWithProgress } from './types.js';

/** How a rotate step reads with its key's latest check. */
export type RotateStepRevocation =
  | { state: 'verified'; check: RevocationCheck }
  | { state: 'alarm'; check: RevocationCheck }
  | { state: 'live' | 'indeterminate' | 'no-check'; check: RevocationCheck };

/** The key whose revocation a step can check: its fingerprint when the step is a key's rotate step. */
export function revocationKeyOf(step: Pick<ChecklistStepWithProgress, 'key'>): string | null {
  return step.key?.role === 'rotate' ? step.key.fingerprint : null;
}

/** The rotate step's revocation state from its key's latest check; null when it is not a rotate step or was never checked. */
export function rotateStepRevocation(
  step: Pick<ChecklistStepWithProgress, 'key' | 'done'>,
  checks: Readonly<Record<string, RevocationCheck>>,
): RotateStepRevocation | null {
  const fingerprint = revocationKeyOf(step);
  const check = fingerprint !== null && Object.hasOwn(checks, fingerprint) ? checks[fingerprint]! : null;
  if (!check) return null;
  switch (check.outcome) {
    case 'revoked':
      return { state: 'verified', check };
    case 'live':
      return { state: step.done ? 'alarm' : 'live', check };
    case 'indeterminate':
    case 'no-check':
      return { state: check.outcome, check };
    default: {
      const never: never = check.outcome;
      return never;
    }
  }
}
