import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { mergeIntoLedger } from '../../shared/case/index.js';
import { generateChecklist, mergeProgress, type ChecklistStepWithProgress } from '../../shared/checklist/index.js';
import { SAMPLE, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { ScanReport } from '../../shared/model/index.js';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import { StepRow } from './ChecklistView.js';

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });
const STEP = 'verify:teardown:gw/litellm';
const HOSTILE_UNIT = '<img src=x onerror=alert(1)>.service';

/** The lab before the teardown, its tunnel unit given a name made of markup. */
function before(): ScanReport {
  const report = sampleLabReport();
  const tunnel = report.hosts.find((host) => host.name === SAMPLE.nodocker)!.tunnels![0]!;
  tunnel.unit = HOSTILE_UNIT;
  return report;
}

/** The re-scan after litellm was removed from gw (and with it its finding), the tunnel on nodocker left in place. */
function after(): ScanReport {
  const report = before();
  const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
  gw.containers = gw.containers.filter((container) => container.name !== SAMPLE.litellmContainer);
  gw.secrets = [];
  report.findings = report.findings.filter((finding) => finding.host !== SAMPLE.gw || finding.kind === 'consumer');
  return { ...report, scannedAt: '2026-03-26T11:00:00.000Z' };
}

function teardownStep(): ChecklistStepWithProgress {
  const ledger = mergeIntoLedger(null, before());
  const report = after();
  const at = '2026-03-26T10:00:00.000Z';
  const merged = mergeProgress(generateChecklist(report, ledger), { [STEP]: { done: true, note: '', updatedAt: at, doneAt: at } }, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings });
  return merged.steps.find((step) => step.id === STEP)!;
}

function render(step: ChecklistStepWithProgress): string {
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <StepRow step={step} />
    </CommandsContext.Provider>,
  );
}

describe('StepRow for a teardown step', () => {
  it('lists each piece with its state, naming where a piece remains', () => {
    const html = render(teardownStep());

    expect(html).toContain(`data-testid="step-teardown-${STEP}"`);
    expect(html).toMatch(/data-state="gone"><span class="tag piece-gone">gone<\/span><span class="muted">Container<\/span><code>litellm<\/code>/);
    expect(html).toMatch(/data-state="present"><span class="tag piece-present">still there<\/span><span class="muted">SSH tunnel<\/span>[^]*the forward is still in \/etc\/systemd\/system\/litellm-tunnel.service on nodocker/);
    expect(html).not.toContain('data-state="not-read"');
  });

  it('shows a hostile unit name as text, never as markup', () => {
    const html = render(teardownStep());

    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;.service');
    expect(html).not.toContain('<img');
  });
});
