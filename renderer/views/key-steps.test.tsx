import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { mergeIntoLedger } from '../../shared/case/index.js';
import { generateChecklist, mergeProgress, type ChecklistStepWithProgress } from '../../shared/checklist/index.js';
import type { StepProgress } from '../../shared/ipc/index.js';
import { MOVED, MOVERS, labAfterMove } from '../../shared/fixtures/route-around.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import { StepRow } from './ChecklistView.js';
import { FindingFacts } from './EvidencePanel.js';

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });

function labStep(idStart: string, progress: Record<string, StepProgress> = {}, report = sampleLabReport()): ChecklistStepWithProgress {
  const merged = mergeProgress(generateChecklist(report), progress, { scannedAt: report.scannedAt, hosts: report.hosts });
  const step = merged.steps.find((candidate) => candidate.id.startsWith(idStart));
  if (!step) throw new Error(`no step ${idStart}`);
  return step;
}

function render(step: ChecklistStepWithProgress): string {
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <StepRow step={step} />
    </CommandsContext.Provider>,
  );
}

describe('StepRow for key and consumer steps', () => {
  it("links the provider's key page, opened in a new window so the shell hands it to the browser", () => {
    const html = render(labStep(`rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`));

    expect(html).toContain('href="https://platform.openai.com/api-keys"');
    expect(html).toContain('target="_blank"');
    expect(html).toContain('rel="noopener noreferrer"');
  });

  it('draws no link that is not one of the app’s own console pages', () => {
    const step = labStep(`rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`);

    const html = render({ ...step, link: { label: 'elsewhere', url: 'https://evil.example/keys' } });

    expect(html).not.toContain('evil.example');
  });

  it('lists every location of a key with host, container, source, path and variable: where the new key goes, and where it must not', () => {
    const html = render(labStep(`rotate:key-replace:${encodeURIComponent(LAB.openaiKey)}`));

    expect(html.match(/data-testid="step-location"/g)).toHaveLength(1);
    expect(html).toContain(`<code>${LAB.envFile}</code>`);
    expect(html.match(/data-testid="step-removed-location"/g)).toHaveLength(1);
    expect(html).toMatch(/container litellm<\/span><code>OPENAI_API_KEY<\/code><span class="muted">removed by [^<]*teardown:remove-container:gw\/litellm[^<]*: do not put the new key here/);
  });

  it('says what a blocked step waits for, and warns when it is ticked anyway', () => {
    const id = `rotate:key-at-provider:${encodeURIComponent(LAB.openaiKey)}`;
    const at = SAMPLE.scannedAt;

    const open = render(labStep(id));
    const ticked = render(labStep(id, { [id]: { done: true, note: '', updatedAt: at, doneAt: at } }));

    expect(open).toContain('class="step blocked"');
    expect(open).toMatch(/data-testid="step-waits-for-[^"]*">Waits for: [^<]*contain:isolate-host:gw/);
    expect(ticked).toContain('class="step done"');
    expect(ticked).toContain('Ticked before what it waits for: ');
  });

  it('shows the picked target of a consumer as the selected option', () => {
    const id = labStep('teardown:move-consumer:gw/open-webui').id;
    const at = SAMPLE.scannedAt;

    const html = render(labStep(id, { [id]: { done: false, note: '', updatedAt: at, doneAt: null, choice: 'other-router' } }));

    expect(html).toMatch(/<option value="other-router" selected="">Another router<\/option>/);
    expect(html).toContain('rebuilt from a clean');
  });

  it('says a gone step is verified, or which host kept it from being verified', () => {
    const id = `rotate:key-gone:${encodeURIComponent(LAB.openaiKey)}`;
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T10:00:00.000Z';
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.secrets = gw.secrets!.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    const progress = { [id]: { done: true, note: '', updatedAt: '2026-03-25T09:00:00.000Z', doneAt: '2026-03-25T09:00:00.000Z', watchedHosts: [SAMPLE.gw] } };
    const verified = render(labStep(id, progress, report));
    Object.assign(gw, { status: 'unreachable' });

    const blocked = render(labStep(id, progress, report));

    expect(verified).toContain(`step-verified-${id}`);
    expect(blocked).toContain(`step-not-scanned-${id}`);
    expect(blocked).not.toContain(`step-verified-${id}`);
  });
});

describe('FindingFacts for the new kinds', () => {
  const facts = (id: string) => renderToStaticMarkup(<FindingFacts finding={sampleLabReport().findings.find((finding) => finding.id === id)!} />);

  it('shows a key by provider, fingerprint and locations', () => {
    const html = facts(LAB_FINDING_IDS.openaiKey);

    expect(html).toContain(`<code>${LAB.openaiKey}</code>`);
    expect(html).toContain(`gw · host · env-file ${LAB.envFile} OPENAI_API_KEY`);
  });

  it('shows gateway endpoints and backends, consumer via and gateway, lateral from and to', () => {
    expect(facts(LAB_FINDING_IDS.gateway)).toContain('http://ollama:11434, openai, anthropic');
    expect(facts(LAB_FINDING_IDS.summarizer)).toContain('<code>ssh-tunnel</code>');
    expect(facts(LAB_FINDING_IDS.lateral)).toContain('<code>root@ollama</code>');
  });
});

