/**
 * The built CLI (`npm run build:node`) reading start-up hooks on the lab: the stager dropped as
 * `sitecustomize.py` in nodocker's user site and the payload strings in its litellm 1.82.7
 * `proxy_server.py` (listed in its own RECORD) are content-signature findings, the owner's own
 * `sitecustomize.py` in ollama's virtualenv is read and not reported, litellm's stand-in `.pth`
 * (which starts a process) matches the process-start shape, and nothing started an interpreter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ContentSignatureFinding, ScanReport } from '../shared/model/index.js';
import { startLab, type Lab } from './lab/lab.js';
import { LAB_USER } from './lab/lab-hosts.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const USER_SITE = `/home/${LAB_USER}/.local/lib/python3.11/site-packages`;
const VENV_SITE = '/opt/ollama-tools/venv/lib/python3.11/site-packages';

let lab: Lab;
let outputDir: string;
let report: ScanReport;

const signatureFindings = (): ContentSignatureFinding[] =>
  report.findings.filter((finding): finding is ContentSignatureFinding => finding.kind === 'content-signature');

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-hooks-'));
  lab = await startLab({ only: ['gw', 'ollama', 'nodocker'] });
  const hosts = ['gw', 'ollama', 'nodocker'].flatMap((host) => ['--host', host]);
  report = (await runCliScan(['scan', '--ssh-config', lab.sshConfigPath, ...hosts], { json: join(outputDir, 'report.json') }, { env: labCliEnv(outputDir) })).report;
});

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

describe('start-up hooks and content signatures on the lab', () => {
  it('flags the sitecustomize.py stager on nodocker by its content, as critical, citing the Sigma rule', () => {
    const finding = signatureFindings().find((candidate) => candidate.host === 'nodocker' && candidate.file === 'sitecustomize');

    expect(finding).toMatchObject({
      id: `content-signature:nodocker:host:${USER_SITE}/sitecustomize.py`,
      severity: 'critical',
      file: 'sitecustomize',
      package: null,
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(finding?.signatures).toEqual(expect.arrayContaining(['teampcp-litellm-stager', 'exec-of-decoded-text']));
    expect(finding?.evidence.join('\n')).toContain('SigmaHQ');
  });

  it('reads the benign sitecustomize.py in ollama\'s virtualenv and reports nothing about it', () => {
    const ollama = report.hosts.find((host) => host.name === 'ollama')!;
    const venv = ollama.pythonEnvironments.find((environment) => environment.path === VENV_SITE);

    expect(venv?.startupHooks?.map((hook) => [hook.path, hook.kind, hook.signatures])).toEqual([[`${VENV_SITE}/sitecustomize.py`, 'sitecustomize', []]]);
    expect(signatureFindings().filter((finding) => finding.host === 'ollama')).toEqual([]);
    // Its text is not kept in the report.
    expect(JSON.stringify(report)).not.toContain('lib/python"))');
  });

  it("matches litellm's stand-in .pth (it starts a process) by shape, at high", () => {
    const finding = signatureFindings().find((candidate) => candidate.host === 'gw' && candidate.container === 'litellm');

    expect(finding).toMatchObject({ file: 'pth', severity: 'high', package: 'litellm', signatures: ['startup-hook-spawns-process'] });
  });

  it("finds the payload's strings in the 1.82.7 proxy_server.py its own RECORD lists (no .pth), as a package-file finding", () => {
    const finding = signatureFindings().find((candidate) => candidate.host === 'nodocker' && candidate.file === 'package-file');

    expect(finding).toMatchObject({ severity: 'critical', package: 'litellm', path: `${USER_SITE}/litellm/proxy/proxy_server.py` });
    expect(finding?.signatures).toEqual(expect.arrayContaining(['litellm-exfil-domain-in-code', 'teampcp-exfil-archive']));
    // RECORD agrees with the file: verification alone would not have caught it.
    const litellm = report.hosts.find((host) => host.name === 'nodocker')!.pythonEnvironments.flatMap((environment) => environment.packages).find((pkg) => pkg.name === 'litellm');
    expect(litellm?.record?.problems).toEqual([]);
  });

  it('started no interpreter anywhere', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });
});
