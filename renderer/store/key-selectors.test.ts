import { describe, expect, it } from 'vitest';
import type { StepProgress } from '../../shared/ipc/index.js';
import { LAB, LAB_FINDING_IDS, SAMPLE, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { ScanReport } from '../../shared/model/index.js';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { findingFacts, selectChecklistSteps, selectFilteredFindings, selectFindingFilterOptions, selectOrphanedProgress } from './selectors.js';

function stateWith(report: ScanReport, progress: Record<string, StepProgress> = {}, setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  store.getState().caseLoaded({ report, progress });
  setup(store.getState());
  return store.getState();
}

const openaiGone = `rotate:key-gone:${encodeURIComponent(LAB.openaiKey)}`;

describe('checklist selectors with keys', () => {
  it('shows the key-gone step verified from the store once a newer report lacks the key everywhere', () => {
    const report = sampleLabReport();
    report.scannedAt = '2026-03-25T10:00:00.000Z';
    const gw = report.hosts.find((host) => host.name === SAMPLE.gw)!;
    gw.secrets = gw.secrets!.filter((secret) => secret.fingerprint !== LAB.openaiKey);
    report.findings = report.findings.filter((finding) => finding.id !== LAB_FINDING_IDS.openaiKey);
    const at = '2026-03-25T09:00:00.000Z';

    const state = stateWith(report, { [openaiGone]: { done: true, note: '', updatedAt: at, doneAt: at, watchedHosts: [SAMPLE.gw] } });

    expect(selectChecklistSteps(state).find((step) => step.id === openaiGone)).toMatchObject({ verified: true });
    expect(selectOrphanedProgress(state)).toEqual([]);
  });
});

describe('findings selectors with the new kinds', () => {
  it('offers the new kinds as filters and filters on them', () => {
    const state = stateWith(sampleLabReport(), {}, (s) => s.findingFilterChanged('kind', 'consumer'));

    expect(selectFindingFilterOptions(state).kinds).toEqual(expect.arrayContaining(['secret', 'gateway', 'consumer', 'ssh-lateral']));
    expect(selectFilteredFindings(state).map((finding) => finding.id).sort()).toEqual(
      [LAB_FINDING_IDS.openWebui, LAB_FINDING_IDS.ollamaHost, LAB_FINDING_IDS.summarizer].sort(),
    );
  });

  it('lists a key finding by provider, fingerprint and every location', () => {
    const secret = sampleLabReport().findings.find((finding) => finding.id === LAB_FINDING_IDS.openaiKey)!;

    expect(findingFacts(secret)).toEqual([
      { label: 'Provider', value: 'openai' },
      { label: 'Fingerprint', value: LAB.openaiKey },
      { label: 'Locations', value: `gw · container litellm · container-env OPENAI_API_KEY; gw · host · env-file ${LAB.envFile} OPENAI_API_KEY` },
    ]);
  });

  it('lists how a consumer reaches its gateway and where a lateral path leads', () => {
    const findings = sampleLabReport().findings;

    expect(findingFacts(findings.find((finding) => finding.id === LAB_FINDING_IDS.summarizer)!)).toContainEqual({ label: 'Via', value: 'ssh-tunnel' });
    expect(findingFacts(findings.find((finding) => finding.id === LAB_FINDING_IDS.lateral)!)).toContainEqual({ label: 'To', value: 'root@ollama' });
  });
});
