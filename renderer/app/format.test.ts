import { describe, expect, it } from 'vitest';
import { formatTime, shortDigest } from './format.js';
import { errorMessage } from './error-message.js';

describe('shortDigest', () => {
  it('keeps the algorithm and the first 12 hex digits', () => {
    expect(shortDigest('sha256:acfd6767b74fa45ddcc34a293b21c78314ef45d1f5a6d5ff18194f69ea42a735')).toBe('sha256:acfd6767b74f');
  });

  it('says unknown when there is no digest', () => {
    expect(shortDigest(null)).toBe('unknown');
  });
});

describe('formatTime', () => {
  it('returns text it cannot parse unchanged', () => {
    expect(formatTime('not a date')).toBe('not a date');
  });

  it('formats an ISO time as something other than the ISO string', () => {
    expect(formatTime('2026-03-25T08:30:00.000Z')).not.toBe('2026-03-25T08:30:00.000Z');
  });
});

describe('errorMessage', () => {
  it("strips Electron's remote-method wrapper and the error class name", () => {
    const error = new Error("Error invoking remote method 'hosts:add': BadRequestError: invalid hosts:add request: name: too short");

    expect(errorMessage(error)).toBe('invalid hosts:add request: name: too short');
  });

  it('prefixes the action that failed', () => {
    expect(errorMessage(new Error('disk full'), 'Saving the checklist failed')).toBe('Saving the checklist failed: disk full');
  });

  it('accepts thrown strings and unknown values', () => {
    expect(errorMessage('boom')).toBe('boom');
    expect(errorMessage(42)).toBe('Unknown error');
  });
});
