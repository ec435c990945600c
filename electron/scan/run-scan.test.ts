import { describe, expect, it } from 'vitest';
import { gatewayLogWindowFor } from './run-scan.js';

describe('gatewayLogWindowFor', () => {
  const now = new Date('2026-04-02T08:00:00Z');

  it("reads gateway logs from the LiteLLM window's start to the scan", () => {
    expect(gatewayLogWindowFor({}, now)).toEqual({ start: '2026-03-24T10:39:00.000Z', end: '2026-04-02T08:00:00.000Z' });
  });

  it('starts where the user moved the window to', () => {
    const overrides = { 'litellm-2026-03-24': { start: '2026-03-23T00:00:00Z', end: '2026-03-24T12:00:00Z' } };

    expect(gatewayLogWindowFor(overrides, now)).toEqual({ start: '2026-03-23T00:00:00.000Z', end: '2026-04-02T08:00:00.000Z' });
  });

  it('falls back to the known start when the override starts after the scan', () => {
    const overrides = { 'litellm-2026-03-24': { start: '2027-01-01T00:00:00Z', end: '2027-01-02T00:00:00Z' } };

    expect(gatewayLogWindowFor(overrides, now).start).toBe('2026-03-24T10:39:00.000Z');
  });
});
