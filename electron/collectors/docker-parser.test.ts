import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { toReportContainer } from './docker-collector.js';
import {
  engineSocketsOf,
  environmentOf,
  markEngineSocketMounts,
  parseContainerIds,
  parseContainerInspect,
  mountRisk,
  parseImageDetails,
  parseImageInspect,
  pickImageDigest,
  type InspectedContainer,
} from './docker-parser.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

const LITELLM_ID = '3f9c2b7e4a1d8c6f5e0b9a8d7c6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b0c9d8e';
const WEBUI_ID = '8b1e6d4c2a0f9e7d5c3b1a9f8e7d6c5b4a3f2e1d0c9b8a7f6e5d4c3b2a1f0e9d';

describe('parseContainerIds', () => {
  it('reads the full ids docker ps -aq --no-trunc prints', async () => {
    expect(parseContainerIds(await fixture('docker-ps.txt'))).toEqual({ ids: [LITELLM_ID, WEBUI_ID], rejected: 0 });
  });

  it('counts and drops anything that is not a full lowercase hex id', () => {
    const text = `${LITELLM_ID}\n3f9c2b7e4a1d\n$(touch /tmp/pwned)\nEmulate Docker CLI using podman.\n${LITELLM_ID}\n`;

    expect(parseContainerIds(text)).toEqual({ ids: [LITELLM_ID], rejected: 3 });
  });
});

