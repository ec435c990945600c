import { describe, expect, it } from 'vitest';
import { blockersComeFirst, keyPlacesRemovedElsewhere } from '../fixtures/plan-checks.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { ConsumerFinding, ExposureVerdict, Finding, ScanReport } from '../model/index.js';
import { PLAN_PHASES, generateChecklist, mergeProgress, type ChecklistStep } from './checklist.js';
import { arrangePlan } from './plan-order.js';

const openai = encodeURIComponent(LAB.openaiKey);
const anthropic = encodeURIComponent(LAB.anthropicKey);
const sshKey = encodeURIComponent(LAB.aliceSshKey);
const ID = {
  isolateGw: 'contain:isolate-host:gw',
  isolateNodocker: 'contain:isolate-host:nodocker',
  removeLitellm: 'teardown:remove-container:gw/litellm',
  removePackage: `teardown:remove-package:${encodeURIComponent('')}`,
  persistence: 'clean-up:persistence:nodocker:litellm',
  openaiRotate: `rotate:key-at-provider:${openai}`,
  openaiReplace: `rotate:key-replace:${openai}`,
  openaiGone: `rotate:key-gone:${openai}`,
  anthropicReplace: `rotate:key-replace:${anthropic}`,
  sshReplace: `rotate:ssh-replace:nodocker:${sshKey}`,
  retire: 'recover:retire-gateway:gw/litellm',
} as const;

function find(steps: readonly ChecklistStep[], id: string): ChecklistStep {
  const found = steps.find((step) => step.id === id);
  if (!found) throw new Error(`no step ${id} in\n${steps.map((step) => step.id).join('\n')}`);
  return found;
}

/**
 * The lab with its gateway judged not exposed: litellm on gw upgraded to the clean 1.83.0 and
 * pinned before the window (verdict not-exposed), so the gateway, its consumers and its keys are
 * no longer raised; nodocker still carries the compromised 1.82.7.
 */
function notExposedGatewayReport(): ScanReport {
  const report = sampleLabReport();
  const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
  const site = gw.pythonEnvironments.find((environment) => environment.container === SAMPLE.litellmContainer)!;
  site.packages = site.packages.map((pkg) => (pkg.name === 'litellm' ? { ...pkg, version: '1.83.0', metadataPath: `${SAMPLE.litellmSite}/litellm-1.83.0.dist-info` } : pkg));
  const exposure: ExposureVerdict = {
    host: SAMPLE.gw,
    container: SAMPLE.litellmContainer,
    path: SAMPLE.litellmSite,
    package: 'litellm',
    installedVersion: '1.83.0',
    advisories: ['MAL-2026-2144', 'PYSEC-2026-2', 'GHSA-5mg7-485q-xm76'],
    verdict: 'not-exposed',
    reasons: ['container litellm was created before the window and runs a clean release'],
    window: { id: 'litellm-2026-03-24', start: '2026-03-24T10:39:00Z', end: '2026-03-24T16:00:00Z' },
  };
  report.exposures = [exposure];
  report.findings = report.findings
    .filter((finding) => !(finding.kind === 'compromised-package' && finding.host === SAMPLE.gw))
    .map((finding): Finding => {
      if (finding.id === LAB_FINDING_IDS.gateway) return { ...finding, severity: 'info' };
      if (finding.kind === 'consumer') return { ...(finding as ConsumerFinding), severity: 'info' };
      if (finding.id === LAB_FINDING_IDS.openaiKey || finding.id === LAB_FINDING_IDS.anthropicKey) return { ...finding, severity: 'medium' };
      return finding;
    });
  return report;
}

