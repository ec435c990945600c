import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { generateChecklist, mergeProgress, type ChecklistStepWithProgress } from '../../shared/checklist/index.js';
import { LAB, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { StepProgress } from '../../shared/ipc/index.js';
import type { RevocationCheck as Check } from '../../shared/model/index.js';
import { createAppStore } from '../store/app-store.js';
import { createFakeApi } from '../test-support/fake-api.js';
import { createCommands } from '../app/commands.js';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import { RevocationCheck } from './RevocationCheck.js';

// Server rendering reads the store's initial state, so the checks come in through the hook.
const given = vi.hoisted(() => ({ checks: {} as Record<string, unknown> }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useRevocationChecks: () => given.checks,
  useIsKeyChecking: () => false,
}));

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });
const ROTATE_OPENAI = `rotate:key-at-provider:`;

function rotateStep(fingerprint: string, done: boolean): ChecklistStepWithProgress {
  const report = sampleLabReport();
  const progress: Record<string, StepProgress> = {};
  const merged = mergeProgress(generateChecklist(report), progress, { scannedAt: report.scannedAt, hosts: report.hosts });
  const step = merged.steps.find((candidate) => candidate.id.startsWith(ROTATE_OPENAI) && candidate.key?.fingerprint === fingerprint);
  if (!step) throw new Error(`no rotate step for ${fingerprint}`);
  return { ...step, done };
}

const check = (outcome: Check['outcome'], extra: Partial<Check> = {}): Check => ({
  fingerprint: LAB.openaiKey,
  provider: 'openai',
  outcome,
  reason: 'OpenAI refused the key (HTTP 401): it is revoked or was never valid',
  checkedAt: '2026-03-27T10:00:00.000Z',
  ...extra,
});

function render(step: ChecklistStepWithProgress, checks: Record<string, Check>): string {
  given.checks = checks;
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <RevocationCheck step={step} />
    </CommandsContext.Provider>,
  );
}

describe('RevocationCheck on a rotate step', () => {
  it('offers "Check if revoked" on a key never checked', () => {
    const html = render(rotateStep(LAB.openaiKey, false), {});

    expect(html).toContain('Check if revoked');
    expect(html).not.toContain('-verified');
  });

  it('shows a revoked result as the step verified, with the time it was checked', () => {
    const html = render(rotateStep(LAB.openaiKey, false), { [LAB.openaiKey]: check('revoked', { httpStatus: 401 }) });

    expect(html).toMatch(/data-testid="step-revocation-[^"]+-verified"/);
    expect(html).toContain('Verified: revoked (checked');
  });

  it('raises an alarm when the step is ticked and the key is still live', () => {
    const html = render(rotateStep(LAB.openaiKey, true), { [LAB.openaiKey]: check('live', { reason: 'OpenAI accepted the key (HTTP 200): it is not revoked' }) });

    expect(html).toMatch(/role="alert" data-testid="step-revocation-[^"]+-alarm"/);
    expect(html).toContain('still live');
  });

  it('says why an undecided check did not decide', () => {
    const html = render(rotateStep(LAB.openaiKey, true), { [LAB.openaiKey]: check('indeterminate', { errorClass: 'rate-limited', reason: 'OpenAI answered HTTP 429 (rate limited), which does not say whether the key is revoked' }) });

    expect(html).toContain('Not decided');
    expect(html).toContain('HTTP 429');
  });
});

describe('the checkRevoked command', () => {
  it('sends only the fingerprint and keeps the answer’s checks in the store', async () => {
    // Arrange
    const store = createAppStore();
    const result = check('revoked', { httpStatus: 401 });
    const fake = createFakeApi({ 'keys:check-revoked': () => ({ check: result, checks: { [LAB.openaiKey]: result } }) });

    // Act
    await createCommands(fake.api, store).checkRevoked(LAB.openaiKey);

    // Assert
    expect(fake.calls).toEqual([{ channel: 'keys:check-revoked', request: { fingerprint: LAB.openaiKey } }]);
    expect(store.getState().revocationChecks[LAB.openaiKey]).toEqual(result);
    expect(store.getState().checkingKeys).toEqual([]);
  });

  it('raises an error and keeps the earlier result when the request fails', async () => {
    const store = createAppStore();
    const earlier = check('live');
    store.getState().caseLoaded({ report: null, progress: {}, revocationChecks: { [LAB.openaiKey]: earlier } });
    const fake = createFakeApi({ 'keys:check-revoked': () => Promise.reject(new Error('offline')) });

    await createCommands(fake.api, store).checkRevoked(LAB.openaiKey);

    expect(store.getState().revocationChecks[LAB.openaiKey]).toEqual(earlier);
    expect(store.getState().checkingKeys).toEqual([]);
    expect(JSON.stringify(store.getState())).toContain('The revocation check failed');
  });
});