describe('parseContainerInspect', () => {
  it('says inspect output is not JSON without quoting the characters around the fault', () => {
    const key = `sk-proj-${'Zq8vN2kL5pX9wR3tB7mC4yH6'.repeat(2)}T3BlbkFJ${'mC4yH6Zq8vN2kL5pX9wR3tB7'.repeat(2)}`;

    const { containers, problems } = parseContainerInspect(`[{"Id": "${'a'.repeat(64)}", "Config": {"Env": [OPENAI_API_KEY=${key}]}}]`);

    expect(containers).toEqual([]);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^inspect output is not JSON \(/);
    expect(problems[0]).not.toMatch(/OPENAI|sk-proj|Zq8v/);
  });

  it('reads a running litellm container and a stopped one from Docker 28 inspect output', async () => {
    const { containers, problems } = parseContainerInspect(await fixture('docker-inspect.json'));

    expect(problems).toEqual([]);
    expect(containers).toEqual<InspectedContainer[]>([
      {
        id: LITELLM_ID,
        name: 'litellm',
        image: 'ghcr.io/berriai/litellm:main-latest',
        imageDigest: null,
        running: true,
        imageId: 'sha256:5c0f4a6e2d8b1f3a9e7c5d2b4f6a8c0e1d3b5f7a9c2e4d6f8a0b1c3d5e7f9a2b',
        engineImageDigest: null,
        mergedDir: '/var/lib/docker/overlay2/a61f0e9c3b7d5e2f8a4c6b1d9e0f7a3c5b8d2e6f4a1c9b7d3e5f0a2c8b6d4e1f/merged',
        layers: {
          driver: 'overlay2',
          dirs: [
            '/var/lib/docker/overlay2/a61f0e9c3b7d5e2f8a4c6b1d9e0f7a3c5b8d2e6f4a1c9b7d3e5f0a2c8b6d4e1f/diff',
            '/var/lib/docker/overlay2/a61f0e9c3b7d5e2f8a4c6b1d9e0f7a3c5b8d2e6f4a1c9b7d3e5f0a2c8b6d4e1f-init/diff',
            '/var/lib/docker/overlay2/d2e8b4f6a0c3e5b7d9f1a3c5e7b9d0f2a4c6e8b1d3f5a7c9e0b2d4f6a8c1e3b5/diff',
            '/var/lib/docker/overlay2/7c3a9e5b1d7f3a9c5e1b7d3f9a5c1e7b3d9f5a1c7e3b9d5f1a7c3e9b5d1f7a3c/diff',
            '/var/lib/docker/overlay2/e4b0c6a2f8d4b0e6c2a8f4d0b6e2c8a4f0d6b2e8c4a0f6d2b8e4c0a6f2d8b4e0/diff',
          ],
        },
        status: 'running',
        pid: 48213,
        created: '2026-03-24T11:02:17.512345678Z',
        labels: expect.objectContaining({
          'com.centurylinklabs.watchtower.enable': 'true',
          'org.opencontainers.image.source': 'https://github.com/BerriAI/litellm',
        }) as Record<string, string>,
        workingDir: '/app',
        configArg: '/app/config.yaml',
        pinnedByDigest: false,
        startedAt: '2026-03-24T11:02:18.034417925Z',
        restartPolicy: 'unless-stopped',
        mounts: [{ type: 'bind', source: '/srv/litellm/config.yaml', destination: '/app/config.yaml', readOnly: true }],
        networks: [{ name: 'bridge', ipAddress: '172.17.0.2', ipv6Address: null, aliases: [] }],
        ports: [
          { containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: '4000' },
          { containerPort: '4000/tcp', hostIp: '::', hostPort: '4000' },
        ],
        envNames: ['LITELLM_MASTER_KEY', 'PATH', 'LANG', 'GPG_KEY', 'PYTHON_VERSION', 'PYTHON_SHA256'],
      },
      {
        id: WEBUI_ID,
        name: 'open-webui',
        image: 'ghcr.io/open-webui/open-webui:main',
        imageDigest: null,
        running: false,
        imageId: 'sha256:c18e7a3f5b9d1e4a6c8f0b2d4e6a8c1f3b5d7e9a0c2f4b6d8e1a3c5f7b9d0e2a',
        engineImageDigest: null,
        mergedDir: '/var/lib/docker/overlay2/f0d4b8e2a6c0f4d8b2e6a0c4f8d2b6e0a4c8f2d6b0e4a8c2f6d0b4e8a2c6f0d4/merged',
        layers: {
          driver: 'overlay2',
          dirs: [
            '/var/lib/docker/overlay2/f0d4b8e2a6c0f4d8b2e6a0c4f8d2b6e0a4c8f2d6b0e4a8c2f6d0b4e8a2c6f0d4/diff',
            '/var/lib/docker/overlay2/f0d4b8e2a6c0f4d8b2e6a0c4f8d2b6e0a4c8f2d6b0e4a8c2f6d0b4e8a2c6f0d4-init/diff',
            '/var/lib/docker/overlay2/19c7e5a3f1d9b7e5c3a1f9d7b5e3c1a9f7d5b3e1c9a7f5d3b1e9c7a5f3d1b9e7/diff',
            '/var/lib/docker/overlay2/2b8e4a0c6f2d8b4e0a6c2f8d4b0e6a2c8f4d0b6e2a8c4f0d6b2e8a4c0f6d2b8e/diff',
          ],
        },
        status: 'exited',
        pid: 0,
        created: '2026-03-02T19:44:51.907561203Z',
        labels: expect.any(Object) as Record<string, string>,
        workingDir: '/app/backend',
        configArg: null,
        pinnedByDigest: false,
        startedAt: '2026-03-20T08:00:01.184525774Z',
        restartPolicy: 'no',
        mounts: [{ type: 'volume', source: '/var/lib/docker/volumes/open-webui/_data', destination: '/app/backend/data', readOnly: false }],
        networks: [{ name: 'bridge', ipAddress: null, ipv6Address: null, aliases: [] }],
        ports: [],
        envNames: ['PATH', 'LANG', 'PYTHON_VERSION', 'ENV', 'PORT', 'OPENAI_API_BASE_URL'],
      },
    ]);
  });

  it('reads Podman inspect output: name without a slash, bare image id, ImageDigest', async () => {
    const { containers } = parseContainerInspect(await fixture('podman-inspect.json'));

    expect(containers).toHaveLength(1);
    expect(containers[0]).toMatchObject({
      name: 'litellm',
      image: 'ghcr.io/berriai/litellm:main-latest',
      running: true,
      imageId: 'sha256:5c0f4a6e2d8b1f3a9e7c5d2b4f6a8c0e1d3b5f7a9c2e4d6f8a0b1c3d5e7f9a2b',
      engineImageDigest: 'sha256:e1a7c3f9b5d2e8a4c0f6b2d8e4a0c6f2b8d4e0a6c2f8b4d0e6a2c8f4b0d6e2a8',
      mergedDir: '/home/alice/.local/share/containers/storage/overlay/0a9e3c7b1f5d9a3e7c1b5f9d3a7e1c5b9f3d7a1e5c9b3f7d1a5e9c3b7f1d5a9e/merged',
      pid: 30512,
    });
  });

  it('keeps a hostile container name as data and refuses a MergedDir with control characters', () => {
    const json = JSON.stringify([
      {
        Id: LITELLM_ID,
        Name: '/$(touch /tmp/pwned)',
        State: { Running: true, Pid: 1 },
        Config: { Image: 'x:1' },
        GraphDriver: { Data: { MergedDir: '/var/lib/docker/overlay2/x/merged\n; rm -rf /' }, Name: 'overlay2' },
      },
    ]);

    const [container] = parseContainerInspect(json).containers;

    expect(container).toMatchObject({ name: '$(touch /tmp/pwned)', mergedDir: null });
  });

  it('reports entries without a valid id and output that is not a JSON array', () => {
    expect(parseContainerInspect('[{"Id":"abc"}]').problems).toEqual(['inspect entry 0 has no valid container id']);
    expect(parseContainerInspect('Error: No such object').problems[0]).toMatch(/not JSON/);
    expect(parseContainerInspect('{}').problems).toEqual(['inspect output is not a JSON array']);
  });
});

