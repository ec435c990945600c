import { describe, expect, it } from 'vitest';
import { mergeIntoLedger, type CaseLedger } from '../case/ledger.js';
import { PLAN_PHASES, CONSUMER_TARGETS, checklistSummary, generateChecklist, mergeProgress, type ChecklistStep, type MergedChecklist } from './checklist.js';
import type { StepProgress } from '../ipc/contract.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport, sampleReport, sampleWatchtower } from '../fixtures/sample-report.js';
import { findContainerRisks } from '../findings/container-risks.js';
import type { Container, Finding, ScanReport } from '../model/index.js';

/** The lab's watchtower on gw: the Docker socket, no label mode, so it re-pulls every running container. */
/** The sample with watchtower and a compose-deployed litellm on gw; its deployment findings come from the real finder. */
function deploymentReport(): ScanReport {
  const report = sampleReport();
  const gw = report.hosts[0]!;
  gw.containers.push(sampleWatchtower());
  Object.assign(gw.containers[0]!, {
    pinnedByDigest: false,
    repoDigests: [`ghcr.io/berriai/litellm@${SAMPLE.litellmDigest}`],
    compose: {
      project: 'gateway',
      service: 'litellm',
      workingDir: '/srv/gateway',
      configFiles: ['/srv/gateway/compose.yaml'],
      image: 'ghcr.io/berriai/litellm:main-latest',
      imagePinnedByDigest: false,
      envFiles: [],
    },
  } satisfies Partial<Container>);
  const findings: Finding[] = [...report.findings, ...findContainerRisks(report.hosts, report.findings)];
  return { ...report, findings };
}

function progress(done: boolean, at = '2026-03-25T09:00:00.000Z', note = ''): StepProgress {
  return { done, note, updatedAt: at, doneAt: done ? at : null };
}

function titles(steps: readonly ChecklistStep[]): string[] {
  return steps.map((step) => step.title);
}

