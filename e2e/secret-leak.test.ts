/**
 * Secret values never leave the main process: the lab holds real-shaped fake keys
 * (e2e/lab/planted-secrets.ts) and an SSH private key, and its error-path hosts put more in the text
 * of failures (a failing `docker` printing a proxy URL with its password, inspect output and config
 * files that are not JSON or YAML around a key), and its k3s host's kubectl prints Kubernetes
 * Secrets (base64, decoded in the main process only); the CLI scans it (every report format), the
 * browser host scans it through its WebSocket and saves a case, and then every byte the product
 * produced (reports, stdout/stderr, case folder, any state or log file, every WebSocket frame both
 * ways) is searched for each value and for 16-character pieces of it. None may be there. A PDF's
 * bytes are compressed, so its extracted text is searched too (as laid out, and with line breaks
 * taken out, so a value wrapped across lines is still found): the CLI's `-o pdf=` and the browser
 * host's PDF export.
 *
 * The revocation check runs too, in-process (its provider origins can only be injected in code):
 * the CLI command with --check-revoked and the app's backend with keys:check-revoked, against a
 * fake provider on loopback that echoes each key back in its body and headers, redirects with the
 * key in the URL, or fails. Their output streams, reports, case files, answers and pushes to the
 * renderer join what is searched.
 *
 * Offline collection: the collector script (`blast-radius collector`) runs on every host that logs
 * in, error-path hosts included; its files (which hold the keys in clear, by design) are kept
 * outside the searched folder and `import`ed into a case; the import's reports, streams and case
 * join what is searched.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { generateChecklist } from '../shared/checklist/checklist.js';
import type { ScanReport } from '../shared/model/index.js';
import type { RevocationCheck } from '../shared/model/index.js';
import { parseArgs, type ScanArgs } from '../electron/cli/args.js';
import { scanCommand } from '../electron/cli/scan-command.js';
import { createBackend } from '../electron/core/compose.js';
import { CaseLibrary } from '../electron/case/case-library.js';
import { dispatch } from '../electron/core/dispatch.js';
import type { CheckRevokedOptions } from '../electron/revocation/check-revoked.js';
import { REPORT_FORMATS, REPORT_RENDERERS, renderReport, type ReportExport } from '../shared/report-formats/index.js';
import { pdfText } from './pdf-text.js';
import { CLI, runCliBytes } from './cli-run.js';
import { startFakeProvider, type FakeProvider, type FakeScenario } from './lab/fake-provider.js';
import { startLab, type Lab } from './lab/lab.js';
import { ERROR_PATH_SECRETS, expectedFingerprint, KUBERNETES_SECRETS, leakNeedles, PLANTED_MARKER, PLANTED_SECRETS } from './lab/planted-secrets.js';

const SERVER = fileURLToPath(new URL('../dist/electron/server/main.js', import.meta.url));

/** Everything the product produced, by where it came from. */
const produced = new Map<string, Buffer>();
let lab: Lab;
let outputDir: string;
let cliReport: ScanReport;
let wsReport: ScanReport;
let fake: FakeProvider;
let revokedCliReport: ScanReport;
let backendChecks: RevocationCheck[] = [];
/** Offline collection: the collection files (outside outputDir: they hold keys by design) and the import's report. */
let collectionDir: string;
let importedReport: ScanReport;

/** What the fake provider answers per provider: the key echoed when live or refused, a redirect carrying it, its own failure. */
const SCENARIOS: Record<string, FakeScenario> = { openai: 'echo-live', anthropic: 'echo-revoked', groq: 'server-error', huggingface: 'redirect', google: 'forbidden', openrouter: 'hang' };
const revocationCheck = (): CheckRevokedOptions => ({ originFor: (provider) => fake.origin(SCENARIOS[provider] ?? 'server-error', provider), timeoutMs: 1_000 });

