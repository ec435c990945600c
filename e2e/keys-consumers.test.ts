/**
 * The CLI, built, scanning the lab for the keys it holds and who consumes its gateway: every key
 * planted in the lab (e2e/lab/planted-secrets.ts) is found by fingerprint with its provider and
 * every place it sits, the gateway's consumers are named with how they reach it, the SSH key that
 * leads from nodocker to ollama is an edge, and a rotated key is gone on the re-scan.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { blockersComeFirst, keyPlacesRemovedElsewhere } from '../shared/fixtures/plan-checks.js';
import { mergeIntoLedger, type CaseLedger } from '../shared/case/ledger.js';
import { PLAN_PHASES, generateChecklist, mergeProgress, type ChecklistStep } from '../shared/checklist/checklist.js';
import type { ConsumerFinding, Finding, GatewayFinding, ScanReport, SecretFinding, SshLateralFinding } from '../shared/model/index.js';
import { buildGatewayMaps } from '../shared/present/gateway-map.js';
import { startLab, type Lab } from './lab/lab.js';
import { LAB_SPEND_LOG, LAB_STORED } from './lab/litellm-postgres.js';
import { PSQL_CALL_LOG } from './lab/psql-call-log.js';
import { expectedFingerprint, PLANTED_SECRETS, type PlantedSecret } from './lab/planted-secrets.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const FINGERPRINT = /^[a-z0-9-]+:[0-9a-f]{12}:.{4}$/;

let lab: Lab;
let outputDir: string;
let report: ScanReport;

/** Scans the given hosts (all when none) and reads the JSON report. */
async function scan(name: string, hosts: string[] = []): Promise<ScanReport> {
  const selection = hosts.length ? hosts.flatMap((host) => ['--host', host]) : ['--all'];
  const run = await runCliScan(['scan', '--ssh-config', lab.sshConfigPath, ...selection], { json: join(outputDir, `${name}.json`) }, { env: labCliEnv(outputDir) });
  // Exit 4 only says a host was not fully read (a partial host still gives its report).
  if (run.code !== 0 && run.code !== 4) throw new Error(`scan ${name} exited ${run.code}: ${run.stderr}`);
  return run.report;
}

const ofKind = <K extends Finding['kind']>(from: ScanReport, kind: K) => from.findings.filter((finding): finding is Extract<Finding, { kind: K }> => finding.kind === kind);
const secretFindings = (from: ScanReport, secret: PlantedSecret): SecretFinding[] =>
  ofKind(from, 'secret').filter((finding) => finding.fingerprint === expectedFingerprint(secret));

/** The checklist's "verify the old key is gone" step for a fingerprint: the step a re-scan verifies by the key's absence. */
function verifyStep(steps: readonly ChecklistStep[], fingerprint: string): ChecklistStep | undefined {
  return steps.find((step) => step.title.startsWith('Verify') && step.gone?.kind === 'secret' && step.gone.fingerprint === fingerprint);
}
/** Whether the step, ticked at `tickedAt` on the hosts it names (as the app records a tick), counts as verified in `after`. */
function isVerified(after: ScanReport, step: ChecklistStep, tickedAt: string): boolean {
  const watchedHosts = step.gone?.kind === 'secret' ? step.gone.hosts : [];
  const progress = { [step.id]: { done: true, note: '', updatedAt: tickedAt, doneAt: tickedAt, watchedHosts } };
  const merged = mergeProgress(generateChecklist(after), progress, { scannedAt: after.scannedAt, hosts: after.hosts });
  return merged.steps.find((candidate) => candidate.id === step.id)?.verified ?? false;
}

/**
 * The step as the app judges it with no tick at all: the checklist of `after` with the case ledger
 * of every scan (as the case store keeps it), so a key the last scan no longer finds keeps its steps.
 */