describe('StepRow for steps kept by the case ledger', () => {
  const openai = encodeURIComponent(LAB.openaiKey);
  /** The lab re-scanned after the OpenAI key was rotated, merged with a ledger of both scans. */
  const keptStep = (idStart: string, edit: (report: ReturnType<typeof sampleLabReport>) => void = () => undefined): ChecklistStepWithProgress => {
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T09:30:00.000Z';
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.secrets = gw.secrets!.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    edit(report);
    const ledger = mergeIntoLedger(mergeIntoLedger(null, sampleLabReport()), report);
    const merged = mergeProgress(generateChecklist(report, ledger), {}, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings });
    const step = merged.steps.find((candidate) => candidate.id.startsWith(idStart));
    if (!step) throw new Error(`no step ${idStart}`);
    return step;
  };

  it('shows a rotated key verified by the re-scan, without a tick, naming the scan and the hosts it read', () => {
    const verify = keptStep(`rotate:key-gone:${openai}`);
    const rotate = keptStep(`rotate:key-at-provider:${openai}`);

    const verifyHtml = render(verify);
    const rotateHtml = render(rotate);

    expect(verifyHtml).toContain(`step-verified-${verify.id}`);
    expect(verifyHtml).toContain('not found on any host in the scan of');
    expect(verifyHtml).toContain('(read gw)');
    expect(verifyHtml).toMatch(/type="checkbox"[^>]*checked=""/);
    expect(rotateHtml).toContain(`step-evidence-${rotate.id}`);
    expect(rotateHtml).toContain('Done by evidence');
  });

  it('names the host the re-scan could not read instead of calling the key gone', () => {
    const verify = keptStep(`rotate:key-gone:${openai}`, (report) => {
      const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
      Object.assign(gw, { status: 'unreachable' });
      delete gw.secrets;
    });

    const html = render(verify);

    expect(html).toContain(`step-not-scanned-${verify.id}`);
    expect(html).toContain('Not verified: gw could not be read');
    expect(html).not.toContain(`step-verified-${verify.id}`);
  });

  it('states why a consumer counts as moved off the gateway', () => {
    const move = keptStep('teardown:move-consumer:gw/open-webui', (report) => {
      const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
      gw.endpointReferences = gw.endpointReferences!.filter((reference) => reference.container !== SAMPLE.openWebuiContainer);
      report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openWebui);
    });

    const html = render(move);

    expect(html).toContain(`step-verified-${move.id}`);
    expect(html).toContain('open-webui no longer points at litellm: the scan of');
    expect(html).toContain('read gw and found no way from it to the gateway');
  });
});

describe('StepRow for a consumer’s route around the gateway', () => {
  /** The move step of a lab consumer after `scan2`, with `choice` picked and ticked before it. */
  const movedStep = (consumerId: string, choice: string, scan2: ReturnType<typeof sampleLabReport>, ticked = true): ChecklistStepWithProgress => {
    const first = sampleLabReport();
    const id = generateChecklist(first).find((step) => step.id.startsWith('teardown:move-consumer:') && step.findingIds.includes(consumerId))!.id;
    const ledger = mergeIntoLedger(mergeIntoLedger(null, first), scan2);
    const progress = { [id]: { done: ticked, note: '', updatedAt: MOVED.tickedAt, doneAt: ticked ? MOVED.tickedAt : null, choice } };
    return mergeProgress(generateChecklist(scan2, ledger), progress, { scannedAt: scan2.scannedAt, hosts: scan2.hosts, findings: scan2.findings }).steps.find((step) => step.id === id)!;
  };

  it('shows the tunnel unit of the picked backend as a block to copy, and the URL to use', () => {
    const id = labStep(`teardown:move-consumer:nodocker/${encodeURIComponent(LAB.consumerUnit)}`).id;

    const html = render(labStep(id, { [id]: { done: false, note: '', updatedAt: SAMPLE.scannedAt, doneAt: null, choice: 'direct-backend:http://ollama:11434' } }));

    expect(html).toContain('<option value="direct-backend:http://ollama:11434" selected="">Direct backend http://ollama:11434 (llama3)</option>');
    expect(html).toContain('/etc/systemd/system/route-around-summarizer-service-11434.service');
    expect(html).toMatch(/<pre data-testid="step-tunnel-unit-text-[^"]*">\[Unit\]\n[^<]*-L 127\.0\.0\.1:11434:127\.0\.0\.1:11434 -- root@ollama/);
    expect(html).toContain('point it at <code>http://127.0.0.1:11434</code>');
  });

  it('says the consumer now points at the chosen backend, naming the setting, or where it points instead', () => {
    const pointAt = (url: string, host: string, port: number) =>
      labAfterMove(MOVERS.ollamaHost, (report) => {
        const ollama = report.hosts.find((host) => host.name === LAB.ollama)!;
        ollama.endpointReferences = [{ ...ollama.endpointReferences![0]!, url, targetHost: host, targetPort: port }];
      });

    const moved = render(movedStep(MOVERS.ollamaHost, 'direct-backend:http://ollama:11434', pointAt('http://127.0.0.1:11434', '127.0.0.1', 11434)));
    const elsewhere = render(movedStep(MOVERS.ollamaHost, 'direct-backend:http://ollama:11434', pointAt('http://192.168.50.10:8000', '192.168.50.10', 8000)));

    expect(moved).toContain('Verified: ollama now points at http://127.0.0.1:11434 (OPENAI_API_BASE in /etc/systemd/system/open-interpreter.service)');
    expect(elsewhere).toContain('Not verified: ollama is not pointing at the chosen target http://127.0.0.1:11434: http://192.168.50.10:8000');
    expect(elsewhere).not.toContain('step-verified-');
  });
});
