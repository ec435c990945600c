/**
 * The built CLI (`npm run build:node`) scanning a LiteLLM installed with pip into a virtualenv and
 * run by systemd (SERVICE_HOSTS: `svcgw`, and `svcapp`, which calls it): the unit, its
 * virtualenv, the config its --config names outside every searched folder, its EnvironmentFile
 * and port; their keys by fingerprint; the journal read with the host's own journalctl over the
 * window, per client; the plan's stop-and-disable and teardown pieces. Nothing on any host starts
 * an interpreter, and no key or prompt of the journal reaches any output.
 */
import { mkdtemp, readFile, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateChecklist } from '../shared/checklist/checklist.js';
import type { ConsumerFinding, GatewayFinding, ScanReport } from '../shared/model/index.js';
import { SERVICE_GATEWAY_UNIT, SERVICE_HOSTS } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { expectedFingerprint, leakNeedles, SERVICE_GATEWAY_FILES, SERVICE_GATEWAY_SECRETS } from './lab/planted-secrets.js';
import { labCliEnv, readReport, requireBuiltCli, runCli } from './cli-run.js';

const VENV_SITE = `${SERVICE_GATEWAY_UNIT.venv}/lib/python3.11/site-packages`;
const GATEWAY_ID = `gateway:svcgw:service=${SERVICE_GATEWAY_UNIT.name}`;

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let markdown: string;
let exitCode: number;
let stdout: string;
let stderr: string;

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-service-'));
  lab = await startLab({ hosts: SERVICE_HOSTS });
  const json = join(outputDir, 'report.json');
  const md = join(outputDir, 'report.md');
  const run = await runCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'svcgw', '--host', 'svcapp', '--json', json, '-o', `markdown=${md}`], { env: labCliEnv(outputDir) });
  exitCode = run.code;
  stdout = run.stdout;
  stderr = run.stderr;
  report = await readReport(json);
  markdown = await readFile(md, 'utf8');
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

const svcgw = () => report.hosts.find((host) => host.name === 'svcgw')!;
const gateway = () => report.findings.find((finding): finding is GatewayFinding => finding.id === GATEWAY_ID);

