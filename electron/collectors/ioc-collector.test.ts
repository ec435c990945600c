import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IocHit } from '../../shared/model/index.js';
import { bundledIocRules, parseIocRules, type IocRule } from '../../shared/domain/iocs/rules.js';
import { LocalRunner } from '../exec/local-runner.js';
import { hermeticRunner, SHELLS, tempDir, writeExecutable, writeTree } from './fixtures/shell-harness.js';
import { collectHostIocs, MAX_DIR_FILES } from './ioc-collector.js';

const PTH = 'import os; os.system("true")  # stand-in for the 1.82.8 payload\n';
const PTH_SHA256 = createHash('sha256').update(PTH).digest('hex');
const SOURCE = { name: 'test write-up', kind: 'secondary' } as const;

/** The bundled rules, plus a hash rule for a planted stand-in .pth (the real payload's bytes are not in the tests). */
function rules(extra: unknown[] = []): IocRule[] {
  return [
    ...bundledIocRules(),
    ...parseIocRules(
      {
        schemaVersion: 1,
        rules: [
          {
            id: 'test-pth-hash',
            title: 'stand-in .pth by hash',
            compromise: 'test-2026-03',
            severity: 'critical',
            source: SOURCE,
            kind: 'file-hash',
            sha256: [PTH_SHA256],
            paths: ['~/planted.pth'],
            search: { roots: ['/usr/local/lib', '/opt'], name: '*.pth', maxDepth: 6 },
          },
          ...extra,
        ],
      },
      'test rules',
    ),
  ];
}

