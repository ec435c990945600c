/**
 * ssh_config as people write it, against real lab hosts through the built CLI: settings given by
 * `Match` blocks, a host reached only through a ProxyCommand, and one whose key lives only in an
 * agent named by IdentityAgent (as 1Password or Secretive set up) — with SSH_AUTH_SOCK empty, so
 * nothing but the config can name the agent.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startLab, type Lab } from './lab/lab.js';
import { labCliEnv, requireBuiltCli, runCliScan, type CliScan } from './cli-run.js';

let lab: Lab;
let dir: string;
let agent: ChildProcess | null = null;

/** Scans with the built CLI, its state in the test folder, into `--json <reportPath>`, and reads the report. */
const scanInto = (args: string[], reportPath: string): Promise<CliScan> => runCliScan(args, { json: reportPath }, { env: labCliEnv(join(dir, 'state')) });

/** A `nc %h %p` written in Node (no netcat needed), logging each host:port it is asked for. */
async function relayScript(log: string): Promise<string> {
  const script = join(dir, 'relay.cjs');
  await writeFile(
    script,
    `require('fs').appendFileSync(${JSON.stringify(log)}, process.argv[2] + ':' + process.argv[3] + '\\n');
const socket = require('net').connect(Number(process.argv[3]), process.argv[2]);
process.stdin.pipe(socket);
socket.pipe(process.stdout);
socket.on('close', () => process.exit(0));
`,
  );
  return script;
}

/** Starts an ssh-agent on `socket` holding the lab's key; resolves once the key is in. */
async function agentWithLabKey(socket: string): Promise<ChildProcess> {
  const started = spawn('ssh-agent', ['-D', '-a', socket], { stdio: 'ignore' });
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      if (existsSync(socket)) {
        execFileSync('ssh-add', [lab.identityFile], { env: { ...process.env, SSH_AUTH_SOCK: socket }, stdio: 'ignore' });
        return started;
      }
    } catch {
      // bound but not yet listening: try again
    }
    if (Date.now() > deadline) throw new Error('ssh-agent did not take the key');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

beforeAll(async () => {
  requireBuiltCli('npm run build');
  dir = await mkdtemp(join(tmpdir(), 'blast-radius-ssh-forms-'));
  lab = await startLab({ only: ['alpine', 'ollama'] });
  agent = await agentWithLabKey(join(dir, 'agent.sock'));
});

afterAll(async () => {
  agent?.kill();
  await lab?.stop();
});

describe('ssh_config as users write it', () => {
  it('reaches one lab host through a ProxyCommand and another with an IdentityAgent key, both set by Match blocks', async () => {
    const alpine = lab.hosts['alpine']!;
    const ollama = lab.hosts['ollama']!;
    const relayLog = join(dir, 'relay.log');
    const relay = await relayScript(relayLog);
    const config = [
      // Plain Host blocks name the hosts; neither says how to get in.
      `Host alpine`,
      `    HostName ${alpine.address}`,
      `    Port ${alpine.port}`,
      `Host ollama`,
      `    HostName ${ollama.address}`,
      `    Port ${ollama.port}`,
      // Everything else comes from Match blocks, as a fleet config often does.
      `Match host ${alpine.address}`,
      `    ProxyCommand ${process.execPath} ${relay} %h %p`,
      `    IdentityFile ${lab.identityFile}`,
      `Match originalhost ollama`,
      `    IdentityAgent ${join(dir, 'agent.sock')}`,
      `    IdentityFile ${join(dir, 'no-such-key')}`,
      `Match exec "touch ${join(dir, 'exec-ran')}"`,
      `    User nobody-from-exec`,
      `Match all`,
      `    User ${alpine.user ?? 'lab-blast'}`,
      `    UserKnownHostsFile ${lab.knownHostsPath}`,
      `    GlobalKnownHostsFile /dev/null`,
      `    StrictHostKeyChecking yes`,
      `    ConnectTimeout 5`,
    ].join('\n');
    const configPath = join(dir, 'ssh_config');
    await writeFile(configPath, `${config}\n`);
    const reportPath = join(dir, 'report.json');

    const run = await scanInto(['scan', '--ssh-config', configPath, '--host', 'alpine', '--host', 'ollama', '-q'], reportPath);

    const status = Object.fromEntries(run.report.hosts.map((host) => [host.name, host.status]));
    expect(status, run.stderr).toEqual({ alpine: 'ok', ollama: 'ok' });
    // alpine was reached through the relay, with the address and port the tokens stand for.
    expect((await readFile(relayLog, 'utf8')).trim().split('\n')).toContain(`${alpine.address}:${alpine.port}`);
    // The Match exec block was not run to decide whether it applies.
    expect(existsSync(join(dir, 'exec-ran'))).toBe(false);
  });

  it('says which ProxyCommand failed and what it printed when it cannot reach the host', async () => {
    const alpine = lab.hosts['alpine']!;
    const configPath = join(dir, 'broken.conf');
    await writeFile(
      configPath,
      [
        'Host edge',
        `    HostName ${alpine.address}`,
        `    ProxyCommand sh -c 'echo "tunnel: no route to %h" >&2; exit 1'`,
        `    UserKnownHostsFile ${lab.knownHostsPath}`,
        '    StrictHostKeyChecking yes',
      ].join('\n'),
    );
    const reportPath = join(dir, 'broken.json');

    const run = await scanInto(['scan', '--ssh-config', configPath, '--host', 'edge', '-q'], reportPath);

    const [edge] = run.report.hosts;
    expect(run.code).toBe(4);
    expect(edge).toMatchObject({ name: 'edge', status: 'unreachable' });
    expect(JSON.stringify(edge), JSON.stringify(edge)).toContain(`ProxyCommand exited with status 1: tunnel: no route to ${alpine.address}`);
  });
});
