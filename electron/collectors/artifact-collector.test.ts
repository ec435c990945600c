import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { cappedNote, collectContainerArtifacts, collectHostArtifacts, hostArtifactScript, MAX_FILES_PER_LOCATION } from './artifact-collector.js';
import { parseArtifactScan } from './artifact-parser.js';
import type { TextArtifact } from '../readers/artifacts.js';
import { parseContainerInspect, type InspectedContainer } from './docker-parser.js';
import { fakeEngine, fakeSudo, hermeticRunner, SHELLS, tempDir, writeTree } from './fixtures/shell-harness.js';
import { decodeOutput, newBoundary } from './framing.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const STACK_ID = '3f9c2b7e4a1d8c6f5e0b9a8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';
const DISTROLESS_ID = 'a'.repeat(64);
// Real-shaped, fake values.
const OPENAI_KEY = 'sk-proj-FAKEfakeFAKEfake0123456789abcdefABCDEF';
const PRIVATE_KEY = '-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAAfakefakefake\n-----END OPENSSH PRIVATE KEY-----\n';

/** A container made by Compose from /srv/stack, running as host pid 4242, with one secret in its environment. */
function stackContainer(overrides: Record<string, unknown> = {}): InspectedContainer {
  const [container] = parseContainerInspect(
    JSON.stringify([
      {
        Id: STACK_ID,
        Name: '/stack-litellm-1',
        State: { Running: true, Pid: 4242 },
        Path: 'litellm',
        Args: ['--config', 'conf/proxy.yaml', '--port', '4000'],
        Config: {
          Image: 'ghcr.io/berriai/litellm:main-latest',
          WorkingDir: '/app',
          Env: [`OPENAI_API_KEY=${OPENAI_KEY}`, 'PATH=/usr/bin'],
          Labels: {
            'com.docker.compose.project': 'stack',
            'com.docker.compose.service': 'litellm',
            'com.docker.compose.project.working_dir': '/srv/stack',
            'com.docker.compose.project.config_files': '/srv/stack/compose.yml',
          },
        },
        ...overrides,
      },
    ]),
  ).containers;
  container!.compose = {
    project: 'stack',
    service: 'litellm',
    workingDir: '/srv/stack',
    configFiles: ['/srv/stack/compose.yml'],
    image: null,
    imagePinnedByDigest: null,
    envFiles: ['./secrets.env', '/etc/stack/shared.env'],
  };
  return container!;
}

