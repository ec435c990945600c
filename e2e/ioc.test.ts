/**
 * The built CLI (`npm run build:node`) scanning lab hosts for IOCs: the LiteLLM payload's
 * persistence planted on nodocker is reported, the clean busybox host reports none, no trap
 * trips, and a re-scan after the files are removed no longer reports them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IocFinding, ScanReport } from '../shared/model/index.js';
import { LAB_USER } from './lab/lab-hosts.js';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, requireBuiltCli, runCliScan } from './cli-run.js';

const HOME = `/home/${LAB_USER}`;

let lab: Lab;
let outputDir: string;

/** Runs `blast-radius scan` on the given lab hosts and returns its JSON report. */
async function scan(hosts: string[], name: string): Promise<ScanReport> {
  const args = ['scan', '--ssh-config', lab.sshConfigPath, ...hosts.flatMap((host) => ['--host', host])];
  const run = await runCliScan(args, { json: join(outputDir, `${name}.json`) }, { env: labCliEnv(outputDir) });
  // Exit 4 only says a host was not fully read (a partial host still gives its report).
  if (run.code !== 0 && run.code !== 4) throw new Error(`scan failed (exit ${run.code}): ${run.stderr}`);
  return run.report;
}

const iocs = (report: ScanReport, host: string): IocFinding[] =>
  report.findings.filter((finding): finding is IocFinding => finding.kind === 'ioc' && finding.host === host);
const places = (findings: readonly IocFinding[]): string[] => findings.map((finding) => `${finding.rule} ${finding.path ?? ''}`).sort();

beforeAll(async () => {
  requireBuiltCli();
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-ioc-'));
  lab = await startLab({ only: ['nodocker', 'alpine'] });
});

afterAll(async () => {
  await lab?.stop();
  if (outputDir) await rm(outputDir, { recursive: true, force: true });
});

describe('IOC search on the lab', () => {
  it('reports the LiteLLM persistence on nodocker, nothing on alpine, and trips no trap', async () => {
    const report = await scan(['nodocker', 'alpine'], 'first');

    expect(places(iocs(report, 'nodocker'))).toEqual([
      `litellm-exfil-domain ${HOME}/.bash_history`,
      'litellm-pg-state /tmp/.pg_state',
      `litellm-sysmon-script ${HOME}/.config/sysmon/sysmon.py`,
      `litellm-sysmon-unit ${HOME}/.config/systemd/user/sysmon.service`,
    ]);
    const unit = iocs(report, 'nodocker').find((finding) => finding.rule === 'litellm-sysmon-unit');
    expect(unit).toMatchObject({ severity: 'critical', unit: 'sysmon.service', source: expect.stringContaining('(primary)') });
    expect(unit?.evidence[0]).toContain('Description=System Telemetry Service');
    expect(iocs(report, 'nodocker').find((finding) => finding.rule === 'litellm-pg-state')?.source).toContain('(secondary)');
    expect(report.hosts.find((host) => host.name === 'nodocker')?.iocHits).toHaveLength(4);
    expect(iocs(report, 'alpine')).toEqual([]);
    expect(report.hosts.find((host) => host.name === 'alpine')).toMatchObject({ status: 'ok', iocHits: [] });
    expect(await lab.trippedTraps()).toEqual([]);
  });

  it('no longer reports the unit and the script once they are removed', async () => {
    await lab.removeFile('nodocker', `${HOME}/.config/systemd/user/sysmon.service`);
    await lab.removeFile('nodocker', `${HOME}/.config/sysmon/sysmon.py`);

    const report = await scan(['nodocker'], 'rescan');

    expect(places(iocs(report, 'nodocker'))).toEqual([`litellm-exfil-domain ${HOME}/.bash_history`, 'litellm-pg-state /tmp/.pg_state']);
    expect(await lab.trippedTraps()).toEqual([]);
  });
});
