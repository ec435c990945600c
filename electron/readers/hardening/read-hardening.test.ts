import { describe, expect, it } from 'vitest';
import type { PythonEnvironment } from '../../../shared/model/index.js';
import type { TextArtifact } from '../artifacts.js';
import { fingerprintSecret } from '../secrets/fingerprint.js';
import { findSecrets } from '../secrets/find-secrets.js';
import { readHardening, virtualenvRoot } from './read-hardening.js';

const file = (kind: TextArtifact['kind'], path: string, text: string, container: string | null = null): TextArtifact => ({ kind, path, text, container, user: null, truncated: false });
const venv = (path: string, container: string | null = null): PythonEnvironment => ({ path, container, packages: [{ name: 'litellm', version: '1.83.0' }] });

describe('readHardening', () => {
  it('reads a virtualenv whose project pins loosely, from the index the global pip.conf names, upgraded by cron', () => {
    const [posture, ...rest] = readHardening({
      files: [
        file('python-project', '/srv/chat/requirements.txt', '# app deps\nlitellm>=1.80\nopenai==1.68.2\nhttpx\n'),
        file('pip-config', '/etc/pip.conf', '[global]\nindex-url = https://pypi.org/simple\ntimeout = 60\n'),
        file('crontab', '/etc/cron.d/chat-upgrade', 'SHELL=/bin/sh\n# nightly\n15 3 * * * root /srv/chat/venv/bin/pip install -U -r /srv/chat/requirements.txt\n'),
        file('crontab', '/etc/crontab', '17 * * * * root cd / && run-parts --report /etc/cron.hourly\n'),
      ],
      environments: [],
      pythonEnvironments: [venv('/srv/chat/venv/lib/python3.11/site-packages'), venv('/usr/lib/python3/dist-packages')],
      containers: [],
    });
    expect(rest).toEqual([]);
    expect(posture).toEqual({
      container: null,
      environment: '/srv/chat/venv/lib/python3.11/site-packages',
      image: null,
      project: '/srv/chat',
      installer: 'pip',
      pinFiles: [{ path: '/srv/chat/requirements.txt', kind: 'requirements', hashes: false, loose: ['litellm>=1.80', 'httpx'] }],
      hashPinnedBuild: null,
      indexes: [{ url: 'https://pypi.org/simple', role: 'primary', public: true, source: 'index-url in /etc/pip.conf' }],
      upgrades: [{ source: '/etc/cron.d/chat-upgrade', command: '15 3 * * * root /srv/chat/venv/bin/pip install -U -r /srv/chat/requirements.txt' }],
    });
  });

  it("lets the virtualenv's own pip.conf win over the global one, and a unit's PIP_INDEX_URL over both, its token masked and fingerprinted as the secret search does", () => {
    const token = 'dvp1_9fK2mQ7xLr4TzW8';
    const unitUrl = `https://ci:${token}@devpi.example.net/root/pypi/+simple/`;
    const files = [
      file('python-project', '/opt/locked/requirements.txt', 'litellm==1.83.0 \\\n    --hash=sha256:0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0\n'),
      file('pip-config', '/etc/pip.conf', '[global]\nindex-url = https://pypi.org/simple\n'),
      file('pip-config', '/opt/locked/.venv/pip.conf', '[install]\nindex-url = https://devpi.example.net/root/pypi/+simple/\n'),
      file('systemd-unit', '/etc/systemd/system/locked.service', `[Service]\nWorkingDirectory=/opt/locked\nEnvironment="PIP_INDEX_URL=${unitUrl}"\nExecStart=/opt/locked/.venv/bin/app\n`),
    ];
    const input = { files, environments: [], pythonEnvironments: [venv('/opt/locked/.venv/lib/python3.12/site-packages')], containers: [] };

    const [posture] = readHardening(input);
    expect(posture!.pinFiles).toEqual([{ path: '/opt/locked/requirements.txt', kind: 'requirements', hashes: true, loose: [] }]);
    const secretFingerprints = findSecrets({ files, environments: [] }).secrets.map((secret) => secret.fingerprint);
    expect(posture!.indexes).toEqual([
      {
        url: 'https://ci:***@devpi.example.net/root/pypi/+simple/',
        role: 'primary',
        public: false,
        source: 'PIP_INDEX_URL in /etc/systemd/system/locked.service',
        credential: fingerprintSecret('unknown', token),
      },
    ]);
    expect(secretFingerprints).toContain(posture!.indexes[0]!.credential);
    expect(JSON.stringify(posture)).not.toContain(token);

    const withoutUnit = readHardening({ ...input, files: files.slice(0, 3) });
    expect(withoutUnit[0]!.indexes).toEqual([{ url: 'https://devpi.example.net/root/pypi/+simple/', role: 'primary', public: false, source: 'index-url in /opt/locked/.venv/pip.conf' }]);
  });

  it('judges a uv project by uv settings: uv.lock records hashes, pyproject [[tool.uv.index]] with default = true is the primary index', () => {
    const [posture] = readHardening({
      files: [
        file('python-project', '/home/ana/agent/uv.lock', 'version = 1\n[[package]]\nname = "litellm"\nversion = "1.83.0"\nsource = { registry = "https://nexus.example.org/repository/pypi/simple" }\nsdist = { url = "https://x/litellm-1.83.0.tar.gz", hash = "sha256:ab12", size = 1 }\n'),
        file('python-project', '/home/ana/agent/pyproject.toml', '[project]\nname = "agent"\n\n[[tool.uv.index]]\nname = "nexus"\nurl = "https://nexus.example.org/repository/pypi/simple"\ndefault = true\n'),
        file('pip-config', '/home/ana/.config/pip/pip.conf', '[global]\nindex-url = https://pypi.org/simple\n'),
      ],
      environments: [],
      pythonEnvironments: [venv('/home/ana/agent/.venv/lib/python3.12/site-packages')],
      containers: [],
    });
    expect(posture!.installer).toBe('uv');
    expect(posture!.pinFiles).toEqual([{ path: '/home/ana/agent/uv.lock', kind: 'uv.lock', hashes: true, loose: [] }]);
    expect(posture!.indexes).toEqual([{ url: 'https://nexus.example.org/repository/pypi/simple', role: 'primary', public: false, source: '[tool.uv] index-url in /home/ana/agent/pyproject.toml' }]);
  });

  it('reads an image from its history, environment and pip.conf: the install step names no index, so its pip.conf decides', () => {
    const container = {
      name: 'gateway',
      image: 'registry.example/gateway:2',
      workingDir: '/app',
      buildInstalls: [{ command: 'RUN /bin/sh -c pip install --no-cache-dir -r requirements.txt # buildkit', tool: 'pip', hashPinned: false, reason: 'x', createdAt: null }],
    };
    const base = { environments: [], pythonEnvironments: [venv('/usr/local/lib/python3.11/site-packages', 'gateway')], containers: [container] };
    const [fromConfig] = readHardening({ ...base, files: [file('pip-config', '/etc/pip.conf', '[global]\nindex-url=https://artifactory.example/api/pypi/pypi/simple\n', 'gateway')] });
    expect(fromConfig).toMatchObject({ container: 'gateway', image: 'registry.example/gateway:2', project: '/app', hashPinnedBuild: false, indexes: [{ public: false, source: 'index-url in /etc/pip.conf' }] });

    const [fromEnvironment] = readHardening({ ...base, files: [], environments: [{ container: 'gateway', variables: [['PIP_EXTRA_INDEX_URL', 'https://pypi.org/simple']] }] });
    expect(fromEnvironment!.indexes).toEqual([
      { url: 'https://pypi.org/simple', role: 'primary', public: true, source: 'default (nothing configured)' },
      { url: 'https://pypi.org/simple', role: 'extra', public: true, source: "PIP_EXTRA_INDEX_URL in the container's environment" },
    ]);
  });

  it('takes the WorkingDirectory of a unit that runs the virtualenv as its project', () => {
    const [posture] = readHardening({
      files: [
        file('systemd-unit', '/etc/systemd/system/bot.service', '[Service]\nWorkingDirectory=/srv/bot/\nExecStart=/opt/venvs/bot/bin/python -m bot\n'),
        file('python-project', '/srv/bot/uv.lock', 'version = 1\n[[package]]\nwheels = [{ url = "https://x/bot.whl", hash = "sha256:00ff" }]\n'),
      ],
      environments: [],
      pythonEnvironments: [venv('/opt/venvs/bot/lib/python3.12/site-packages')],
      containers: [],
    });
    expect(posture).toMatchObject({ project: '/srv/bot', installer: 'uv', pinFiles: [{ path: '/srv/bot/uv.lock', kind: 'uv.lock', hashes: true, loose: [] }] });
  });

  it('keeps an upgrade that names no virtualenv as a host-wide posture, and reads upgrades from a unit as well', () => {
    const postures = readHardening({
      files: [file('systemd-unit', '/etc/systemd/system/tools-upgrade.service', '[Service]\nType=oneshot\nExecStart=/usr/bin/pip3 install --upgrade --break-system-packages llm\n')],
      environments: [],
      pythonEnvironments: [],
      containers: [],
    });
    expect(postures).toEqual([
      {
        container: null,
        environment: null,
        image: null,
        project: null,
        installer: 'pip',
        pinFiles: [],
        hashPinnedBuild: null,
        indexes: [],
        upgrades: [{ source: '/etc/systemd/system/tools-upgrade.service', command: 'ExecStart=/usr/bin/pip3 install --upgrade --break-system-packages llm' }],
      },
    ]);
  });
});

describe('virtualenvRoot', () => {
  it('names virtualenv and conda folders and leaves system and user site folders alone', () => {
    expect(virtualenvRoot('/opt/app/venv/lib/python3.11/site-packages')).toBe('/opt/app/venv');
    expect(virtualenvRoot('/usr/local/lib/python3.11/site-packages')).toBeNull();
    expect(virtualenvRoot('/home/bo/.local/lib/python3.11/site-packages')).toBeNull();
    expect(virtualenvRoot('/usr/lib/python3/dist-packages')).toBeNull();
  });
});

describe('pin files', () => {
  it('keeps a loose requirement that is a URL only with its credentials masked', async () => {
    const { readPinFile } = await import('./pin-files.js');
    const pin = readPinFile('/srv/x/requirements.txt', 'requirements', 'https://ci:tok3nV4lue99@files.example/pkg-1.0.whl\nlitellm==1.83.0\n');
    expect(pin).toEqual({ path: '/srv/x/requirements.txt', kind: 'requirements', hashes: false, loose: ['https://ci:***@files.example/pkg-1.0.whl'] });
  });
});