/** The CLI's command with --check-revoked, in-process; its streams are kept like the built CLI's. */
async function runRevocationCli(reports: string): Promise<void> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  const args = parseArgs(['scan', '--ssh-config', lab.sshConfigPath, '--all', '--check-revoked', '--json', join(reports, 'report.json'), '--markdown', join(reports, 'report.md')]) as ScanArgs;
  try {
    const code = await scanCommand(args, { signal: new AbortController().signal, io: { stdout: (text) => stdout.push(Buffer.from(text).toString('latin1')), stderr: (line) => stderr.push(`${line}\n`) }, revocationCheck: revocationCheck() });
    // 4: the error-path hosts are partial, so not every host was fully read.
    if (code !== 0 && code !== 4) throw new Error(`--check-revoked scan exited ${code}: ${stderr.join('')}`);
  } catch (error) {
    produced.set('revocation cli error', Buffer.from(String(error instanceof Error ? `${error.message}\n${error.stack}` : error)));
    throw error;
  } finally {
    produced.set('revocation cli stdout', Buffer.from(stdout.join('')));
    produced.set('revocation cli stderr', Buffer.from(stderr.join('')));
  }
  revokedCliReport = JSON.parse(await readFile(join(reports, 'report.json'), 'utf8')) as ScanReport;
}

/** The app's backend, in-process: a scan, then keys:check-revoked on every key, recording answers and pushes to the renderer. */
async function runRevocationBackend(dataDir: string): Promise<void> {
  const pushes: unknown[] = [];
  let finished: (report: ScanReport) => void = () => undefined;
  const scanDone = new Promise<ScanReport>((resolve) => (finished = resolve));
  const backend = await createBackend({
    dataDir,
    knownHostsFile: join(dataDir, 'known_hosts'),
    sshConfigPath: lab.sshConfigPath,
    emit: (channel, payload) => {
      pushes.push({ channel, payload });
      if (channel === 'scan:finished') finished((payload as { report: ScanReport }).report);
    },
    revocationCheck: revocationCheck(),
  });
  const handlers = backend.handlers();
  const answers: unknown[] = [];
  try {
    const { hosts } = (await dispatch(handlers, 'hosts:list', {})) as { hosts: { name: string; source: string }[] };
    await dispatch(handlers, 'scan:start', { hosts: hosts.filter((host) => host.source === 'ssh-config').map((host) => host.name) });
    const report = await scanDone;
    const fingerprints = [...new Set(report.findings.flatMap((finding) => (finding.kind === 'secret' ? [finding.fingerprint] : [])))];
    for (const fingerprint of fingerprints) {
      const answer = (await dispatch(handlers, 'keys:check-revoked', { fingerprint })) as { check: RevocationCheck };
      answers.push(answer);
      backendChecks.push(answer.check);
    }
    answers.push(await dispatch(handlers, 'case:get', {}));
  } catch (error) {
    produced.set('revocation backend error', Buffer.from(String(error instanceof Error ? `${error.message}\n${error.stack}` : error)));
    throw error;
  } finally {
    backend.forgetKeys();
    produced.set('revocation backend answers to the renderer', Buffer.from(JSON.stringify(answers)));
    produced.set('revocation backend pushes to the renderer', Buffer.from(JSON.stringify(pushes)));
  }
}

/** Runs the collector on each lab host that logs in, then `import`s the files into a case of a data folder under outputDir. */
async function collectAndImport(): Promise<void> {
  const collector = await runCliBytes(['collector'], { env: productEnv(), timeoutMs: 0, maxBuffer: 16 * 1024 * 1024 });
  produced.set('collector stderr', collector.stderr);
  if (collector.code !== 0) throw new Error(`blast-radius collector exited ${collector.code}`);
  const script = collector.stdout;
  const files: string[] = [];
  for (const host of Object.keys(lab.hosts).filter((name) => !['unreachable', 'wrongkey'].includes(name))) {
    const output = await new Promise<Buffer>((resolve, reject) => {
      const child = spawn('ssh', ['-F', lab.sshConfigPath, host, 'sh -s'], { stdio: ['pipe', 'pipe', 'ignore'] });
      const chunks: Buffer[] = [];
      child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      child.on('error', reject);
      child.on('close', () => resolve(Buffer.concat(chunks)));
      child.stdin.end(script);
    });
    const file = join(collectionDir, `${host}.brc`);
    await writeFile(file, output, { mode: 0o600 });
    files.push(file);
  }
  const dataDir = join(outputDir, 'offline-case');
  const library = await CaseLibrary.open(dataDir);
  const created = await library.create('Imported');
  const reports = join(outputDir, 'offline-import');
  await mkdir(reports);
  const code = await runCli('cli import', ['import', ...files, '--json', join(reports, 'report.json'), '--markdown', join(reports, 'report.md'), '-o', `html=${join(reports, 'report.html')}`, '--data-dir', dataDir, '--case', created.id]);
  if (code !== 0 && code !== 4) throw new Error(`CLI import exited ${code}: ${produced.get('cli import stderr')?.toString()}`);
  await runCli('cli import to stdout', ['import', files[0]!, '--format', 'sarif']);
  importedReport = JSON.parse(await readFile(join(reports, 'report.json'), 'utf8')) as ScanReport;
}

