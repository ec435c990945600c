import { describe, expect, it } from 'vitest';
import type { RevocationCheck } from '../model/index.js';
import { sampleLabReport } from '../fixtures/sample-report.js';
import { generateChecklist, mergeProgress } from './checklist.js';
import { revocationKeyOf, rotateStepRevocation } from './revocation.js';

const FP = 'openai:0123456789ab:WXYZ';
const check = (outcome: RevocationCheck['outcome']): Record<string, RevocationCheck> => ({
  [FP]: { fingerprint: FP, provider: 'openai', outcome, reason: 'r', checkedAt: '2026-03-27T10:00:00.000Z' },
});
const rotate = (done: boolean) => ({ key: { fingerprint: FP, role: 'rotate' as const }, done });

describe('rotateStepRevocation', () => {
  it('verifies a rotate step whose key the provider refused', () => {
    expect(rotateStepRevocation(rotate(false), check('revoked'))?.state).toBe('verified');
  });

  it('raises an alarm when the owner ticked the rotation and the provider still accepts the key', () => {
    expect(rotateStepRevocation(rotate(true), check('live'))?.state).toBe('alarm');
    expect(rotateStepRevocation(rotate(false), check('live'))?.state).toBe('live');
  });

  it('shows an undecided check as it is, and nothing for a key never checked or a step of another role', () => {
    expect(rotateStepRevocation(rotate(true), check('indeterminate'))?.state).toBe('indeterminate');
    expect(rotateStepRevocation(rotate(true), {})).toBeNull();
    expect(rotateStepRevocation({ key: { fingerprint: FP, role: 'verify' }, done: true }, check('revoked'))).toBeNull();
    expect(revocationKeyOf({ key: { fingerprint: FP, role: 'replace' } })).toBeNull();
  });
});

describe('mergeProgress with revocation checks', () => {
  it("counts a rotate step verified once its old key is found revoked, and no other step", () => {
    // Arrange
    const report = sampleLabReport();
    const steps = generateChecklist(report, null);
    const rotateStep = steps.find((step) => step.key?.role === 'rotate');
    expect(rotateStep, 'the lab plan rotates at least one key').toBeDefined();
    const fingerprint = rotateStep!.key!.fingerprint;
    const checks = (outcome: RevocationCheck['outcome']): Record<string, RevocationCheck> => ({
      [fingerprint]: { fingerprint, provider: 'openai', outcome, reason: 'r', checkedAt: '2026-03-27T10:00:00.000Z' },
    });
    const merge = (outcome: RevocationCheck['outcome']) =>
      mergeProgress(steps, {}, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings, revocationChecks: checks(outcome) }).steps;

    // Act
    const revoked = merge('revoked');
    const live = merge('live');

    // Assert
    expect(revoked.filter((step) => step.verified && step.key?.role === 'rotate').map((step) => step.id)).toEqual([rotateStep!.id]);
    expect(live.find((step) => step.id === rotateStep!.id)?.verified).toBe(false);
  });
});
