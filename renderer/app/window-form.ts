/**
 * The compromise-window editor's values: two `datetime-local` inputs read as UTC (the windows are
 * written in UTC, and a local reading would shift them by the viewer's zone), validated with the
 * contract's own schema (ISO instants, start before end).
 */
import { windowRangeSchema, type WindowRange } from '../../shared/ipc/index.js';

/** The editor as typed: the two inputs' values (`YYYY-MM-DDTHH:MM[:SS]`, UTC). */
export interface WindowFormValues {
  start: string;
  end: string;
}

/** Either a range ready to send, or one message per invalid field. */
export type WindowFormValidation = { ok: true; range: WindowRange } | { ok: false; errors: Partial<Record<keyof WindowFormValues, string>> };

const INPUT_VALUE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?$/;

/** The input value showing an ISO instant in UTC: minutes, and seconds only when they are not zero. */
export function toInputValue(iso: string): string {
  const time = Date.parse(iso);
  if (Number.isNaN(time)) return '';
  const text = new Date(time).toISOString();
  return text.slice(17, 19) === '00' ? text.slice(0, 16) : text.slice(0, 19);
}

/** The form values for a window. */
export function windowFormValues(range: WindowRange): WindowFormValues {
  return { start: toInputValue(range.start), end: toInputValue(range.end) };
}

/** Validates the two inputs and turns them into UTC instants. */
export function validateWindowForm(values: WindowFormValues): WindowFormValidation {
  const errors: Partial<Record<keyof WindowFormValues, string>> = {};
  const instants: Partial<Record<keyof WindowFormValues, string>> = {};
  for (const field of ['start', 'end'] as const) {
    const value = values[field].trim();
    if (!INPUT_VALUE.test(value) || Number.isNaN(Date.parse(`${value}Z`))) {
      errors[field] = `Give the ${field} as a date and time (UTC)`;
      continue;
    }
    instants[field] = new Date(`${value.length === 16 ? `${value}:00` : value}Z`).toISOString();
  }
  if (errors.start || errors.end) return { ok: false, errors };
  const parsed = windowRangeSchema.safeParse(instants);
  if (!parsed.success) return { ok: false, errors: { end: 'The window must end after it starts' } };
  return { ok: true, range: parsed.data };
}
