/**
 * The built CLI (`npm run build:node`) auditing `.pth` files and verifying RECORDs on the lab:
 * setuptools' and virtualenv's .pth files stay info, litellm 1.82.8's .pth is an executable-pth
 * finding, the proxy_server.py edited after install is a record-mismatch, and nothing on any host
 * started an interpreter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExecutablePthFinding, Finding, RecordMismatchFinding, ScanReport } from '../shared/model/index.js';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const LITELLM_SITE = '/usr/local/lib/python3.11/site-packages';

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let exitCode: number;

const pthFindings = (): ExecutablePthFinding[] => report.findings.filter((finding): finding is ExecutablePthFinding => finding.kind === 'executable-pth');
const recordFindings = (): RecordMismatchFinding[] => report.findings.filter((finding): finding is RecordMismatchFinding => finding.kind === 'record-mismatch');
const place = (finding: Finding): string => `${finding.host}/${finding.container ?? '-'}`;

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-pth-'));
  lab = await startLab({ only: ['gw', 'ollama'] });
  const scan = await runCliScan(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--host', 'ollama'], { json: join(outputDir, 'report.json') }, { env: labCliEnv(outputDir) });
  exitCode = scan.code;
  report = scan.report;
});

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

describe('.pth audit and RECORD verification on the lab', () => {
  it('scans both hosts', () => {
    // 0 only when both hosts were fully read, else 4 (a host not fully read: a stopped container's files, for one).
    expect(exitCode).toBe(report.hosts.every((host) => host.status === 'ok') ? 0 : 4);
    expect(report.hosts.map((host) => host.name)).toEqual(['gw', 'ollama']);
  });

  it("keeps setuptools' distutils-precedence.pth and virtualenv's _virtualenv.pth at info", () => {
    const benign = pthFindings().filter((finding) => finding.host === 'ollama');

    expect(benign.map((finding) => [finding.path, finding.severity, finding.package])).toEqual([
      ['/opt/ollama-tools/venv/lib/python3.11/site-packages/_virtualenv.pth', 'info', null],
      ['/usr/lib/python3/dist-packages/distutils-precedence.pth', 'info', null],
    ].sort((a, b) => (a[0]! < b[0]! ? -1 : 1)));
  });

  it('reports litellm_init.pth in the litellm container as an executable-pth finding owned by litellm', () => {
    const [finding, ...others] = pthFindings().filter((candidate) => place(candidate) === 'gw/litellm');

    expect(others).toEqual([]);
    // The lab file is a harmless stand-in (not the real payload's bytes), so it is unrecognised code: high.
    expect(finding).toMatchObject({
      id: `executable-pth:gw:container=litellm:${LITELLM_SITE}/litellm_init.pth`,
      severity: 'high',
      path: `${LITELLM_SITE}/litellm_init.pth`,
      package: 'litellm',
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
    });
    expect(finding?.evidence).toContain('Executed line: import os; os.system("true")  # blast-radius lab stand-in for the 1.82.8 payload, harmless');
    const inventory = report.hosts[0]!.pythonEnvironments.find((environment) => environment.container === 'litellm' && environment.path === LITELLM_SITE);
    expect(inventory?.pthFiles?.map((file) => file.owner)).toEqual(['litellm']);
  });

  it('reports proxy_server.py, edited after install, as a critical record-mismatch of litellm 1.82.8', () => {
    const findings = recordFindings();

    expect(findings.map((finding) => [place(finding), finding.package, finding.version, finding.severity, finding.files])).toEqual([
      ['gw/litellm', 'litellm', '1.82.8', 'critical', [{ path: 'litellm/proxy/proxy_server.py', problem: 'modified' }]],
    ]);
    const litellm = report.hosts[0]!.pythonEnvironments.flatMap((environment) => environment.packages).find((pkg) => pkg.name === 'litellm' && pkg.version === '1.82.8');
    expect(litellm?.record?.checked).toBeGreaterThan(0);
  });

  it('does not verify distributions no advisory covers', () => {
    const verified = report.hosts.flatMap((host) => host.pythonEnvironments.flatMap((environment) => environment.packages.filter((pkg) => pkg.record)));

    expect(verified.map((pkg) => `${pkg.name} ${pkg.version}`)).toEqual(['litellm 1.82.8']);
  });

  it('started no trapped interpreter on any host or container', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });
});