describe('image digests', () => {
  it('maps image ids to their RepoDigests from Docker 28 image inspect output', async () => {
    const images = parseImageInspect(await fixture('docker-image-inspect.json'));

    expect(images.get('sha256:5c0f4a6e2d8b1f3a9e7c5d2b4f6a8c0e1d3b5f7a9c2e4d6f8a0b1c3d5e7f9a2b')).toEqual([
      'ghcr.io/berriai/litellm@sha256:e1a7c3f9b5d2e8a4c0f6b2d8e4a0c6f2b8d4e0a6c2f8b4d0e6a2c8f4b0d6e2a8',
    ]);
  });

  it('prefers the RepoDigests entry of the repository the container was deployed from', async () => {
    const [litellm] = parseContainerInspect(await fixture('docker-inspect.json')).containers;
    const entries = [
      'mirror.local/litellm@sha256:1111111111111111111111111111111111111111111111111111111111111111',
      'ghcr.io/berriai/litellm@sha256:2222222222222222222222222222222222222222222222222222222222222222',
    ];

    expect(pickImageDigest(litellm!, entries)).toBe('sha256:2222222222222222222222222222222222222222222222222222222222222222');
    expect(pickImageDigest({ ...litellm!, image: 'other:1' }, entries)).toBe(
      'sha256:1111111111111111111111111111111111111111111111111111111111111111',
    );
  });

  it('falls back to the image id when the image has no RepoDigests (built locally)', async () => {
    const [litellm] = parseContainerInspect(await fixture('docker-inspect.json')).containers;

    expect(pickImageDigest(litellm!, [])).toBe('sha256:5c0f4a6e2d8b1f3a9e7c5d2b4f6a8c0e1d3b5f7a9c2e4d6f8a0b1c3d5e7f9a2b');
  });

  it('matches Docker Hub short names against Podman long names', () => {
    const container = { image: 'nginx:1.27', engineImageDigest: null, imageId: null } as InspectedContainer;

    expect(
      pickImageDigest(container, [
        'quay.io/other/nginx@sha256:1111111111111111111111111111111111111111111111111111111111111111',
        'docker.io/library/nginx@sha256:3333333333333333333333333333333333333333333333333333333333333333',
      ]),
    ).toBe('sha256:3333333333333333333333333333333333333333333333333333333333333333');
  });
});