function judgedFromLedger(scans: readonly ScanReport[], stepId: string) {
  const after = scans.at(-1)!;
  const ledger = scans.reduce<CaseLedger | null>((known, scan) => mergeIntoLedger(known, scan), null);
  const merged = mergeProgress(generateChecklist(after, ledger), {}, { scannedAt: after.scannedAt, hosts: after.hosts, findings: after.findings });
  return merged.steps.find((candidate) => candidate.id === stepId);
}

const ranks = (phases: readonly string[]): number[] => phases.map((phase) => (PLAN_PHASES as readonly string[]).indexOf(phase));

/** The lab's report as if its gateway had been judged not exposed: nothing compromised found in gw's litellm container. */
function notExposedGateway(from: ScanReport): ScanReport {
  const inGateway = (finding: Finding): boolean => finding.host === 'gw' && finding.container === 'litellm';
  // Every kind that is evidence of malicious code in the container (content signatures count since they exist).
  const compromise = new Set<Finding['kind']>(['compromised-package', 'executable-pth', 'ioc', 'record-mismatch', 'content-signature']);
  return {
    ...from,
    findings: from.findings.filter((finding) => !(inGateway(finding) && compromise.has(finding.kind))),
    exposures: (from.exposures ?? []).map((exposure) =>
      exposure.host === 'gw' && exposure.container === 'litellm' ? { ...exposure, verdict: 'not-exposed' as const, reasons: ['a clean release, pinned before the window'] } : exposure,
    ),
  };
}

beforeAll(async () => {
  requireBuiltCli('npm run build');
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-keys-'));
  lab = await startLab();
  report = await scan('report');
});

afterAll(async () => {
  await lab?.stop();
});