/** A host tree with something of every kind, things that must not be read, and hostile names. */
async function buildHost(root: string): Promise<void> {
  await writeTree(
    root,
    'etc/passwd',
    'root:x:0:0:root:/root:/bin/sh\ndaemon:x:1:1:daemon:/usr/sbin:/usr/sbin/nologin\nalice:x:1000:1000:Alice:/home/alice:/bin/bash\nsvc:x:1001:1001::/srv/svc-home/:/bin/sh\n',
  );
  await writeTree(root, 'usr/sbin/.profile', 'a system account home is not read\n');
  await writeTree(root, 'root/.bash_profile', 'export PATH=$PATH:/opt/bin\n');
  await writeTree(root, 'home/alice/.bashrc', `export OPENAI_API_KEY=${OPENAI_KEY}\n`);
  await writeTree(root, 'home/alice/.aws/credentials', '[default]\naws_access_key_id = AKIAFAKEFAKEFAKEFAKE\n');
  await writeTree(root, 'home/alice/.aws/config', '[profile sso]\nsso_session = corp\n');
  await writeTree(root, 'home/alice/.aws/sso/cache/0123abcd.json', '{"accessToken":"fake"}\n');
  await writeTree(root, 'home/alice/.aws/sso/cache/notes.txt', 'not a cache file\n');
  await writeTree(root, 'home/alice/.config/gcloud/application_default_credentials.json', '{"type":"authorized_user"}\n');
  await writeTree(root, 'home/alice/.config/gcloud/legacy_credentials/alice@example.com/adc.json', '{"type":"authorized_user"}\n');
  await writeTree(root, 'home/alice/.azure/msal_token_cache.json', '{"RefreshToken":{}}\n');
  await writeTree(root, 'home/alice/.azure/service_principal_entries.json', '[]\n');
  await writeTree(root, 'home/alice/.azure/azureProfile.json', '{"subscriptions":[]}\n');
  await writeTree(root, 'run/secrets/kubernetes.io/serviceaccount/token', 'aaa.bbb.ccc\n');
  // /var/run is a link to /run, as on most systems: the token is read once, by its /run path.
  await mkdir(join(root, 'var'), { recursive: true });
  await symlink('../run', join(root, 'var/run'));
  await writeTree(root, 'home/alice/.git-credentials', 'https://alice:ghp_fakefakefakefakefakefakefakefakefake@github.com\n');
  await writeTree(root, 'home/alice/.kube/config', 'apiVersion: v1\n');
  await writeTree(root, 'home/alice/.docker/config.json', '{"auths":{}}\n');
  await writeTree(root, 'home/alice/.continue/config.yaml', 'models: []\n');
  await writeTree(root, 'home/alice/.aider.conf.yml', 'openai-api-key: x\n');
  await writeTree(root, 'home/alice/.ssh/id_ed25519', PRIVATE_KEY);
  await writeTree(root, 'home/alice/.ssh/id_ed25519.pub', 'ssh-ed25519 AAAAC3fake alice@laptop\n');
  await writeTree(root, 'home/alice/.ssh/deploy', '-----BEGIN RSA PRIVATE KEY-----\nfake\n-----END RSA PRIVATE KEY-----\n');
  await writeTree(root, 'home/alice/.ssh/authorized_keys', 'ssh-ed25519 AAAAC3fake ops@bastion\n');
  await writeTree(root, 'home/alice/.ssh/known_hosts', 'gw ssh-ed25519 AAAAC3fake\n');
  await writeTree(root, 'home/alice/.ssh/notes.txt', 'not a key\n');
  await writeTree(root, 'home/alice/projects/bot/.env', 'ANTHROPIC_API_KEY=sk-ant-fake\n');
  await writeTree(root, 'home/alice/projects/bot/prod.env', 'X=1\n');
  await writeTree(root, 'home/alice/projects/bot/.env.local', 'X=2\n');
  await writeTree(root, 'home/alice/projects/bot/node_modules/dep/.env', 'pruned\n');
  await writeTree(root, 'home/alice/a/b/c/d/.env', 'too deep\n');
  await writeTree(root, 'home/alice/bin/tunnel.sh', '#!/bin/sh\nexec autossh -M 0 -N -L 4000:127.0.0.1:4000 gw\n');
  await writeTree(root, 'home/alice/bin/hello.sh', '#!/bin/sh\necho hello\n');
  await writeTree(root, 'home/alice/.config/systemd/user/gw-tunnel.service', '[Service]\nExecStart=/usr/bin/ssh -NL 4000:localhost:4000 gw\n');
  await writeTree(root, 'home/bob/.profile', 'export EDITOR=vi\n');
  await writeTree(root, 'srv/svc-home/.env', 'SVC_TOKEN=fake\n');
  await writeTree(root, 'etc/environment', 'HTTPS_PROXY=http://proxy:3128\n');
  await writeTree(root, 'etc/profile.d/ai.sh', 'export OPENAI_BASE_URL=http://litellm:4000\n');
  await writeTree(root, 'etc/profile.d/readme.txt', 'not a profile script\n');
  await writeTree(root, 'opt/gateway/litellm_config.yaml', 'model_list:\n  - model_name: gpt\n');
  await writeTree(root, 'opt/other/config.yaml', 'unrelated: true\n');
  await writeTree(root, 'opt/gateway/venv/.env', 'pruned\n');
  await writeTree(root, 'etc/litellm/config.yaml', 'model_list: []\n');
  await writeTree(root, 'etc/litellm/env', 'LITELLM_MASTER_KEY=sk-fake\n');
  await writeTree(root, 'etc/systemd/system/litellm.service', '[Service]\nEnvironmentFile=-/etc/litellm/env\nEnvironment=PORT=4000\nExecStart=/opt/gateway/venv/bin/litellm\n');
  await writeTree(root, 'etc/systemd/system/plain.service', '[Service]\nExecStart=/bin/true\n');
  await writeTree(root, 'etc/systemd/system/litellm.service.d/override.conf', '[Service]\nEnvironment=DEBUG=1\n');
  await writeTree(root, 'lib/systemd/system/cron.service', '[Service]\nExecStart=/usr/sbin/cron -f\n');
  await mkdir(join(root, 'etc/systemd/system/multi-user.target.wants'), { recursive: true });
  await symlink('../litellm.service', join(root, 'etc/systemd/system/multi-user.target.wants/litellm.service'));
  await writeTree(root, 'etc/crontab', '17 * * * * root run-parts /etc/cron.hourly\n');
  await writeTree(root, 'etc/cron.d/tunnel', '@reboot root autossh -f -N -L 5432:db:5432 jump\n');
  await writeTree(root, 'var/spool/cron/crontabs/alice', '@reboot /home/alice/bin/tunnel.sh\n');
  await writeTree(root, 'usr/local/bin/ai-tunnel', '#!/bin/sh\nssh -f -N -L 8080:10.0.0.5:80 ops@gw\n');
  await writeTree(root, 'etc/caddy/Caddyfile', 'ai.example.com {\n  reverse_proxy 127.0.0.1:4000\n}\n');
  await writeTree(root, 'srv/web/Caddyfile', ':80 {\n  reverse_proxy litellm:4000\n}\n');
  await writeTree(root, 'etc/nginx/nginx.conf', 'http { include conf.d/*.conf; }\n');
  await writeTree(root, 'etc/nginx/conf.d/ai.conf', 'location / { proxy_pass http://127.0.0.1:4000; }\n');
  await writeTree(root, 'etc/nginx/conf.d/readme.txt', 'not a config\n');
  await writeTree(root, 'etc/nginx/sites-enabled/default', 'server { listen 80; }\n');
  await writeTree(root, 'srv/stack/compose.yml', 'services:\n  litellm:\n    env_file: ./secrets.env\n');
  // Stacks on disk that nothing runs from: Dockge, CasaOS, Portainer (whatever its volume is called), an override.
  await writeTree(root, 'opt/stacks/old-gw/compose.yaml', 'services:\n  litellm:\n    environment:\n      - OPENAI_API_KEY=fake\n');
  await writeTree(root, 'opt/stacks/old-gw/compose.override.yaml', 'services: {}\n');
  await writeTree(root, 'var/lib/casaos/apps/ollama/docker-compose.yml', 'services: {}\n');
  await writeTree(root, 'var/lib/docker/volumes/portainer_data/_data/compose/3/docker-compose.yml', 'services: {}\n');
  await writeTree(root, 'home/alice/projects/bot/node_modules/dep/docker-compose.yml', 'pruned\n');
  await writeTree(root, 'srv/stack/.env', 'POSTGRES_PASSWORD=fake\n');
  await writeTree(root, 'srv/stack/secrets.env', 'OPENAI_API_KEY=fake\n');
  await writeTree(root, 'etc/stack/shared.env', 'SHARED=1\n');
  await writeTree(root, 'proc/net/tcp', '  sl  local_address rem_address   st\n   0: 00000000:0FA0 00000000:0000 0A\n');
  await writeTree(root, 'proc/net/tcp6', '  sl  local_address\n');
  await writeTree(root, 'proc/net/fib_trie', 'Main:\n  +-- 0.0.0.0/0 3 0 5\n');
  await writeTree(root, 'proc/net/if_inet6', '00000000000000000000000000000001 01 80 10 80       lo\n');
  await writeTree(root, 'proc/4242/net/tcp', '  sl  local_address rem_address   st\n');
  await writeTree(root, 'proc/4242/net/tcp6', '  sl  local_address\n');
  // Names that would run if anything evaluated them, and one with a newline.
  await writeTree(root, "srv/it's $(touch pwned)/.env", 'A=1\n');
  await writeTree(root, 'srv/odd\nname/.env', 'B=2\n');
}

