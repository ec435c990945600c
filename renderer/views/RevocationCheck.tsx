/**
 * The opt-in revocation check on a key's rotate step: "Check if revoked" asks first (a request
 * with the old key will go to its provider, from the main process), then shows the outcome:
 * revoked verifies the step, live on a ticked step is an alarm, anything else says why it did not
 * decide. The renderer sends only the fingerprint; it never sees the key.
 */
import { useState } from 'react';
import { revocationKeyOf, rotateStepRevocation, type ChecklistStepWithProgress, type RotateStepRevocation } from '../../shared/checklist/index.js';
import { fingerprintProvider, revocationEndpoint } from '../../shared/domain/providers/index.js';
import { useCommands } from '../app/commands-context.js';
import { formatTime } from '../app/format.js';
import { useIsKeyChecking, useRevocationChecks } from '../store/hooks.js';

/** The check's button, its confirmation and its latest outcome, for one rotate step. */
export function RevocationCheck({ step }: { step: ChecklistStepWithProgress }) {
  const fingerprint = revocationKeyOf(step);
  const commands = useCommands();
  const checks = useRevocationChecks();
  const checking = useIsKeyChecking(fingerprint ?? '');
  const [confirming, setConfirming] = useState(false);
  if (!fingerprint) return null;
  const endpoint = revocationEndpoint(fingerprintProvider(fingerprint));
  const outcome = rotateStepRevocation(step, checks);
  const testId = `step-revocation-${step.id}`;

  return (
    <div className="step-revocation small" data-testid={testId}>
      {outcome && <RevocationOutcome outcome={outcome} testId={testId} />}
      {!endpoint ? (
        <p className="muted" data-testid={`${testId}-no-check`}>
          No read-only check is known for {fingerprintProvider(fingerprint)} keys: confirm the revocation where the key was issued.
        </p>
      ) : confirming ? (
        <p className="step-confirm" data-testid={`${testId}-confirm`}>
          This sends the old key to {endpoint.name} once ({`GET ${endpoint.origin}${endpoint.path}`}, read-only, free) from this computer, to see whether {endpoint.name} still accepts it.{' '}
          <button
            type="button"
            className="small"
            data-testid={`${testId}-send`}
            onClick={() => {
              setConfirming(false);
              void commands.checkRevoked(fingerprint);
            }}
          >
            Send the check
          </button>{' '}
          <button type="button" className="link-button small" data-testid={`${testId}-cancel`} onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </p>
      ) : (
        <button type="button" className="link-button small" data-testid={`${testId}-button`} disabled={checking} onClick={() => setConfirming(true)}>
          {checking ? 'Checking…' : outcome ? 'Check again if revoked' : 'Check if revoked'}
        </button>
      )}
    </div>
  );
}

/** The latest outcome in words. */
function RevocationOutcome({ outcome, testId }: { outcome: RotateStepRevocation; testId: string }) {
  const { check } = outcome;
  const when = `checked ${formatTime(check.checkedAt)}`;
  switch (outcome.state) {
    case 'verified':
      return (
        <p className="step-verified" data-testid={`${testId}-verified`}>
          Verified: revoked ({when}). {check.reason}.
        </p>
      );
    case 'alarm':
      return (
        <p className="step-alarm" role="alert" data-testid={`${testId}-alarm`}>
          Alarm: this step is ticked, but the old key is still live ({when}). {check.reason}. Revoke it at the provider now.
        </p>
      );
    case 'live':
      return (
        <p className="step-warning" data-testid={`${testId}-live`}>
          Still live ({when}): the provider accepts the old key. {check.reason}.
        </p>
      );
    case 'indeterminate':
    case 'no-check':
      return (
        <p className="muted" data-testid={`${testId}-indeterminate`}>
          Not decided ({when}): {check.reason}.
        </p>
      );
    default: {
      const never: never = outcome;
      return never;
    }
  }
}