/** A host tree with the LiteLLM and Telnyx persistence planted, and near misses next to each. */
async function buildHost(root: string): Promise<void> {
  await writeTree(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\nalice:x:1000:1000::/home/alice:/bin/bash\nsvc:x:998:998::/var/lib/svc:/usr/sbin/nologin\nodd:x:997:997::/srv/odd $(touch pwned) home/:/bin/sh\nnohome:x:996:996::/nonexistent:/bin/sh\n');
  await mkdir(join(root, 'root'), { recursive: true });
  // LiteLLM persistence in alice's home, its unit enabled by a relative link as systemctl leaves it.
  await writeTree(root, 'home/alice/.config/sysmon/sysmon.py', '# poll https://checkmarx.zone/raw\n');
  await writeTree(root, 'home/alice/.config/systemd/user/sysmon.service', '[Unit]\nDescription=System Telemetry Service\n\n[Service]\nExecStart=/usr/bin/python3 %h/.config/sysmon/sysmon.py\n');
  await mkdir(join(root, 'home/alice/.config/systemd/user/default.target.wants'), { recursive: true });
  await symlink('../sysmon.service', join(root, 'home/alice/.config/systemd/user/default.target.wants/sysmon.service'));
  await writeTree(root, 'home/alice/.bash_history', 'ls\ncurl -s https://models.litellm.cloud/v1/x\n');
  await writeTree(root, 'tmp/.pg_state', 'state\n');
  // Telnyx persistence in the home of a service account that only /etc/passwd names.
  await writeTree(root, 'var/lib/svc/.config/audiomon/audiomon.py', '# placeholder\n');
  await writeTree(root, 'etc/cron.d/telemetry', '*/5 * * * * root curl -s http://83.142.209.203:8080/raw\n');
  await writeTree(root, 'var/log/nginx/access.log', '10.0.0.2 - - "POST /upload HTTP/1.1" 200 X-Filename: tpcp.tar.gz\n');
  // A home whose name would run a command if anything evaluated it.
  await writeTree(root, 'srv/odd $(touch pwned) home/.config/sysmon/sysmon.py', '# placeholder\n');
  await writeTree(root, 'usr/local/lib/python3.11/site-packages/litellm_init.pth', PTH);
  await writeTree(root, 'home/alice/planted.pth', PTH);

  // Near misses: none of these may be reported.
  await writeTree(root, 'etc/systemd/system/sysmon.service', '[Unit]\nDescription=Sysmon event logger\n\n[Service]\nExecStart=/opt/sysmon/sysmon -i /opt/sysmon/config.xml\n');
  await writeTree(root, 'home/bob/.config/sysmon/sysmon.py.bak', '# not the persistence path\n');
  await writeTree(root, 'home/bob/.config/audiomon.py', '# wrong folder\n');
  await writeTree(root, 'tmp/.pg_state.old', '');
  await writeTree(root, 'home/bob/.zsh_history', ': 1711300000:0;dig notmodels.litellm.cloud\n: 1711300001:0;curl https://checkmarx.zones/\n');
  await writeTree(root, 'etc/hosts', '127.0.0.1 localhost\n145.148.10.212 not-trivy\n');
  await writeTree(root, 'opt/app/venv/lib/python3.12/site-packages/distutils-precedence.pth', "import os; var = 'SETUPTOOLS_USE_DISTUTILS'\n");
  await writeTree(root, 'var/log/syslog', 'Mar 24 11:00:00 gw systemd[1]: Started Daily apt download activities.\n');
}

function summary(hits: readonly IocHit[]): string[] {
  return hits.map((hit) => `${hit.ruleId} ${hit.path ?? ''}${hit.unit ? ` [${hit.unit}]` : ''}`).sort();
}

describe.each(SHELLS)('IOC scan script under $name', (shell) => {
  it('finds planted files, units, hashes and strings and none of the near misses, without starting python', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await buildHost(root);
    const runner = await hermeticRunner(shell, dir, { marker });

    const { hits, issues } = await collectHostIocs(runner, rules(), undefined, root);

    expect(summary(hits)).toEqual(
      [
        'litellm-sysmon-script /home/alice/.config/sysmon/sysmon.py',
        'litellm-sysmon-script /srv/odd $(touch pwned) home/.config/sysmon/sysmon.py',
        'litellm-sysmon-unit /home/alice/.config/systemd/user/sysmon.service [sysmon.service]',
        'litellm-sysmon-unit /home/alice/.config/systemd/user/default.target.wants/sysmon.service [sysmon.service]',
        'litellm-pg-state /tmp/.pg_state',
        'litellm-exfil-domain /home/alice/.bash_history',
        'telnyx-audiomon-script /var/lib/svc/.config/audiomon/audiomon.py',
        'telnyx-c2-ip /etc/cron.d/telemetry',
        'teampcp-exfil-archive /var/log/nginx/access.log',
        'test-pth-hash /usr/local/lib/python3.11/site-packages/litellm_init.pth',
        'test-pth-hash /home/alice/planted.pth',
      ].sort(),
    );
    const byRule = (id: string, path?: string): IocHit | undefined => hits.find((hit) => hit.ruleId === id && (path === undefined || hit.path === path));
    expect(byRule('litellm-sysmon-unit', '/home/alice/.config/systemd/user/sysmon.service')?.matched).toBe('Description=System Telemetry Service');
    expect(byRule('litellm-exfil-domain')?.matched).toBe('curl -s https://models.litellm.cloud/v1/x');
    expect(byRule('telnyx-c2-ip')?.matched).toBe('*/5 * * * * root curl -s http://83.142.209.203:8080/raw');
    expect(byRule('test-pth-hash')?.matched).toBe(`sha256:${PTH_SHA256}`);
    expect(byRule('litellm-sysmon-script')?.matched).toBe(`sha256:${createHash('sha256').update('# poll https://checkmarx.zone/raw\n').digest('hex')}`);
    expect(hits.every((hit) => hit.container === null)).toBe(true);
    expect(issues).toEqual([]);
    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
  });

  it('hashes .pth files at the top of site folders and elsewhere, but not inside package folders, where Python never runs them', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const site = 'opt/app/venv/lib/python3.12/site-packages';
    await writeTree(root, `${site}/litellm_init.pth`, PTH);
    await writeTree(root, `${site}/somepkg/data/litellm_init.pth`, PTH);
    await writeTree(root, 'usr/local/lib/python3.11/dist-packages/vendored/litellm_init.pth', PTH);
    await writeTree(root, 'opt/dropped/deeper/litellm_init.pth', PTH);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'interpreter-started') });

    const { hits } = await collectHostIocs(runner, rules(), undefined, root);

    expect(summary(hits.filter((hit) => hit.ruleId === 'test-pth-hash'))).toEqual([
      'test-pth-hash /opt/app/venv/lib/python3.12/site-packages/litellm_init.pth',
      'test-pth-hash /opt/dropped/deeper/litellm_init.pth',
    ]);
  });

  it('treats a rule string holding a quote, $(…) and backticks as text to look for', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const trap = join(dir, 'PWNED');
    const hostile = `it's $(touch ${trap}) \`touch ${trap}2\` "$HOME"`;
    await mkdir(join(root, 'root'), { recursive: true });
    await writeTree(root, 'root/.bash_history', `echo ${hostile}\n`);
    await writeTree(root, `root/.config/${hostile}`, 'x\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const hostileRules = parseIocRules(
      {
        schemaVersion: 1,
        rules: [
          { id: 'hostile-string', title: 'hostile', compromise: 'test-2026-03', severity: 'low', source: SOURCE, kind: 'log-string', strings: [hostile] },
          { id: 'hostile-path', title: 'hostile', compromise: 'test-2026-03', severity: 'low', source: SOURCE, kind: 'file', path: `~/.config/${hostile}` },
        ],
      },
      'hostile rules',
    );

    const { hits } = await collectHostIocs(runner, hostileRules, undefined, root);

    expect(summary(hits)).toEqual([`hostile-path /root/.config/${hostile}`, 'hostile-string /root/.bash_history']);
    expect(hits.find((hit) => hit.ruleId === 'hostile-string')?.matched).toBe(`echo ${hostile}`);
    expect(existsSync(trap) || existsSync(`${trap}2`)).toBe(false);
  });

  it('searches at most 500 files of one cron folder and says where it stopped', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/cron.d/000-first', '@reboot root curl https://models.litellm.cloud/\n');
    for (let index = 1; index <= 600; index += 1) await writeTree(root, `etc/cron.d/job-${String(index).padStart(3, '0')}`, '17 * * * * root true\n');
    await writeTree(root, 'etc/cron.d/zzz-last', '@reboot root curl https://models.litellm.cloud/\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const { hits, issues } = await collectHostIocs(runner, rules(), undefined, root);

    expect(hits.map((hit) => hit.path)).toEqual(['/etc/cron.d/000-first']);
    expect(issues).toContainEqual({ collector: 'iocs', incomplete: false, message: `the host: more than ${MAX_DIR_FILES} files in "/etc/cron.d"; the rest were not searched` });
  });

});