function summary(files: readonly TextArtifact[]): string[] {
  return files.map((file) => `${file.kind} ${JSON.stringify(file.path)} ${file.user ?? '-'} ${file.container ?? '-'}`).sort();
}

describe.each(SHELLS)('host artifact script under $name', (shell) => {
  it('reads every kind of key, credential, config and socket table, with its user and container, and nothing else', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const marker = join(dir, 'interpreter-started');
    await buildHost(root);
    const runner = await hermeticRunner(shell, dir, { marker });

    const { artifacts, issues } = await collectHostArtifacts(runner, undefined, root, [stackContainer()]);

    expect(existsSync(marker)).toBe(false);
    expect(existsSync(join(dir, 'pwned'))).toBe(false);
    expect(issues).toEqual([
      {
        collector: 'artifacts',
        incomplete: false,
        message:
          'the host: compose stacks no container here was made from (stopped and removed, or run by another engine): "/opt/stacks/old-gw/compose.override.yaml", "/opt/stacks/old-gw/compose.yaml", "/var/lib/casaos/apps/ollama/docker-compose.yml", "/var/lib/docker/volumes/portainer_data/_data/compose/3/docker-compose.yml"; keys written in them still count',
      },
    ]);
    expect(summary(artifacts.files)).toEqual(
      [
        'compose "/opt/stacks/old-gw/compose.yaml" - -',
        'compose "/opt/stacks/old-gw/compose.override.yaml" - -',
        'compose "/var/lib/casaos/apps/ollama/docker-compose.yml" - -',
        'compose "/var/lib/docker/volumes/portainer_data/_data/compose/3/docker-compose.yml" - -',
        'aws-credentials "/home/alice/.aws/credentials" alice -',
        'aws-credentials "/home/alice/.aws/config" alice -',
        'aws-sso-cache "/home/alice/.aws/sso/cache/0123abcd.json" alice -',
        'gcloud-credentials "/home/alice/.config/gcloud/application_default_credentials.json" alice -',
        'gcloud-credentials "/home/alice/.config/gcloud/legacy_credentials/alice@example.com/adc.json" alice -',
        'azure-credentials "/home/alice/.azure/msal_token_cache.json" alice -',
        'azure-credentials "/home/alice/.azure/service_principal_entries.json" alice -',
        'kubernetes-token "/run/secrets/kubernetes.io/serviceaccount/token" - -',
        'app-config "/home/alice/.aider.conf.yml" alice -',
        'app-config "/home/alice/.continue/config.yaml" alice -',
        'authorized-keys "/home/alice/.ssh/authorized_keys" alice -',
        'caddyfile "/etc/caddy/Caddyfile" - -',
        'caddyfile "/srv/web/Caddyfile" - -',
        'compose "/srv/stack/compose.yml" - -',
        'crontab "/etc/cron.d/tunnel" - -',
        'crontab "/etc/crontab" - -',
        'crontab "/var/spool/cron/crontabs/alice" alice -',
        'docker-config "/home/alice/.docker/config.json" alice -',
        'dotenv "/etc/stack/shared.env" - -',
        'dotenv "/home/alice/projects/bot/.env" alice -',
        'dotenv "/home/alice/projects/bot/.env.local" alice -',
        'dotenv "/home/alice/projects/bot/prod.env" alice -',
        'dotenv "/srv/it\'s $(touch pwned)/.env" - -',
        'dotenv "/srv/odd\\nname/.env" - -',
        'dotenv "/srv/stack/.env" - -',
        'dotenv "/srv/stack/secrets.env" - -',
        'dotenv "/srv/svc-home/.env" svc -',
        'git-credentials "/home/alice/.git-credentials" alice -',
        'kubeconfig "/home/alice/.kube/config" alice -',
        'litellm-config "/etc/litellm/config.yaml" - -',
        'litellm-config "/opt/gateway/litellm_config.yaml" - -',
        'nginx-conf "/etc/nginx/conf.d/ai.conf" - -',
        'nginx-conf "/etc/nginx/nginx.conf" - -',
        'nginx-conf "/etc/nginx/sites-enabled/default" - -',
        'proc-fib-trie "/proc/net/fib_trie" - -',
        'proc-if-inet6 "/proc/net/if_inet6" - -',
        'proc-net-tcp "/proc/4242/net/tcp" - stack-litellm-1',
        'proc-net-tcp "/proc/net/tcp" - -',
        'proc-net-tcp6 "/proc/4242/net/tcp6" - stack-litellm-1',
        'proc-net-tcp6 "/proc/net/tcp6" - -',
        'script "/home/alice/bin/tunnel.sh" alice -',
        'script "/usr/local/bin/ai-tunnel" - -',
        'shell-rc "/etc/environment" - -',
        'shell-rc "/etc/profile.d/ai.sh" - -',
        'shell-rc "/home/alice/.bashrc" alice -',
        'shell-rc "/home/bob/.profile" bob -',
        'shell-rc "/root/.bash_profile" root -',
        'ssh-private-key "/home/alice/.ssh/deploy" alice -',
        'ssh-private-key "/home/alice/.ssh/id_ed25519" alice -',
        'ssh-public-key "/home/alice/.ssh/id_ed25519.pub" alice -',
        'systemd-env-file "/etc/litellm/env" - -',
        'systemd-unit "/etc/systemd/system/litellm.service" - -',
        'systemd-unit "/etc/systemd/system/litellm.service.d/override.conf" - -',
        'systemd-unit "/home/alice/.config/systemd/user/gw-tunnel.service" alice -',
      ].sort(),
    );
    const byPath = new Map(artifacts.files.map((file) => [file.path, file]));
    expect(byPath.get('/home/alice/.bashrc')).toMatchObject({ text: `export OPENAI_API_KEY=${OPENAI_KEY}\n`, truncated: false });
    expect(byPath.get('/home/alice/.ssh/id_ed25519')?.text).toBe(PRIVATE_KEY);
    expect(artifacts.environments).toEqual([{ container: 'stack-litellm-1', variables: [['OPENAI_API_KEY', OPENAI_KEY], ['PATH', '/usr/bin']] }]);
  });

  it('reads a gateway unit that sets no environment, and the config its ExecStart names wherever it is', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(
      root,
      'etc/systemd/system/llm-proxy.service',
      '[Service]\nWorkingDirectory=/var/lib/llm-proxy\nExecStart=/opt/llm/venv/bin/litellm --config proxy.yaml --port 4100\n',
    );
    await writeTree(root, 'lib/systemd/system/gw2.service', '[Service]\nExecStart=/usr/bin/env /srv/x/bin/python3 -m litellm --config=/etc/gw2/conf.yml\n');
    await writeTree(root, 'var/lib/llm-proxy/proxy.yaml', 'general_settings: {}\n');
    await writeTree(root, 'etc/gw2/conf.yml', 'model_list: []\n');
    await writeTree(root, 'etc/systemd/system/unrelated.service', '[Service]\nExecStart=/usr/bin/true --config /etc/unrelated.yaml\n');
    await writeTree(root, 'etc/unrelated.yaml', 'a: 1\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const { artifacts } = await collectHostArtifacts(runner, undefined, root);

    expect(summary(artifacts.files).sort()).toEqual([
      'litellm-config "/etc/gw2/conf.yml" - -',
      'litellm-config "/var/lib/llm-proxy/proxy.yaml" - -',
      'systemd-unit "/etc/systemd/system/llm-proxy.service" - -',
      'systemd-unit "/lib/systemd/system/gw2.service" - -',
    ]);
  });

  it('does not wait on a FIFO a unit folder links to', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/systemd/system/real.service', '[Service]\nEnvironment=A=1\n');
    execFileSync('mkfifo', [join(root, 'fifo')]);
    await symlink(join(root, 'fifo'), join(root, 'etc/systemd/system/trap.service'));
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const { artifacts } = await collectHostArtifacts(runner, undefined, root);

    expect(summary(artifacts.files)).toEqual(['systemd-unit "/etc/systemd/system/real.service" - -']);
  });

  it('stops at the file cap, cuts long files at the byte cap and says so', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/environment', `A=${'x'.repeat(100)}\n`);
    await writeTree(root, 'etc/profile.d/a.sh', 'B=1\n');
    await writeTree(root, 'etc/profile.d/b.sh', 'C=1\n');
    await writeTree(root, 'etc/crontab', '* * * * * root true\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(hostArtifactScript({ boundary, root, maxFiles: 2, maxFileBytes: 10 }));
    const scan = parseArtifactScan(decodeOutput(result.stdout), boundary);

    expect(scan.completed).toBe(true);
    expect(scan.fileLimit).toBe(true);
    expect(scan.files.map((file) => [file.path, file.text, file.truncated])).toEqual([
      ['/etc/environment', 'A=xxxxxxxx', true],
      ['/etc/profile.d/a.sh', 'B=1\n', false],
    ]);
  });

  it('stops before the first file past the total byte cap', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/environment', 'A=123456789\n');
    await writeTree(root, 'etc/profile.d/a.sh', 'B=123456789\n');
    await writeTree(root, 'etc/profile.d/b.sh', 'C=1\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(hostArtifactScript({ boundary, root, maxTotalBytes: 20 }));
    const scan = parseArtifactScan(decodeOutput(result.stdout), boundary);

    expect(scan.byteLimit).toBe(true);
    expect(scan.files.map((file) => file.path)).toEqual(['/etc/environment', '/etc/profile.d/a.sh']);
  });

  it('reads the key in /root/.env quickly when /opt holds 20,000 .env files, and notes where it stopped listing', { timeout: 180_000 }, async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
    await writeTree(root, 'root/.env', `OPENAI_API_KEY=${OPENAI_KEY}\n`);
    await mkdir(join(root, 'opt'));
    await writeTree(root, 'etc/systemd/system/app.service', '[Service]\nEnvironment=PORT=8080\n');
    for (const table of ['tcp', 'tcp6', 'fib_trie', 'if_inet6']) await writeTree(root, `proc/net/${table}`, '');
    // 200 projects of 100 services, each with its .env: one mkdir per project, the files by the shell's own printf.
    execFileSync('sh', ['-c', `cd "$1" && p=0; while [ $p -lt 200 ]; do s=0; set --; while [ $s -lt 100 ]; do set -- "$@" project-$p/service-$s; s=$((s + 1)); done; mkdir -p "$@"; for d do printf 'PORT=%s\\n' "\${d##*-}" > "$d/.env"; done; p=$((p + 1)); done`, 'sh', join(root, 'opt')]);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const started = performance.now();

    const { artifacts, issues } = await collectHostArtifacts(runner, undefined, root);

    const seconds = (performance.now() - started) / 1000;
    // The phase gives the script 180 s; the quadratic script it replaces was still running at 240 s.
    expect(seconds).toBeLessThan(60);
    expect(artifacts.files.find((file) => file.path === '/root/.env')).toMatchObject({ kind: 'dotenv', user: 'root', text: `OPENAI_API_KEY=${OPENAI_KEY}\n` });
    expect(artifacts.files.some((file) => file.path === '/etc/systemd/system/app.service')).toBe(true);
    expect(artifacts.files.filter((file) => file.path.startsWith('/opt/'))).toHaveLength(MAX_FILES_PER_LOCATION);
    expect(issues).toEqual([
      { collector: 'artifacts', incomplete: true, message: 'the host: stopped listing .env files under /opt after 500 files (20,000 seen); the rest were not read' },
    ]);
  });

  it('caps the bytes read from one location, so many medium files leave the others their share', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'root/.env', 'KEY=1\n');
    for (const name of ['a', 'b', 'c', 'd']) await writeTree(root, `srv/${name}/.env`, `${name.toUpperCase()}=${'x'.repeat(60)}\n`);
    await writeTree(root, 'srv/web/Caddyfile', ':80 {\n}\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const boundary = newBoundary();

    const result = await runner.runScript(hostArtifactScript({ boundary, root, maxBytesPerLocation: 100 }));
    const scan = parseArtifactScan(decodeOutput(result.stdout), boundary);

    expect(scan.completed).toBe(true);
    expect(scan.files.map((file) => file.path).filter((path) => !path.startsWith('/srv/'))).toEqual(['/root/.env']);
    expect(scan.files.filter((file) => file.kind === 'dotenv' && file.path.startsWith('/srv/'))).toHaveLength(2);
    expect(scan.files.some((file) => file.path === '/srv/web/Caddyfile')).toBe(true);
    expect(scan.capped).toEqual([{ reason: 'bytes', kind: 'dotenv', where: '/srv', read: 2, seen: 4 }]);
  });

  // busybox sh finds its own awk applet whatever PATH says, so only dash can be without one.
  it.skipIf(shell.name === 'busybox')('without awk still reads every file (not deduplicated, not capped per location), and says awk is missing', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/passwd', 'root:x:0:0:root:/root:/bin/sh\n');
    await writeTree(root, 'root/.env', 'KEY=1\n');
    await writeTree(root, 'opt/app/.env', 'PORT=1\n');
    await writeTree(root, 'etc/systemd/system/app.service', '[Service]\nEnvironmentFile=/opt/app/.env\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });
    const bin = join(dir, `${shell.name}-bin`);
    await rm(join(bin, 'awk'));

    const { artifacts, issues } = await collectHostArtifacts(runner, undefined, root);

    expect([...new Set(summary(artifacts.files))]).toEqual(['dotenv "/opt/app/.env" - -', 'dotenv "/root/.env" root -', 'systemd-unit "/etc/systemd/system/app.service" - -']);
    expect(issues).toContainEqual(expect.objectContaining({ incomplete: true, message: 'the host: lacks awk; keys, credentials and configs could not all be read' }));
  });

  it('notes socket tables it cannot read as a remark, not a blind spot', async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    await writeTree(root, 'etc/hostname', 'bare\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const { artifacts, issues } = await collectHostArtifacts(runner, undefined, root, [stackContainer()]);

    expect(artifacts.files).toEqual([]);
    expect(issues).toEqual([
      {
        collector: 'artifacts',
        incomplete: false,
        message:
          'the host: could not read /proc/net/tcp, /proc/net/tcp6, /proc/net/fib_trie, /proc/net/if_inet6, /proc/4242/net/tcp (container stack-litellm-1), /proc/4242/net/tcp6 (container stack-litellm-1); sockets and addresses there are not shown',
      },
    ]);
  });
});

