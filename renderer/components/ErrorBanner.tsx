/** Errors from calls and the connection, shown until the user dismisses them. */
import { useErrors, useUiEvents } from '../store/hooks.js';

/** The error banner; renders nothing when there are no errors. */
export function ErrorBanner() {
  const errors = useErrors();
  const { errorDismissed } = useUiEvents();
  if (errors.length === 0) return null;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner">
      {errors.map((error) => (
        <div className="error-line" key={error.id}>
          <span data-testid="error-message">{error.message}</span>
          <button type="button" className="link-button" data-testid={`error-dismiss-${error.id}`} onClick={() => errorDismissed(error.id)}>
            Dismiss
          </button>
        </div>
      ))}
    </div>
  );
}