describe('generateChecklist', () => {
  it('generates the container steps for the compromised litellm container', () => {
    const report = sampleReport();

    const steps = generateChecklist(report).filter((step) => step.container === SAMPLE.litellmContainer);

    // Phase order: eradicate (container, image, ingress), rotate, then recover (no consumer was identified, so finding them is a step).
    expect(titles(steps)).toEqual([
      'Stop and remove container litellm on gw',
      `Remove its image ${SAMPLE.litellmImage} (${SAMPLE.litellmDigest}) from gw`,
      'Remove the ingress route and tunnels that served litellm on gw',
      'Rotate every key container litellm on gw held',
      'Find the consumers of litellm on gw and move each off it',
    ]);
    expect(steps.every((step) => step.host === SAMPLE.gw)).toBe(true);
  });

  it('generates the host steps for litellm in a user site, with a removal command that starts no Python', () => {
    const report = sampleReport();

    const steps = generateChecklist(report).filter((step) => step.host === SAMPLE.nodocker);

    expect(titles(steps)).toEqual([
      'Isolate nodocker and block egress to models.litellm.cloud and checkmarx.zone',
      `Remove litellm 1.82.7 from ${SAMPLE.aliceUserSite} on nodocker`,
      'Look for and remove the sysmon.service persistence on nodocker',
      'Rotate every credential readable on nodocker',
    ]);
    const removal = steps[1]!;
    expect(removal).toMatchObject({ phase: 'eradicate', container: null, verification: 'rescan' });
    expect(removal.command).toBe(
      `cd -- ${SAMPLE.aliceUserSite} && rm -f -- litellm_init.pth && rm -rf -- litellm litellm-1.82.7.dist-info`,
    );
    const programs = removal.command!.split(/&&|;|\|\|/).map((segment) => segment.trim().split(' ')[0]);
    expect(programs).toEqual(['cd', 'rm', 'rm']);
  });

  it('starts with isolating each host and blocking the litellm egress domains', () => {
    const report = sampleReport();

    const steps = generateChecklist(report);

    expect(steps.slice(0, 2).map((step) => [step.phase, step.title])).toEqual([
      ['contain', 'Isolate gw and block egress to models.litellm.cloud and checkmarx.zone'],
      ['contain', 'Isolate nodocker and block egress to models.litellm.cloud and checkmarx.zone'],
    ]);
  });

  it('orders the steps by phase: contain, eradicate, rotate, verify, recover, harden', () => {
    const report = deploymentReport();
    report.findings.push(...sampleLabReport().findings.filter((finding) => finding.kind === 'secret'));

    const phases = generateChecklist(report).map((step) => step.phase);

    const ranks = phases.map((phase) => PLAN_PHASES.indexOf(phase));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(phases)).toEqual(new Set(PLAN_PHASES));
  });

  it('gives the same step ids for two reports with the same findings', () => {
    const first = sampleReport();
    const second: ScanReport = { ...sampleReport(), scannedAt: '2026-03-26T07:00:00.000Z' };
    second.hosts.reverse();

    const ids = (report: ScanReport) => generateChecklist(report).map((step) => step.id);

    expect(ids(second)).toEqual(ids(first));
    expect(ids(first)).toContain('teardown:remove-container:gw/litellm');
  });

  it('gives a new image step id when the container now runs another digest', () => {
    const first = sampleReport();
    const second = sampleReport();
    second.hosts[0]!.containers[0]!.imageDigest = 'sha256:0000000000000000000000000000000000000000000000000000000000000000';

    const imageStep = (report: ScanReport) => generateChecklist(report).find((step) => step.id.startsWith('teardown:remove-image:'))!;

    expect(imageStep(second).id).not.toBe(imageStep(first).id);
  });

  it('generates one set of steps per container however many of its packages are flagged', () => {
    const report = sampleReport();
    const lead = report.findings[0]!;
    report.findings.splice(1, 0, { ...lead, id: `${lead.id}#telnyx`, package: 'telnyx', version: '4.87.1', severity: 'critical' });

    const steps = generateChecklist(report).filter((step) => step.container === SAMPLE.litellmContainer);

    expect(steps).toHaveLength(5);
    expect(new Set(steps.map((step) => step.id)).size).toBe(5);
    for (const step of steps) expect(step.findingIds).toEqual([lead.id, `${lead.id}#telnyx`]);
  });

  it('generates one credential step per host but one removal per flagged package', () => {
    const report = sampleReport();
    const lead = report.findings[1]!;
    const otherPath = '/opt/tools/venv/lib/python3.11/site-packages';
    report.findings.push({ ...lead, id: `${lead.id}#venv`, path: otherPath });

    const steps = generateChecklist(report).filter((step) => step.host === SAMPLE.nodocker);

    expect(steps.filter((step) => step.phase === 'rotate')).toHaveLength(1);
    expect(titles(steps.filter((step) => step.id.startsWith('teardown:remove-package:')))).toEqual([
      `Remove litellm 1.82.7 from ${SAMPLE.aliceUserSite} on nodocker`,
      `Remove litellm 1.82.7 from ${otherPath} on nodocker`,
    ]);
    expect(steps.find((step) => step.phase === 'rotate')?.detail).toContain('system folder');
  });

  it('single-quotes a hostile path in the removal command', () => {
    const report = sampleReport();
    const path = "/home/alice/it's here; rm -rf ~/site-packages";
    report.findings = [{ ...report.findings[1]!, path }];

    const removal = generateChecklist(report).find((step) => step.id.startsWith('teardown:remove-package:'))!;

    expect(removal.command).toBe(
      `cd -- '/home/alice/it'\\''s here; rm -rf ~/site-packages' && rm -f -- litellm_init.pth && rm -rf -- litellm litellm-1.82.7.dist-info`,
    );
  });

  it('removes the image by digest, falling back from a repo digest to the image id', () => {
    const report = sampleReport();

    const image = generateChecklist(report).find((step) => step.id.startsWith('teardown:remove-image:'))!;

    expect(image.command).toBe(
      `docker image rm ghcr.io/berriai/litellm@${SAMPLE.litellmDigest} 2>/dev/null || docker image rm ${SAMPLE.litellmDigest}`,
    );
  });

  it('keeps step ids within the 500 characters the checklist channel accepts', () => {
    const report = sampleReport();
    report.findings = [{ ...report.findings[1]!, id: `compromised-package:nodocker:host:/${'deep/'.repeat(120)}:litellm@1.82.7` }];

    const steps = generateChecklist(report);

    expect(Math.max(...steps.map((step) => step.id.length))).toBeLessThanOrEqual(500);
    expect(generateChecklist(report).map((step) => step.id)).toEqual(steps.map((step) => step.id));
  });

  it('stops watchtower from updating the flagged gateway container, and only that one', () => {
    const report = deploymentReport();

    const steps = generateChecklist(report).filter((step) => step.id.startsWith('contain:stop-updater:'));

    expect(steps.map((step) => [step.id, step.title, step.verification])).toEqual([
      ['contain:stop-updater:gw/watchtower/litellm', 'Stop watchtower from updating litellm on gw', 'rescan'],
    ]);
    expect(steps[0]!.detail).toContain('com.centurylinklabs.watchtower.enable=false');
    expect(steps[0]!.detail).toContain('/srv/gateway/compose.yaml');
    expect(steps[0]!.findingIds).toEqual(['auto-updater:gw:container=watchtower']);
  });

  it('puts stopping the updater right after isolating the hosts', () => {
    const steps = generateChecklist(deploymentReport());

    expect(steps.filter((step) => step.phase === 'contain').map((step) => step.id)).toEqual([
      'contain:isolate-host:gw',
      'contain:isolate-host:nodocker',
      'contain:stop-updater:gw/watchtower/litellm',
    ]);
  });

  it('asks to pin the flagged gateway by the digest of a clean build, naming its compose file', () => {
    const steps = generateChecklist(deploymentReport());

    const pins = steps.filter((step) => step.id.startsWith('clean-up:pin-digest:'));

    expect(pins.map((step) => [step.id, step.title, step.verification])).toEqual([
      ['clean-up:pin-digest:gw/litellm', 'Pin service litellm on gw by digest', 'rescan'],
    ]);
    expect(pins[0]!.detail).toContain('In /srv/gateway/compose.yaml, change service litellm\'s image: ghcr.io/berriai/litellm:main-latest');
    expect(pins[0]!.detail).toContain(`Not the digest it runs now (ghcr.io/berriai/litellm@${SAMPLE.litellmDigest})`);
  });

  it('offers the current RepoDigest as the pin for an unflagged gateway image', () => {
    const report = deploymentReport();
    report.findings = report.findings.filter((finding) => finding.kind !== 'compromised-package');

    const pin = generateChecklist(report).find((step) => step.id === 'clean-up:pin-digest:gw/litellm')!;

    expect(pin.detail).toContain(`to image: ghcr.io/berriai/litellm@${SAMPLE.litellmDigest}`);
  });

  it('leaves mutable tags of containers that hold nothing flagged and run no gateway to the findings', () => {
    const steps = generateChecklist(deploymentReport());

    expect(steps.some((step) => step.container === SAMPLE.openWebuiContainer)).toBe(false);
    expect(steps.some((step) => step.id.startsWith('clean-up:pin-digest:gw/watchtower'))).toBe(false);
  });

  it('asks to review the Docker socket mount of watchtower, as a manual harden step at the end', () => {
    const steps = generateChecklist(deploymentReport());

    const last = steps[steps.length - 1]!;
    expect(last).toMatchObject({
      id: 'clean-up:review-socket:gw/watchtower',
      title: 'Review why watchtower mounts the Docker socket on gw',
      phase: 'harden',
      verification: 'manual',
      findingIds: ['docker-socket-mount:gw:container=watchtower'],
    });
  });

  it('generates each deployment step once, with stable ids, whatever the order of findings and containers', () => {
    const first = deploymentReport();
    const second = deploymentReport();
    second.findings.reverse();
    second.hosts[0]!.containers.reverse();

    const ids = (report: ScanReport) => generateChecklist(report).map((step) => step.id).sort();

    expect(ids(second)).toEqual(ids(first));
    expect(new Set(ids(first)).size).toBe(ids(first).length);
  });

  it('stops no updater that only notifies', () => {
    const report = sampleReport();
    report.hosts[0]!.containers.push({ ...sampleWatchtower(), autoUpdater: { updater: 'watchtower', settings: { WATCHTOWER_MONITOR_ONLY: 'true' }, args: [] } });
    const findings: Finding[] = [...report.findings, ...findContainerRisks(report.hosts, report.findings)];

    const steps = generateChecklist({ ...report, findings });

    expect(steps.some((step) => step.id.startsWith('contain:stop-updater:'))).toBe(false);
  });

  it('generates nothing for a report without findings', () => {
    const report = sampleReport();
    report.findings = [];

    expect(generateChecklist(report)).toEqual([]);
  });
});

