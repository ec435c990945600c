/**
 * The built CLI (`npm run build:node`) comparing installed copies in real containers
 * (`startEngineLab({ copies: true })`, e2e/lab/engine-copies.ts): a running container whose
 * litellm 1.82.8 lists a stager .pth in its own RECORD, and a stopped one whose start-up reinstall
 * left a proxy_server.py variant with a RECORD that vouches for it, both pass RECORD verification;
 * a known-good wheel written here catches both (`--known-good`), and so does "same version,
 * different bytes" against the clean copy on another host. The running one is read through its
 * /proc/PID/root, the stopped one from its overlay layers; nothing anywhere starts an interpreter.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ArtifactMismatchFinding, ScanReport } from '../shared/model/index.js';
import { writeWheelWithRecord } from '../electron/known-good/fixtures/archive-writers.js';
import { COPIES_CLEAN_SITE, COPIES_CONTAINER_SITE } from './lab/engine-copies.js';
import { startEngineLab, type EngineLab } from './lab/engines.js';
import { LITELLM_1_82_8_CLEAN } from './lab/lab-hosts.js';
import { distributionWheelFiles } from './lab/rootfs.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const PTH = { path: 'litellm_init.pth', difference: 'added' } as const;
const PROXY = { path: 'litellm/proxy/proxy_server.py', difference: 'modified' } as const;

let lab: EngineLab;
let outputDir: string;
let report: ScanReport;
let markdown: string;
let exitCode: number;
let stderr: string;

/** The artifact-mismatch findings of one mechanism, as [host, container, path, severity, files], by container. */
const mismatches = (against: ArtifactMismatchFinding['against']) =>
  report.findings
    .filter((finding): finding is ArtifactMismatchFinding => finding.kind === 'artifact-mismatch' && finding.against === against && finding.package === 'litellm' && finding.version === '1.82.8')
    .map((finding) => [finding.host, finding.container, finding.path, finding.severity, finding.files] as const)
    .sort((a, b) => ((a[1] ?? '') < (b[1] ?? '') ? -1 : 1));

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-container-copies-'));
  // The clean wheel, built from the files the lab installs for its clean copy.
  const wheel = join(outputDir, 'litellm-1.82.8-py3-none-any.whl');
  await writeFile(wheel, writeWheelWithRecord(distributionWheelFiles(LITELLM_1_82_8_CLEAN), 'litellm-1.82.8.dist-info'));
  lab = await startEngineLab({ copies: true });
  const scan = await runCliScan(
    ['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--host', 'ollama', '--known-good', wheel],
    { json: join(outputDir, 'report.json'), markdown: join(outputDir, 'report.md') },
    { env: labCliEnv(outputDir), timeoutMs: 150_000 },
  );
  exitCode = scan.code;
  stderr = scan.stderr;
  report = scan.report;
  markdown = scan.markdown;
}, 240_000);

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

describe('known-good comparison and same version, different bytes in real containers', () => {
  it('reads both hosts fully, the running copy through /proc/PID/root and the stopped one from its layers', () => {
    expect(stderr).toContain('known-good: litellm 1.82.8 from wheel litellm-1.82.8-py3-none-any.whl');
    expect(exitCode).toBe(0);
    expect(report.hosts.map((host) => [host.name, host.status])).toEqual([
      ['gw', 'ok'],
      ['ollama', 'ok'],
    ]);
    const gw = report.hosts.find((host) => host.name === 'gw')!;
    expect(gw.containers.filter((container) => ['llm-router', 'eval-worker'].includes(container.name)).map((container) => [container.name, container.running, container.readVia]).sort()).toEqual([
      ['eval-worker', false, 'layers'],
      ['llm-router', true, 'proc-root'],
    ]);
  });

  it('hashes every copy and finds no RECORD problem in the three copies built to pass it', () => {
    const litellm = report.copyComparisons?.find((comparison) => comparison.package === 'litellm' && comparison.version === '1.82.8');
    expect(litellm?.copies.map((copy) => [copy.host, copy.container, copy.path, copy.incomplete ?? false]).sort()).toEqual([
      ['gw', 'eval-worker', COPIES_CONTAINER_SITE, false],
      ['gw', 'litellm', COPIES_CONTAINER_SITE, false],
      ['gw', 'llm-router', COPIES_CONTAINER_SITE, false],
      ['ollama', null, COPIES_CLEAN_SITE.path, false],
    ]);
    // The gateway container's copy was edited after install (the default lab's RECORD case); the three built ones agree with their RECORDs.
    expect(report.findings.filter((finding) => finding.kind === 'record-mismatch').map((finding) => [finding.host, finding.container])).toEqual([['gw', 'litellm']]);
  });

  it('catches the stager .pth and the proxy_server.py variant against the known-good wheel, naming each container, and passes the clean copy', () => {
    expect(mismatches('known-good')).toEqual([
      ['gw', 'eval-worker', COPIES_CONTAINER_SITE, 'critical', [PROXY]],
      ['gw', 'litellm', COPIES_CONTAINER_SITE, 'critical', [PROXY, PTH]],
      ['gw', 'llm-router', COPIES_CONTAINER_SITE, 'critical', [PTH]],
    ]);
    const titles = report.findings.filter((finding) => finding.kind === 'artifact-mismatch').map((finding) => finding.title);
    expect(titles).toContain('litellm 1.82.8 differs from the known-good wheel (1 added) in container llm-router on gw');
    expect(titles).toContain('litellm 1.82.8 differs from the known-good wheel (1 modified) in container eval-worker on gw');
    const litellm = report.copyComparisons?.find((comparison) => comparison.package === 'litellm' && comparison.version === '1.82.8');
    expect(litellm?.copies.find((copy) => copy.host === 'ollama')?.knownGood).toBe('matches');
  });

  it('flags both container variants against the clean copy without any reference, and not the clean copy', () => {
    expect(mismatches('other-copies')).toEqual([
      ['gw', 'eval-worker', COPIES_CONTAINER_SITE, 'critical', [PROXY]],
      ['gw', 'litellm', COPIES_CONTAINER_SITE, 'critical', [PROXY, PTH]],
      ['gw', 'llm-router', COPIES_CONTAINER_SITE, 'critical', [PTH]],
    ]);
    expect(report.findings.some((finding) => finding.kind === 'artifact-mismatch' && finding.host === 'ollama')).toBe(false);
  });

  it('counts both container variants as compromise evidence, and says so in their evidence and their places\' exposure reasons', () => {
    for (const container of ['llm-router', 'eval-worker']) {
      expect(markdown).toContain(`Counted as compromise evidence in container ${container} on gw`);
      const reasons = report.exposures!.filter((exposure) => exposure.container === container && exposure.package === 'litellm').flatMap((exposure) => exposure.reasons);
      expect(reasons.some((reason) => reason.startsWith("Its files are not the release's: litellm 1.82.8 differs from"))).toBe(true);
    }
    const clean = report.exposures!.filter((exposure) => exposure.host === 'ollama' && exposure.package === 'litellm').flatMap((exposure) => exposure.reasons);
    expect(clean.some((reason) => reason.startsWith("Its files are not the release's"))).toBe(false);
  });

  it('starts no interpreter anywhere: the traps stay silent', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
  });
});
