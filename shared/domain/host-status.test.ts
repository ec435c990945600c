import { describe, expect, it } from 'vitest';
import { hostWasRead } from './host-status.js';
import type { HostStatus } from '../model/index.js';

describe('hostWasRead', () => {
  it('says a fully or partly scanned host was read', () => {
    expect(hostWasRead('ok')).toBe(true);
    expect(hostWasRead('partial')).toBe(true);
  });

  it('says a host the scan never got into was not read, whatever stopped it', () => {
    expect((['unreachable', 'auth-failed', 'host-key-mismatch', 'host-key-unknown', 'error'] as const).map(hostWasRead)).toEqual([false, false, false, false, false]);
  });

  it('does not take a status it does not know as read', () => {
    expect(hostWasRead('skipped' as HostStatus)).toBe(false);
  });
});
