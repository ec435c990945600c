import { describe, expect, it } from 'vitest';
import { toInputValue, validateWindowForm, windowFormValues } from './window-form.js';

describe('window form', () => {
  it('shows a window in UTC, with seconds only when it has them', () => {
    expect(windowFormValues({ start: '2026-03-24T10:39:00Z', end: '2026-03-27T23:59:59Z' })).toEqual({ start: '2026-03-24T10:39', end: '2026-03-27T23:59:59' });
    expect(toInputValue('2026-03-24T12:39:00+02:00')).toBe('2026-03-24T10:39');
    expect(toInputValue('not a time')).toBe('');
  });

  it('reads both inputs as UTC instants', () => {
    expect(validateWindowForm({ start: '2026-03-24T10:39', end: '2026-03-24T11:19:30' })).toEqual({
      ok: true,
      range: { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:30.000Z' },
    });
  });

  it('refuses an end that is not after the start', () => {
    expect(validateWindowForm({ start: '2026-03-24T11:19', end: '2026-03-24T10:39' })).toEqual({ ok: false, errors: { end: 'The window must end after it starts' } });
    expect(validateWindowForm({ start: '2026-03-24T10:39', end: '2026-03-24T10:39' })).toMatchObject({ ok: false });
  });

  it('refuses an empty or malformed input, naming the field', () => {
    expect(validateWindowForm({ start: '', end: '2026-03-24T10:39' })).toEqual({ ok: false, errors: { start: 'Give the start as a date and time (UTC)' } });
    expect(validateWindowForm({ start: '2026-03-24T10:39', end: '2026-13-45T99:99' })).toEqual({ ok: false, errors: { end: 'Give the end as a date and time (UTC)' } });
  });
});
