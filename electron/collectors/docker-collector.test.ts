import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../exec/command-runner.js';
import { MAX_COMPOSE_BYTES } from '../readers/compose-parser.js';
import { collectHostArtifacts } from './artifact-collector.js';
import { collectContainers, containerInspectScript, imageDetailsScript } from './docker-collector.js';
import { newBoundary } from './framing.js';
import { fakeEngine, fakeSudo, hermeticRunner, SHELLS, tempDir } from './fixtures/shell-harness.js';

const fixturePath = (name: string): string => fileURLToPath(new URL(`./fixtures/${name}`, import.meta.url));
const LITELLM_ID = '3f9c2b7e4a1d8c6f5e0b9a8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';
const WEBUI_ID = '8b1e6d4c2a0f9e7d5c3b1a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d';
const LITELLM_IMAGE = 'sha256:5c0f4a6e2d8b1f3a9e7c5d2b4f6a8c0e1d3b5f7a9c2e4d6f8a0b1c3d5e7f9a2b';
const WEBUI_IMAGE = 'sha256:c18e7a3f5b9d1e4a6c8f0b2d4e6a8c1f3b5d7e9a0c2f4b6d8e1a3c5f7b9d0e2a';

async function setUp(
  shell: (typeof SHELLS)[number],
  options: { engine?: 'docker' | 'podman'; denySocket?: boolean; sudo?: 'allow' | 'refuse'; inspect?: string } = {},
) {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const log = join(dir, 'commands.log');
  const engine = options.engine ?? 'docker';
  await fakeEngine(bin, engine, {
    log,
    ps: fixturePath('docker-ps.txt'),
    inspect: options.inspect ?? fixturePath(engine === 'podman' ? 'podman-inspect.json' : 'docker-inspect.json'),
    image: fixturePath('docker-image-inspect.json'),
    history: fixturePath(engine === 'podman' ? 'podman-history.json' : 'docker-history.jsonl'),
    execRoots: join(dir, 'exec-roots'),
    denySocket: options.denySocket,
  });
  if (options.sudo) await fakeSudo(bin, log, options.sudo === 'allow');
  const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: bin });
  const commands = async (): Promise<string[]> => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { runner, commands };
}

