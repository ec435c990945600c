/**
 * The incident plan over the lab, through the app's backend as the Electron main process and the
 * browser host build it: the owner's remove-or-patch decision on the lab gateway changes the plan
 * and survives a restart of the app on the same case folder.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateChecklist, mergeProgress } from '../shared/checklist/checklist.js';
import type { CaseState, Pushes, PushChannel } from '../shared/ipc/contract.js';
import { isFindingOfKind } from '../shared/model/index.js';
import { createBackend } from '../electron/core/compose.js';
import { dispatch, type Handlers } from '../electron/core/dispatch.js';
import { startLab, type Lab } from './lab/lab.js';

const HOSTS = ['gw', 'ollama', 'nodocker', 'alpine', 'unreachable'];

let lab: Lab;
let dataDir: string;
let handlers: Handlers;
const pushes: { channel: PushChannel; payload: unknown }[] = [];
const waiting = new Map<string, () => void>();

/** A backend on the test's case folder, as the app builds one on start. */
async function startApp(): Promise<Handlers> {
  const backend = await createBackend({
    dataDir,
    sshConfigPath: lab.sshConfigPath,
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') waiting.get((payload as Pushes['scan:finished']).scanId)?.();
    },
  });
  return backend.handlers();
}

/** Scans `names` through the contract and waits for the scan's finished push. */
async function scan(names: string[]): Promise<Pushes['scan:finished']> {
  const { scanId } = (await dispatch(handlers, 'scan:start', { hosts: names })) as { scanId: string };
  const seen = () => pushes.find((push) => push.channel === 'scan:finished' && (push.payload as Pushes['scan:finished']).scanId === scanId);
  if (!seen()) await new Promise<void>((resolve) => waiting.set(scanId, resolve));
  return seen()!.payload as Pushes['scan:finished'];
}

const caseState = async () => (await dispatch(handlers, 'case:get', {})) as CaseState;

/** The checklist the app shows: steps from the report, the ledger and the decisions, with the progress applied. */
function stepsOf(state: CaseState) {
  const report = state.report!;
  const plan = generateChecklist(report, state.ledger ?? null, state.decisions ?? null);
  return mergeProgress(plan, state.progress, { scannedAt: report.scannedAt, hosts: report.hosts, findings: report.findings }).steps;
}

/** The lab gateway's component id: its gateway finding's id. */
async function gatewayId(): Promise<string> {
  const gateway = (await caseState()).report!.findings.find((finding) => isFindingOfKind(finding, 'gateway') && finding.host === 'gw' && finding.container === 'litellm');
  if (!gateway) throw new Error('the lab scan found no litellm gateway on gw');
  return gateway.id;
}

beforeAll(async () => {
  lab = await startLab();
  dataDir = await mkdtemp(join(tmpdir(), 'blast-radius-incident-plan-'));
  handlers = await startApp();
  await scan(HOSTS);
}, 180_000);

afterAll(async () => {
  await lab?.stop();
});

describe('the incident plan over the lab', () => {
  it("follows the owner's decision on the lab gateway and keeps it across a restart of the app", async () => {
    const id = await gatewayId();
    const removing = stepsOf(await caseState()).map((step) => step.id);
    expect(removing).toContain('teardown:remove-container:gw/litellm');
    expect(removing.filter((step) => step.startsWith('teardown:move-consumer:'))).toHaveLength(3);

    await dispatch(handlers, 'case:set-decision', { componentId: id, decision: 'patch', reason: 'a fixed release is out; pinned by digest' });
    handlers = await startApp();

    const patched = await caseState();
    const patching = stepsOf(patched).map((step) => step.id);
    expect(patched.decisions?.[id]).toMatchObject({ decision: 'patch', reason: 'a fixed release is out; pinned by digest' });
    expect(patching).not.toContain('teardown:remove-container:gw/litellm');
    expect(patching).toEqual(expect.arrayContaining(['eradicate:upgrade:gw/litellm', 'eradicate:redeploy-pinned:gw/litellm']));
    // Consumers stay on a patched gateway, each with a new key of its own, instead of moving.
    expect(patching.filter((step) => step.startsWith('teardown:move-consumer:'))).toEqual([]);
    expect(patching.filter((step) => step.startsWith('recover:rekey-consumer:'))).toHaveLength(3);

    await dispatch(handlers, 'case:set-decision', { componentId: id, decision: 'remove', reason: 'used by everything: a reason to remove it' });
    expect(stepsOf(await caseState()).map((step) => step.id)).toEqual(removing);
  });
});
