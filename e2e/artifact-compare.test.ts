/**
 * The built CLI (`npm run build:node`) comparing installed copies on the lab (COPIES_HOSTS): a
 * litellm 1.82.8 whose own RECORD lists a stager .pth with a matching hash, and one whose
 * proxy_server.py differs with a matching RECORD, pass RECORD verification; a known-good wheel
 * written here catches both (`--known-good`), and so does "same version, different bytes" against
 * the clean copy on another host. Nothing on any host starts an interpreter.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactMismatchFinding, ScanReport } from '../shared/model/index.js';
import { writeWheelWithRecord } from '../electron/known-good/fixtures/archive-writers.js';
import { COPIES_HOSTS, LITELLM_1_82_8_CLEAN } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { distributionWheelFiles } from './lab/rootfs.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const PTH_SITE = '/usr/local/lib/python3.11/site-packages';
const VENV_SITE = '/opt/gateway/venv/lib/python3.11/site-packages';
const CLEAN_SITE = '/usr/lib/python3.12/site-packages';

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let exitCode: number;
let stderr: string;

const mismatches = (against: ArtifactMismatchFinding['against']): Array<[string, string, string, ArtifactMismatchFinding['files']]> =>
  report.findings
    .filter((finding): finding is ArtifactMismatchFinding => finding.kind === 'artifact-mismatch' && finding.against === against)
    .map((finding) => [finding.host, finding.path, finding.severity, finding.files] as [string, string, string, ArtifactMismatchFinding['files']])
    .sort((a, b) => (a[1] < b[1] ? -1 : 1));

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-compare-'));
  // The clean wheel, built from the files the lab installs for its clean copy.
  const wheel = join(outputDir, 'litellm-1.82.8-py3-none-any.whl');
  await writeFile(wheel, writeWheelWithRecord(distributionWheelFiles(LITELLM_1_82_8_CLEAN), 'litellm-1.82.8.dist-info'));
  lab = await startLab({ hosts: COPIES_HOSTS });
  const scan = await runCliScan(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'copies', '--host', 'clean', '--known-good', wheel], { json: join(outputDir, 'report.json') }, { env: labCliEnv(outputDir) });
  exitCode = scan.code;
  stderr = scan.stderr;
  report = scan.report;
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

describe('known-good comparison and same version, different bytes on the lab', () => {
  it('scans both hosts fully, having read the known-good wheel', () => {
    expect(exitCode).toBe(0);
    expect(report.hosts.map((host) => [host.name, host.status])).toEqual([
      ['copies', 'ok'],
      ['clean', 'ok'],
    ]);
    expect(stderr).toContain('known-good: litellm 1.82.8 from wheel litellm-1.82.8-py3-none-any.whl');
  });

  it('finds nothing for RECORD verification to report: each RECORD agrees with its files', () => {
    expect(report.findings.filter((finding) => finding.kind === 'record-mismatch')).toEqual([]);
  });

  it('catches the stager .pth and the proxy_server.py variant against the known-good wheel, and passes the clean copy', () => {
    expect(mismatches('known-good')).toEqual([
      ['copies', VENV_SITE, 'critical', [{ path: 'litellm/proxy/proxy_server.py', difference: 'modified' }]],
      ['copies', PTH_SITE, 'critical', [{ path: 'litellm_init.pth', difference: 'added' }]],
    ]);
    const litellm = report.copyComparisons?.find((comparison) => comparison.package === 'litellm');
    expect(litellm?.copies.map((copy) => [copy.host, copy.path, copy.knownGood])).toEqual([
      ['copies', PTH_SITE, 'differs'],
      ['copies', VENV_SITE, 'differs'],
      ['clean', CLEAN_SITE, 'matches'],
    ]);
  });

  it('flags both variants against the clean copy without any reference: same version, different bytes', () => {
    // Critical, as compromise evidence: the one adds a start-up hook no other copy holds, the other's
    // code departs from the majority in a release an advisory reports as malicious.
    expect(mismatches('other-copies')).toEqual([
      ['copies', VENV_SITE, 'critical', [{ path: 'litellm/proxy/proxy_server.py', difference: 'modified' }]],
      ['copies', PTH_SITE, 'critical', [{ path: 'litellm_init.pth', difference: 'added' }]],
    ]);
    expect(report.copyComparisons?.find((comparison) => comparison.package === 'litellm')?.variants).toBe(3);
  });

  it('starts no interpreter anywhere: the traps stay silent', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
  });
});