describe('keys and consumers in the lab', () => {
  it('finds every planted key as one secret finding with its provider and a fingerprint, never the value', () => {
    for (const secret of Object.values(PLANTED_SECRETS)) {
      const found = secretFindings(report, secret);
      expect(found, secret.id).toHaveLength(1);
      expect(found[0], secret.id).toMatchObject({ kind: 'secret', provider: secret.provider });
      expect(found[0]!.fingerprint, secret.id).toMatch(FINGERPRINT);
      expect(found[0]!.fingerprint.endsWith(`:${secret.value.slice(-4)}`), secret.id).toBe(true);
      for (const location of secret.locations) {
        expect(found[0]!.locations, `${secret.id} at ${location.host}:${location.container ?? '-'}:${location.path ?? location.variable}`).toContainEqual(
          expect.objectContaining({ host: location.host, container: location.container, ...(location.path ? { path: location.path } : {}) }),
        );
      }
    }
  });

  it('finds temporary AWS credentials in a second profile and says their session token came with them', () => {
    const [temporary] = secretFindings(report, PLANTED_SECRETS['aws-temp']);
    expect(temporary?.locations).toEqual([
      expect.objectContaining({
        host: 'nodocker',
        source: 'credentials-file',
        path: '/home/lab-blast/.aws/credentials',
        variable: '[ci-deploy] aws_secret_access_key (temporary credentials, with aws_session_token)',
      }),
    ]);
    // The long-term key of the default profile stays a key of its own.
    expect(secretFindings(report, PLANTED_SECRETS.aws)[0]?.fingerprint).not.toBe(temporary?.fingerprint);
  });

  it('finds the key written inline in a stack nothing runs from, and says the stack is idle', () => {
    const [stacked] = secretFindings(report, PLANTED_SECRETS['stack-xai']);
    expect(stacked?.locations).toEqual([
      expect.objectContaining({ host: 'nodocker', container: null, source: 'compose', path: '/opt/stacks/litellm-old/compose.yaml', variable: 'XAI_API_KEY' }),
    ]);
    const nodocker = report.hosts.find((host) => host.name === 'nodocker');
    expect(nodocker?.notes?.map((note) => note.message)).toContainEqual(expect.stringMatching(/compose stacks no container here was made from .*"\/opt\/stacks\/litellm-old\/compose\.yaml"; keys written in them still count/));
  });

  it('lists the OpenAI key once, at its two places on gw: the litellm container\'s environment and the compose .env', () => {
    const [openai] = secretFindings(report, PLANTED_SECRETS.openai);

    expect(openai?.locations).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ host: 'gw', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' }),
        expect.objectContaining({ host: 'gw', container: null, source: 'env-file', path: '/srv/ai-gateway/.env' }),
      ]),
    );
    expect(openai?.locations).toHaveLength(2);
  });

  it('ties the Anthropic key in gw\'s gateway to the same key in a shell rc on nodocker', () => {
    const [anthropic] = secretFindings(report, PLANTED_SECRETS.anthropic);

    expect(new Set(anthropic?.locations.map((location) => location.host))).toEqual(new Set(['gw', 'nodocker']));
    expect(anthropic?.locations).toContainEqual(expect.objectContaining({ host: 'nodocker', source: 'shell-rc', path: '/home/lab-blast/.bashrc' }));
  });

  it('fingerprints the private SSH key on nodocker the way OpenSSH does, and follows it to ollama as lab-blast', () => {
    const fingerprint = `ssh:${lab.lateralKey!.fingerprint}`;
    const key = ofKind(report, 'secret').find((finding) => finding.fingerprint === fingerprint);
    const lateral = ofKind(report, 'ssh-lateral');

    expect(key).toMatchObject({ provider: 'ssh' });
    expect(key?.locations).toContainEqual(expect.objectContaining({ host: 'nodocker', source: 'ssh-key', path: '/home/lab-blast/.ssh/id_ed25519' }));
    expect(lateral).toContainEqual(
      expect.objectContaining<Partial<SshLateralFinding>>({ fromHost: 'nodocker', toHost: 'ollama', toUser: 'lab-blast', keyFingerprint: fingerprint }),
    );
    expect(lateral.find((finding) => finding.fromHost === 'nodocker')?.evidence.length).toBeGreaterThan(0);
  });

  it('reports the litellm gateway with its published port and the Ollama backend on the ollama host', () => {
    const gateway = ofKind(report, 'gateway').find((finding) => finding.host === 'gw' && finding.container === 'litellm');

    expect(gateway).toMatchObject<Partial<GatewayFinding>>({ gateway: 'litellm' });
    expect(gateway?.backends.join('\n')).toContain(`${lab.hosts['ollama']!.address}:11434`);
    expect(gateway?.endpoints.join('\n')).toMatch(/4000/);
  });

  it('lists the virtual keys read from LiteLLM\'s database, and names the one open-webui presents', async () => {
    const virtual = expectedFingerprint(PLANTED_SECRETS['litellm-virtual']);
    const gateway = ofKind(report, 'gateway').find((finding) => finding.host === 'gw' && finding.container === 'litellm');
    const configs = report.hosts.find((host) => host.name === 'gw')?.gatewayConfigs ?? [];

    const keys = configs.find((config) => config.path === 'postgresql://db:5432/litellm')?.virtualKeys ?? [];
    expect(keys.slice(0, 2)).toEqual([
      { fingerprint: virtual, alias: 'open-webui', models: ['gpt-4o', 'claude'] },
      { fingerprint: 'litellm:6ab2dea06920:Wq7v', alias: 'ci-batch', models: ['llama3'], expires: '2026-06-30T00:00:00' },
    ]);
    // ci-batch's previous key, rotated and still accepted until its revoke_at (a week after the lab started).
    expect(keys.slice(2)).toEqual([expect.objectContaining({ fingerprint: expect.stringMatching(/^litellm:[0-9a-f]{12}$/), rotatedTo: 'litellm:6ab2dea06920:Wq7v', revokeAt: expect.any(String) })]);
    expect(gateway?.evidence).toContain(`Virtual key open-webui (gpt-4o, claude): ${virtual} (postgresql://db:5432/litellm)`);
    const openWebui = ofKind(report, 'consumer').find((finding) => finding.consumer === 'open-webui' && finding.gateway === 'litellm');
    expect(openWebui?.evidence.join('\n')).toContain('Presents virtual key open-webui (gpt-4o, claude)');
    // Read as the database's local superuser, read-only first, with no password given, in one psql run.
    const log = await readFile(join(lab.containers['ai-gateway-db-1']!.root, PSQL_CALL_LOG.slice(1)), 'utf8');
    expect(log).toContain('pgpassword unset\nstdin\nSET default_transaction_read_only = on;\n');
    expect(log).not.toContain('pgpassword set');
    expect(log.match(/^call$/gm)).toHaveLength(1);
  });

  it('opens the provider credential LiteLLM stores encrypted with the deployment\'s own key: the planted value\'s fingerprint, from the database', () => {
    const [stored] = secretFindings(report, PLANTED_SECRETS['db-openai']);
    expect(stored?.fingerprint).toBe(expectedFingerprint(PLANTED_SECRETS['db-openai']));
    expect(stored?.locations.filter((location) => location.source === 'gateway-db').map((location) => location.variable).sort()).toEqual([
      `credential_list[${LAB_STORED.credential}].credential_values.api_key`,
      `model_list[${LAB_STORED.model}].litellm_params.api_key`,
    ]);
    const route = report.hosts.find((host) => host.name === 'gw')?.gatewayConfigs?.find((config) => config.path === 'postgresql://db:5432/litellm')?.models.find((model) => model.name === LAB_STORED.model);
    expect(route).toMatchObject({ provider: 'openai', keyFingerprint: expectedFingerprint(PLANTED_SECRETS['db-openai']) });
  });

  it('counts the spend log\'s clients over the window in the database and shows them as gateway-db evidence on the gateway map', () => {
    const traffic = report.hosts.find((host) => host.name === 'gw')?.gatewayTraffic?.find((entry) => entry.source === 'gateway-db');
    const requests = Object.fromEntries((traffic?.clients ?? []).map((client) => [client.address, client.requests]));
    expect(requests).toEqual({
      [LAB_SPEND_LOG.openWebui.address]: LAB_SPEND_LOG.openWebui.inWindow,
      [LAB_SPEND_LOG.logOnly.address]: LAB_SPEND_LOG.logOnly.inWindow,
      [LAB_SPEND_LOG.databaseOnly.address]: LAB_SPEND_LOG.databaseOnly.inWindow,
    });
    expect(traffic?.clients.find((client) => client.address === LAB_SPEND_LOG.openWebui.address)?.keys).toEqual([{ key: expectedFingerprint(PLANTED_SECRETS['litellm-virtual']), requests: LAB_SPEND_LOG.openWebui.inWindow }]);

    const map = buildGatewayMaps(report).find((candidate) => candidate.host === 'gw' && candidate.name === 'litellm');
    const openWebui = map?.consumers.find((consumer) => consumer.name === 'open-webui');
    expect(openWebui?.evidence).toContain('gateway-db');
    const databaseOnly = map?.consumers.find((consumer) => consumer.name === LAB_SPEND_LOG.databaseOnly.address);
    expect(databaseOnly).toMatchObject({ kind: 'log-client', unidentified: true, edge: 'gateway-db', evidence: ['gateway-db'], requests: LAB_SPEND_LOG.databaseOnly.inWindow });
    expect(map?.consumers.filter((consumer) => consumer.name === LAB_SPEND_LOG.logOnly.address)).toHaveLength(1);
  });

  it('names the gateway\'s consumers and how each reaches it: shared network, host port, SSH tunnel', () => {
    const consumers = ofKind(report, 'consumer').filter((finding) => finding.gateway === 'litellm' && finding.gatewayHost === 'gw');
    const by = (host: string, via: ConsumerFinding['via']) => consumers.find((finding) => finding.consumerHost === host && finding.via === via);

    expect(by('gw', 'shared-network')).toMatchObject({ consumer: 'open-webui', container: 'open-webui' });
    expect(by('ollama', 'host-port')).toBeDefined();
    expect(by('nodocker', 'ssh-tunnel')).toBeDefined();
    expect(by('ollama', 'host-port')?.evidence.join('\n')).toContain('/opt/chat-app/.env');
    expect(by('nodocker', 'ssh-tunnel')?.evidence.join('\n')).toContain('llm-tunnel.service');
    for (const consumer of [by('gw', 'shared-network'), by('ollama', 'host-port'), by('nodocker', 'ssh-tunnel')]) expect(consumer?.evidence.length).toBeGreaterThan(0);
  });

  it("counts the gateway's logged requests per client over the window and backs the consumers with them, keeping no prompt or key", () => {
    const ollama = lab.hosts['ollama']!.address;
    const traffic = report.hosts.find((host) => host.name === 'gw')?.gatewayTraffic?.find((entry) => entry.container === 'litellm');
    const consumers = ofKind(report, 'consumer').filter((finding) => finding.gateway === 'litellm' && finding.gatewayHost === 'gw');

    // From the LiteLLM window's start: the 10:15 request before it is not read.
    expect(traffic?.window.start).toBe('2026-03-24T10:39:00.000Z');
    expect(traffic?.clients.map((client) => [client.address, client.requests]).sort()).toEqual([
      ['127.0.0.1', 1],
      [ollama, 3],
      ['172.20.0.3', 3],
      // An address no lab host or container holds: a client no scan accounts for, named only in the gateway's evidence.
      ['10.66.0.23', 2],
    ].sort());
    const gateway = ofKind(report, 'gateway').find((finding) => finding.host === 'gw' && finding.container === 'litellm');
    expect(gateway?.evidence).toContainEqual(expect.stringMatching(/^2 requests between 2026-03-24T11:47:03\.218Z and 2026-03-24T11:47:19\.902Z from 10\.66\.0\.23, not a scanned place$/));
    expect(consumers.some((finding) => finding.evidence.join('\n').includes('10.66.0.23'))).toBe(false);
    expect(traffic?.clients.find((client) => client.address === ollama)?.paths).toEqual(['/key/info', '/v1/chat/completions']);
    const webui = consumers.find((finding) => finding.consumer === 'open-webui');
    expect(webui?.via).toBe('shared-network');
    expect(webui?.evidence).toContainEqual(expect.stringMatching(/^3 requests between 2026-03-24T10:41:07\.552Z and 2026-03-24T12:07:40Z from 172\.20\.0\.3 in the gateway's log from 2026-03-24T10:39:00Z to .*: container open-webui on gw/));
    const fromOllama = consumers.filter((finding) => finding.consumerHost === 'ollama');
    expect(fromOllama.length).toBeGreaterThan(0);
    for (const finding of fromOllama) expect(finding.evidence).toContainEqual(expect.stringContaining(`3 requests between 2026-03-24T11:02:30.004Z and 2026-03-24T11:20:15.771Z from ${ollama}`));
    const json = JSON.stringify(report);
    expect(json).not.toContain('Project Falcon');
    expect(json).not.toContain(PLANTED_SECRETS['litellm-virtual'].value);
  });

  it('verifies a rotated key by re-scan: before removal the check still finds it, after removal it is gone everywhere', async () => {
    const fingerprint = expectedFingerprint(PLANTED_SECRETS.openai);
    const step = verifyStep(generateChecklist(report), fingerprint);
    expect(step, 'a "Verify …" checklist step for the OpenAI key').toBeDefined();
    expect(step?.verification).toBe('rescan');
    const tickedAt = new Date().toISOString();

    const stillThere = await scan('rescan-before-rotation', ['gw']);
    await lab.removePlantedSecret('openai');
    const rotated = await scan('rescan-after-rotation', ['gw']);

    expect(isVerified(stillThere, step!, tickedAt)).toBe(false);
    expect(JSON.stringify(rotated)).not.toContain(fingerprint);
    expect(isVerified(rotated, step!, tickedAt)).toBe(true);
    // Re-scanned without ticking anything: the ledger keeps the key's steps and the scan that read gw verifies them.
    expect(judgedFromLedger([report, stillThere], step!.id)).toMatchObject({ verified: false, stillFound: false, doneByEvidence: null });
    expect(judgedFromLedger([report, stillThere, rotated], step!.id)).toMatchObject({
      progress: null,
      verified: true,
      doneByEvidence: { scannedAt: rotated.scannedAt, hosts: ['gw'] },
    });
    expect(generateChecklist(rotated).some((candidate) => candidate.id === step!.id)).toBe(false);
    // The keys that were not rotated are still found.
    expect(secretFindings(rotated, PLANTED_SECRETS.anthropic)).toHaveLength(1);
  });

  it("carries the plan in the CLI's report: the gateway's host cut off first, keys rotated after it and never put back where the plan removes", () => {
    const plan = report.plan ?? [];
    const steps = generateChecklist(report);
    const openai = expectedFingerprint(PLANTED_SECRETS.openai);
    const replace = steps.find((step) => step.key?.role === 'replace' && step.key.fingerprint === openai)!;
    const rotate = steps.find((step) => step.key?.role === 'rotate' && step.key.fingerprint === openai)!;
    const moves = steps.filter((step) => step.gone?.kind === 'consumer' && step.gone.gateway === 'litellm' && step.gone.gatewayHost === 'gw');

    expect(plan.map((step) => step.id)).toEqual(steps.map((step) => step.id));
    expect(ranks(plan.map((step) => step.phase))).toEqual([...ranks(plan.map((step) => step.phase))].sort((a, b) => a - b));
    expect(plan[0]).toMatchObject({ id: 'contain:isolate-host:gw', phase: 'contain', blockedBy: [], state: 'open' });
    expect(blockersComeFirst(steps)).toEqual([]);
    expect(rotate.blockedBy).toContain('contain:isolate-host:gw');
    expect(replace.blockedBy).toEqual(expect.arrayContaining([rotate.id, 'contain:isolate-host:gw', 'teardown:remove-container:gw/litellm']));
    expect(plan.find((step) => step.id === replace.id)?.state).toBe('blocked');
    expect(replace.removedLocations).toContainEqual({
      location: expect.objectContaining({ host: 'gw', container: 'litellm', source: 'container-env' }),
      stepId: 'teardown:remove-container:gw/litellm',
    });
    expect(keyPlacesRemovedElsewhere(steps)).toEqual([]);
    expect(moves.length).toBeGreaterThanOrEqual(3);
    for (const move of moves) expect(move).toMatchObject({ phase: 'recover', blockedBy: ['contain:isolate-host:gw'] });
  });

  it('migrates first and removes after when the same gateway is judged not exposed', () => {
    const variant = notExposedGateway(report);

    const steps = generateChecklist(variant);
    const moves = steps.filter((step) => step.gone?.kind === 'consumer' && step.gone.gateway === 'litellm' && step.gone.gatewayHost === 'gw');
    const retire = steps.find((step) => step.id === 'recover:retire-gateway:gw/litellm');

    expect(steps.some((step) => step.id === 'teardown:remove-container:gw/litellm')).toBe(false);
    expect(moves.length).toBeGreaterThanOrEqual(3);
    for (const move of moves) expect(move.blockedBy ?? []).not.toContain('contain:isolate-host:gw');
    expect(retire).toMatchObject({ phase: 'recover', blockedBy: moves.map((move) => move.id) });
    expect(steps.indexOf(retire!)).toBeGreaterThan(Math.max(...moves.map((move) => steps.indexOf(move))));
    expect(blockersComeFirst(steps)).toEqual([]);
    expect(keyPlacesRemovedElsewhere(steps)).toEqual([]);
  });

  it('ran no trapped interpreter anywhere', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
  });
});