describe('a pip-installed LiteLLM under systemd on the lab', () => {
  it('reads both hosts fully', () => {
    expect(report.hosts.map((host) => [host.name, host.status])).toEqual([
      ['svcgw', 'ok'],
      ['svcapp', 'ok'],
    ]);
    expect(exitCode, stderr).not.toBe(-1);
  });

  it('finds the unit with its virtualenv, the config its --config names, its environment file and port', () => {
    expect(svcgw().gatewayServices).toEqual([
      {
        gateway: 'litellm',
        unit: SERVICE_GATEWAY_UNIT.name,
        path: SERVICE_GATEWAY_UNIT.path,
        scope: 'system',
        program: `${SERVICE_GATEWAY_UNIT.venv}/bin/litellm`,
        arguments: ['--config', SERVICE_GATEWAY_FILES.config, '--host', '0.0.0.0', '--port', String(SERVICE_GATEWAY_UNIT.port)],
        venv: SERVICE_GATEWAY_UNIT.venv,
        configPaths: [SERVICE_GATEWAY_FILES.config],
        workingDirectory: '/var/lib/litellm-proxy',
        environmentFiles: [SERVICE_GATEWAY_FILES.envFile],
        ports: [SERVICE_GATEWAY_UNIT.port],
        serviceUser: 'litellm',
      },
    ]);
    // The venv is scanned as a Python environment: the compromised litellm is in it.
    expect(svcgw().pythonEnvironments.find((environment) => environment.path === VENV_SITE)?.packages.map((pkg) => `${pkg.name} ${pkg.version}`)).toContain('litellm 1.82.8');
    expect(report.findings.some((finding) => finding.kind === 'compromised-package' && finding.host === 'svcgw' && finding.container === null)).toBe(true);
  });

  it('reports its keys by fingerprint where they are: inline in the config, in the environment file', () => {
    for (const secret of Object.values(SERVICE_GATEWAY_SECRETS)) {
      const seen = (svcgw().secrets ?? []).filter((sighting) => sighting.fingerprint === expectedFingerprint(secret));
      for (const { host: _host, ...location } of secret.locations) expect(seen, secret.id).toContainEqual(expect.objectContaining({ ...location, provider: secret.provider }));
    }
    const config = svcgw().gatewayConfigs?.find((entry) => entry.path === SERVICE_GATEWAY_FILES.config);
    // os.environ/OPENAI_API_KEY resolves against the unit's EnvironmentFile.
    expect(config?.models.map((model) => [model.name, model.provider, model.keyFingerprint])).toEqual([
      ['llama-3.3-70b', 'groq', expectedFingerprint(SERVICE_GATEWAY_SECRETS['svc-groq'])],
      ['gpt-4o', 'openai', expectedFingerprint(SERVICE_GATEWAY_SECRETS['svc-openai'])],
    ]);
  });

  it('is a critical gateway finding named by its unit, reached on its port', () => {
    expect(gateway()).toMatchObject({ container: null, service: SERVICE_GATEWAY_UNIT.name, gateway: 'litellm', severity: 'critical' });
    // The lab's hosts have only loopback addresses, which reach nothing from elsewhere: the endpoint is named by the host.
    expect(gateway()!.endpoints).toEqual([`svcgw:${SERVICE_GATEWAY_UNIT.port}`]);
    expect(gateway()!.evidence).toEqual(
      expect.arrayContaining([
        `Config named by its command: ${SERVICE_GATEWAY_FILES.config}`,
        `Environment file: ${SERVICE_GATEWAY_FILES.envFile}`,
        `Installed in virtualenv ${SERVICE_GATEWAY_UNIT.venv}`,
        `Listens on port ${SERVICE_GATEWAY_UNIT.port}`,
      ]),
    );
  });

  it("counts the journal's clients in the window: svcapp, an address no lab host holds, and the host itself", () => {
    const traffic = svcgw().gatewayTraffic?.find((entry) => entry.unit === SERVICE_GATEWAY_UNIT.name);
    expect(traffic?.container).toBeNull();
    expect(traffic?.clients.map((client) => [client.address, client.requests])).toEqual([
      [lab.hosts.svcapp!.address, 3],
      ['10.66.0.31', 2],
      ['127.0.0.1', 1],
    ]);
    const consumer = report.findings.find((finding): finding is ConsumerFinding => finding.kind === 'consumer' && finding.consumerHost === 'svcapp');
    expect(consumer).toMatchObject({ gateway: SERVICE_GATEWAY_UNIT.name, gatewayHost: 'svcgw', via: 'gateway-log' });
    expect(gateway()!.evidence).toContain(`2 requests between 2026-03-24T11:47:10Z and 2026-03-24T11:48:00Z from 10.66.0.31, not a scanned place`);
  });

  it('plans to stop and disable the unit, then remove it and its virtualenv, with every teardown piece', () => {
    const plan = report.plan ?? [];
    const stop = plan.find((step) => step.id === `contain:stop-service:svcgw/${SERVICE_GATEWAY_UNIT.name}`);
    const remove = plan.find((step) => step.id === `teardown:remove-service:svcgw/${SERVICE_GATEWAY_UNIT.name}`);
    const teardown = plan.find((step) => step.id === `verify:teardown:svcgw/${SERVICE_GATEWAY_UNIT.name}`);
    expect(stop).toMatchObject({ phase: 'contain', title: `Stop and disable gateway service ${SERVICE_GATEWAY_UNIT.name} on svcgw` });
    expect(remove).toMatchObject({ phase: 'eradicate', title: `Remove gateway service ${SERVICE_GATEWAY_UNIT.name} and its virtualenv from svcgw` });
    expect(remove!.blockedBy).toContain(stop!.id);
    // The commands the app and the checklist show (the report's plan carries no commands).
    const steps = generateChecklist(report);
    expect(steps.find((step) => step.id === stop!.id)?.command).toBe(
      `sudo journalctl -u ${SERVICE_GATEWAY_UNIT.name} --no-pager -o short-iso > ${SERVICE_GATEWAY_UNIT.name}-journal.txt 2>&1; sudo systemctl disable --now ${SERVICE_GATEWAY_UNIT.name}`,
    );
    expect(steps.find((step) => step.id === remove!.id)?.command).toBe(`sudo rm -f -- ${SERVICE_GATEWAY_UNIT.path} && sudo rm -rf -- ${SERVICE_GATEWAY_UNIT.venv} && sudo systemctl daemon-reload`);
    for (const piece of [
      `Gateway service unit ${SERVICE_GATEWAY_UNIT.name} (${SERVICE_GATEWAY_UNIT.path}) on svcgw`,
      `Virtualenv ${SERVICE_GATEWAY_UNIT.venv} on svcgw`,
      `Config file with keys ${SERVICE_GATEWAY_FILES.config} on svcgw`,
      `Config file with keys ${SERVICE_GATEWAY_FILES.envFile} on svcgw`,
    ]) {
      expect(teardown?.detail).toContain(piece);
    }
  });

  it('starts no interpreter anywhere, and no key or prompt of the journal reaches any output', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    const outputs = [JSON.stringify(report), markdown, stdout, stderr];
    for (const name of await readdir(outputDir, { recursive: true })) {
      const file = join(outputDir, String(name));
      if (!['report.json', 'report.md'].includes(String(name))) outputs.push(await readFile(file, 'utf8').catch(() => ''));
    }
    const all = outputs.join('\n');
    for (const secret of Object.values(SERVICE_GATEWAY_SECRETS)) for (const needle of leakNeedles(secret.value)) expect(all).not.toContain(needle);
    expect(all).not.toContain('Project Falcon');
    expect(all).not.toContain('10.77.0.9');
  });
});