describe('mergeProgress', () => {
  it('applies progress by step id and keeps progress of steps that no longer exist as orphans', () => {
    const steps = generateChecklist(sampleReport());
    const removeContainer = 'teardown:remove-container:gw/litellm';
    const recorded = {
      [removeContainer]: progress(true, '2026-03-25T09:00:00.000Z', 'docker rm done'),
      'teardown:remove-container:gw/old-gateway': progress(true, '2026-03-20T10:00:00.000Z', 'from an earlier scan'),
    };

    const merged = mergeProgress(steps, recorded);

    expect(merged.steps.find((step) => step.id === removeContainer)).toMatchObject({ done: true, progress: recorded[removeContainer] });
    expect(merged.steps.filter((step) => step.done)).toHaveLength(1);
    expect(merged.orphanedProgress).toEqual([
      { stepId: 'teardown:remove-container:gw/old-gateway', progress: recorded['teardown:remove-container:gw/old-gateway'] },
    ]);
  });

  it('keeps progress across a re-scan that finds the same things', () => {
    const before = generateChecklist(sampleReport());
    const recorded = Object.fromEntries(before.map((step) => [step.id, progress(true)]));
    const rescanned: ScanReport = { ...sampleReport(), scannedAt: '2026-03-26T07:00:00.000Z' };
    const after = generateChecklist(rescanned);

    const merged = mergeProgress(after, recorded);

    expect(merged.steps.every((step) => step.done)).toBe(true);
    expect(merged.orphanedProgress).toEqual([]);
  });

  it('flags a rescan step ticked before a scan that still finds what it removes', () => {
    const steps = generateChecklist(sampleReport());
    const recorded = {
      'teardown:remove-container:gw/litellm': progress(true, '2026-03-25T09:00:00.000Z'),
      [steps.find((step) => step.id.startsWith('teardown:remove-image:'))!.id]: progress(true, '2026-03-25T09:00:00.000Z'),
    };

    const merged = mergeProgress(steps, recorded, { scannedAt: '2026-03-26T07:00:00.000Z' });

    expect(merged.steps.filter((step) => step.stillFound).map((step) => step.id)).toEqual(['teardown:remove-container:gw/litellm']);
  });

  it('ignores inherited object keys as progress', () => {
    const steps: ChecklistStep[] = [{ ...generateChecklist(sampleReport())[0]!, id: 'constructor' }];

    const merged = mergeProgress(steps, {});

    expect(merged.steps[0]).toMatchObject({ done: false, progress: null });
  });
});

