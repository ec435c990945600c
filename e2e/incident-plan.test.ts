/**
 * The incident plan over the lab, through the app's backend as the Electron main process and the
 * browser host build it: the owner's remove-or-patch decision on the lab gateway changes the plan
 * and survives a restart of the app on the same case folder; once the lab's consumers are moved to
 * the targets picked on their steps and the gateway is torn down, a re-scan of the hosts concerned
 * verifies the route-around and the teardown piece by piece.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateChecklist, mergeProgress } from '../shared/checklist/checklist.js';
import { goneCheckHosts } from '../shared/checklist/gone.js';
import type { ChecklistStepWithProgress } from '../shared/checklist/types.js';
import type { CaseState, Pushes, PushChannel } from '../shared/ipc/contract.js';
import { isFindingOfKind } from '../shared/model/index.js';
import { createBackend } from '../electron/core/compose.js';
import { dispatch, type Handlers } from '../electron/core/dispatch.js';
import { startLab, type Lab } from './lab/lab.js';

const HOSTS = ['gw', 'ollama', 'nodocker', 'alpine', 'unreachable'];

/** gw's compose project once the owner took litellm and its database out and pointed open-webui at Ollama. */
const composeWithoutGateway = (webuiImage: string) => `name: ai-gateway

services:
  open-webui:
    image: ${webuiImage}
    environment:
      OLLAMA_BASE_URL: http://ollama:11434
    volumes:
      - open-webui:/app/backend/data
    restart: unless-stopped

volumes:
  open-webui:
`;

let lab: Lab;
let dataDir: string;
let handlers: Handlers;
const pushes: { channel: PushChannel; payload: unknown }[] = [];
const waiting = new Map<string, () => void>();

/** A backend on the test's case folder, as the app builds one on start. */
async function startApp(): Promise<Handlers> {
  const backend = await createBackend({
    dataDir,
    knownHostsFile: join(dataDir, 'known_hosts'),
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

  it('verifies by re-scan that each consumer points at its picked target and that the gateway is torn down completely', async () => {
    // Arrange: pick each consumer's target as the owner would from the offered choices.
        const planned = stepsOf(await caseState());
    const step = (id: string) => planned.find((candidate) => candidate.id === id) ?? expect.fail(`the plan has no step ${id}`);
    const moveWebui = step('teardown:move-consumer:gw/open-webui:gw/litellm');
    const moveChatApp = step('teardown:move-consumer:ollama/chat-app.service:gw/litellm');
    const moveTunnel = step('teardown:move-consumer:nodocker/llm-tunnel.service:gw/litellm');
    const teardown = step('verify:teardown:gw/litellm');
    const ollamaBackend = (move: ChecklistStepWithProgress) =>
      move.choices?.find((choice) => choice.route?.kind === 'direct-backend' && choice.route.place?.host === 'ollama' && choice.route.place.port === 11434) ?? expect.fail(`${move.title} offers no Ollama backend`);
    const anthropicSdk = moveTunnel.choices?.find((choice) => choice.value === 'provider-sdk:anthropic') ?? expect.fail('no Anthropic SDK target');
    const picks = new Map([
      [moveWebui.id, ollamaBackend(moveWebui).value],
      [moveChatApp.id, ollamaBackend(moveChatApp).value],
      [moveTunnel.id, anthropicSdk.value],
    ]);
    const pieces = teardown.gone?.kind === 'teardown' ? teardown.gone.pieces : expect.fail('the teardown step has no pieces');
    expect(pieces.map((piece) => piece.kind).sort()).toEqual(['config-file', 'config-file', 'container', 'database-container', 'image', 'tunnel', 'unit', 'updater-watch', 'volume']);

    // Act: the lab does what the steps say, the owner ticks them, then re-scans the three hosts.
    // open-webui reaches Ollama by the host's name (from a container, a 127.x address is the container itself).
    await lab.setContainerEnv('gw', 'open-webui', { OPENAI_API_BASE_URL: null, OLLAMA_BASE_URL: 'http://ollama:11434' });
    const compose = await readFile(join(lab.rootOf('gw'), 'srv/ai-gateway/compose.yaml'), 'utf8');
    const webuiImage = /open-webui:\n\s+image: (\S+)/.exec(compose)?.[1] ?? expect.fail('no open-webui service in the lab compose file');
    await lab.writeFile('gw', '/srv/ai-gateway/compose.yaml', composeWithoutGateway(webuiImage));
    const chatEnv = join(lab.rootOf('ollama'), 'opt/chat-app/.env');
    await lab.writeFile('ollama', '/opt/chat-app/.env', (await readFile(chatEnv, 'utf8')).replace(/^OPENAI_BASE_URL=.*$/m, 'OPENAI_BASE_URL=http://127.0.0.1:11434/v1'));
    await lab.removeFile('nodocker', `/home/${lab.hosts.nodocker!.user}/.config/systemd/user/llm-tunnel.service`);
    await lab.writeFile('nodocker', `/home/${lab.hosts.nodocker!.user}/projects/agent/.env`, '# agent: calls Anthropic with its own key\nANTHROPIC_MODEL=claude\n');
    for (const container of ['litellm', 'ai-gateway-db-1']) await lab.removeContainer('gw', container);
    for (const file of ['/srv/ai-gateway/.env', '/srv/ai-gateway/litellm-config.yaml']) await lab.removeFile('gw', file);
    for (const ticked of [moveWebui, moveChatApp, moveTunnel, step('teardown:remove-container:gw/litellm'), teardown]) {
      await dispatch(handlers, 'checklist:set-step', {
        stepId: ticked.id,
        done: true,
        note: '',
        ...(picks.has(ticked.id) ? { choice: picks.get(ticked.id)! } : {}),
        ...(ticked.gone ? { watchedHosts: goneCheckHosts(ticked.gone) } : {}),
      });
    }
    // The re-scan must start after the ticks to judge them.
    await new Promise((resolve) => setTimeout(resolve, 5));
    await scan(['gw', 'ollama', 'nodocker']);

    // Assert
    const after = stepsOf(await caseState());
    const judged = (id: string) => after.find((candidate) => candidate.id === id) ?? expect.fail(`the re-scanned plan lost step ${id}`);
    for (const move of [moveWebui, moveChatApp, moveTunnel]) {
      const outcome = judged(move.id);
      expect(outcome.routeAround, move.title).toMatchObject({ pointsAtTarget: true });
      expect(outcome.verified, `${move.title}: ${outcome.routeAround?.evidence.join('; ')}`).toBe(true);
    }
    expect(judged(moveChatApp.id).routeAround?.evidence.join(' ')).toContain('127.0.0.1:11434');
    const torndown = judged(teardown.id);
    expect(torndown.teardown?.filter((outcome) => outcome.state !== 'gone').map((outcome) => `${outcome.piece.kind} ${outcome.piece.name}: ${outcome.reason}`)).toEqual([]);
    expect(torndown.verified).toBe(true);
    // The re-scan of three hosts kept the other two in the case.
    expect((await caseState()).report!.hosts.map((host) => host.name).sort()).toEqual([...HOSTS].sort());
  }, 120_000);
});
