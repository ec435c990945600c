import { describe, expect, it } from 'vitest';
import { CHECKLIST_GROUPS, checklistSummary, generateChecklist, mergeProgress, type ChecklistStep } from './checklist.js';
import type { StepProgress } from './contract.js';
import { SAMPLE, sampleReport, sampleWatchtower } from './fixtures/sample-report.js';
import { findContainerRisks } from './container-findings.js';
import type { Container, Finding, ScanReport } from './model.js';

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

    expect(titles(steps)).toEqual([
      'Rotate every key container litellm on gw held',
      'Move every consumer of litellm on gw to another backend',
      'Stop and remove container litellm on gw',
      `Remove its image ${SAMPLE.litellmImage} (${SAMPLE.litellmDigest}) from gw`,
      'Remove the ingress route and tunnels that served litellm on gw',
    ]);
    expect(steps.every((step) => step.host === SAMPLE.gw)).toBe(true);
  });

  it('generates the host steps for litellm in a user site, with a removal command that starts no Python', () => {
    const report = sampleReport();

    const steps = generateChecklist(report).filter((step) => step.host === SAMPLE.nodocker);

    expect(titles(steps)).toEqual([
      'Isolate nodocker and block egress to models.litellm.cloud and checkmarx.zone',
      'Rotate every credential readable on nodocker',
      `Remove litellm 1.82.7 from ${SAMPLE.aliceUserSite} on nodocker`,
      'Look for and remove the sysmon.service persistence on nodocker',
    ]);
    const removal = steps[2]!;
    expect(removal).toMatchObject({ group: 'teardown', container: null, verification: 'rescan' });
    expect(removal.command).toBe(
      `cd -- ${SAMPLE.aliceUserSite} && rm -f -- litellm_init.pth && rm -rf -- litellm litellm-1.82.7.dist-info`,
    );
    const programs = removal.command!.split(/&&|;|\|\|/).map((segment) => segment.trim().split(' ')[0]);
    expect(programs).toEqual(['cd', 'rm', 'rm']);
  });

  it('starts with isolating each host and blocking the litellm egress domains', () => {
    const report = sampleReport();

    const steps = generateChecklist(report);

    expect(steps.slice(0, 2).map((step) => [step.group, step.title])).toEqual([
      ['contain', 'Isolate gw and block egress to models.litellm.cloud and checkmarx.zone'],
      ['contain', 'Isolate nodocker and block egress to models.litellm.cloud and checkmarx.zone'],
    ]);
  });

  it('orders the steps contain, rotate, teardown, clean-up', () => {
    const report = sampleReport();

    const groups = generateChecklist(report).map((step) => step.group);

    const ranks = groups.map((group) => CHECKLIST_GROUPS.indexOf(group));
    expect(ranks).toEqual([...ranks].sort((a, b) => a - b));
    expect(new Set(groups)).toEqual(new Set(CHECKLIST_GROUPS));
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

    expect(steps.filter((step) => step.group === 'rotate')).toHaveLength(1);
    expect(titles(steps.filter((step) => step.id.startsWith('teardown:remove-package:')))).toEqual([
      `Remove litellm 1.82.7 from ${SAMPLE.aliceUserSite} on nodocker`,
      `Remove litellm 1.82.7 from ${otherPath} on nodocker`,
    ]);
    expect(steps.find((step) => step.group === 'rotate')?.detail).toContain('system folder');
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

    expect(steps.filter((step) => step.group === 'contain').map((step) => step.id)).toEqual([
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

  it('asks to review the Docker socket mount of watchtower, as a manual clean-up step at the end', () => {
    const steps = generateChecklist(deploymentReport());

    const last = steps[steps.length - 1]!;
    expect(last).toMatchObject({
      id: 'clean-up:review-socket:gw/watchtower',
      title: 'Review why watchtower mounts the Docker socket on gw',
      group: 'clean-up',
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
  it('counts done steps overall and per group, every group present in order', () => {
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
      byGroup: [
        { group: 'contain', total: 2, done: 1, remaining: 1 },
        { group: 'rotate', total: 2, done: 1, remaining: 1 },
        { group: 'teardown', total: 4, done: 0, remaining: 4 },
        { group: 'clean-up', total: 2, done: 0, remaining: 2 },
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

    expect(step).toMatchObject({ group: 'clean-up', title: 'Purge litellm 1.82.8 from the cache on nodocker', verification: 'rescan', command: `rm -rf -- ${path}` });
  });
});