describe.each(SHELLS)('container collector under $name', (shell) => {
  it('lists, inspects, then reads image digests and histories in a third script', async () => {
    const { runner, commands } = await setUp(shell);

    const collection = await collectContainers(runner);

    expect(collection.issues).toEqual([]);
    expect(collection.engine).toEqual({ engine: 'docker', access: 'direct' });
    expect(collection.containers.map(({ name, running, imageDigest }) => ({ name, running, imageDigest }))).toEqual([
      { name: 'litellm', running: true, imageDigest: 'sha256:e1a7c3f9b5d2e8a4c0f6b2d8e4a0c6f2b8d4e0a6c2f8b4d0e6a2c8f4b0d6e2a8' },
      { name: 'open-webui', running: false, imageDigest: 'sha256:73d5b9f1e7c3a9d5b1f7e3c9a5d1b7f3e9c5a1d7b3f9e5c1a7d3b9f5e1c7a3d9' },
    ]);
    expect(await commands()).toEqual([
      'docker ps -aq --no-trunc',
      `docker inspect ${LITELLM_ID} ${WEBUI_ID}`,
      `docker image inspect ${LITELLM_IMAGE} ${WEBUI_IMAGE}`,
      `docker history --no-trunc --format {{json .}} ${LITELLM_IMAGE}`,
      `docker history --no-trunc --format {{json .}} ${WEBUI_IMAGE}`,
    ]);
  });

  it('notes a denied docker socket and a refused sudo -n without failing', async () => {
    const { runner, commands } = await setUp(shell, { denySocket: true, sudo: 'refuse' });

    const collection = await collectContainers(runner);

    expect(collection.engine).toBeNull();
    expect(collection.containers).toEqual([]);
    expect(collection.issues).toEqual([
      {
        collector: 'docker',
        message: 'permission denied on /var/run/docker.sock; sudo -n not allowed (sudo: a password is required)',
        incomplete: true,
      },
    ]);
    expect(await commands()).toEqual(['docker ps -aq --no-trunc', 'sudo -n docker ps -aq --no-trunc']);
  });

  it('notes a denied socket when sudo is not installed either', async () => {
    const { runner } = await setUp(shell, { denySocket: true });

    const collection = await collectContainers(runner);

    expect(collection.issues).toHaveLength(1);
    expect(collection.issues[0]!.message).toMatch(/^permission denied on \/var\/run\/docker\.sock; sudo -n not allowed/);
  });

  it('goes through sudo -n docker for every command when the socket refuses the user but sudo allows it', async () => {
    const { runner, commands } = await setUp(shell, { denySocket: true, sudo: 'allow' });

    const collection = await collectContainers(runner);

    expect(collection.engine).toEqual({ engine: 'docker', access: 'sudo' });
    expect(collection.containers).toHaveLength(2);
    expect(collection.issues.every((issue) => !issue.incomplete)).toBe(true);
    expect(await commands()).toEqual([
      'docker ps -aq --no-trunc',
      'sudo -n docker ps -aq --no-trunc',
      'docker ps -aq --no-trunc',
      `sudo -n docker inspect ${LITELLM_ID} ${WEBUI_ID}`,
      `docker inspect ${LITELLM_ID} ${WEBUI_ID}`,
      `sudo -n docker image inspect ${LITELLM_IMAGE} ${WEBUI_IMAGE}`,
      `docker image inspect ${LITELLM_IMAGE} ${WEBUI_IMAGE}`,
      `sudo -n docker history --no-trunc --format {{json .}} ${LITELLM_IMAGE}`,
      `docker history --no-trunc --format {{json .}} ${LITELLM_IMAGE}`,
      `sudo -n docker history --no-trunc --format {{json .}} ${WEBUI_IMAGE}`,
      `docker history --no-trunc --format {{json .}} ${WEBUI_IMAGE}`,
    ]);
  });

  it('uses podman with the same commands when docker is absent', async () => {
    const { runner, commands } = await setUp(shell, { engine: 'podman' });

    const collection = await collectContainers(runner);

    expect(collection.engine).toEqual({ engine: 'podman', access: 'direct' });
    expect(collection.containers).toMatchObject([
      { name: 'litellm', running: true, imageDigest: 'sha256:e1a7c3f9b5d2e8a4c0f6b2d8e4a0c6f2b8d4e0a6c2f8b4d0e6a2c8f4b0d6e2a8' },
    ]);
    expect((await commands())[0]).toBe('podman ps -aq --no-trunc');
    expect((await commands())[2]).toBe(`podman image inspect ${LITELLM_IMAGE.slice('sha256:'.length)}`);
    expect((await commands())[3]).toBe(`podman history --format json ${LITELLM_IMAGE.slice('sha256:'.length)}`);
    expect(collection.containers[0]!.buildInstalls?.map((step) => step.hashPinned)).toEqual([true, false, false]);
  });

  it('records the image build time, RepoDigests and the history steps that ran pip', async () => {
    const { runner } = await setUp(shell);

    const [litellm] = (await collectContainers(runner)).containers;

    expect(litellm).toMatchObject({
      imageCreated: '2026-03-24T10:41:06.118270419Z',
      repoDigests: ['ghcr.io/berriai/litellm@sha256:e1a7c3f9b5d2e8a4c0f6b2d8e4a0c6f2b8d4e0a6c2f8b4d0e6a2c8f4b0d6e2a8'],
    });
    expect(litellm!.buildInstalls?.map(({ command, hashPinned, createdAt }) => ({ command, hashPinned, createdAt }))).toEqual([
      {
        command: 'RUN /bin/sh -c pip install *.whl /wheels/* --no-index --find-links=/wheels/ && rm -f *.whl && rm -rf /wheels',
        hashPinned: true,
        createdAt: '2026-03-24T10:40:58Z',
      },
      { command: 'RUN /bin/sh -c pip install redisvl==0.0.7 --no-deps', hashPinned: false, createdAt: '2026-03-24T10:41:03Z' },
      { command: 'RUN /bin/sh -c pip install PyJWT==2.9.0 --no-cache-dir', hashPinned: false, createdAt: '2026-03-24T10:41:05Z' },
    ]);
  });

  it('reads the compose file a container\'s labels name and reports how its image is written', async () => {
    const dir = await tempDir();
    const composeFile = join(dir, 'compose.yaml');
    await writeFile(composeFile, 'services:\n  litellm:\n    image: ghcr.io/berriai/litellm:main-latest\n    env_file: [.env, litellm.env]\n');
    const inspect = JSON.parse(await readFile(fixturePath('docker-inspect.json'), 'utf8')) as Array<{ Config: { Labels: Record<string, string> } }>;
    Object.assign(inspect[0]!.Config.Labels, {
      'com.docker.compose.project': 'ai-gateway',
      'com.docker.compose.project.config_files': composeFile,
      'com.docker.compose.project.working_dir': dir,
      'com.docker.compose.service': 'litellm',
    });
    await writeFile(join(dir, 'inspect.json'), JSON.stringify(inspect));
    const { runner, commands } = await setUp(shell, { inspect: join(dir, 'inspect.json') });

    const [litellm] = (await collectContainers(runner)).containers;

    expect(litellm!.compose).toEqual({
      project: 'ai-gateway',
      service: 'litellm',
      workingDir: dir,
      configFiles: [composeFile],
      image: 'ghcr.io/berriai/litellm:main-latest',
      imagePinnedByDigest: false,
      envFiles: ['.env', 'litellm.env'],
    });
    // Compose files are read with head, never through the engine: ps, inspect, image inspect and one history per image.
    expect((await commands()).filter((command) => command.startsWith('docker '))).toHaveLength(5);
  });

  it('reads each compose file once: the key search takes the text the container collector read, and reads only what it did not', async () => {
    const dir = await tempDir();
    const composeFile = join(dir, 'compose.yaml');
    const composeText = 'services:\n  litellm:\n    environment:\n      OPENAI_API_KEY: sk-proj-PLANTEDfake0123456789abcdefABCDEF\n';
    const bigFile = join(dir, 'big.yaml');
    await writeFile(composeFile, composeText);
    await writeFile(bigFile, `# ${'x'.repeat(MAX_COMPOSE_BYTES)}\nservices: {}\n`);
    const inspect = JSON.parse(await readFile(fixturePath('docker-inspect.json'), 'utf8')) as Array<{ Config: { Labels: Record<string, string> } }>;
    Object.assign(inspect[0]!.Config.Labels, {
      'com.docker.compose.project': 'ai-gateway',
      'com.docker.compose.project.config_files': `${composeFile},${bigFile},${join(dir, 'gone.yaml')}`,
      'com.docker.compose.project.working_dir': dir,
      'com.docker.compose.service': 'litellm',
    });
    await writeFile(join(dir, 'inspect.json'), JSON.stringify(inspect));
    const { runner } = await setUp(shell, { inspect: join(dir, 'inspect.json') });
    // The host as the key search sees it: every script it is sent is kept, and it answers as an empty host would.
    const reads = (script: string, file: string): boolean => script.includes(`'${file}'`);
    const scripts: string[] = [];
    const counting: CommandRunner = { runScript: (script, options) => (scripts.push(script), runner.runScript(script, options)) };
    const keySearchHost: CommandRunner = {
      runScript: async (script) => {
        scripts.push(script);
        const boundary = /^B='(BR[0-9a-f]{32})'$/m.exec(script)![1]!;
        return { stdout: Buffer.from(`\n${boundary} end\n`), stderr: '', exitCode: 0, truncated: false };
      },
    };

    const collection = await collectContainers(counting);
    const { artifacts } = await collectHostArtifacts(keySearchHost, undefined, '', collection.containers, collection.composeTexts);

    expect(scripts.filter((script) => reads(script, composeFile))).toHaveLength(1);
    expect(scripts.filter((script) => reads(script, bigFile))).toHaveLength(1);
    // The one the container collector could not read is still asked for by the key search (which notes why it is missing).
    expect(scripts.filter((script) => reads(script, join(dir, 'gone.yaml')))).toHaveLength(2);
    expect(scripts.at(-1)).toContain(`want dotenv "$ROOT"'${join(dir, '.env')}'`);
    expect(artifacts.files.map(({ kind, path, container, text, truncated }) => ({ kind, path, container, length: text.length, truncated }))).toEqual([
      { kind: 'compose', path: composeFile, container: null, length: composeText.length, truncated: false },
      { kind: 'compose', path: bigFile, container: null, length: MAX_COMPOSE_BYTES, truncated: true },
    ]);
    expect(artifacts.files[0]!.text).toBe(composeText);
    // What it was given counts against the key search's own file and byte caps.
    expect(scripts.at(-1)).toMatch(new RegExp(`^nfiles=2\ntotal=${composeText.length + MAX_COMPOSE_BYTES}$`, 'm'));
  });

  it('notes that no container engine is installed, as a remark rather than a blind spot', async () => {
    const dir = await tempDir();
    const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker') });

    const collection = await collectContainers(runner);

    expect(collection).toEqual({
      engine: null,
      containers: [],
      issues: [{ collector: 'docker', message: 'neither docker nor podman is installed; no containers to inspect', incomplete: false }],
    });
  });
});

it('refuses to put anything but full hex ids into an inspect script', () => {
  expect(() => containerInspectScript(newBoundary(), { engine: 'docker', access: 'direct' }, ['$(touch /tmp/pwned)'])).toThrow();
});

it('refuses image ids that are not hex and compose paths that are relative or hold control characters', () => {
  const docker = { engine: 'docker', access: 'direct' } as const;

  expect(() => imageDetailsScript(newBoundary(), docker, ['$(touch /tmp/pwned)'])).toThrow();
  expect(() => imageDetailsScript(newBoundary(), docker, [], ['compose.yaml'])).toThrow();
  expect(() => imageDetailsScript(newBoundary(), docker, [], ['/srv/a\n$(touch /tmp/pwned)'])).toThrow();
  expect(imageDetailsScript(newBoundary(), docker, [], ["/srv/it's $(here)/compose.yaml"])).toContain(`head -c 262144 '/srv/it'\\''s $(here)/compose.yaml'`);
});