describe('inspect facts for the inventory', () => {
  const inspectOf = (overrides: Record<string, unknown>): string =>
    JSON.stringify([{ Id: LITELLM_ID, Name: '/x', State: { Running: true }, Config: { Image: 'x:1' }, ...overrides }]);

  it('keeps environment variable names and never their values', async () => {
    const planted = 'sk-planted-secret-4f1c9e';
    const json = (await fixture('docker-inspect.json')).replace('sk-fixture-not-a-real-key', planted);

    const { containers } = parseContainerInspect(json);

    expect(json).toContain(planted);
    expect(containers[0]!.envNames).toContain('LITELLM_MASTER_KEY');
    expect(JSON.stringify(containers)).not.toContain(planted);
  });

  it('keeps environment values only where the secret reader asks for them, never in JSON or the report container', async () => {
    const planted = 'sk-planted-secret-4f1c9e';
    const json = (await fixture('docker-inspect.json')).replace('sk-fixture-not-a-real-key', planted);

    const [litellm] = parseContainerInspect(json).containers;

    expect(environmentOf(litellm!)).toContainEqual(['LITELLM_MASTER_KEY', planted]);
    expect(JSON.stringify(litellm)).not.toContain(planted);
    expect(JSON.stringify(toReportContainer(litellm!))).not.toContain(planted);
    expect(JSON.stringify({ ...litellm })).not.toContain(planted);
    expect(JSON.stringify(structuredClone(litellm))).not.toContain(planted);
    expect(Object.keys(toReportContainer(litellm!))).not.toContain('envValues');
  });

  it('reads the --config path from the command the container runs, in either spelling', () => {
    const [spaced] = parseContainerInspect(inspectOf({ Path: 'litellm', Args: ['--port', '4000', '--config', 'conf/proxy.yaml'] })).containers;
    const [joined] = parseContainerInspect(inspectOf({ Config: { Image: 'x:1', Cmd: ['--config=/etc/litellm/c.yaml'] } })).containers;
    const [none] = parseContainerInspect(inspectOf({ Path: 'sh', Args: ['-c', 'sleep 1'] })).containers;

    expect([spaced!.configArg, joined!.configArg, none!.configArg]).toEqual(['conf/proxy.yaml', '/etc/litellm/c.yaml', null]);
  });

  it('keeps no environment value of an auto-updater beyond its allowlisted settings', () => {
    const json = inspectOf({
      Args: ['--notification-url', 'smtp://me:hunter2@mail', '--http-api-token=tok-123', '--label-enable', 'litellm'],
      Config: {
        Image: 'containrrr/watchtower:1.7.1',
        Env: ['WATCHTOWER_LABEL_ENABLE=true', 'WATCHTOWER_NOTIFICATION_URL=slack://tok-456@x', 'WATCHTOWER_HTTP_API_TOKEN=tok-789'],
      },
    });

    const [watchtower] = parseContainerInspect(json).containers;

    expect(watchtower!.autoUpdater).toEqual({
      updater: 'watchtower',
      settings: { WATCHTOWER_LABEL_ENABLE: 'true' },
      args: ['--notification-url', '--http-api-token', '--label-enable', 'litellm'],
    });
    expect(JSON.stringify(watchtower)).not.toMatch(/hunter2|tok-123|tok-456|tok-789/);
  });

  it('tells a digest-pinned deployment from a tag', () => {
    const pinned = `ghcr.io/open-webui/open-webui@sha256:${'1'.repeat(64)}`;

    const [byDigest] = parseContainerInspect(inspectOf({ Config: { Image: pinned } })).containers;
    const [byTagAndDigest] = parseContainerInspect(inspectOf({ Config: { Image: `ghcr.io/x/y:main@sha256:${'2'.repeat(64)}` } })).containers;
    const [byTag] = parseContainerInspect(inspectOf({ Config: { Image: 'alpine' } })).containers;

    expect([byDigest!.pinnedByDigest, byTagAndDigest!.pinnedByDigest, byTag!.pinnedByDigest]).toEqual([true, true, false]);
  });

  it('marks engine sockets, folders holding them, the host root and home folders among bind mounts', () => {
    expect(['/var/run/docker.sock', '/run/docker.sock', '/run/podman/podman.sock', '/run/user/1000/podman/podman.sock', '/var/run', '/'].map(mountRisk)).toEqual([
      'engine-socket', 'engine-socket', 'engine-socket', 'engine-socket', 'engine-socket', 'host-root',
    ]);
    expect(['/home', '/root', '/home/alice', '/srv/app', '/home/alice/app'].map(mountRisk)).toEqual(['home', 'home', 'home', undefined, undefined]);
  });

  it('takes the engine\'s sockets from DOCKER_HOST, the docker context and the daemons\' --host, at any path', () => {
    const sockets = engineSocketsOf({
      clientHost: 'unix:///srv/engine/docker.sock',
      context: '{"Name":"rootless","Metadata":{"Description":"Rootless mode"},"Endpoints":{"docker":{"Host":"unix:///srv/engine/docker.sock","SkipTLSVerify":false}}}\n{"Name":"lab","Endpoints":{"docker":{"Host":"unix:///opt/lab/engine.sock"}}}\n',
      daemons: [
        '/usr/sbin/dockerd --data-root /data -H fd:// --host unix:///run/user/1000/docker.sock --host=tcp://0.0.0.0:2376 -H=unix:///opt/d/api.sock ',
        'podman system service --time=0 unix:///var/lib/pod/podman.sock ',
      ].join('\n'),
    });

    expect(sockets).toEqual(['/srv/engine/docker.sock', '/opt/lab/engine.sock', '/run/user/1000/docker.sock', '/opt/d/api.sock', '/var/lib/pod/podman.sock']);
  });

  it('takes nothing but unix socket paths from engine settings: TCP endpoints, relative paths and control characters are left out', () => {
    const sockets = engineSocketsOf({ clientHost: 'tcp://ci:secret@docker.example:2376', context: '{"Endpoints":{"docker":{"Host":"unix://relative.sock"}}}\n{"Endpoints":{"docker":{"Host":"ssh://root@gw"}}}', daemons: 'dockerd -H unix:///ok\u0007.sock' });

    expect(sockets).toEqual([]);
  });

  it('marks a bind mount of the engine\'s own socket at a custom path, or of a folder holding it, as engine-socket', () => {
    const json = inspectOf({
      Mounts: [
        { Type: 'bind', Source: '/srv/engine/docker.sock', Destination: '/var/run/docker.sock', RW: true },
        { Type: 'bind', Source: '/srv/engine', Destination: '/engine', RW: false },
        { Type: 'bind', Source: '/srv/app', Destination: '/app', RW: false },
      ],
    });
    const containers = parseContainerInspect(json).containers;
    expect(containers[0]!.mounts?.map((mount) => mount.risk)).toEqual([undefined, undefined, undefined]);

    markEngineSocketMounts(containers, ['/srv/engine/docker.sock']);

    expect(containers[0]!.mounts?.map((mount) => mount.risk)).toEqual(['engine-socket', 'engine-socket', undefined]);
  });

  it('reads networks with their aliases and DNS names, and publishes only bound ports', () => {
    const json = inspectOf({
      NetworkSettings: {
        Ports: { '4000/tcp': [{ HostIp: '127.0.0.1', HostPort: '4000' }], '9000/tcp': null },
        Networks: { ai_default: { Aliases: ['litellm'], DNSNames: ['litellm', 'abc123'], IPAddress: '172.20.0.3', GlobalIPv6Address: '' } },
      },
      State: { Running: true, StartedAt: '0001-01-01T00:00:00Z' },
    });

    const [container] = parseContainerInspect(json).containers;

    expect(container!.networks).toEqual([{ name: 'ai_default', ipAddress: '172.20.0.3', ipv6Address: null, aliases: ['litellm', 'abc123'] }]);
    expect(container!.ports).toEqual([{ containerPort: '4000/tcp', hostIp: '127.0.0.1', hostPort: '4000' }]);
    expect(container!.startedAt).toBeNull();
  });

  it('reads each image build time with its RepoDigests from Docker 28 image inspect output', async () => {
    const images = parseImageDetails(await fixture('docker-image-inspect.json'));

    expect(images.get('sha256:5c0f4a6e2d8b1f3a9e7c5d2b4f6a8c0e1d3b5f7a9c2e4d6f8a0b1c3d5e7f9a2b')).toMatchObject({
      repoDigests: ['ghcr.io/berriai/litellm@sha256:e1a7c3f9b5d2e8a4c0f6b2d8e4a0c6f2b8d4e0a6c2f8b4d0e6a2c8f4b0d6e2a8'],
      created: expect.stringMatching(/^2026-03-24T/) as string,
    });
  });
});