describe('checklistSummary', () => {
  it('counts done steps overall and per phase, every phase present in order', () => {
    const steps = generateChecklist(sampleReport());
    const recorded = {
      'contain:isolate-host:gw': progress(true),
      'contain:isolate-host:nodocker': progress(false),
      'rotate:container-keys:gw/litellm': progress(true),
      'orphan:step': progress(true),
    };

    const summary = checklistSummary(steps, recorded);

    expect(summary).toEqual({
      total: 10,
      done: 2,
      byPhase: [
        { phase: 'contain', total: 2, done: 1, remaining: 1 },
        { phase: 'eradicate', total: 5, done: 0, remaining: 5 },
        { phase: 'rotate', total: 2, done: 1, remaining: 1 },
        { phase: 'verify', total: 0, done: 0, remaining: 0 },
        { phase: 'recover', total: 1, done: 0, remaining: 1 },
        { phase: 'harden', total: 0, done: 0, remaining: 0 },
      ],
    });
  });
});

describe('cached compromised artifacts', () => {
  it('asks to purge a cached compromised wheel, verified by a re-scan', () => {
    const report = sampleReport() as unknown as ScanReport;
    const path = '/home/alice/.cache/pip/wheels/3f/litellm-1.82.8-py3-none-any.whl';
    report.findings = [
      { id: `cached-compromised-artifact:nodocker:host:${path}`, kind: 'cached-compromised-artifact', severity: 'critical', title: 'litellm 1.82.8 in alice\'s pip wheel cache', host: 'nodocker', container: null, evidence: [], path, package: 'litellm', version: '1.82.8' },
    ];

    const [step] = generateChecklist(report);

    expect(step).toMatchObject({ phase: 'eradicate', title: 'Purge litellm 1.82.8 from the cache on nodocker', verification: 'rescan', command: `rm -rf -- ${path}` });
  });
});

