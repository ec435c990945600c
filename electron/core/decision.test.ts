import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { generateChecklist } from '../../shared/checklist/index.js';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import { LAB_FINDING_IDS, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { CaseState } from '../../shared/ipc/contract.js';
import { CaseStore } from '../case/case-store.js';
import { AppBackend } from './app-backend.js';
import { rejudgeReport } from './compose.js';
import { BadRequestError, dispatch } from './dispatch.js';

/** A backend over a case folder holding the lab report, as the app builds it on start. */
async function backendOn(folder: string) {
  const store = await CaseStore.open(folder);
  const backend = new AppBackend({
    store,
    hosts: {
      list: async () => [],
      add: async () => Promise.reject(new Error('not used')),
      targets: async () => Promise.reject(new Error('not used')),
    },
    runScan: async () => Promise.reject(new Error('not used')),
    rejudge: rejudgeReport(bundledAdvisoryIndex()),
    windowIds: [],
    emit: () => undefined,
  });
  return { store, handlers: backend.handlers() };
}

async function labCase() {
  const folder = await mkdtemp(join(tmpdir(), 'decision-'));
  const { store, handlers } = await backendOn(folder);
  await store.saveScan(sampleLabReport());
  return { folder, handlers };
}

/** The plan the renderer builds from what case:get answers. */
const planOf = (state: CaseState) => generateChecklist(state.report!, state.ledger ?? null, state.decisions ?? null);

describe('case:set-decision', () => {
  it('changes the plan of the case: patching the lab gateway replaces its teardown with an upgrade and a pinned re-deploy', async () => {
    // Arrange
    const { handlers } = await labCase();
    const before = planOf((await dispatch(handlers, 'case:get', {})) as CaseState).map((step) => step.id);

    // Act
    const answer = await dispatch(handlers, 'case:set-decision', { componentId: LAB_FINDING_IDS.gateway, decision: 'patch', reason: 'fixed release out, pinned by digest' });
    const after = planOf((await dispatch(handlers, 'case:get', {})) as CaseState).map((step) => step.id);

    // Assert
    expect(answer).toEqual({ decisions: { [LAB_FINDING_IDS.gateway]: expect.objectContaining({ decision: 'patch', reason: 'fixed release out, pinned by digest' }) } });
    expect(before).toContain('teardown:remove-container:gw/litellm');
    expect(after).not.toContain('teardown:remove-container:gw/litellm');
    expect(after).toEqual(expect.arrayContaining(['eradicate:upgrade:gw/litellm', 'eradicate:redeploy-pinned:gw/litellm']));
  });

  it('keeps the decision across a restart: a new backend on the same case folder loads it with the case', async () => {
    const { folder, handlers } = await labCase();
    await dispatch(handlers, 'case:set-decision', { componentId: LAB_FINDING_IDS.gateway, decision: 'remove', reason: 'used by everything' });

    const restarted = await backendOn(folder);
    const state = (await dispatch(restarted.handlers, 'case:get', {})) as CaseState;

    expect(state.decisions?.[LAB_FINDING_IDS.gateway]).toMatchObject({ decision: 'remove', reason: 'used by everything' });
    expect(planOf(state).map((step) => step.id)).toContain('teardown:remove-container:gw/litellm');
  });

  it('clears a decision with decision null, and the plan goes back to the teardown', async () => {
    const { handlers } = await labCase();
    await dispatch(handlers, 'case:set-decision', { componentId: LAB_FINDING_IDS.gateway, decision: 'patch', reason: '' });

    const answer = await dispatch(handlers, 'case:set-decision', { componentId: LAB_FINDING_IDS.gateway, decision: null, reason: '' });

    expect(answer).toEqual({ decisions: {} });
    expect(planOf((await dispatch(handlers, 'case:get', {})) as CaseState).map((step) => step.id)).toContain('teardown:remove-container:gw/litellm');
  });

  it('rejects a decision the contract does not know, an over-long reason and extra fields, storing nothing', async () => {
    const { handlers } = await labCase();

    await expect(dispatch(handlers, 'case:set-decision', { componentId: LAB_FINDING_IDS.gateway, decision: 'ignore', reason: '' })).rejects.toThrow(BadRequestError);
    await expect(dispatch(handlers, 'case:set-decision', { componentId: LAB_FINDING_IDS.gateway, decision: 'patch', reason: 'x'.repeat(2001) })).rejects.toThrow(BadRequestError);
    await expect(dispatch(handlers, 'case:set-decision', { componentId: '', decision: 'patch', reason: '' })).rejects.toThrow(BadRequestError);
    await expect(dispatch(handlers, 'case:set-decision', { componentId: 'x', decision: 'patch', reason: '', extra: 1 })).rejects.toThrow(BadRequestError);
    expect(((await dispatch(handlers, 'case:get', {})) as CaseState).decisions).toEqual({});
  });
});
