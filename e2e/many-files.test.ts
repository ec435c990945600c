/**
 * The CLI, built, scanning a lab host that buries its key among 20,000 `.env` files under /opt
 * (issue 10, "bounded work per host"): the key in /root/.env is reported with its fingerprint,
 * well within the deadline, and the host's notes say where the listing stopped and how much was
 * left unread. The host set is its own (CROWDED_HOSTS), so the usual lab's tests are unaffected.
 */
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HostInventory, ScanReport, SecretFinding } from '../shared/model/index.js';
import { startLab, type Lab } from './lab/lab.js';
import { CROWDED_ENV_FILES, CROWDED_HOSTS } from './lab/lab-hosts.js';
import { expectedFingerprint, PLANTED_SECRETS } from './lab/planted-secrets.js';
import { labCliEnv, readReport, requireBuiltCli, runCli } from './cli-run.js';

/**
 * The budget the scan of this one host must stay within: two thirds of the 180 s the keys phase
 * alone was given, and timed out at, before the search was bounded.
 */
const DEADLINE_SECONDS = 120;

let lab: Lab;
let outputDir: string;
let run: { code: number; stdout: string; stderr: string };
let report: ScanReport;
let scanSeconds: number;

const crowded = (): HostInventory => {
  const found = report.hosts.find((host) => host.name === 'crowded');
  if (!found) throw new Error('no host crowded in the report');
  return found;
};

beforeAll(async () => {
  requireBuiltCli('npm run build');
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-many-files-'));
  lab = await startLab({ hosts: CROWDED_HOSTS });
  const file = join(outputDir, 'report.json');
  const started = performance.now();
  // The CLI holds the host to the same deadline, so a search that overran it would lose the key.
  run = await runCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'crowded', '--host-deadline', String(DEADLINE_SECONDS), '--json', file], {
    env: labCliEnv(outputDir),
    timeoutMs: 2 * DEADLINE_SECONDS * 1000,
  });
  scanSeconds = (performance.now() - started) / 1000;
  report = await readReport(file);
}, 4 * DEADLINE_SECONDS * 1000);

afterAll(async () => {
  await lab?.stop();
});

describe(`a host with ${CROWDED_ENV_FILES.toLocaleString('en-US')} .env files under /opt`, () => {
  it('is scanned well within the deadline', () => {
    console.info(`CLI scan of a host with ${CROWDED_ENV_FILES} .env files under /opt took ${scanSeconds.toFixed(2)} s`);
    // 4: the cap on .env files leaves the host partial (the rest were not read), so not every host was fully read.
    expect(crowded().status).toBe('partial');
    expect(run.code).toBe(4);
    expect(scanSeconds).toBeLessThan(DEADLINE_SECONDS);
    expect(crowded().notes ?? []).not.toContainEqual(expect.objectContaining({ message: expect.stringMatching(/ended early/) }));
  });

  it('reports the key in /root/.env by its fingerprint', () => {
    const secret = PLANTED_SECRETS.openai;
    const found = report.findings.filter((finding): finding is SecretFinding => finding.kind === 'secret' && finding.fingerprint === expectedFingerprint(secret));

    expect(found).toHaveLength(1);
    expect(found[0]).toMatchObject({ provider: secret.provider });
    expect(found[0]!.locations).toContainEqual(expect.objectContaining({ host: 'crowded', container: null, path: '/root/.env' }));
    expect(JSON.stringify(report)).not.toContain(secret.value);
  });

  it('names the cap in the host notes: what was skipped, where, and how much', () => {
    expect(crowded().status).toBe('partial');
    expect(crowded().notes).toContainEqual({
      collector: 'artifacts',
      message: `the host: stopped listing .env files under /opt after 500 files (${CROWDED_ENV_FILES.toLocaleString('en-US')} seen); the rest were not read`,
    });
  });
});