describe('the plan for an exposed gateway (the lab)', () => {
  const steps = () => generateChecklist(sampleLabReport());

  it('cuts the gateway host off first, then eradicates, rotates, verifies and recovers, in that order', () => {
    const plan = steps();

    expect(plan.map((step) => [step.phase, step.title])).toEqual([
      ['contain', 'Isolate gw and block egress to models.litellm.cloud and checkmarx.zone'],
      ['contain', 'Isolate nodocker and block egress to models.litellm.cloud and checkmarx.zone'],
      ['contain', "Remove SSH key SHA256:n3VfY0yq… from root's authorized_keys on ollama"],
      ['eradicate', 'Stop and remove container litellm on gw'],
      ['eradicate', `Remove its image ${SAMPLE.litellmImage} (${SAMPLE.litellmDigest}) from gw`],
      ['eradicate', 'Remove the ingress route and tunnels that served litellm on gw'],
      ['eradicate', `Remove litellm 1.82.7 from ${SAMPLE.aliceUserSite} on nodocker`],
      ['eradicate', 'Look for and remove the sysmon.service persistence on nodocker'],
      ['rotate', 'Rotate the other secrets container litellm on gw could read'],
      ['rotate', 'Rotate the other credentials readable on nodocker'],
      ['rotate', 'Rotate the OpenAI key 3f2a9c1b…Qx7a at OpenAI'],
      ['rotate', 'Put the new key in every place the old OpenAI key 3f2a9c1b…Qx7a stays (1 place; 1 removed by the plan)'],
      ['rotate', 'Rotate the Anthropic key 8b0e51d2…k2Lm at Anthropic'],
      ['rotate', 'Do not put the new key back where the old Anthropic key 8b0e51d2…k2Lm was (1 place, all removed by the plan)'],
      ['rotate', 'Replace SSH key SHA256:n3VfY0yq… on nodocker'],
      ['verify', 'Verify the old OpenAI key 3f2a9c1b…Qx7a is gone'],
      ['verify', 'Verify the old Anthropic key 8b0e51d2…k2Lm is gone'],
      ['recover', 'Move open-webui on gw off litellm on gw'],
      ['recover', 'Move ollama off litellm on gw'],
      ['recover', `Move ${LAB.consumerUnit} on nodocker off litellm on gw`],
      ['recover', 'Verify that litellm gateway litellm on gw is torn down completely'],
    ]);
    expect(blockersComeFirst(plan)).toEqual([]);
  });

  it('rotates a key only after the host that exposed it is cut off, and puts the new one back only after the gateway is removed', () => {
    const plan = steps();

    expect(find(plan, ID.openaiRotate).blockedBy).toEqual([ID.isolateGw]);
    expect(find(plan, ID.openaiReplace).blockedBy).toEqual([ID.openaiRotate, ID.isolateGw, ID.removeLitellm]);
    expect(find(plan, ID.openaiReplace).blockedReason).toContain('stolen again');
    expect(find(plan, ID.openaiGone).blockedBy).toEqual([ID.openaiReplace, ID.removeLitellm]);
  });

  it('replaces the SSH key on nodocker only after nodocker is cut off and the package and its persistence are gone', () => {
    const plan = steps();
    const removePackage = plan.find((step) => step.id.startsWith('teardown:remove-package:') && step.host === SAMPLE.nodocker)!.id;

    expect(find(plan, ID.sshReplace).blockedBy).toEqual([ID.isolateNodocker, removePackage, ID.persistence]);
  });

  it('lists no place another step removes in any "put the new key" step, and names the step that removes it', () => {
    const plan = steps();

    expect(keyPlacesRemovedElsewhere(plan)).toEqual([]);
    expect(find(plan, ID.anthropicReplace)).toMatchObject({ locations: [], removedLocations: [{ stepId: ID.removeLitellm }] });
    expect(find(plan, ID.anthropicReplace).detail).toContain('removed by Eradicate step 1 (Stop and remove container litellm on gw); do not put the new key here');
  });

  it('moves each consumer after the exposed gateway is cut off, and says the consumers may break meanwhile', () => {
    const plan = steps();
    const moves = plan.filter((step) => step.gone?.kind === 'consumer');

    expect(moves.map((step) => [step.phase, step.blockedBy])).toEqual(moves.map(() => ['recover', [ID.isolateGw]]));
    expect(find(plan, ID.isolateGw).detail).toContain(`open-webui on gw, ollama and ${LAB.consumerUnit} on nodocker may break until then`);
  });

  it('has one step per thing: no summary step beside the per-consumer and per-key steps', () => {
    const titles = steps().map((step) => step.title);

    expect(titles.filter((title) => /every consumer|Rotate every key|every credential/.test(title))).toEqual([]);
    expect(new Set(titles).size).toBe(titles.length);
  });
});

