import { describe, expect, it } from 'vitest';
import { labWithGatewayNotExposed } from '../fixtures/gateway-not-exposed.js';
import type { CaseDecisions, ComponentDecisionKind } from '../case/decisions.js';
import { LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { ScanReport } from '../model/index.js';
import { generateChecklist } from './checklist.js';

const decided = (decision: ComponentDecisionKind): CaseDecisions => ({
  [LAB_FINDING_IDS.gateway]: { decision, reason: 'used by everything', decidedAt: '2026-03-26T09:00:00.000Z' },
});
const ids = (report: ScanReport, decisions: CaseDecisions | null) => generateChecklist(report, null, decisions).map((step) => step.id);

describe('the plan follows the remove-or-patch decision', () => {
  it('keeps the teardown plan when the owner decides to remove the gateway: the same steps as with no decision', () => {
    expect(ids(sampleLabReport(), decided('remove'))).toEqual(ids(sampleLabReport(), null));
    expect(ids(sampleLabReport(), decided('remove'))).toEqual(
      expect.arrayContaining([
        'teardown:remove-container:gw/litellm',
        'clean-up:ingress:gw/litellm',
        `teardown:move-consumer:gw/open-webui:gw/litellm`,
      ]),
    );
  });

  it('replaces the removal of a patched gateway with an upgrade and a re-deploy pinned by digest, in Eradicate', () => {
    // Act
    const steps = generateChecklist(sampleLabReport(), null, decided('patch'));

    // Assert
    const stepIds = steps.map((step) => step.id);
    expect(stepIds).not.toContain('teardown:remove-container:gw/litellm');
    expect(stepIds.some((id) => id.startsWith('teardown:remove-image:gw/litellm'))).toBe(false);
    expect(stepIds).not.toContain('clean-up:ingress:gw/litellm');
    const upgrade = steps.find((step) => step.id === 'eradicate:upgrade:gw/litellm')!;
    const redeploy = steps.find((step) => step.id === 'eradicate:redeploy-pinned:gw/litellm')!;
    expect(upgrade).toMatchObject({ phase: 'eradicate', title: 'Upgrade litellm in litellm on gw to a release after 1.82.8', blockedBy: ['contain:isolate-host:gw'] });
    expect(redeploy).toMatchObject({ phase: 'eradicate', title: 'Re-deploy litellm on gw from the new image, pinned by digest', verification: 'rescan' });
    expect(redeploy.blockedBy).toEqual(['contain:isolate-host:gw', 'eradicate:upgrade:gw/litellm']);
    expect(stepIds.indexOf(upgrade.id)).toBeLessThan(stepIds.indexOf(redeploy.id));
  });

  it('names the release from the advisory when it has none fixed: after the last affected version, and the maintainers\' clean release', () => {
    const upgrade = generateChecklist(sampleLabReport(), null, decided('patch')).find((step) => step.id === 'eradicate:upgrade:gw/litellm')!;

    expect(upgrade.detail).toContain('names no fixed release: its range ends with 1.82.8 as the last affected version');
    expect(upgrade.detail).toContain('1.83.0 (30 March 2026)');
    expect(upgrade.detail).toContain('do not pip install inside the running container');
  });

  it('names the fixed version when the advisory gives one', () => {
    // Arrange: the gateway container carries ultralytics 8.3.41, which PYSEC-2024-154 says is fixed in 8.3.47.
    const report = sampleLabReport();
    const litellm = report.findings.find((finding) => finding.kind === 'compromised-package' && finding.container === SAMPLE.litellmContainer)!;
    Object.assign(litellm, { package: 'ultralytics', version: '8.3.41', advisories: ['PYSEC-2024-154'] });

    const upgrade = generateChecklist(report, null, decided('patch')).find((step) => step.id === 'eradicate:upgrade:gw/litellm')!;

    expect(upgrade.title).toBe('Upgrade ultralytics in litellm on gw to 8.3.47 or later');
    expect(upgrade.detail).toContain('PYSEC-2024-154 says ultralytics is fixed in 8.3.47');
  });

  it('keeps the rotation after the re-deploy, and puts the new keys back in the patched gateway after it', () => {
    const steps = generateChecklist(sampleLabReport(), null, decided('patch'));
    const order = steps.map((step) => step.id);
    const rotate = steps.find((step) => step.id === 'rotate:container-keys:gw/litellm')!;
    const replace = steps.find((step) => step.key?.role === 'replace' && step.key.fingerprint.startsWith('openai:'))!;

    expect(rotate.blockedBy).toContain('eradicate:redeploy-pinned:gw/litellm');
    expect(order.indexOf(rotate.id)).toBeGreaterThan(order.indexOf('eradicate:redeploy-pinned:gw/litellm'));
    expect(replace.blockedBy).toContain('eradicate:redeploy-pinned:gw/litellm');
    // The gateway stays: its place is no longer one "removed by" a step.
    expect(replace.removedLocations ?? []).toEqual([]);
    expect(replace.locations?.some((location) => location.container === SAMPLE.litellmContainer)).toBe(true);
  });

  it('gives each consumer of a patched gateway a new key instead of moving it, after the rotation', () => {
    const steps = generateChecklist(sampleLabReport(), null, decided('patch'));

    expect(steps.filter((step) => step.id.startsWith('teardown:move-consumer:'))).toEqual([]);
    const rekeys = steps.filter((step) => step.id.startsWith('recover:rekey-consumer:'));
    expect(rekeys.map((step) => step.title)).toEqual([
      'Give open-webui on gw a new key for the patched litellm on gw',
      'Give ollama a new key for the patched litellm on gw',
      'Give summarizer.service on nodocker a new key for the patched litellm on gw',
    ]);
    expect(rekeys.every((step) => step.phase === 'recover' && step.blockedBy?.includes('rotate:container-keys:gw/litellm'))).toBe(true);
  });

  it('says in the isolate step that consumers get new keys once the gateway is patched', () => {
    const isolate = (decisions: CaseDecisions | null) => generateChecklist(sampleLabReport(), null, decisions).find((step) => step.id === 'contain:isolate-host:gw')!;

    expect(isolate(decided('patch')).detail).toContain('each gets a new key in Recover once it is patched');
    expect(isolate(decided('remove')).detail).toContain('each is moved in Recover');
  });

  it('patches a gateway judged not exposed in place, without retiring it', () => {
    // Arrange: litellm 1.82.6 (not affected) in the gateway: no compromised-package finding, a not-exposed verdict.
    const report = labWithGatewayNotExposed();

    // Act
    const removed = ids(report, decided('remove'));
    const patched = generateChecklist(report, null, decided('patch'));

    // Assert
    expect(removed).toContain('recover:retire-gateway:gw/litellm');
    expect(patched.map((step) => step.id)).not.toContain('recover:retire-gateway:gw/litellm');
    expect(patched.find((step) => step.id === 'eradicate:upgrade:gw/litellm')?.blockedBy).toBeUndefined();
    expect(patched.find((step) => step.id === 'eradicate:redeploy-pinned:gw/litellm')?.blockedBy).toEqual(['eradicate:upgrade:gw/litellm']);
  });

  it('ignores a decision for a component the report does not have', () => {
    const stray: CaseDecisions = { 'gateway:elsewhere/litellm': { decision: 'patch', reason: '', decidedAt: '2026-03-26T09:00:00.000Z' } };

    expect(ids(sampleLabReport(), stray)).toEqual(ids(sampleLabReport(), null));
  });
});
