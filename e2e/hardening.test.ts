/**
 * The built CLI (`npm run build:node`) judging the hardening posture of the lab's HARDEN_HOSTS: a
 * virtualenv with loose pins on public PyPI, upgraded nightly by cron, gets a hardening finding
 * with each gap and a Harden step per gap; a virtualenv with hash pins and a private mirror gets
 * none. The index token in a unit reaches the report only as a fingerprint, and nothing on the
 * host starts an interpreter.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HardeningGapFinding, ScanReport } from '../shared/model/index.js';
import { HARDEN_HOSTS, HARDEN_INDEX_TOKEN, HARDEN_PRIVATE_INDEX } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const LOOSE_SITE = '/srv/loose-app/venv/lib/python3.11/site-packages';
const LOCKED_SITE = '/srv/locked-app/.venv/lib/python3.11/site-packages';

let lab: Lab;
let outputDir: string;
let report: ScanReport;
let reportText: string;
let markdown: string;
let exitCode: number;

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-harden-'));
  lab = await startLab({ hosts: HARDEN_HOSTS });
  const scan = await runCliScan(
    ['scan', '--ssh-config', lab.sshConfigPath, '--host', 'harden'],
    { json: join(outputDir, 'report.json'), markdown: join(outputDir, 'report.md') },
    { env: labCliEnv(outputDir) },
  );
  exitCode = scan.code;
  reportText = scan.reportText;
  report = scan.report;
  markdown = scan.markdown;
}, 180_000);

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

const hardening = (): HardeningGapFinding[] => report.findings.filter((finding): finding is HardeningGapFinding => finding.kind === 'hardening-gap');

describe('hardening posture on the lab', () => {
  it('reads the host fully', () => {
    expect(exitCode).toBe(0);
    expect(report.hosts.map((host) => [host.name, host.status])).toEqual([['harden', 'ok']]);
  });

  it('finds every gap of the virtualenv with loose pins on public PyPI upgraded by cron, and none for the hash-pinned one on a private mirror', () => {
    expect(hardening().map((finding) => [finding.environment, finding.severity, finding.project])).toEqual([[LOOSE_SITE, 'low', '/srv/loose-app']]);
    expect(hardening()[0]!.gaps).toEqual([
      { gap: 'no-hash-pins', detail: '/srv/loose-app/requirements.txt records no hashes, and pins loosely: litellm>=1.80, openai', source: '/srv/loose-app/requirements.txt' },
      { gap: 'public-index', detail: 'pip installs from public PyPI, https://pypi.org/simple (index-url in /etc/pip.conf)', source: '/etc/pip.conf' },
      {
        gap: 'unattended-upgrade',
        detail: 'Runs unattended: 30 4 * * * root /srv/loose-app/venv/bin/pip install -U -r /srv/loose-app/requirements.txt',
        source: '/etc/cron.d/loose-app-upgrade',
      },
    ]);
  });

  it("shows why the locked virtualenv passes: its hashes, its own pip.conf's mirror, and the unit's authenticated extra index by fingerprint only", () => {
    const locked = report.hosts[0]!.hardening?.find((posture) => posture.environment === LOCKED_SITE);
    expect(locked?.pinFiles).toEqual([{ path: '/srv/locked-app/requirements.txt', kind: 'requirements', hashes: true, loose: [] }]);
    expect(locked?.indexes.map(({ url, role, public: isPublic, source }) => [url, role, isPublic, source])).toEqual([
      [HARDEN_PRIVATE_INDEX, 'primary', false, 'index-url in /srv/locked-app/.venv/pip.conf'],
      ['https://ci:***@devpi.lab.example/ci/+simple/', 'extra', false, 'PIP_EXTRA_INDEX_URL in /etc/systemd/system/locked-app.service'],
    ]);
    const credential = locked?.indexes[1]?.credential;
    expect(credential).toMatch(/^unknown:[0-9a-f]{12}:/);
    // The same fingerprint the secret search gives the token, so it is one key to rotate.
    expect(report.findings.some((finding) => finding.kind === 'secret' && finding.fingerprint === credential)).toBe(true);
    expect(reportText).not.toContain(HARDEN_INDEX_TOKEN);
    expect(markdown).not.toContain(HARDEN_INDEX_TOKEN);
  });

  it('lists one Harden step per gap of the loose virtualenv, in the JSON and the Markdown plan', () => {
    const harden = (report.plan ?? []).filter((step) => step.phase === 'harden');
    expect(harden.map((step) => step.title)).toEqual([
      'Pin /srv/loose-app/venv on harden exactly, with hashes',
      'Install /srv/loose-app/venv on harden through a private mirror or allowlist proxy',
      'Stop unattended upgrades of /srv/loose-app/venv on harden (/etc/cron.d/loose-app-upgrade)',
    ]);
    for (const step of harden) expect(markdown).toContain(step.title);
  });

  it('started nothing on the host: the traps stay silent', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });
});
