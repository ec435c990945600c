/**
 * The CLI, built (`npm run build`), scanning the test lab of real sshd hosts: the issue's "done
 * when" in one place. The lab is started once for the file; each test reads the same scan.
 */
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CompromisedPackageFinding, HostInventory, ScanReport } from '../shared/model/index.js';
import { BUNDLED_ADVISORY_FILES } from '../shared/domain/advisories/bundled-data.js';
import { REPORT_FORMATS, REPORT_RENDERERS } from '../shared/report-formats/index.js';
import { startLab, type Lab } from './lab/lab.js';
import { zipArchive } from './zip-archive.js';
import { cycloneDxValidator, sarifValidator, schemaErrors } from './schemas/validators.js';
import { pdfText } from './pdf-text.js';
import { labCliEnv, requireBuiltCli, runCli, type CliRun } from './cli-run.js';
import { chromiumPdfPrinter } from '../electron/pdf/chromium-printer.js';

/** Runs the CLI with its state in this file's folder (XDG_STATE_HOME keeps --accept-new out of the developer's own). */
const runLabCli = (args: string[]): Promise<CliRun> => runCli(args, { env: labCliEnv(outputDir) });

let lab: Lab;
let outputDir: string;
let scan: CliRun;
let report: ScanReport;
let scanSeconds: number;

/** Where the main scan writes each format. */
const formatFile = (format: keyof typeof REPORT_RENDERERS): string => join(outputDir, `report.${REPORT_RENDERERS[format].extension}`);

const host = (name: string): HostInventory => {
  const found = report.hosts.find((candidate) => candidate.name === name);
  if (!found) throw new Error(`no host ${name} in the report`);
  return found;
};
/** The compromised-package findings of one place (other kinds are other tests' business). */
const findingsFor = (name: string, container: string | null): CompromisedPackageFinding[] =>
  report.findings.filter(
    (finding): finding is CompromisedPackageFinding => finding.kind === 'compromised-package' && finding.host === name && finding.container === container,
  );

beforeAll(async () => {
  requireBuiltCli('npm run build');
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-cli-'));
  lab = await startLab();
  const started = performance.now();
  // --json and --markdown (the aliases), and every other format with -o, all from one scan.
  const outputs = REPORT_FORMATS.filter((format) => format !== 'json' && format !== 'markdown').flatMap((format) => ['-o', `${format}=${formatFile(format)}`]);
  scan = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--all', '--json', join(outputDir, 'report.json'), '--markdown', join(outputDir, 'report.md'), ...outputs, '-o', `pdf=${join(outputDir, 'report.pdf')}`]);
  scanSeconds = (performance.now() - started) / 1000;
  report = JSON.parse(await readFile(join(outputDir, 'report.json'), 'utf8')) as ScanReport;
});

afterAll(async () => {
  await lab?.stop();
});

