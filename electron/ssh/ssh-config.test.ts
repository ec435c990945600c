import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSshConfig, parseJumpSpec, parseSshConfig, splitArguments, type IncludedFile } from './ssh-config.js';

const environment = { homeDir: '/home/ana', localUser: 'ana', localHostName: 'laptop', uid: 1000 };

function parse(text: string, includes: Record<string, IncludedFile[]> = {}) {
  return parseSshConfig(text, { environment, resolveInclude: (pattern) => includes[pattern] ?? [] });
}

describe('parseSshConfig', () => {
  test('fills OpenSSH defaults for a host the config does not mention', () => {
    const resolved = parse('').resolve('nas');

    expect(resolved).toEqual({
      alias: 'nas',
      hostName: 'nas',
      port: 22,
      user: 'ana',
      identityFiles: ['/home/ana/.ssh/id_ed25519', '/home/ana/.ssh/id_ecdsa', '/home/ana/.ssh/id_rsa'],
      identitiesOnly: false,
      proxyJump: [],
      userKnownHostsFiles: ['/home/ana/.ssh/known_hosts'],
      globalKnownHostsFiles: ['/etc/ssh/ssh_known_hosts', '/etc/ssh/ssh_known_hosts2'],
      strictHostKeyChecking: 'ask',
      connectTimeoutMs: null,
      proxyCommand: null,
    });
  });

  test('keeps the first value of a keyword across matching blocks', () => {
    const config = parse(`
Host gpu
  User first
  Port 2201
Host *
  User second
  Port 2202
  HostName fallback.example
`);

    const resolved = config.resolve('gpu');

    expect(resolved.user).toBe('first');
    expect(resolved.port).toBe(2201);
    expect(resolved.hostName).toBe('fallback.example');
  });

  test('applies settings given before any Host line to every host', () => {
    const resolved = parse('User early\nHost x\n  User late\n').resolve('x');

    expect(resolved.user).toBe('early');
  });

  test('matches wildcards, ? and negations in Host patterns', () => {
    const config = parse(`
Host *.lab !secret.lab
  User labuser
Host gpu?
  Port 2222
`);

    expect(config.resolve('web.lab').user).toBe('labuser');
    expect(config.resolve('secret.lab').user).toBe('ana');
    expect(config.resolve('gpu1').port).toBe(2222);
    expect(config.resolve('gpu10').port).toBe(22);
  });

  test('reads keywords case-insensitively in both key value and key=value forms', () => {
    const resolved = parse('HOST a\n  hostname=10.0.0.5\n  PORT = 2022\n  user\t"Ann Smith"\n').resolve('a');

    expect(resolved.hostName).toBe('10.0.0.5');
    expect(resolved.port).toBe(2022);
    expect(resolved.user).toBe('Ann Smith');
  });

  test('substitutes %h in HostName with the alias', () => {
    expect(parse('Host *\n  HostName %h.home.arpa\n').resolve('nas').hostName).toBe('nas.home.arpa');
  });

  test('accumulates IdentityFile lines and expands ~ and tokens', () => {
    const resolved = parse(`
Host nas
  HostName 192.168.1.10
  User admin
  IdentityFile ~/.ssh/nas_%h
  IdentityFile %d/keys/%r@%n
Host *
  IdentityFile ~/.ssh/common
  IdentitiesOnly yes
`).resolve('nas');

    expect(resolved.identityFiles).toEqual([
      '/home/ana/.ssh/nas_192.168.1.10',
      '/home/ana/keys/admin@nas',
      '/home/ana/.ssh/common',
    ]);
    expect(resolved.identitiesOnly).toBe(true);
  });

  test('takes all UserKnownHostsFile paths of the first line', () => {
    const resolved = parse(`
Host a
  UserKnownHostsFile ~/.ssh/known_hosts "/srv/shared known_hosts"
Host *
  UserKnownHostsFile /ignored
`).resolve('a');

    expect(resolved.userKnownHostsFiles).toEqual(['/home/ana/.ssh/known_hosts', '/srv/shared known_hosts']);
  });

  test('normalises StrictHostKeyChecking values and converts ConnectTimeout to milliseconds', () => {
    const config = parse(`
Host off
  StrictHostKeyChecking off
Host new
  StrictHostKeyChecking accept-new
Host yes
  StrictHostKeyChecking yes
Host *
  ConnectTimeout 7
`);

    expect(config.resolve('off').strictHostKeyChecking).toBe('no');
    expect(config.resolve('new').strictHostKeyChecking).toBe('accept-new');
    expect(config.resolve('yes').strictHostKeyChecking).toBe('yes');
    expect(config.resolve('yes').connectTimeoutMs).toBe(7000);
  });

  test('lists concrete Host aliases in file order without patterns or duplicates', () => {
    const config = parse(
      `
Host web db
Host *.lab !x
Host web gpu?
Include extra.conf
Host backup
`,
      { '/home/ana/.ssh/extra.conf': [{ path: '/home/ana/.ssh/extra.conf', text: 'Host nas\n' }] },
    );

    expect(config.concreteHosts()).toEqual(['web', 'db', 'nas', 'backup']);
  });

  test('reads Include files relative to ~/.ssh, in glob order, nested', () => {
    const includes: Record<string, IncludedFile[]> = {
      '/home/ana/.ssh/config.d/*': [
        { path: '/home/ana/.ssh/config.d/10-nas', text: 'Host nas\n  HostName 10.0.0.2\n  Include /etc/lab/nested\n' },
        { path: '/home/ana/.ssh/config.d/20-gpu', text: 'Host gpu\n  HostName 10.0.0.3\n' },
      ],
      '/etc/lab/nested': [{ path: '/etc/lab/nested', text: 'User nested-user\n' }],
    };

    const config = parse('Include config.d/*\nHost *\n  User fallback\n', includes);

    expect(config.resolve('nas')).toMatchObject({ hostName: '10.0.0.2', user: 'nested-user' });
    expect(config.resolve('gpu')).toMatchObject({ hostName: '10.0.0.3', user: 'fallback' });
  });

  test('restores the enclosing Host block after an Include inside it', () => {
    const includes = { '/home/ana/.ssh/inc': [{ path: '/home/ana/.ssh/inc', text: 'Port 2200\n' }] };

    const config = parse('Host a\n  Include inc\n  User only-a\nHost b\n', includes);

    expect(config.resolve('a')).toMatchObject({ port: 2200, user: 'only-a' });
    expect(config.resolve('b')).toMatchObject({ port: 22, user: 'ana' });
  });

  test('skips Match blocks but honours Match all', () => {
    const config = parse(`
Match host nas exec "false"
  User wrong
Match all
  Port 2022
Host nas
  User right
`);

    expect(config.resolve('nas')).toMatchObject({ user: 'right', port: 2022 });
    expect(config.warnings).toEqual([expect.stringContaining('Match block skipped')]);
  });

  test('resolves a ProxyJump chain through the config, with user@host:port overrides', () => {
    const config = parse(`
Host target
  HostName 10.1.0.9
  ProxyJump bastion,ops@inner:2200
Host bastion
  HostName bastion.example
  User jump
  Port 2022
  IdentityFile ~/.ssh/bastion
Host inner
  HostName 10.1.0.1
  ProxyJump ignored-because-explicit-chain
`);

    const resolved = config.resolve('target');

    expect(resolved.proxyJump.map((hop) => [hop.alias, hop.user, hop.hostName, hop.port])).toEqual([
      ['bastion', 'jump', 'bastion.example', 2022],
      ['inner', 'ops', '10.1.0.1', 2200],
    ]);
    expect(resolved.proxyJump[0]!.identityFiles).toEqual(['/home/ana/.ssh/bastion']);
  });

  test('puts the first hop\'s own ProxyJump before it', () => {
    const config = parse(`
Host target
  ProxyJump middle
Host middle
  ProxyJump edge
Host edge
  HostName edge.example
`);

    expect(config.resolve('target').proxyJump.map((hop) => hop.alias)).toEqual(['edge', 'middle']);
  });

  test('ProxyJump none given first disables a later ProxyJump', () => {
    const config = parse('Host direct\n  ProxyJump none\nHost * !bastion\n  ProxyJump bastion\n');

    expect(config.resolve('direct').proxyJump).toEqual([]);
    expect(config.resolve('other').proxyJump.map((hop) => hop.alias)).toEqual(['bastion']);
  });

  test('reports a ProxyCommand that precedes ProxyJump instead of silently connecting directly', () => {
    const resolved = parse('Host x\n  ProxyCommand nc %h %p\n  ProxyJump y\n').resolve('x');

    expect(resolved.proxyCommand).toBe('nc %h %p');
    expect(resolved.proxyJump).toEqual([]);
  });

  test('rejects a ProxyJump loop', () => {
    const config = parse('Host a\n  ProxyJump b\nHost b\n  ProxyJump a\n');

    expect(() => config.resolve('a')).toThrow('ProxyJump loop: a -> b -> a');
    expect(() => parse('Host *\n  ProxyJump gw\n').resolve('x')).toThrow('ProxyJump loop: x -> gw -> gw');
  });
});