describe('the plan for a gateway judged not exposed', () => {
  const steps = () => generateChecklist(notExposedGatewayReport());

  it('migrates the consumers first, without waiting for any containment, and removes the gateway after the last one', () => {
    const plan = steps();
    const moves = plan.filter((step) => step.gone?.kind === 'consumer');
    const retire = find(plan, ID.retire);

    expect(plan.some((step) => step.id === ID.isolateGw || step.id === ID.removeLitellm)).toBe(false);
    expect(moves.map((step) => [step.phase, step.blockedBy])).toEqual(moves.map((step) => ['recover', undefined]));
    expect(retire).toMatchObject({ phase: 'recover', blockedBy: moves.map((step) => step.id), verification: 'rescan' });
    expect(plan.indexOf(retire)).toBeGreaterThan(Math.max(...moves.map((step) => plan.indexOf(step))));
    expect(blockersComeFirst(plan)).toEqual([]);
  });

  it('rotates its keys without waiting for a containment it does not need, and never puts the new key in the gateway it removes', () => {
    const plan = steps();

    expect(find(plan, ID.openaiRotate).blockedBy).toBeUndefined();
    expect(find(plan, ID.openaiReplace).blockedBy).toEqual([ID.openaiRotate]);
    expect(find(plan, ID.openaiReplace).removedLocations).toEqual([expect.objectContaining({ stepId: ID.retire })]);
    expect(find(plan, ID.openaiReplace).detail).toContain('removed by Recover step 4 (Remove gateway litellm on gw once its consumers have moved)');
    expect(keyPlacesRemovedElsewhere(plan)).toEqual([]);
  });

  it('still contains and cleans nodocker, which carries the compromised release', () => {
    const plan = steps();

    expect(plan.filter((step) => step.phase === 'contain').map((step) => step.id)).toContain(ID.isolateNodocker);
    expect(PLAN_PHASES.indexOf(find(plan, ID.sshReplace).phase)).toBeGreaterThan(PLAN_PHASES.indexOf('eradicate'));
  });
});

describe('a host whose only evidence of compromise is an IOC', () => {
  /** The lab with nodocker's compromised package gone (removed by hand, say) but its sysmon persistence still found. */
  function iocOnlyReport(): ScanReport {
    const report = sampleLabReport();
    report.findings = report.findings.filter((finding) => !(finding.kind === 'compromised-package' && finding.host === SAMPLE.nodocker));
    report.exposures = (report.exposures ?? []).filter((exposure) => exposure.host !== SAMPLE.nodocker);
    const ioc = {
      id: 'ioc:nodocker:host:litellm-sysmon-unit:/home/lab-blast/.config/systemd/user/sysmon.service',
      kind: 'ioc',
      severity: 'critical',
      title: 'sysmon.service persistence on nodocker',
      host: SAMPLE.nodocker,
      container: null,
      evidence: [],
      rule: 'litellm-sysmon-unit',
      ruleKind: 'systemd-unit',
      path: '/home/lab-blast/.config/systemd/user/sysmon.service',
      unit: 'sysmon.service',
      source: 'LiteLLM blog security-update-march-2026 (primary)',
    } as Finding;
    report.findings = [...report.findings, ioc];
    return report;
  }

  it('is cut off first, and the SSH key found there is replaced only after that', () => {
    const plan = generateChecklist(iocOnlyReport());

    const isolate = find(plan, ID.isolateNodocker);
    expect(isolate).toMatchObject({ phase: 'contain', contains: { host: SAMPLE.nodocker, container: null } });
    expect(isolate.findingIds).toContain('ioc:nodocker:host:litellm-sysmon-unit:/home/lab-blast/.config/systemd/user/sysmon.service');
    expect(find(plan, ID.sshReplace).blockedBy).toContain(ID.isolateNodocker);
    expect(blockersComeFirst(plan)).toEqual([]);
  });
});

describe('blocked steps in the merged plan', () => {
  it('blocks a step until every step it waits for is done, and still lets it be ticked', () => {
    const report = sampleLabReport();
    const steps = generateChecklist(report);
    const at = '2026-03-25T09:00:00.000Z';
    const tick = { done: true, note: '', updatedAt: at, doneAt: at };

    const none = mergeProgress(steps, {});
    const partly = mergeProgress(steps, { [ID.openaiRotate]: tick, [ID.isolateGw]: tick });
    const all = mergeProgress(steps, { [ID.openaiRotate]: tick, [ID.isolateGw]: tick, [ID.removeLitellm]: tick });
    const early = mergeProgress(steps, { [ID.openaiReplace]: tick });

    expect(find(none.steps, ID.openaiReplace)).toMatchObject({ blocked: true, waitsFor: [ID.openaiRotate, ID.isolateGw, ID.removeLitellm] });
    expect(find(partly.steps, ID.openaiReplace)).toMatchObject({ blocked: true, waitsFor: [ID.removeLitellm] });
    expect(find(all.steps, ID.openaiReplace)).toMatchObject({ blocked: false, waitsFor: [] });
    expect(find(early.steps, ID.openaiReplace)).toMatchObject({ done: true, blocked: true });
    expect(find(none.steps, ID.isolateGw)).toMatchObject({ blocked: false, waitsFor: [] });
  });
});