describe('checklist steps for keys, consumers and SSH paths', () => {
  const labSteps = () => generateChecklist(sampleLabReport());
  const step = <S extends ChecklistStep>(steps: readonly S[], id: string): S => {
    const found = steps.find((candidate) => candidate.id === id);
    if (!found) throw new Error(`no step ${id} in ${steps.map((candidate) => candidate.id).join('\n')}`);
    return found;
  };
  const openaiGone = `rotate:key-gone:${encodeURIComponent(LAB.openaiKey)}`;
  const ticked = (at: string, extra: Partial<StepProgress> = {}): StepProgress => ({ done: true, note: '', updatedAt: at, doneAt: at, ...extra });
  /** The lab re-scanned at `scannedAt`, with the OpenAI key removed from gw (both places). */
  const rescanWithoutOpenaiKey = (scannedAt: string) => {
    const report = sampleLabReport();
    report.scannedAt = scannedAt;
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.secrets = gw.secrets!.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    return report;
  };
  const mergeFor = (report: ScanReport, progress: Record<string, StepProgress>) =>
    mergeProgress(generateChecklist(report), progress, { scannedAt: report.scannedAt, hosts: report.hosts });

  it('asks to rotate each API key at its provider, linking the provider key page', () => {
    const rotate = step(labSteps(), `rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`);

    expect(rotate).toMatchObject({ phase: 'rotate', verification: 'manual', link: { url: 'https://platform.openai.com/api-keys' } });
    expect(rotate.title).toBe('Rotate the OpenAI key 3f2a9c1b…Qx7a at OpenAI');
  });

  it('lists every place a key must be replaced in, with host, container, source and variable, and sets aside the place the plan removes', () => {
    const replace = step(labSteps(), `rotate:key-replace:${encodeURIComponent(LAB.openaiKey)}`);

    expect(replace.locations).toEqual([{ host: SAMPLE.gw, container: null, source: 'env-file', path: LAB.envFile, variable: 'OPENAI_API_KEY' }]);
    expect(replace.removedLocations).toEqual([
      {
        location: { host: SAMPLE.gw, container: SAMPLE.litellmContainer, source: 'container-env', variable: 'OPENAI_API_KEY' },
        stepId: 'teardown:remove-container:gw/litellm',
      },
    ]);
    expect(replace.detail).toContain(`gw · host · env-file ${LAB.envFile} OPENAI_API_KEY`);
    expect(replace.detail).toContain(
      'gw · container litellm · container-env OPENAI_API_KEY: removed by Eradicate step 1 (Stop and remove container litellm on gw); do not put the new key here.',
    );
    expect(replace.title).toBe('Put the new key in every place the old OpenAI key 3f2a9c1b…Qx7a stays (1 place; 1 removed by the plan)');
  });

  it('verifies the old key gone only after a scan newer than the tick that finds its fingerprint nowhere', () => {
    const progress = { [openaiGone]: ticked('2026-03-25T09:00:00.000Z', { watchedHosts: ['gw'] }) };

    const before = mergeFor(rescanWithoutOpenaiKey('2026-03-25T08:59:00.000Z'), progress);
    const stillThere = mergeFor({ ...sampleLabReport(), scannedAt: '2026-03-25T10:00:00.000Z' }, progress);
    const after = mergeFor(rescanWithoutOpenaiKey('2026-03-25T10:00:00.000Z'), progress);

    expect(step(before.steps, openaiGone)).toMatchObject({ verified: false, stillFound: false });
    expect(step(stillThere.steps, openaiGone)).toMatchObject({ verified: false, stillFound: true });
    expect(step(after.steps, openaiGone)).toMatchObject({ verified: true, stillFound: false, notScanned: [] });
    expect(after.orphanedProgress).toEqual([]);
  });

  it('keeps the step unverified when a host the key was on could not be scanned', () => {
    const report = rescanWithoutOpenaiKey('2026-03-25T10:00:00.000Z');
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    Object.assign(gw, { status: 'unreachable', error: 'connection timed out', containers: [], pythonEnvironments: [] });
    delete gw.secrets;

    const merged = mergeFor(report, { [openaiGone]: ticked('2026-03-25T09:00:00.000Z', { watchedHosts: ['gw'] }) });

    expect(step(merged.steps, openaiGone)).toMatchObject({ verified: false, stillFound: false, notScanned: ['gw'] });
  });

  it('counts a host the case kept from before the tick as not scanned, not as still holding the key, when another host was re-scanned', () => {
    // The case after a re-scan of ollama alone at 10:00: gw's inventory (with the key) is still the one read at 08:30.
    const report = { ...sampleLabReport(), scannedAt: '2026-03-25T10:00:00.000Z' };
    for (const host of report.hosts) host.scannedAt = host.name === LAB.ollama ? report.scannedAt : SAMPLE.scannedAt;
    const rescannedGw = rescanWithoutOpenaiKey('2026-03-25T10:00:00.000Z');
    for (const host of rescannedGw.hosts) host.scannedAt = host.name === SAMPLE.gw ? rescannedGw.scannedAt : SAMPLE.scannedAt;
    const progress = { [openaiGone]: ticked('2026-03-25T09:00:00.000Z', { watchedHosts: ['gw'] }) };

    const merged = mergeFor(report, progress);
    const afterGw = mergeFor(rescannedGw, progress);

    expect(step(merged.steps, openaiGone)).toMatchObject({ verified: false, stillFound: false, notScanned: ['gw'] });
    expect(step(afterGw.steps, openaiGone)).toMatchObject({ verified: true, stillFound: false, notScanned: [] });
  });

  it('does not verify a key ticked without a re-scan, even when the current report lacks it', () => {
    const report = rescanWithoutOpenaiKey('2026-03-25T10:00:00.000Z');

    const merged = mergeFor(report, { [openaiGone]: ticked('2026-03-25T11:00:00.000Z', { watchedHosts: ['gw'] }) });

    expect(step(merged.steps, openaiGone)).toMatchObject({ done: true, verified: false });
  });

  it('offers a target for each consumer of the gateway, and the picked target is kept in the progress', () => {
    const steps = labSteps();
    const moves = steps.filter((candidate) => candidate.id.startsWith('teardown:move-consumer:'));
    const openWebui = moves.find((candidate) => candidate.container === SAMPLE.openWebuiContainer)!;

    const merged = mergeFor(sampleLabReport(), { [openWebui.id]: { done: false, note: '', updatedAt: SAMPLE.scannedAt, doneAt: null, choice: 'provider-sdk' } });

    expect(moves.map((candidate) => candidate.title)).toEqual([
      'Move open-webui on gw off litellm on gw',
      'Move ollama off litellm on gw',
      `Move ${LAB.consumerUnit} on nodocker off litellm on gw`,
    ]);
    expect(openWebui.choices?.map((choice) => choice.value)).toEqual(['direct-backend:http://ollama:11434', 'other-router', 'provider-sdk:openai', 'provider-sdk:anthropic']);
    expect(openWebui.detail).toContain('OPENAI_API_BASE_URL');
    expect(step(merged.steps, openWebui.id).progress?.choice).toBe('provider-sdk');
  });

  it('asks to replace the SSH key on nodocker and remove its public half from root on ollama, verified by re-scan', () => {
    const steps = labSteps();
    const removeId = `rotate:authorized-key:ollama:root:${encodeURIComponent(LAB.aliceSshKey)}`;

    const replace = step(steps, `rotate:ssh-replace:nodocker:${encodeURIComponent(LAB.aliceSshKey)}`);
    const remove = step(steps, removeId);

    expect(replace).toMatchObject({ host: SAMPLE.nodocker, verification: 'manual' });
    expect(replace.findingIds.sort()).toEqual([LAB_FINDING_IDS.aliceSshKey, LAB_FINDING_IDS.lateral].sort());
    expect(remove).toMatchObject({ host: LAB.ollama, verification: 'rescan', gone: { kind: 'authorized-key', host: LAB.ollama, user: 'root' } });
    expect(steps.some((candidate) => candidate.id.startsWith('rotate:key-at-provider:ssh'))).toBe(false);
  });

  it('verifies the authorized key removed once a newer scan of ollama no longer lists it for root', () => {
    const removeId = `rotate:authorized-key:ollama:root:${encodeURIComponent(LAB.aliceSshKey)}`;
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T10:00:00.000Z';
    report.hosts.find((host) => host.name === LAB.ollama)!.authorizedKeys = [];
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.lateral);

    const merged = mergeFor(report, { [removeId]: ticked('2026-03-25T09:00:00.000Z') });

    expect(step(merged.steps, removeId)).toMatchObject({ verified: true, title: `Remove SSH key SHA256:n3VfY0yq… from root's authorized_keys on ollama` });
  });

  it('never puts anything but fingerprints in the key steps', () => {
    const text = JSON.stringify(labSteps());

    expect(text).not.toMatch(/sk-[A-Za-z0-9]{8,}|-----BEGIN/);
  });
});

