import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { judgedSampleReport } from '../../shared/fixtures/format-reports.js';
import type { CaseState, ResponseOf } from '../../shared/ipc/contract.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { dispatch } from './dispatch.js';

/** A backend over a case folder; nothing but the case is used. */
function backendOver(store: CaseStore): AppBackend {
  return new AppBackend({
    store,
    hosts: { list: async () => [], add: async () => Promise.reject(new Error('not used')), targets: async () => Promise.reject(new Error('not used')) },
    runScan: async () => Promise.reject(new Error('not used')),
    rejudge: rejudgeReport(bundledAdvisoryIndex()),
    windowIds: [],
    emit: () => undefined,
  });
}

/** A backend over a fresh case folder holding the judged sample report. */
async function backend() {
  const folder = await mkdtemp(join(tmpdir(), 'case-suppressions-'));
  const store = await CaseStore.open(folder);
  await store.saveReport(judgedSampleReport());
  return { folder, handlers: backendOver(store).handlers() };
}

const FILE = `suppressions:
  - advisory: PYSEC-2026-2
    reason: accepted while the gateway is rebuilt
    expires: 2999-01-01
  - advisory: GHSA-5mg7-485q-xm76
    reason: an older acceptance
    expires: 2000-01-01
`;

describe('case:set-suppressions', () => {
  it('keeps the file with the case (across a restart) and marks the findings it names in the case and its exports', async () => {
    const { folder, handlers } = await backend();

    const { suppressions } = (await dispatch(handlers, 'case:set-suppressions', { fileName: 'accepted.yaml', text: FILE })) as ResponseOf<'case:set-suppressions'>;
    const state = (await dispatch(backendOver(await CaseStore.open(folder)).handlers(), 'case:get', {})) as CaseState;
    const sarif = JSON.parse(((await dispatch(handlers, 'report:export', { format: 'sarif' })) as ResponseOf<'report:export'>).export!.text) as { runs: Array<{ results: Array<{ suppressions?: Array<{ justification: string }> }> }> };

    expect(suppressions?.entries).toHaveLength(2);
    expect(state.suppressions?.fileName).toBe('accepted.yaml');
    const litellm = state.report!.findings.filter((finding) => finding.kind === 'compromised-package');
    expect(litellm.length).toBeGreaterThan(0);
    for (const finding of litellm) {
      const applied = state.report!.suppressions!.filter((entry) => entry.findingId === finding.id);
      expect(applied.map((entry) => `${entry.value} ${entry.expired}`)).toEqual(['PYSEC-2026-2 false', 'GHSA-5mg7-485q-xm76 true']);
    }
    expect(sarif.runs[0]!.results.filter((result) => result.suppressions?.[0]?.justification === 'accepted while the gateway is rebuilt')).toHaveLength(litellm.length);
  });

  it('refuses a bad file whole, naming the problem, and keeps the suppressions it had', async () => {
    const { handlers } = await backend();
    await dispatch(handlers, 'case:set-suppressions', { fileName: 'accepted.yaml', text: FILE });

    await expect(dispatch(handlers, 'case:set-suppressions', { fileName: 'bad.yaml', text: 'suppressions:\n  - finding: x\n' })).rejects.toThrow('entry 1: reason is required');
    const state = (await dispatch(handlers, 'case:get', {})) as CaseState;

    expect(state.suppressions?.fileName).toBe('accepted.yaml');
  });

  it('drops the suppressions with text null: nothing is marked any more', async () => {
    const { handlers } = await backend();
    await dispatch(handlers, 'case:set-suppressions', { fileName: 'accepted.yaml', text: FILE });

    await dispatch(handlers, 'case:set-suppressions', { fileName: '', text: null });
    const state = (await dispatch(handlers, 'case:get', {})) as CaseState;

    expect(state.suppressions).toBeNull();
    expect(state.report?.suppressions).toBeUndefined();
  });
});