describe('helpers', () => {
  test('splitArguments handles quotes, escapes and trailing comments', () => {
    expect(splitArguments(`"/a b/c" d\\ e 'f g' # comment`)).toEqual(['/a b/c', 'd e', 'f g']);
  });

  test('parseJumpSpec reads user, host, port, IPv6 and ssh:// forms', () => {
    expect(parseJumpSpec('ops@gw:2200')).toEqual({ host: 'gw', user: 'ops', port: 2200 });
    expect(parseJumpSpec('gw')).toEqual({ host: 'gw', user: undefined, port: undefined });
    expect(parseJumpSpec('root@[fd00::1]:22')).toEqual({ host: 'fd00::1', user: 'root', port: 22 });
    expect(parseJumpSpec('ssh://me@gw:2')).toEqual({ host: 'gw', user: 'me', port: 2 });
  });
});

describe('loadSshConfig', () => {
  test('reads a config file and its glob Include from disk', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'sshcfg-'));
    await mkdir(path.join(home, '.ssh', 'conf.d'), { recursive: true });
    await writeFile(path.join(home, '.ssh', 'config'), 'Include conf.d/*.conf\nHost *\n  User z\n');
    await writeFile(path.join(home, '.ssh', 'conf.d', 'b.conf'), 'Host bee\n  Port 2\n');
    await writeFile(path.join(home, '.ssh', 'conf.d', 'a.conf'), 'Host ay\n  Port 1\n');
    await writeFile(path.join(home, '.ssh', 'conf.d', 'skip.txt'), 'Host no\n');

    const config = loadSshConfig(undefined, { environment: { homeDir: home, localUser: 'ana', uid: 1 } });

    expect(config.concreteHosts()).toEqual(['ay', 'bee']);
    expect(config.resolve('bee')).toMatchObject({ port: 2, user: 'z' });
  });

  test('throws a one-line error naming the file when the main config is unreadable', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'sshcfg-'));
    const missing = path.join(home, 'nope');

    expect(() => loadSshConfig(missing)).toThrow(`cannot read SSH config ${missing}: no such file`);
    expect(loadSshConfig(missing, { optional: true }).concreteHosts()).toEqual([]);
  });
});
