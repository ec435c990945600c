import { mkdir, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { loadSshConfig, parseJumpSpec, parseSshConfig, splitArguments, type IncludedFile } from './ssh-config.js';

const environment = { homeDir: '/home/ana', localUser: 'ana', localHostName: 'laptop', uid: 1000, variables: { SSH_AUTH_SOCK: '/tmp/ssh-x/agent.1', XDG_RUNTIME_DIR: '/run/user/1000' } };

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
      hashKnownHosts: false,
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

  test('skips a Match block that would run a command, and says so, but honours Match all', () => {
    const config = parse(`
Match host nas exec "false"
  User wrong
Match all
  Port 2022
Host nas
  User right
`);

    expect(config.resolve('nas')).toMatchObject({ user: 'right', port: 2022 });
    expect(config.warnings).toEqual(['ssh_config:2: Match block skipped: "exec" would run a command, and nothing is run to read the config']);
  });

  test('Match host sees the HostName set before it; Match originalhost the name given', () => {
    const config = parse(`
Host nas
  HostName 10.0.0.2
Match host 10.0.0.*
  User lan-user
Match originalhost nas
  Port 2222
Match host nas
  IdentityFile ~/.ssh/never
`);

    const resolved = config.resolve('nas');
    expect(resolved).toMatchObject({ hostName: '10.0.0.2', user: 'lan-user', port: 2222 });
    expect(resolved.identityFiles).not.toContain('/home/ana/.ssh/never');
  });

  test('Match user and localuser, negation, and criteria that must all hold', () => {
    const config = parse(`
Host gpu
  User ops
Match user ops host gpu
  IdentityFile ~/.ssh/ops_key
Match !user ops
  Port 2200
Match localuser ana,bob
  ConnectTimeout 7
Match localuser root
  ConnectTimeout 99
`);

    expect(config.resolve('gpu')).toMatchObject({ user: 'ops', port: 22, connectTimeoutMs: 7000, identityFiles: ['/home/ana/.ssh/ops_key'] });
    expect(config.resolve('other')).toMatchObject({ user: 'ana', port: 2200, connectTimeoutMs: 7000 });
  });

  test('Match final applies in a second pass that only fills what is still unset; canonical never matches', () => {
    const config = parse(`
Match final host *.lab
  User final-user
  Port 2022
Match canonical
  User canonical-user
Host box
  HostName box.lab
  Port 2200
`);

    // The first pass set Port (2200) but no User; the final pass, seeing box.lab, fills User only.
    expect(config.resolve('box')).toMatchObject({ hostName: 'box.lab', user: 'final-user', port: 2200 });
    expect(config.resolve('elsewhere')).toMatchObject({ user: 'ana', port: 22 });
  });

  test('skips Match criteria it cannot evaluate faithfully, naming them', () => {
    const config = parse('Match localnetwork 10.0.0.0/8\n  User wrong\nMatch tagged x\n  Port 1\n');

    expect(config.resolve('x')).toMatchObject({ user: 'ana', port: 22 });
    expect(config.warnings).toEqual(['ssh_config:1: Match block skipped: "localnetwork" is not supported', 'ssh_config:3: Match block skipped: "tagged" is not supported']);
  });

  test('IdentityAgent: a path with ~ and ${VAR}, SSH_AUTH_SOCK, none, or unset', () => {
    const config = parse(`
Host onepassword
  IdentityAgent ~/.1password/agent.sock
Host secretive
  IdentityAgent \${XDG_RUNTIME_DIR}/secretive.sock
Host env
  IdentityAgent SSH_AUTH_SOCK
Host off
  IdentityAgent none
Host unset-var
  IdentityAgent \${NOT_SET}/agent
`);

    expect(config.resolve('onepassword').identityAgent).toBe('/home/ana/.1password/agent.sock');
    expect(config.resolve('secretive').identityAgent).toBe('/run/user/1000/secretive.sock');
    expect(config.resolve('env').identityAgent).toBe('/tmp/ssh-x/agent.1');
    expect(config.resolve('off').identityAgent).toBeNull();
    expect(config.resolve('unset-var').identityAgent).toBeNull();
    expect(config.resolve('plain')).not.toHaveProperty('identityAgent');
  });

  test('ProxyCommand is the rest of the line as written, quotes included, for the shell to read', () => {
    expect(parse(`Host x\n  ProxyCommand=sh -c 'exec nc "%h" %p' # not a comment to ssh\n`).resolve('x').proxyCommand).toBe(
      `sh -c 'exec nc "x" 22' # not a comment to ssh`,
    );
  });

  test('ProxyCommand expands %h %p %r %n and %%; HashKnownHosts is read', () => {
    const config = parse(`
Host edge
  HostName edge.internal
  User deploy
  Port 2201
  ProxyCommand cloudflared access ssh --hostname %h --port %p --as %r --alias %n --literal 100%%
  HashKnownHosts yes
`);

    expect(config.resolve('edge')).toMatchObject({
      proxyCommand: 'cloudflared access ssh --hostname edge.internal --port 2201 --as deploy --alias edge --literal 100%',
      hashKnownHosts: true,
    });
  });

  test('reads the system file after the user\'s: it fills only what the user left unset, and its hosts are not listed', () => {
    const config = parseSshConfig('Host nas\n  User mine\n', {
      environment,
      system: { path: '/etc/ssh/ssh_config', text: 'Host *\n  User system\n  Port 2022\n  HashKnownHosts yes\nHost corp-only\n  Port 1\n' },
      resolveInclude: () => [],
    });

    expect(config.resolve('nas')).toMatchObject({ user: 'mine', port: 2022, hashKnownHosts: true });
    expect(config.concreteHosts()).toEqual(['nas']);
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

  test('a ProxyCommand that precedes ProxyJump wins, as in OpenSSH', () => {
    const resolved = parse('Host x\n  ProxyCommand nc %h %p\n  ProxyJump y\n').resolve('x');

    expect(resolved.proxyCommand).toBe('nc x 22');
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

    const config = loadSshConfig(undefined, { environment: { homeDir: home, localUser: 'ana', uid: 1 }, systemConfigPath: null });

    expect(config.concreteHosts()).toEqual(['ay', 'bee']);
    expect(config.resolve('bee')).toMatchObject({ port: 2, user: 'z' });
  });

  test('reads the system file with its Include after the default config, and not after a file named like ssh -F', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'sshcfg-'));
    const etc = path.join(home, 'etc-ssh');
    await mkdir(path.join(etc, 'ssh_config.d'), { recursive: true });
    await mkdir(path.join(home, '.ssh'), { recursive: true });
    await writeFile(path.join(home, '.ssh', 'config'), 'Host nas\n  HostName 10.0.0.2\n');
    await writeFile(path.join(etc, 'ssh_config'), 'Include ssh_config.d/*.conf\nHost *\n  HashKnownHosts yes\n');
    await writeFile(path.join(etc, 'ssh_config.d', 'corp.conf'), 'Host *\n  User corp\n');
    const options = { environment: { homeDir: home, localUser: 'ana', uid: 1 }, systemConfigPath: path.join(etc, 'ssh_config') };

    expect(loadSshConfig(undefined, options).resolve('nas')).toMatchObject({ hostName: '10.0.0.2', user: 'corp', hashKnownHosts: true });
    expect(loadSshConfig(path.join(home, '.ssh', 'config'), { environment: options.environment }).resolve('nas')).toMatchObject({ user: 'ana', hashKnownHosts: false });
  });

  test('throws a one-line error naming the file when the main config is unreadable', async () => {
    const home = await mkdtemp(path.join(tmpdir(), 'sshcfg-'));
    const missing = path.join(home, 'nope');

    expect(() => loadSshConfig(missing)).toThrow(`cannot read SSH config ${missing}: no such file`);
    expect(loadSshConfig(missing, { optional: true }).concreteHosts()).toEqual([]);
  });
});