describe.each(SHELLS)('container artifacts under $name', (shell) => {
  it('reads the LiteLLM config the command names and the app .env through docker exec, and a distroless container from its MergedDir', async () => {
    const dir = await tempDir();
    const bin = join(dir, 'fake-bin');
    const log = join(dir, 'commands.log');
    const inspect = await fixture('docker-inspect.json');
    await fakeEngine(bin, 'docker', { log, ps: join(dir, 'none'), inspect: join(dir, 'none'), image: join(dir, 'none'), execRoots: join(dir, 'exec-roots') });
    await fakeSudo(bin, log, false);
    // Inside the compose container: its --config (relative to WorkingDir), a config with model_list in a usual place, one without, the app's .env.
    await writeTree(dir, `exec-roots/${STACK_ID}/app/conf/proxy.yaml`, 'general_settings: {}\n');
    await writeTree(dir, `exec-roots/${STACK_ID}/etc/litellm/config.yaml`, 'model_list: []\n');
    await writeTree(dir, `exec-roots/${STACK_ID}/app/proxy_server_config.yaml`, 'no models here\n');
    await writeTree(dir, `exec-roots/${STACK_ID}/app/.env`, `OPENAI_API_KEY=${OPENAI_KEY}\n`);
    // A distroless container (exec fails): read from its MergedDir as this user.
    const merged = join(dir, 'overlay2/distroless/merged');
    await writeTree(merged, 'srv/.env', 'TOKEN=fake\n');
    await writeTree(merged, 'app/config.yaml', 'model_list:\n  - model_name: x\n');
    const distroless = parseContainerInspect(inspect).containers[0]!;
    Object.assign(distroless, { id: DISTROLESS_ID, name: 'distroless', mergedDir: merged, workingDir: '/srv', configArg: null });
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: bin });
    const engine = { engine: 'docker', access: 'direct' } as const;

    const stack = await collectContainerArtifacts(runner, engine, stackContainer());
    const fallback = await collectContainerArtifacts(runner, engine, distroless);

    expect(stack.via).toBe('exec');
    expect(stack.issues).toEqual([]);
    expect(summary(stack.files)).toEqual([
      'dotenv "/app/.env" - stack-litellm-1',
      'litellm-config "/app/conf/proxy.yaml" - stack-litellm-1',
      'litellm-config "/etc/litellm/config.yaml" - stack-litellm-1',
    ]);
    expect(stack.files.find((file) => file.kind === 'dotenv')?.text).toBe(`OPENAI_API_KEY=${OPENAI_KEY}\n`);
    expect(fallback.via).toBe('merged-dir');
    expect(summary(fallback.files)).toEqual(['dotenv "/srv/.env" - distroless', 'litellm-config "/app/config.yaml" - distroless']);
    expect((await readFile(log, 'utf8')).trim().split('\n')).toEqual([`docker exec -i ${STACK_ID} sh -s`, `docker exec -i ${DISTROLESS_ID} sh -s`]);
  });

  it('notes a container it can neither exec into nor read from the host, without reading anything', async () => {
    const dir = await tempDir();
    const bin = join(dir, 'fake-bin');
    const log = join(dir, 'commands.log');
    await fakeEngine(bin, 'docker', { log, ps: join(dir, 'none'), inspect: join(dir, 'none'), image: join(dir, 'none'), execRoots: join(dir, 'exec-roots') });
    await fakeSudo(bin, log, false);
    const container = stackContainer();
    container.mergedDir = join(dir, 'overlay2/unreadable/merged');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: bin });

    const result = await collectContainerArtifacts(runner, { engine: 'docker', access: 'direct' }, container);

    expect(result.files).toEqual([]);
    expect(result.via).toBeNull();
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ collector: 'artifacts', incomplete: true });
    expect(result.issues[0]!.message).toMatch(/^container stack-litellm-1: configs and \.env files not read: docker exec failed \(exit 126: OCI runtime exec failed.*\); sudo -n reading its filesystem from the host failed \(sudo: a password is required\)$/);
  });
});