describe('CONSUMER_TARGETS', () => {
  it('offers the three ways off a gateway', () => {
    expect(CONSUMER_TARGETS.map((target) => target.label)).toEqual(['A direct backend', 'Another router', "The provider's SDK with its own key"]);
  });
});

describe('steps kept by the case ledger', () => {
  const openai = encodeURIComponent(LAB.openaiKey);
  const ids = { rotate: `rotate:key-at-provider:${openai}`, replace: `rotate:key-replace:${openai}`, gone: `rotate:key-gone:${openai}` };
  const nodockerRc = { host: SAMPLE.nodocker, container: null, source: 'shell-rc' as const, path: '/home/alice/.bashrc', variable: 'OPENAI_API_KEY' };
  /** Scan 1: the lab, with the OpenAI key also exported in alice's .bashrc on nodocker. */
  const firstScan = (): ScanReport => {
    const report = sampleLabReport();
    report.hosts.find((host) => host.name === SAMPLE.nodocker)!.secrets!.push({ fingerprint: LAB.openaiKey, provider: 'openai', ...nodockerRc });
    const finding = report.findings.find((candidate) => candidate.id === LAB_FINDING_IDS.openaiKey) as Extract<Finding, { kind: 'secret' }>;
    finding.locations.push(nodockerRc);
    return report;
  };
  /** Scan 2, an hour later: the OpenAI key rotated and gone from every host. */
  const rotatedScan = (): ScanReport => {
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T09:30:00.000Z';
    for (const host of report.hosts) host.secrets = host.secrets?.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    return report;
  };
  const merge = (report: ScanReport, ledgerFrom: readonly ScanReport[], recorded: Record<string, StepProgress> = {}) => {
    const ledger = ledgerFrom.reduce<CaseLedger | null>((known, scan) => mergeIntoLedger(known, scan), null);
    return mergeProgress(generateChecklist(report, ledger), recorded, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings });
  };
  const find = (merged: MergedChecklist, id: string) => {
    const found = merged.steps.find((step) => step.id === id);
    if (!found) throw new Error(`no step ${id} in ${merged.steps.map((step) => step.id).join('\n')}`);
    return found;
  };

  it('keeps a key rotated before any tick, with every place it was, and verifies it gone from the scan that found it nowhere', () => {
    const scan2 = rotatedScan();

    const merged = merge(scan2, [firstScan(), scan2]);

    const verify = find(merged, ids.gone);
    expect(verify).toMatchObject({ done: true, verified: true, notScanned: [], progress: null });
    expect(verify.doneByEvidence).toEqual({ scannedAt: scan2.scannedAt, hosts: [SAMPLE.gw, SAMPLE.nodocker] });
    expect(find(merged, ids.rotate).doneByEvidence?.scannedAt).toBe(scan2.scannedAt);
    expect(find(merged, ids.replace).locations).toContainEqual(nodockerRc);
    expect(find(merged, ids.replace).detail).toContain('no longer name');
    expect(merged.orphanedProgress).toEqual([]);
    expect(checklistSummary(merged.steps, {}).done).toBe(merged.steps.filter((step) => step.doneByEvidence !== null).length);
  });

  it('does not verify a gone key while a host it was on could not be read, and names that host', () => {
    const scan2 = rotatedScan();
    const nodocker = scan2.hosts.find((host) => host.name === SAMPLE.nodocker)!;
    Object.assign(nodocker, { status: 'unreachable', error: 'connection timed out' });
    delete nodocker.secrets;

    const merged = merge(scan2, [firstScan(), scan2]);

    expect(find(merged, ids.gone)).toMatchObject({ done: false, verified: false, notScanned: [SAMPLE.nodocker], doneByEvidence: null });
    expect(find(merged, ids.rotate)).toMatchObject({ done: false, notScanned: [SAMPLE.nodocker], doneByEvidence: null });
  });

  it('does not count a partial scan whose secret search did not run on a host as reading it', () => {
    const scan2 = rotatedScan();
    const nodocker = scan2.hosts.find((host) => host.name === SAMPLE.nodocker)!;
    Object.assign(nodocker, { status: 'partial' });
    delete nodocker.secrets;

    expect(find(merge(scan2, [firstScan(), scan2]), ids.gone)).toMatchObject({ verified: false, notScanned: [SAMPLE.nodocker] });
  });

  it('does not judge a key gone from the scan it was last seen in', () => {
    const scan2 = rotatedScan();
    const ledgerAhead = { ...firstScan(), scannedAt: scan2.scannedAt };

    expect(find(merge(scan2, [ledgerAhead]), ids.gone)).toMatchObject({ verified: false, doneByEvidence: null });
  });

  it('still counts every host the ledger saw a key on while the key is found elsewhere', () => {
    const scan2 = firstScan();
    scan2.scannedAt = '2026-03-25T09:30:00.000Z';
    const gw = scan2.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.secrets = gw.secrets!.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    const finding = scan2.findings.find((candidate) => candidate.id === LAB_FINDING_IDS.openaiKey) as Extract<Finding, { kind: 'secret' }>;
    finding.locations = [nodockerRc];

    const verify = find(merge(scan2, [firstScan(), scan2]), ids.gone);

    expect(verify.gone).toEqual({ kind: 'secret', fingerprint: LAB.openaiKey, hosts: [SAMPLE.nodocker, SAMPLE.gw] });
    expect(verify.kept).toBeUndefined();
  });

  it('keeps the tick-based judgement: a ticked key gone from a later scan is verified from the hosts kept with the tick', () => {
    const scan2 = rotatedScan();
    const recorded = { [ids.gone]: { ...progress(true, '2026-03-25T09:00:00.000Z'), watchedHosts: [SAMPLE.gw, SAMPLE.nodocker] } };

    const withoutLedger = mergeProgress(generateChecklist(scan2), recorded, { scannedAt: scan2.scannedAt, hosts: scan2.hosts });

    expect(find(withoutLedger, ids.gone)).toMatchObject({ verified: true, doneByEvidence: null });
    expect(withoutLedger.steps.some((step) => step.id === ids.rotate)).toBe(false);
  });

  it('verifies a consumer moved off the gateway once the scan reads its host and finds no way from it to the gateway', () => {
    const moveId = generateChecklist(sampleLabReport()).find((step) => step.id.startsWith('teardown:move-consumer:gw/open-webui'))!.id;
    const scan2 = sampleLabReport();
    scan2.scannedAt = '2026-03-25T09:30:00.000Z';
    const gw = scan2.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.endpointReferences = gw.endpointReferences!.filter((reference) => reference.container !== SAMPLE.openWebuiContainer);
    scan2.findings = scan2.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openWebui);

    const moved = find(merge(scan2, [sampleLabReport(), scan2]), moveId);
    const stillThere = find(merge({ ...sampleLabReport(), scannedAt: scan2.scannedAt }, [sampleLabReport()], { [moveId]: progress(true) }), moveId);

    expect(moved).toMatchObject({ done: true, verified: true, verification: 'rescan', container: SAMPLE.openWebuiContainer });
    expect(moved.doneByEvidence).toEqual({ scannedAt: scan2.scannedAt, hosts: [SAMPLE.gw] });
    expect(stillThere).toMatchObject({ done: true, verified: false, stillFound: true });
  });

  it('does not verify a consumer whose host was reached without its configured URLs being read', () => {
    const moveId = `teardown:move-consumer:nodocker/${encodeURIComponent(LAB.consumerUnit)}:gw/litellm`;
    const scan2 = sampleLabReport();
    scan2.scannedAt = '2026-03-25T09:30:00.000Z';
    const nodocker = scan2.hosts.find((host) => host.name === SAMPLE.nodocker)!;
    Object.assign(nodocker, { status: 'partial' });
    delete nodocker.endpointReferences;
    scan2.findings = scan2.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.summarizer);

    expect(find(merge(scan2, [sampleLabReport(), scan2]), moveId)).toMatchObject({ verified: false, notScanned: [SAMPLE.nodocker] });
  });

  it('keeps the removal of a public key from authorized_keys and the replacement of its private half, both done by evidence', () => {
    const removeId = `rotate:authorized-key:ollama:root:${encodeURIComponent(LAB.aliceSshKey)}`;
    const replaceId = `rotate:ssh-replace:nodocker:${encodeURIComponent(LAB.aliceSshKey)}`;
    const scan2 = sampleLabReport();
    scan2.scannedAt = '2026-03-25T09:30:00.000Z';
    scan2.hosts.find((host) => host.name === LAB.ollama)!.authorizedKeys = [];
    const nodocker = scan2.hosts.find((host) => host.name === SAMPLE.nodocker)!;
    nodocker.secrets = nodocker.secrets!.filter((secret) => secret.fingerprint !== LAB.aliceSshKey);
    scan2.findings = scan2.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.lateral && finding.id !== LAB_FINDING_IDS.aliceSshKey);

    const merged = merge(scan2, [sampleLabReport(), scan2]);

    expect(find(merged, removeId)).toMatchObject({ verified: true, doneByEvidence: { scannedAt: scan2.scannedAt, hosts: [LAB.ollama] } });
    expect(find(merged, replaceId)).toMatchObject({ done: true, doneByEvidence: { scannedAt: scan2.scannedAt, hosts: [SAMPLE.nodocker] } });
  });

  it('puts no value in kept steps, only fingerprints', () => {
    const scan2 = rotatedScan();

    expect(JSON.stringify(merge(scan2, [firstScan(), scan2]))).not.toMatch(/sk-[A-Za-z0-9]{8,}|-----BEGIN/);
  });
});

describe('key steps with the case ledger', () => {
  it('counts a place once when the stored ledger lists its fields in another order', () => {
    const report = sampleLabReport();
    const ledger = mergeIntoLedger(null, report);
    const openai = ledger.secrets.find((secret) => secret.fingerprint === LAB.openaiKey)!;
    openai.locations = openai.locations.map(({ variable, source, container, host, path }) => ({ variable, path, source, container, host }) as never);

    const replace = generateChecklist(report, ledger).find((step) => step.id === `rotate:key-replace:${encodeURIComponent(LAB.openaiKey)}`)!;

    expect([...(replace.locations ?? []), ...(replace.removedLocations ?? []).map((entry) => entry.location)]).toHaveLength(2);
  });
});
