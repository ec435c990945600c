/**
 * A native modal `<dialog>` opened with showModal(): the browser keeps focus inside it and makes
 * the page behind inert, and Escape cancels it. Every modal of the app goes through this.
 */
import { useEffect, useRef, type KeyboardEvent, type ReactNode } from 'react';

/** What a modal needs: its title's id, a test id, and what Escape means for it. */
export interface ModalDialogProps {
  labelledBy: string;
  testId: string;
  /** Escape (the dialog's cancel event): answer the question the way its dismissing button would. */
  onCancel(): void;
  children: ReactNode;
}

const FOCUSABLE = 'button:not(:disabled), input:not(:disabled), select:not(:disabled), textarea:not(:disabled), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * Tab past the last control comes back to the first (Shift+Tab the other way): the page behind is
 * inert, but the browser would otherwise hand focus to its own toolbar before returning.
 */
function keepFocusInside(event: KeyboardEvent<HTMLDialogElement>): void {
  if (event.key !== 'Tab') return;
  const controls = [...event.currentTarget.querySelectorAll<HTMLElement>(FOCUSABLE)];
  const first = controls[0];
  const last = controls.at(-1);
  if (!first || !last) return;
  const active = document.activeElement;
  if (event.shiftKey && (active === first || !event.currentTarget.contains(active))) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && (active === last || !event.currentTarget.contains(active))) {
    event.preventDefault();
    first.focus();
  }
}

/** Shown as a modal while mounted; the caller unmounts it once the question is answered. */
export function ModalDialog({ labelledBy, testId, onCancel, children }: ModalDialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const dialog = ref.current;
    if (dialog && !dialog.open) dialog.showModal();
    return () => dialog?.close();
  }, []);
  return (
    <dialog
      ref={ref}
      className="dialog"
      aria-labelledby={labelledBy}
      data-testid={testId}
      onKeyDown={keepFocusInside}
      onCancel={(event) => {
        // Closed by the answer's re-render, not by the browser, so the store stays the one source of what is shown.
        event.preventDefault();
        onCancel();
      }}
    >
      {children}
    </dialog>
  );
}