describe('blast-radius scan on the lab', () => {
  it('writes every report and a summary row per host although hosts failed, then exits 4 naming the hosts not fully read', () => {
    console.info(`CLI scan of ${report.hosts.length} lab hosts took ${scanSeconds.toFixed(2)} s`);
    expect(scan.code).toBe(4);
    for (const name of Object.keys(lab.hosts)) expect(scan.stdout).toContain(name);
    expect(scan.stderr).toMatch(/not fully read: .*nodocker \(partial\).*unreachable \(unreachable\).*wrongkey \(host-key-mismatch\)/);
  });

  it('reports litellm 1.82.8 in the gateway container as critical with MAL-2026-2144 and its evidence', () => {
    // The container has deployment findings too (tag, build steps…); exactly one says which package is compromised.
    const [finding, ...others] = findingsFor('gw', 'litellm').filter((candidate) => candidate.kind === 'compromised-package');

    expect(others).toEqual([]);
    expect(finding).toMatchObject({ kind: 'compromised-package', severity: 'critical', package: 'litellm', version: '1.82.8' });
    expect(finding?.advisories).toEqual(expect.arrayContaining(['MAL-2026-2144', 'PYSEC-2026-2']));
    expect(finding?.evidence.join('\n')).toMatch(/read from \S*litellm-1\.82\.8\.dist-info/);
  });

  it('judges the gateway container exposed for MAL-2026-2144, naming the mutable tag, the updater and the build-time install', () => {
    const [finding] = findingsFor('gw', 'litellm');
    const exposure = report.exposures?.find((candidate) => candidate.container === 'litellm' && candidate.advisories[0] === 'MAL-2026-2144');

    expect(finding?.verdict).toBe('exposed');
    expect(exposure?.verdict).toBe('exposed');
    const reasons = finding?.reasons?.join('\n') ?? '';
    expect(reasons).toMatch(/Mutable tag ghcr\.io\/berriai\/litellm:main-latest/);
    expect(reasons).toMatch(/Auto-updater watchtower replaces it/);
    expect(reasons).toMatch(/Build-time install without hash pinning: .*pip/);
  });

  it('leaves the consumer container that runs a clean release unknown: it was re-created after the window', () => {
    const consumer = report.exposures?.filter((candidate) => candidate.container === 'open-webui') ?? [];

    expect(consumer.map((exposure) => `${exposure.advisories[0]} ${exposure.verdict}`)).toEqual(['MAL-2026-2144 unknown', 'GHSA-5mg7-485q-xm76 unknown']);
    expect(consumer[0]?.reasons.join('\n')).toMatch(/Pinned by digest/);
  });

  it('does not flag the clean litellm 1.83.0 in the consumer container', () => {
    const consumer = host('gw').pythonEnvironments.filter((environment) => environment.container === 'open-webui');
    expect(consumer.flatMap((environment) => environment.packages).map((pkg) => `${pkg.name} ${pkg.version}`)).toContain('litellm 1.83.0');

    expect(findingsFor('gw', 'open-webui')).toEqual([]);
  });

  it('finds litellm 1.82.7 in a user site on the host where docker is denied, and records the denial', () => {
    const nodocker = host('nodocker');

    expect(findingsFor('nodocker', null).map((finding) => `${finding.package} ${finding.version} ${finding.severity}`)).toEqual(['litellm 1.82.7 critical']);
    expect(nodocker.status).toBe('partial');
    expect(nodocker.notes?.map((note) => note.message).join('\n')).toMatch(/permission denied/);
  });

  it('reports the compromised wheel in pip\'s cache on the host where it would be reinstalled from', () => {
    const cached = report.findings.filter((finding) => finding.kind === 'cached-compromised-artifact');

    expect(cached).toEqual([
      expect.objectContaining({ host: 'nodocker', package: 'litellm', version: '1.82.8', severity: 'critical', path: '/home/lab-blast/.cache/pip/wheels/3f/9a/0c/litellm-1.82.8-py3-none-any.whl' }),
    ]);
  });

  it('gives the unreachable and wrong-key hosts their status and a reason', () => {
    expect(host('unreachable')).toMatchObject({ status: 'unreachable', error: expect.stringMatching(/refused|unreachable|timed out/) });
    expect(host('wrongkey')).toMatchObject({ status: 'host-key-mismatch', error: expect.stringContaining(lab.hosts['wrongkey']!.hostKeyFingerprint!) });
  });

  it('reads facts, containers and Python environments on every other host, busybox-only included', () => {
    for (const name of ['gw', 'ollama', 'nodocker', 'alpine']) {
      const scanned = host(name);
      expect(scanned.facts?.hostname, name).toBe(name);
      expect(scanned.pythonEnvironments.length, name).toBeGreaterThan(0);
    }
    expect(host('alpine').facts?.os).toMatch(/Alpine/);
    expect(host('gw').containers.map((container) => container.name).sort()).toEqual(['$(touch /tmp/pwned)', 'ai-gateway-db-1', 'litellm', 'old-litellm', 'open-webui', 'watchtower']);
  });

  it('ran no trapped interpreter and no name as a command', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
    expect(await lab.whereExists('/tmp/pwned')).toEqual([]);
  });

  it('writes a Markdown report naming the critical finding', async () => {
    const markdown = await readFile(join(outputDir, 'report.md'), 'utf8');

    expect(markdown).toContain('MAL-2026-2144');
    expect(markdown).toContain('litellm');
  });

  it('exits 1 with --fail-on critical and 0 with --fail-on when nothing reaches it', async () => {
    const failing = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--fail-on', 'critical']);
    const passing = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--fail-on', 'low']);

    expect(failing.code).toBe(1);
    expect(passing.code).toBe(0);
  });

  it('exits 2 with a one-line reason for an unreadable config or an unknown host', async () => {
    const missing = await runLabCli(['scan', '--ssh-config', join(outputDir, 'nope'), '--all']);
    const unknown = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'not-in-lab']);

    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('cannot read SSH config');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('not-in-lab');
  });

  it('matches extra IOC rules loaded with --ioc-rules', async () => {
    const rulesDir = join(outputDir, 'rules.d');
    await mkdir(rulesDir);
    const rule = { id: 'lab-marker', title: 'Lab marker file', compromise: 'lab-2026-11', severity: 'high', source: { name: 'this test', kind: 'primary' }, kind: 'file', path: '/opt/lab-marker' };
    await writeFile(join(rulesDir, 'lab.json'), JSON.stringify({ schemaVersion: 1, rules: [rule] }));
    await lab.writeFile('alpine', '/opt/lab-marker', 'planted by the test\n');

    const run = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--ioc-rules', rulesDir, '--json', join(outputDir, 'rules.json')]);
    const withRules = JSON.parse(await readFile(join(outputDir, 'rules.json'), 'utf8')) as ScanReport;

    expect(run.code).toBe(0);
    expect(withRules.findings).toContainEqual(expect.objectContaining({ kind: 'ioc', rule: 'lab-marker', host: 'alpine', path: '/opt/lab-marker' }));
  });

  it('refuses a host whose key is unknown unless --accept-new', async () => {
    const config = await readFile(lab.sshConfigPath, 'utf8');
    const emptyKnownHosts = join(outputDir, 'empty_known_hosts');
    await writeFile(emptyKnownHosts, '');
    const unknownKeys = join(outputDir, 'unknown-keys.conf');
    await writeFile(unknownKeys, config.replaceAll(lab.knownHostsPath, emptyKnownHosts).replace(/StrictHostKeyChecking yes/g, 'StrictHostKeyChecking ask'));

    const refused = await runLabCli(['scan', '--ssh-config', unknownKeys, '--host', 'alpine', '--json', join(outputDir, 'refused.json')]);
    const accepted = await runLabCli(['scan', '--ssh-config', unknownKeys, '--host', 'alpine', '--accept-new', '--json', join(outputDir, 'accepted.json')]);

    const statusIn = async (file: string) => (JSON.parse(await readFile(join(outputDir, file), 'utf8')) as ScanReport).hosts[0]?.status;
    expect(refused.code).toBe(4);
    expect(await statusIn('refused.json')).toBe('host-key-unknown');
    expect(accepted.code).toBe(0);
    expect(await statusIn('accepted.json')).toBe('ok');
  });

  it("follows the owner's --decide in the report's plan, and names a place that is no gateway", async () => {
    const run = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--decide', 'gw/litellm=patch', '--decide', 'gw/no-such-gateway=remove', '--json', join(outputDir, 'patch.json')]);

    const plan = ((JSON.parse(await readFile(join(outputDir, 'patch.json'), 'utf8')) as ScanReport).plan ?? []).map((step) => step.id);
    const defaultPlan = (report.plan ?? []).map((step) => step.id);
    // 0 only when gw was fully read, else 4 (a stopped container whose files could not be read makes it partial).
    const gwStatus = (JSON.parse(await readFile(join(outputDir, 'patch.json'), 'utf8')) as ScanReport).hosts[0]?.status;
    expect(run.code).toBe(gwStatus === 'ok' ? 0 : 4);
    expect(defaultPlan).toContain('teardown:remove-container:gw/litellm');
    expect(plan).not.toContain('teardown:remove-container:gw/litellm');
    expect(plan).toEqual(expect.arrayContaining(['eradicate:upgrade:gw/litellm', 'eradicate:redeploy-pinned:gw/litellm']));
    expect(run.stderr).toContain('--decide gw/no-such-gateway: no gateway of that name on that host in this scan; the plan ignores it');
  });

  it('writes each format from the same scan: CycloneDX and SARIF valid against their schemas, all carrying the tool version and advisory snapshot', async () => {
    const texts = Object.fromEntries(await Promise.all(REPORT_FORMATS.map(async (format) => [format, await readFile(formatFile(format), 'utf8')] as const)));
    const version = report.provenance?.tool.version ?? '';

    expect(version).toMatch(/^\d+\.\d+\.\d+/);
    for (const format of REPORT_FORMATS) {
      expect(texts[format], format).toContain(version);
      expect(texts[format], format).toContain('MAL-2026-2144');
      expect(texts[format], format).toContain(report.provenance!.iocRules.fingerprint);
    }
    const bom = JSON.parse(texts.cyclonedx!) as { components: Array<{ purl?: string }>; vulnerabilities: Array<{ id: string; analysis: { state: string } }> };
    expect(schemaErrors(cycloneDxValidator(), bom)).toEqual([]);
    expect(bom.components.map((component) => component.purl)).toEqual(expect.arrayContaining(['pkg:pypi/litellm@1.82.8', 'pkg:pypi/litellm@1.82.7']));
    expect(bom.components.some((component) => /^pkg:oci\/litellm@sha256:[0-9a-f]{64}\?repository_url=ghcr\.io\/berriai\/litellm&tag=main-latest$/.test(component.purl ?? ''))).toBe(true);
    expect(bom.vulnerabilities.filter((vulnerability) => vulnerability.id === 'MAL-2026-2144').map((vulnerability) => vulnerability.analysis.state)).toContain('exploitable');
    const sarif = JSON.parse(texts.sarif!) as { runs: Array<{ results: unknown[]; invocations: Array<{ executionSuccessful: boolean }> }> };
    expect(schemaErrors(sarifValidator(), sarif)).toEqual([]);
    expect(sarif.runs[0]!.results).toHaveLength(report.findings.length);
    expect(sarif.runs[0]!.invocations[0]!.executionSuccessful).toBe(false);
    expect(texts.jsonl!.trimEnd().split('\n')).toHaveLength(report.findings.length + 1);
    expect(texts.html).toMatch(/^<!DOCTYPE html>/);
    expect(texts.html).not.toMatch(/<script|<link|\ssrc=/i);
    // The hostile container name the lab plants is text in the HTML, not markup.
    expect(texts.html).toContain('$(touch /tmp/pwned)');
  });

  it('prints the same report to PDF whose text names every host, the findings and the advisory (figures printed)', async () => {
    const pdf = await readFile(join(outputDir, 'report.pdf'));
    const html = await readFile(formatFile('html'), 'utf8');
    const { pages, text } = await pdfText(pdf);
    const unwrapped = text.replace(/\s+/g, '');

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    for (const scanned of report.hosts) expect(unwrapped, scanned.name).toContain(scanned.name.replace(/\s+/g, ''));
    expect(unwrapped).toContain('MAL-2026-2144');
    expect(unwrapped).toContain('litellm1.82.8');
    expect(unwrapped).toContain(report.provenance!.tool.version);
    // The hostile container name is text in the PDF as it is in the HTML.
    expect(unwrapped).toContain('$(touch/tmp/pwned)');

    // The figures of the choice (headless Chromium): time to print the lab's HTML report again, and the sizes.
    const started = performance.now();
    const again = await chromiumPdfPrinter()(html);
    const seconds = (performance.now() - started) / 1000;
    console.info(`PDF of the lab report (${report.findings.length} findings, ${report.hosts.length} hosts): ${pages} pages, ${(pdf.length / 1024).toFixed(0)} KiB (HTML ${(Buffer.byteLength(html) / 1024).toFixed(0)} KiB), printed by headless Chromium in ${seconds.toFixed(2)} s`);
    expect((await pdfText(again)).pages).toBe(pages);
  });

  it('refuses pdf before scanning, naming what to install, when no Chromium is there', async () => {
    const missing = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--format', 'pdf', '--chromium', join(outputDir, 'no-such-chromium')]);
    const stdout = await runCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '-o', 'pdf=-'], {
      env: { ...process.env, SSH_AUTH_SOCK: '', PATH: '/nonexistent', BLAST_RADIUS_CHROMIUM: '' },
    });

    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('no Chromium executable at');
    expect(stdout.code).toBe(2);
    expect(stdout.stderr).toMatch(/none was found: install Chromium \(Debian\/Ubuntu: apt install chromium\)/);
    expect(stdout.stderr).not.toMatch(/scanning/);
  });

  it('writes a report to stdout with - or --format, the summary table then going to stderr', async () => {
    const dash = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--json', '-']);
    const sarif = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--format', 'sarif', '--quiet']);

    expect(dash.code).toBe(0);
    expect((JSON.parse(dash.stdout) as ScanReport).hosts.map((scanned) => scanned.name)).toEqual(['alpine']);
    expect(existsSync('-')).toBe(false);
    expect(dash.stderr).toMatch(/HOST\s+STATUS/);
    expect(sarif.code).toBe(0);
    expect(schemaErrors(sarifValidator(), JSON.parse(sarif.stdout))).toEqual([]);
    // --quiet: no progress and no summary, anywhere.
    expect(sarif.stderr).toBe('');
  });

  it('refuses --json= with a usage error and writes nothing', async () => {
    const run = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--json=']);

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe('blast-radius: --json needs a value, not an empty one');
    expect(run.stdout).toBe('');
  });

  it('exits 4 when a host asked for is unreachable, and 1 when --fail-on is reached as well', async () => {
    const unreachable = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'unreachable', '--host', 'alpine', '--fail-on', 'critical']);
    const both = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'unreachable', '--host', 'gw', '--fail-on', 'critical', '--quiet']);

    expect(unreachable.code).toBe(4);
    expect(unreachable.stderr).toContain('not fully read: unreachable (unreachable); exit 4');
    expect(both.code).toBe(1);
  });

  it('prints the version with -V', async () => {
    const run = await runLabCli(['-V']);

    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toBe(report.provenance?.tool.version);
  });

  it('keeps suppressed findings out of --fail-on, lists them in the report, and counts them again once the entry expired', async () => {
    // Every critical finding on gw, accepted: the compromised package by an alias of its advisory, keys by fingerprint, the rest by id.
    const critical = report.findings.filter((finding) => finding.host === 'gw' && finding.severity === 'critical');
    const litellm = critical.find((finding): finding is CompromisedPackageFinding => finding.kind === 'compromised-package' && finding.container === 'litellm');
    expect(litellm?.advisories).toContain('PYSEC-2026-2');
    const entries = (expires: string | null) => [
      `  - advisory: PYSEC-2026-2\n    reason: gateway rebuilt from a pinned image${expires ? `\n    expires: ${expires}` : ''}`,
      ...critical.filter((finding) => finding.kind !== 'compromised-package').map((finding) =>
        finding.kind === 'secret' ? `  - fingerprint: ${finding.fingerprint}\n    reason: rotated` : `  - finding: ${JSON.stringify(finding.id)}\n    reason: handled`),
    ];
    await writeFile(join(outputDir, 'accepted.yaml'), `suppressions:\n${entries(null).join('\n')}\n`);
    await writeFile(join(outputDir, 'expired.yaml'), `suppressions:\n${entries('2026-01-01').join('\n')}\n`);
    const scanWith = (file: string) =>
      runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--fail-on', 'critical', '--suppressions', join(outputDir, file), '--json', join(outputDir, `${file}.json`), '-o', `sarif=${join(outputDir, `${file}.sarif`)}`]);

    const accepted = await scanWith('accepted.yaml');
    const expired = await scanWith('expired.yaml');

    const acceptedReport = JSON.parse(await readFile(join(outputDir, 'accepted.yaml.json'), 'utf8')) as ScanReport;
    const expiredReport = JSON.parse(await readFile(join(outputDir, 'expired.yaml.json'), 'utf8')) as ScanReport;
    // 0 when gw was fully read, else 4: never 1, nothing critical is left unaccepted.
    expect(accepted.code).toBe(acceptedReport.hosts[0]?.status === 'ok' ? 0 : 4);
    expect(accepted.stderr).toMatch(/suppressions: \d+ findings suppressed/);
    expect(acceptedReport.suppressions).toContainEqual(expect.objectContaining({ findingId: litellm!.id, by: 'advisory', value: 'PYSEC-2026-2', expired: false }));
    expect(acceptedReport.findings.map((finding) => finding.id)).toContain(litellm!.id);
    const sarif = JSON.parse(await readFile(join(outputDir, 'accepted.yaml.sarif'), 'utf8')) as { runs: Array<{ results: Array<{ partialFingerprints: Record<string, string>; suppressions?: unknown[] }> }> };
    expect(schemaErrors(sarifValidator(), sarif)).toEqual([]);
    expect(sarif.runs[0]!.results.find((result) => result.partialFingerprints['blastRadiusFindingId/v1'] === litellm!.id)?.suppressions).toEqual([
      expect.objectContaining({ kind: 'external', status: 'accepted', justification: 'gateway rebuilt from a pinned image' }),
    ]);

    expect(expired.code).toBe(1);
    expect(expired.stderr).toMatch(/back because their suppression expired/);
    expect(expiredReport.suppressions).toContainEqual(expect.objectContaining({ findingId: litellm!.id, expires: '2026-01-01', expired: true }));
  });

  it('refuses a suppression file with a bad entry, exit 2, naming it', async () => {
    await writeFile(join(outputDir, 'bad.yaml'), 'suppressions:\n  - advisory: MAL-2026-2144\n');

    const run = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'alpine', '--suppressions', join(outputDir, 'bad.yaml')]);

    expect(run.code).toBe(2);
    expect(run.stderr.trim()).toBe(`blast-radius: suppressions ${join(outputDir, 'bad.yaml')}: entry 1: reason is required`);
  });

  /**
   * The incident's advisory records (the bundled copies of ../shared/advisories, byte for byte), and
   * one made from MAL-2026-2144 that covers the clean litellm 1.83.0, so loading it shows.
   */
  const advisoryFiles = (): Array<{ name: string; text: string }> => {
    const files = BUNDLED_ADVISORY_FILES.map((file) => ({ name: file.fileName, text: file.text }));
    const source = JSON.parse(files.find((file) => file.name === 'MAL-2026-2144.json')!.text) as { id: string; aliases: string[]; affected: Array<{ versions?: string[]; ranges?: unknown }> };
    const extra = { ...source, id: 'MAL-2099-0001', aliases: [], affected: source.affected.map((affected) => ({ ...affected, versions: ['1.83.0'], ranges: [] })) };
    return [...files, { name: 'MAL-2099-0001.json', text: JSON.stringify(extra) }];
  };
  const flaggedByExtra = (scanned: ScanReport) =>
    scanned.findings
      .filter((finding): finding is CompromisedPackageFinding => finding.kind === 'compromised-package' && finding.advisories.includes('MAL-2099-0001')).map((finding) => `${finding.host}/${finding.container} ${finding.package} ${finding.version}`);

  it('loads advisories from a nested folder tree (a database checkout)', async () => {
    const tree = join(outputDir, 'advisory-db');
    for (const [index, file] of advisoryFiles().entries()) {
      const dir = join(tree, 'vulns', index % 2 === 0 ? 'pypi' : 'other', file.name.split('-')[0]!);
      await mkdir(dir, { recursive: true });
      await writeFile(join(dir, file.name), file.text);
    }

    const run = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--advisories', tree, '--json', join(outputDir, 'tree.json')]);
    const scanned = JSON.parse(await readFile(join(outputDir, 'tree.json'), 'utf8')) as ScanReport;

    expect(run.stderr).toContain(`advisories: ${advisoryFiles().length} records from folder ${tree}`);
    expect(flaggedByExtra(scanned)).toEqual(['gw/open-webui litellm 1.83.0']);
    expect(scanned.provenance?.advisories.map((entry) => entry.id)).toContain('MAL-2099-0001');
  });

  it('loads advisories from an osv.dev all.zip', async () => {
    const file = join(outputDir, 'all.zip');
    await writeFile(file, zipArchive(advisoryFiles().filter((entry) => entry.name.endsWith('.json')).map((entry) => ({ name: entry.name, data: entry.text }))));

    const run = await runLabCli(['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--advisories', file, '--json', join(outputDir, 'zip.json')]);
    const scanned = JSON.parse(await readFile(join(outputDir, 'zip.json'), 'utf8')) as ScanReport;

    expect(run.stderr).toMatch(new RegExp(`advisories: \\d+ records from zip ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
    expect(flaggedByExtra(scanned)).toEqual(['gw/open-webui litellm 1.83.0']);
  });
});