/** XDG folders inside the test's folder, so any state, cache or log file the product writes is collected. */
function productEnv(): NodeJS.ProcessEnv {
  return {
    ...process.env,
    SSH_AUTH_SOCK: '',
    XDG_STATE_HOME: join(outputDir, 'xdg', 'state'),
    XDG_DATA_HOME: join(outputDir, 'xdg', 'data'),
    XDG_CONFIG_HOME: join(outputDir, 'xdg', 'config'),
    XDG_CACHE_HOME: join(outputDir, 'xdg', 'cache'),
  };
}

/** Runs the built CLI in the product's environment, keeping its stdout and stderr (as bytes) under `label`; resolves with its exit status. */
async function runCli(label: string, args: string[]): Promise<number> {
  const run = await runCliBytes(args, { env: productEnv(), timeoutMs: 180_000, maxBuffer: 64 * 1024 * 1024 });
  produced.set(`${label} stdout`, run.stdout);
  produced.set(`${label} stderr`, run.stderr);
  return run.code;
}

/** Every regular file under a folder, by path. */
async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full)));
    else if (entry.isFile()) out.push(full);
  }
  return out;
}

/** Starts the browser host; resolves with its URL (first stdout line) once it serves. */
async function startServer(dataDir: string): Promise<{ child: ChildProcess; url: URL; output: () => { stdout: Buffer; stderr: Buffer } }> {
  const child = spawn(process.execPath, [SERVER, '--ssh-config', lab.sshConfigPath, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: productEnv() });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout!.on('data', (chunk: Buffer) => stdout.push(chunk));
  child.stderr!.on('data', (chunk: Buffer) => stderr.push(chunk));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`browser host exited (${code}): ${Buffer.concat(stderr).toString()}`)));
  });
  return { child, url: new URL(firstLine), output: () => ({ stdout: Buffer.concat(stdout), stderr: Buffer.concat(stderr) }) };
}

/** A WebSocket client of the browser host that records every frame, sent and received. */
class RecordingClient {
  readonly frames: string[] = [];
  private nextId = 1;
  private readonly waiting = new Map<number, (message: { ok: boolean; response?: unknown; error?: string }) => void>();
  private readonly pushListeners: ((channel: string, payload: unknown) => void)[] = [];

  private constructor(private readonly socket: WebSocket) {
    socket.on('message', (data) => {
      const text = data.toString();
      this.frames.push(text);
      const message = JSON.parse(text) as { type: string; id?: number; channel?: string; payload?: unknown; ok: boolean };
      if (message.type === 'result') this.waiting.get(message.id!)?.(message);
      else for (const listener of this.pushListeners) listener(message.channel!, message.payload);
    });
  }

  static async open(url: URL): Promise<RecordingClient> {
    const socket = new WebSocket(`ws://${url.host}/ws?token=${url.searchParams.get('token')}`, { origin: `http://${url.host}` });
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    return new RecordingClient(socket);
  }

  async invoke<T>(channel: string, request: unknown): Promise<T> {
    const id = this.nextId++;
    const text = JSON.stringify({ type: 'invoke', id, channel, request });
    this.frames.push(text);
    const answer = new Promise<{ ok: boolean; response?: unknown; error?: string }>((resolve) => this.waiting.set(id, resolve));
    this.socket.send(text);
    const message = await answer;
    if (!message.ok) throw new Error(`${channel}: ${message.error}`);
    return message.response as T;
  }

