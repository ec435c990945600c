import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { expect, test } from 'vitest';
import { generateClientKey, killStaleSshd, PID_FILE_NAME, startSshd } from './sshd.js';

// Addresses 127.0.0.50-59 belong to this file.
const SSH_OPTIONS = ['-o', 'BatchMode=yes', '-o', 'StrictHostKeyChecking=yes'];

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return !/ Z /.test(execFileSync('cat', [`/proc/${pid}/stat`]).toString());
  } catch {
    return false;
  }
}

function ssh(key: string, knownHosts: string, port: number, address: string, command: string): string {
  return execFileSync('ssh', [...SSH_OPTIONS, '-o', `UserKnownHostsFile=${knownHosts}`, '-i', key, '-p', String(port), `root@${address}`, command]).toString();
}

test('starts an sshd that OpenSSH trusts through knownHostsLine and that passes SetEnv to sessions', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'lab-sshd-'));
  const key = await generateClientKey(path.join(root, 'client'));
  const host = await startSshd({ address: '127.0.0.50', user: 'root', authorizedKeys: [key.publicKey], setEnv: { LAB_NAME: 'fifty', LAB_ROLE: 'with space' }, stateDir: path.join(root, 'h') });
  try {
    const knownHosts = path.join(root, 'known_hosts');
    execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', host.knownHostsLine, knownHosts]);

    expect(ssh(key.privateKeyPath, knownHosts, host.port, host.address, 'echo "$LAB_NAME/$LAB_ROLE"')).toBe('fifty/with space\n');
    const keygen = execFileSync('ssh-keygen', ['-l', '-E', 'sha256', '-f', path.join(host.stateDir, 'ssh_host_ed25519_key.pub')]).toString();
    expect(keygen.split(' ')[1]).toBe(host.hostKeyFingerprint);
  } finally {
    await host.stop();
  }
  expect(alive(host.pid)).toBe(false);
});

test('keeps the host key when restarted on the same state folder', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'lab-sshd-'));
  const first = await startSshd({ address: '127.0.0.51', user: 'root', authorizedKeys: [], stateDir: path.join(root, 'h') });
  await first.stop();

  const second = await startSshd({ address: '127.0.0.51', user: 'root', authorizedKeys: [], stateDir: path.join(root, 'h') });
  await second.stop();

  expect(second.hostPublicKey).toBe(first.hostPublicKey);
});

test('stop ends the connections it serves, not only the listener', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'lab-sshd-'));
  const key = await generateClientKey(path.join(root, 'client'));
  const host = await startSshd({ address: '127.0.0.52', user: 'root', authorizedKeys: [key.publicKey], stateDir: path.join(root, 'h') });
  const knownHosts = path.join(root, 'known_hosts');
  execFileSync('sh', ['-c', `printf '%s\\n' "$1" > "$2"`, 'sh', host.knownHostsLine, knownHosts]);
  const client = spawn('ssh', [...SSH_OPTIONS, '-o', `UserKnownHostsFile=${knownHosts}`, '-i', key.privateKeyPath, '-p', String(host.port), 'root@127.0.0.52', 'echo up; exec sleep 60']);
  const exited = new Promise((resolve) => client.once('exit', resolve));
  await new Promise((resolve) => client.stdout.once('data', resolve));

  await host.stop();

  await exited; // the ssh client only exits once its server-side session is gone
  expect(existsSync(path.join(host.stateDir, PID_FILE_NAME))).toBe(false);
});

test('refuses a fixed port that is already taken, and killStaleSshd clears leftovers of a crashed run', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'lab-sshd-'));
  const stale = await startSshd({ address: '127.0.0.53', user: 'root', authorizedKeys: [], stateDir: path.join(root, 'run1', 'h') });
  // Simulate a crashed run: the handle is lost, only the state folder remains.
  const pid = Number((await readFile(path.join(stale.stateDir, PID_FILE_NAME), 'utf8')).trim());

  await expect(
    startSshd({ address: '127.0.0.53', port: stale.port, user: 'root', authorizedKeys: [], stateDir: path.join(root, 'run2', 'h') }),
  ).rejects.toThrow(/already in use/);
  expect(await killStaleSshd(root)).toBe(1);

  expect(alive(pid)).toBe(false);
  const probe = await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.53', port: stale.port }, () => resolve(true)).on('error', () => resolve(false));
    socket.unref();
  });
  expect(probe).toBe(false);
});

test('generateClientKey makes an encrypted key when given a passphrase', async () => {
  const root = await mkdtemp(path.join(tmpdir(), 'lab-sshd-'));

  const key = await generateClientKey(root, { passphrase: 'secret' });

  expect(key.publicKey).toMatch(/^ssh-ed25519 /);
  expect(() => execFileSync('ssh-keygen', ['-y', '-P', '', '-f', key.privateKeyPath], { stdio: 'pipe' })).toThrow();
  const derived = execFileSync('ssh-keygen', ['-y', '-P', 'secret', '-f', key.privateKeyPath]).toString();
  expect(derived.split(' ').slice(0, 2)).toEqual(key.publicKey.split(' ').slice(0, 2));
});