describe('cappedNote', () => {
  it('says what was skipped and where, and escapes control and bidi characters in a folder name', () => {
    expect(cappedNote({ reason: 'files', kind: 'dotenv', where: '/opt', read: 500, seen: 20000 })).toBe(
      'stopped listing .env files under /opt after 500 files (20,000 seen); the rest were not read',
    );
    expect(cappedNote({ reason: 'bytes', kind: 'script', where: '/srv/odd\nname\u202e', read: 3, seen: 1003 })).toBe(
      'stopped reading tunnel scripts under "/srv/odd\\nname\\u202e" after 4 MiB (3 files); 1,000 more were not read',
    );
  });
});

describe.each(SHELLS)('hardening files under $name', (shell) => {
  it("reads pip's and uv's settings, each virtualenv's pip.conf, its project's pins (the folder it sits in, the WorkingDirectory of a unit that runs it), a unit and a cron.daily script that upgrade, and no other project file", async () => {
    const dir = await tempDir();
    const root = join(dir, 'root');
    const files: Record<string, string> = {
      'etc/pip.conf': '[global]\nindex-url = https://pypi.org/simple\n',
      'etc/uv/uv.toml': 'index-url = "https://devpi.example/root/pypi/+simple/"\n',
      'home/alice/.config/pip/pip.conf': '[global]\nextra-index-url = https://pypi.org/simple\n',
      'home/alice/.pip/pip.conf': '[global]\ntimeout = 5\n',
      'root/.config/uv/uv.toml': '[[index]]\nurl = "https://nexus.example/simple"\n',
      'srv/app/venv/pip.conf': '[global]\nindex-url = https://devpi.example/root/pypi/+simple/\n',
      'srv/app/requirements.txt': 'litellm>=1.80\n',
      'srv/app/requirements-dev.txt': 'pytest\n',
      'srv/app/uv.lock': 'version = 1\n',
      'srv/app/pyproject.toml': '[tool.uv]\n',
      'srv/app/README.md': 'not a pin file\n',
      'srv/other/requirements.txt': 'not a project the host runs\n',
      'etc/systemd/system/app-upgrade.service': '[Service]\nExecStartPre=/srv/app/venv/bin/pip install --upgrade litellm\nExecStart=/srv/app/venv/bin/app\n',
      'etc/systemd/system/plain.service': '[Service]\nWorkingDirectory=/srv/other\nExecStart=/usr/bin/true\n',
      // A unit that runs a virtualenv kept apart from its project: its WorkingDirectory's pins are read.
      'etc/systemd/system/bot.service': '[Service]\nWorkingDirectory=/srv/bot/\nExecStart=/opt/venvs/bot/bin/python -m bot\n',
      'srv/bot/uv.lock': 'version = 1\n',
      'srv/bot/requirements-extra.txt': 'read only beside a virtualenv\n',
      'etc/cron.daily/llm-upgrade': '#!/bin/sh\n/opt/venvs/bot/bin/pip install -U litellm\n',
      'etc/cron.daily/logrotate': '#!/bin/sh\nlogrotate /etc/logrotate.conf\n',
    };
    for (const [path, content] of Object.entries(files)) await writeTree(root, path, content);
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const { artifacts } = await collectHostArtifacts(runner, undefined, root, [], new Map(), { venvs: ['/srv/app/venv', '/opt/venvs/bot'], projects: ['/srv/app', '/opt/venvs'] });

    const hardening = summary(artifacts.files).filter((line) => /^(pip-config|uv-config|python-project|systemd-unit|cron-script) /.test(line));
    expect(hardening).toEqual(
      [
        'cron-script "/etc/cron.daily/llm-upgrade" - -',
        'pip-config "/etc/pip.conf" - -',
        'pip-config "/home/alice/.config/pip/pip.conf" alice -',
        'pip-config "/home/alice/.pip/pip.conf" alice -',
        'pip-config "/srv/app/venv/pip.conf" - -',
        'python-project "/srv/app/pyproject.toml" - -',
        'python-project "/srv/app/requirements-dev.txt" - -',
        'python-project "/srv/app/requirements.txt" - -',
        'python-project "/srv/app/uv.lock" - -',
        'systemd-unit "/etc/systemd/system/app-upgrade.service" - -',
        'systemd-unit "/etc/systemd/system/bot.service" - -',
        'python-project "/srv/bot/uv.lock" - -',
        'uv-config "/etc/uv/uv.toml" - -',
        'uv-config "/root/.config/uv/uv.toml" root -',
      ].sort(),
    );
    expect(existsSync(join(dir, 'marker'))).toBe(false);
  });

  it("reads a running container's pip.conf, uv.toml and its working folder's pins through docker exec", async () => {
    const dir = await tempDir();
    const bin = join(dir, 'fake-bin');
    const log = join(dir, 'commands.log');
    await fakeEngine(bin, 'docker', { log, ps: join(dir, 'none'), inspect: join(dir, 'none'), image: join(dir, 'none'), execRoots: join(dir, 'exec-roots') });
    await fakeSudo(bin, log, false);
    await writeTree(dir, `exec-roots/${STACK_ID}/etc/pip.conf`, '[global]\nindex-url = https://artifactory.example/api/pypi/pypi/simple\n');
    await writeTree(dir, `exec-roots/${STACK_ID}/root/.config/uv/uv.toml`, 'index-url = "https://pypi.org/simple"\n');
    await writeTree(dir, `exec-roots/${STACK_ID}/app/requirements.txt`, 'litellm==1.83.0\n');
    await writeTree(dir, `exec-roots/${STACK_ID}/app/poetry.lock`, '[[package]]\n');
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: bin });

    const stack = await collectContainerArtifacts(runner, { engine: 'docker', access: 'direct' }, stackContainer());

    expect(summary(stack.files).filter((line) => /^(pip-config|uv-config|python-project) /.test(line))).toEqual([
      'pip-config "/etc/pip.conf" - stack-litellm-1',
      'python-project "/app/poetry.lock" - stack-litellm-1',
      'python-project "/app/requirements.txt" - stack-litellm-1',
      'uv-config "/root/.config/uv/uv.toml" - stack-litellm-1',
    ]);
  });
});