/** A PATH folder holding only `tools` (linked from /usr/bin), for scans under a minimal userland. */
async function toolsBin(dir: string, tools: readonly string[]): Promise<string> {
  const bin = join(dir, 'bin');
  await mkdir(bin);
  for (const tool of tools) await symlink(`/usr/bin/${tool === 'sh' ? 'dash' : tool}`, join(bin, tool));
  return bin;
}

it('notes the homes and logs it may not read as a remark, without failing the host', async () => {
  const dir = await tempDir();
  await chmod(dir, 0o755);
  const root = join(dir, 'root');
  await writeTree(root, 'home/carol/.bash_history', 'models.litellm.cloud\n');
  await writeTree(root, 'var/log/auth.log', 'models.litellm.cloud\n');
  await chmod(join(root, 'home/carol'), 0o700);
  await chmod(join(root, 'var/log/auth.log'), 0o600);
  const bin = await toolsBin(dir, ['sh', 'find', 'grep', 'head', 'tail', 'readlink', 'sha256sum']);
  // As root everything is readable, so the scan drops to nobody the way a non-root SSH login would be.
  const command: [string, ...string[]] = process.getuid?.() === 0 ? ['/usr/bin/setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '/bin/sh', '-s'] : ['/bin/sh', '-s'];
  const runner = new LocalRunner({ command, env: { PATH: bin, LC_ALL: 'C' }, cwd: '/' });

  const { hits, issues } = await collectHostIocs(runner, rules(), undefined, root);

  expect(hits).toEqual([]);
  expect(issues).toEqual([
    {
      collector: 'iocs',
      incomplete: false,
      message: 'the host: not readable as this user, so not searched for IOCs (scan as root to include them): "/home/carol", "/var/log/auth.log"',
    },
  ]);
});

it('hashes with openssl when the host has no sha256sum', async () => {
  const dir = await tempDir();
  const root = join(dir, 'root');
  await mkdir(join(root, 'root'), { recursive: true });
  await writeTree(root, 'root/planted.pth', PTH);
  const bin = await toolsBin(dir, ['sh', 'find', 'grep', 'head', 'tail', 'readlink', 'openssl']);
  const runner = new LocalRunner({ command: ['/bin/sh', '-s'], env: { PATH: bin, LC_ALL: 'C' }, cwd: dir });

  const { hits, issues } = await collectHostIocs(runner, rules(), undefined, root);

  expect(summary(hits)).toEqual(['test-pth-hash /root/planted.pth']);
  expect(hits[0]?.matched).toBe(`sha256:${PTH_SHA256}`);
  expect(issues).toEqual([]);
});

it('notes a missing hash tool as a blind spot when hash rules need one', async () => {
  const dir = await tempDir();
  const root = join(dir, 'root');
  await mkdir(join(root, 'root'), { recursive: true });
  const bin = await toolsBin(dir, ['sh', 'find', 'grep', 'head', 'tail', 'readlink']);
  await writeExecutable(join(bin, 'python3'), `#!/bin/sh\n: > '${join(dir, 'marker')}'\n`);
  const runner = new LocalRunner({ command: ['/bin/sh', '-s'], env: { PATH: bin, LC_ALL: 'C' }, cwd: dir });

  const { issues } = await collectHostIocs(runner, rules(), undefined, root);

  expect(issues).toEqual([expect.objectContaining({ collector: 'iocs', incomplete: true, message: 'the host: lacks sha256sum; some IOC rules could not be checked' })]);
  expect(existsSync(join(dir, 'marker'))).toBe(false);
});
