import { describe, expect, it } from 'vitest';
import { KNOWN_WINDOWS, relativeToWindow, windowFor } from './compromise-windows.js';

describe('compromise windows', () => {
  it('finds the litellm window from any alias of its advisory', () => {
    expect(windowFor(['PYSEC-2026-2'])?.id).toBe('litellm-2026-03-24');
    expect(windowFor(['GHSA-5mg7-485q-xm76'])?.start).toBe('2026-03-24T10:39:00Z');
  });

  it('has no window for an advisory it does not know', () => {
    expect(windowFor(['PYSEC-2024-154'])).toBeNull();
  });

  it('applies the user override and says so in the source', () => {
    const window = windowFor(['MAL-2026-2144'], { 'litellm-2026-03-24': { start: '2026-03-24T10:39:00Z', end: '2026-03-24T11:19:00Z' } });

    expect(window?.end).toBe('2026-03-24T11:19:00Z');
    expect(window?.source).toContain('by the user');
  });

  it('places instants before, during and after a window, and unparseable ones nowhere', () => {
    const window = KNOWN_WINDOWS[0]!;

    expect(relativeToWindow('2026-03-24T10:38:59Z', window)).toBe('before');
    expect(relativeToWindow('2026-03-24T12:00:00Z', window)).toBe('during');
    expect(relativeToWindow('2026-03-24T16:00:01Z', window)).toBe('after');
    expect(relativeToWindow('not a date', window)).toBe('unknown');
  });

  it('treats Docker\'s zero time (never started) as unknown, not as long before', () => {
    expect(relativeToWindow('0001-01-01T00:00:00Z', KNOWN_WINDOWS[0]!)).toBe('unknown');
  });

  it('lists every window with a source and an end after its start', () => {
    for (const window of KNOWN_WINDOWS) {
      expect(window.source.length).toBeGreaterThan(20);
      expect(Date.parse(window.end)).toBeGreaterThan(Date.parse(window.start));
    }
  });
});