describe('text derived from the finding it is about', () => {
  /** nodocker with telnyx 4.87.1 (27 March) in alice's user site instead of litellm. */
  function telnyxReport(): ScanReport {
    const report = sampleLabReport();
    report.findings = report.findings.map((finding): Finding =>
      finding.kind === 'compromised-package' && finding.host === SAMPLE.nodocker
        ? { ...finding, package: 'telnyx', version: '4.87.1', advisories: ['MAL-2026-2254', 'PYSEC-2026-3', 'GHSA-955r-262c-33jc'], title: 'telnyx 4.87.1 on nodocker' }
        : finding,
    );
    return report;
  }

  it('speaks of telnyx, its own persistence and its own window in the telnyx steps, never of litellm', () => {
    // nodocker's own steps; moving its consumer off the litellm gateway on gw is about litellm and stays so.
    const plan = generateChecklist(telnyxReport()).filter((step) => step.host === SAMPLE.nodocker && step.container === null && !step.key && !step.gone);
    const removal = plan.find((step) => step.id.startsWith('teardown:remove-package:'))!;

    expect(removal.detail).toContain('cron job running telnyx');
    expect(plan.map((step) => `${step.title}\n${step.detail}`).join('\n')).not.toMatch(/litellm/i);
    expect(find(plan, ID.isolateNodocker).detail).toContain('since 27 March 2026 00:00 UTC');
    expect(plan.map((step) => step.title)).toContain('Look for and remove the audiomon.service persistence on nodocker');
  });

  it("searches a key's usage from the window of the compromise on the hosts it was on", () => {
    const plan = generateChecklist(telnyxReport());

    expect(find(plan, ID.openaiRotate).detail).toContain('since 24 March 2026 10:39 UTC');
    expect(find(plan, ID.isolateGw).detail).toContain('since 24 March 2026 10:39 UTC');
  });

  it('uses the window the report judged with, as the user narrowed it', () => {
    const report = sampleLabReport();
    report.exposures = [
      {
        host: SAMPLE.gw,
        container: SAMPLE.litellmContainer,
        path: SAMPLE.litellmSite,
        package: 'litellm',
        installedVersion: '1.82.8',
        advisories: ['MAL-2026-2144'],
        verdict: 'exposed',
        reasons: [],
        window: { id: 'litellm-2026-03-24', start: '2026-03-24T11:00:00Z', end: '2026-03-24T11:19:00Z' },
      },
    ];

    expect(find(generateChecklist(report), ID.isolateGw).detail).toContain('since 24 March 2026 11:00 UTC');
  });
});

describe('arrangePlan order within a phase', () => {
  const step = (id: string, phase: ChecklistStep['phase'], blockedBy?: string[]): ChecklistStep => ({
    id,
    phase,
    title: id,
    detail: '',
    host: 'h',
    container: null,
    findingIds: [],
    ...(blockedBy ? { blockedBy, blockedReason: 'waits' } : {}),
  });

  it("keeps the builders' order, moves a step after the same-phase steps it waits for, and breaks a cycle at the first step left", () => {
    const [first, second] = [PLAN_PHASES[0]!, PLAN_PHASES[1]!];
    const steps = [
      step('a', first, ['c']),
      step('b', first),
      step('c', first, ['d']),
      step('d', first),
      step('later', second),
      step('x', second, ['y']),
      step('y', second, ['x']),
      step('z', second, ['z']),
      step('early', first, ['later']),
    ];

    const plan = arrangePlan(steps, { hosts: [], findings: [] });

    expect(plan.map((entry) => entry.id)).toEqual(['b', 'd', 'c', 'a', 'early', 'later', 'z', 'x', 'y']);
    // A step waiting only for itself is free; a blocker the plan puts in a later phase is dropped; a broken cycle keeps the wait it can honour.
    expect(plan.find((entry) => entry.id === 'early')!.blockedBy).toBeUndefined();
    expect(plan.find((entry) => entry.id === 'y')!.blockedBy).toEqual(['x']);
    expect(plan.find((entry) => entry.id === 'x')!.blockedBy).toBeUndefined();
  });
});