  nextPush<T>(channel: string, timeoutMs: number): Promise<T> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no ${channel} within ${timeoutMs} ms`)), timeoutMs);
      this.pushListeners.push((pushed, payload) => {
        if (pushed !== channel) return;
        clearTimeout(timer);
        resolve(payload as T);
      });
    });
  }

  close(): void {
    this.socket.close();
  }
}

/** Each secret's needles, named by what they are (the failure message names the needle's owner, never prints it twice). */
function needles(): { owner: string; needle: string }[] {
  const list: { owner: string; needle: string }[] = [{ owner: 'the planted marker', needle: PLANTED_MARKER }];
  for (const secret of Object.values(PLANTED_SECRETS)) {
    for (const value of [secret.value, ...secret.companions]) for (const needle of leakNeedles(value)) list.push({ owner: secret.id, needle });
  }
  for (const secret of Object.values(ERROR_PATH_SECRETS)) for (const needle of leakNeedles(secret.value)) list.push({ owner: secret.id, needle });
  // The k3s host's Secrets: kubectl prints them base64, so the encoded form must not travel either.
  for (const secret of Object.values(KUBERNETES_SECRETS)) {
    for (const needle of [...leakNeedles(secret.value), Buffer.from(secret.value, 'utf8').toString('base64')]) list.push({ owner: secret.id, needle });
  }
  // The lateral SSH private key: its base64 body, whole lines and 16-character pieces.
  const body = lab.lateralKey!.privateKey.split('\n').filter((line) => line && !line.startsWith('-----'));
  for (const line of body) for (const needle of leakNeedles(line)) list.push({ owner: 'ssh private key', needle });
  for (const needle of leakNeedles(body.join(''))) list.push({ owner: 'ssh private key', needle });
  return list;
}

beforeAll(async () => {
  for (const file of [CLI, SERVER]) if (!existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`);
  outputDir = await mkdtemp(join(tmpdir(), 'blast-radius-leak-'));
  lab = await startLab({ errorHosts: true, kubernetesHosts: true });

  // The CLI: every report format (JSON and Markdown by their aliases, the rest with -o), stdout and stderr.
  const reports = join(outputDir, 'cli');
  await mkdir(reports);
  const otherFormats = REPORT_FORMATS.filter((format) => format !== 'json' && format !== 'markdown');
  const outputs = otherFormats.flatMap((format) => ['-o', `${format}=${join(reports, `report.${REPORT_RENDERERS[format].extension}`)}`]);
  const code = await runCli('cli scan', ['scan', '--ssh-config', lab.sshConfigPath, '--all', '--verify-all-records', '--json', join(reports, 'report.json'), '--markdown', join(reports, 'report.md'), ...outputs, '-o', `pdf=${join(reports, 'report.pdf')}`]);
  // 4: the error-path hosts are partial, so not every host was fully read.
  if (code !== 0 && code !== 4) throw new Error(`CLI scan exited ${code}: ${produced.get('cli scan stderr')?.toString()}`);
  // A report to stdout too, so the stdout path of a renderer is searched as well.
  await runCli('cli scan to stdout', ['scan', '--ssh-config', lab.sshConfigPath, '--host', 'gw', '--format', 'html']);
  cliReport = JSON.parse(await readFile(join(reports, 'report.json'), 'utf8')) as ScanReport;

  // The browser host: a scan through the WebSocket, a ticked checklist step saved in the case folder.
  const dataDir = join(outputDir, 'case');
  const server = await startServer(dataDir);
  try {
    const client = await RecordingClient.open(server.url);
    const { hosts } = await client.invoke<{ hosts: { name: string; source: string }[] }>('hosts:list', {});
    const finished = client.nextPush<{ report: ScanReport }>('scan:finished', 180_000);
    // The lab's hosts only: "This machine" holds the lab's roots, planted keys included.
    await client.invoke('scan:start', { hosts: hosts.filter((host) => host.source === 'ssh-config').map((host) => host.name) });
    wsReport = (await finished).report;
    // The app's report rendered in every format, as an export from the app would render it.
    for (const format of REPORT_FORMATS) produced.set(`app report as ${format}`, Buffer.from(renderReport(format, wsReport)));
    // The app's PDF export, printed by the browser host (headless Chromium) and sent over the WebSocket.
    const { export: pdf } = await client.invoke<{ export: ReportExport | null }>('report:export', { format: 'pdf' });
    if (!pdf) throw new Error('the browser host exported no PDF');
    produced.set('app export as pdf', Buffer.from(pdf.text, 'base64'));
    const [step] = generateChecklist(wsReport);
    if (step) await client.invoke('checklist:set-step', { stepId: step.id, done: true, note: 'rotated, see ticket' });
    await client.invoke('case:get', {});
    client.close();
    produced.set('websocket frames', Buffer.from(client.frames.join('\n')));
  } finally {
    server.child.kill('SIGTERM');
    await new Promise((resolve) => (server.child.exitCode === null ? server.child.once('exit', resolve) : resolve(null)));
    produced.set('browser host stdout', server.output().stdout);
    produced.set('browser host stderr', server.output().stderr);
  }

  // The revocation check: the CLI command and the app's backend, against the echoing fake provider.
  fake = await startFakeProvider();
  const revokedReports = join(outputDir, 'cli-check-revoked');
  await mkdir(revokedReports);
  await runRevocationCli(revokedReports);
  await runRevocationBackend(join(outputDir, 'case-check-revoked'));

  // Offline collection: the collector on every host that logs in, its files imported into a case.
  collectionDir = await mkdtemp(join(tmpdir(), 'blast-radius-leak-collections-'));
  await collectAndImport();

  // Every file written under the test's folder: reports, the case folder, XDG state/data/cache (logs).
  for (const file of await filesUnder(outputDir)) if ((await stat(file)).size > 0) produced.set(file, await readFile(file));
  // Each PDF's text as a reader would copy it, and the same without line breaks.
  for (const [source, bytes] of [...produced].filter(([, bytes]) => bytes.subarray(0, 5).toString('latin1') === '%PDF-')) {
    const { text } = await pdfText(bytes);
    produced.set(`${source} (its text)`, Buffer.from(text));
    produced.set(`${source} (its text, unwrapped)`, Buffer.from(text.replace(/\s+/g, '')));
  }
}, 600_000);

afterAll(async () => {
  await fake?.stop();
  await lab?.stop();
  // The collection files hold the planted values in clear (as any collection holds keys): not left behind.
  if (collectionDir) await rm(collectionDir, { recursive: true, force: true });
});

describe('no secret value leaves the main process', () => {
  it('found the planted keys in both scans, so there was something to leak', () => {
    // Every format was rendered from the scan: each names the advisory, and each but CycloneDX (packages
    // and their vulnerabilities only) lists the keys by fingerprint, so there was a key in it to leak.
    const fingerprints = cliReport.findings.flatMap((finding) => (finding.kind === 'secret' ? [finding.fingerprint] : []));
    for (const format of REPORT_FORMATS) {
      const text = produced.get(join(outputDir, 'cli', `report.${REPORT_RENDERERS[format].extension}`))?.toString() ?? '';
      expect(text, format).toContain('MAL-2026-2144');
      if (format !== 'cyclonedx') for (const fingerprint of fingerprints) expect(text, `${format} ${fingerprint}`).toContain(fingerprint);
      expect(produced.get(`app report as ${format}`)?.toString(), format).toContain('MAL-2026-2144');
    }
    expect(produced.get('cli scan to stdout stdout')?.toString()).toMatch(/^<!DOCTYPE html>/);
    // The printed reports (CLI and app) say what the HTML says: the advisory, every host and every key by fingerprint.
    for (const source of [join(outputDir, 'cli', 'report.pdf'), 'app export as pdf']) {
      const unwrapped = produced.get(`${source} (its text, unwrapped)`)?.toString() ?? '';
      expect(unwrapped, source).toContain('MAL-2026-2144');
      for (const host of cliReport.hosts) expect(unwrapped, `${source} ${host.name}`).toContain(host.name.replace(/\s+/g, ''));
      for (const fingerprint of fingerprints) expect(unwrapped, `${source} ${fingerprint}`).toContain(fingerprint.replace(/\s+/g, ''));
    }
    expect([...produced.keys()].filter((source) => source.startsWith(join(outputDir, 'case'))).length).toBeGreaterThan(0);
    expect(produced.get('websocket frames')?.toString()).toContain('scan:finished');
    for (const report of [cliReport, wsReport]) {
      const providers = new Set(report.findings.flatMap((finding) => (finding.kind === 'secret' ? [finding.provider] : [])));
      for (const secret of Object.values(PLANTED_SECRETS)) expect(providers, secret.id).toContain(secret.provider);
      expect(providers).toContain('ssh');
    }
  });

  it('found the Kubernetes Secrets\' keys (decoded from kubectl\'s base64) in both scans, so there was something to leak', () => {
    for (const report of [cliReport, wsReport]) {
      const fingerprints = new Set(report.findings.flatMap((finding) => (finding.kind === 'secret' ? [finding.fingerprint] : [])));
      for (const id of ['k8s-openai', 'k8s-anthropic', 'k8s-litellm-master', 'k8s-litellm-virtual'] as const) {
        expect(fingerprints.has(expectedFingerprint(KUBERNETES_SECRETS[id])), id).toBe(true);
      }
    }
  });

  it('met every error path: docker ps, image inspect, history and exec failing with a credential, inspect output that is not JSON', () => {
    for (const report of [cliReport, wsReport]) {
      const notes = (host: string) => report.hosts.find((inventory) => inventory.name === host)?.notes?.map((note) => note.message).join('\n') ?? '';
      expect(notes('dockerfail')).toMatch(/docker ps failed \(exit 1\): error during connect: Get "https:\/\/ci:\[redacted [^\]]+\]@docker\.lab\.example/);
      expect(notes('hostiledaemon')).toContain('inspect output is not JSON');
      expect(notes('brittle')).toMatch(/images could not be inspected/);
      expect(notes('brittle')).toMatch(/docker history failed for 1 of 1 images/);
      expect(notes('brittle')).toMatch(/docker exec failed/);
      for (const host of ['dockerfail', 'hostiledaemon', 'brittle']) expect(report.hosts.find((inventory) => inventory.name === host)?.status, host).toBe('partial');
    }
  });

  it('writes no planted value, nor any 16-character piece of one, in any report, case file, log, output stream or WebSocket frame', () => {
    const hits: string[] = [];
    const list = needles();
    for (const [source, bytes] of produced) {
      for (const { owner, needle } of list) if (bytes.includes(needle)) hits.push(`${owner} (${needle.length} chars) in ${source}`);
    }
    expect(hits).toEqual([]);
    expect(produced.size).toBeGreaterThan(6);
  });

  it('opened the provider credential LiteLLM stores encrypted in its database (so there was a clear value to leak), and wrote none of the spend log\'s prompts', () => {
    for (const report of [cliReport, wsReport]) {
      const stored = report.findings.find((finding) => finding.kind === 'secret' && finding.locations.some((location) => location.source === 'gateway-db' && location.variable?.startsWith('credential_list[')));
      expect(stored && stored.kind === 'secret' ? stored.fingerprint.endsWith(`:${PLANTED_SECRETS['db-openai'].value.slice(-4)}`) : false).toBe(true);
    }
    // The lab's spend log rows carry a prompt in `messages`: the read aggregates in SQL and never ships a row.
    for (const [source, bytes] of produced) expect(bytes.includes('a prompt the scan must never read'), source).toBe(false);
  });

  it('ran the revocation check to each outcome: live, revoked and indeterminate, from the CLI and the backend', () => {
    const outcomes = (checks: readonly RevocationCheck[]) => Object.fromEntries(checks.map((check) => [check.provider, `${check.outcome}${check.errorClass ? `/${check.errorClass}` : ''}`]));
    const expected = { openai: 'live', anthropic: 'revoked', groq: 'indeterminate/server-error', huggingface: 'indeterminate/redirect' };

    expect(outcomes(revokedCliReport.revocationChecks ?? [])).toMatchObject(expected);
    expect(outcomes(backendChecks)).toMatchObject(expected);
    expect(produced.get('revocation cli stdout')?.toString()).toMatch(/Revocation check/);
    // The keys did reach the fake provider, so there was something to echo back.
    expect(fake.requests.some((request) => request.headers['x-api-key'] !== undefined)).toBe(true);
  });

  it('imported offline collections that held the planted keys in clear, and found them by fingerprint', async () => {
    // The files themselves hold the values (the collector reads them as a scan does): that is what there was to leak.
    const collections = await Promise.all((await readdir(collectionDir)).map((name) => readFile(join(collectionDir, name))));
    // A key kept only in a gateway's database is read by a scan through psql, which the offline collector does not run (OFFLINE_GAPS).
    const inFiles = Object.values(PLANTED_SECRETS).filter((secret) => secret.locations.some((location) => location.source !== 'gateway-db'));
    expect(inFiles.length).toBeGreaterThan(0);
    for (const secret of inFiles) expect(collections.some((bytes) => bytes.includes(secret.value)), secret.id).toBe(true);
    const providers = new Set(importedReport.findings.flatMap((finding) => (finding.kind === 'secret' ? [finding.provider] : [])));
    for (const secret of inFiles) expect(providers, secret.id).toContain(secret.provider);
    expect([...produced.keys()].filter((source) => source.startsWith(join(outputDir, 'offline-case'))).length).toBeGreaterThan(0);
    expect(produced.get('cli import stderr')?.toString()).toMatch(/hold secrets/);
  });

  it('ran no trapped interpreter anywhere', async () => {
    expect(await lab.trippedTraps()).toEqual([]);
  });
});
