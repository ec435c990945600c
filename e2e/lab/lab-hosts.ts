/**
 * The lab's hosts, as data: names, users, userlands and what Python and Docker state each one
 * carries. Modelled on the homelab of the March 2026 LiteLLM compromise (shared/INCIDENT.md).
 * lab.ts builds and starts them; tests import the names from here instead of repeating them.
 */

/** The unprivileged login user shared by every non-root lab host (created on the real system when missing). */
export const LAB_USER = 'lab-blast';

/** A Python distribution to install as metadata (never as runnable code). */
export interface LabDistribution {
  name: string;
  version: string;
  /** `dist-info` (pip/wheel, the default) or `egg-info` (distro packages, setuptools). */
  format?: 'dist-info' | 'egg-info';
  /** Folder name override, e.g. Alpine's `six-1.16.0-py3.12.egg-info`. */
  folderName?: string;
  summary?: string;
  /** Extra files of the distribution, relative to site-packages, listed in RECORD. */
  files?: Record<string, string>;
}

/** A site-packages folder and its contents. */
export interface LabSitePackages {
  /** Absolute path inside the host (or container root). */
  path: string;
  distributions: LabDistribution[];
}

/** A virtualenv: `pyvenv.cfg`, `bin/python*` links to the (trapped) system interpreter, and one site-packages. */
export interface LabVirtualenv {
  /** The venv folder, e.g. `/opt/ollama-tools/venv`. */
  path: string;
  pythonVersion: string;
  distributions: LabDistribution[];
}

/** The filesystem of a container on the gw host; matched to a fixture in fixtures/docker/containers by name. */
export interface LabContainer {
  /** The container's name without Docker's leading slash; data, never code. */
  name: string;
  osRelease: OsRelease;
  sitePackages: LabSitePackages[];
}

/** Which os-release text a root gets. */
export type OsRelease = 'debian-12' | 'alpine-3.20';

/** How `docker` behaves on a host. */
export type DockerMode =
  /** The stand-in replaying fixtures (docker-standin.sh), with `docker exec` as chroot into the container root. */
  | 'standin'
  /** A docker client that cannot reach the socket, and a sudo that wants a password. */
  | 'permission-denied'
  /** No docker at all. */
  | 'absent';

/** A lab host that runs sshd in its own chroot. */
export interface LabSshHostSpec {
  kind: 'ssh';
  name: string;
  /** Last octet of its loopback address (127.77.<run block>.<octet>). */
  octet: number;
  /** `debian` = dash + GNU coreutils/findutils/sed/mawk/grep copied with their libraries; `busybox` = /bin/busybox and applet links only. */
  userland: 'debian' | 'busybox';
  user: 'root' | typeof LAB_USER;
  hostname: string;
  osRelease: OsRelease;
  docker: DockerMode;
  sitePackages: LabSitePackages[];
  virtualenvs: LabVirtualenv[];
  containers: LabContainer[];
  /** What a scan of this host is meant to prove (README and test names use it). */
  proves: string;
}

/** A host entry in ssh_config where nothing listens. */
export interface LabUnreachableSpec {
  kind: 'unreachable';
  name: string;
  octet: number;
  proves: string;
}

/** A running sshd whose known_hosts entry carries a different key than the one it offers. */
export interface LabWrongKeySpec {
  kind: 'wrongkey';
  name: string;
  octet: number;
  user: typeof LAB_USER;
  hostname: string;
  proves: string;
}

/** Any lab host. */
export type LabHostSpec = LabSshHostSpec | LabUnreachableSpec | LabWrongKeySpec;

const PIP = { name: 'pip', version: '24.0' };
const SETUPTOOLS = { name: 'setuptools', version: '65.5.1' };

/** litellm 1.82.8 as shipped on PyPI on 24 March 2026: the payload `.pth` (here a harmless stand-in line). */
const LITELLM_1_82_8: LabDistribution = {
  name: 'litellm',
  version: '1.82.8',
  summary: 'Library to easily interface with LLM API providers',
  files: {
    'litellm/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    'litellm/proxy/proxy_server.py': '# blast-radius lab: placeholder for the 1.82.7/1.82.8 proxy_server.py payload, no code\n',
    // Harmless data standing in for the real payload: only an interpreter start would run it, and the lab has none.
    'litellm_init.pth': 'import os; os.system("true")  # blast-radius lab stand-in for the 1.82.8 payload, harmless\n',
  },
};

const LITELLM_1_82_7: LabDistribution = {
  name: 'litellm',
  version: '1.82.7',
  summary: 'Library to easily interface with LLM API providers',
  files: {
    'litellm/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    'litellm/proxy/proxy_server.py': '# blast-radius lab: placeholder for the 1.82.7 proxy_server.py payload, no code\n',
  },
};

/** The lab's hosts, in start order. */
export const LAB_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'gw',
    octet: 2,
    userland: 'debian',
    user: 'root',
    hostname: 'gw',
    osRelease: 'debian-12',
    docker: 'standin',
    sitePackages: [
      {
        path: '/usr/lib/python3/dist-packages',
        distributions: [
          { name: 'requests', version: '2.28.1', format: 'egg-info', folderName: 'requests-2.28.1.egg-info' },
          { name: 'urllib3', version: '1.26.12', format: 'egg-info', folderName: 'urllib3-1.26.12.egg-info' },
        ],
      },
    ],
    virtualenvs: [],
    containers: [
      {
        name: 'litellm',
        osRelease: 'debian-12',
        sitePackages: [
          {
            path: '/usr/local/lib/python3.11/site-packages',
            distributions: [
              LITELLM_1_82_8,
              { name: 'openai', version: '1.68.2' },
              { name: 'pydantic', version: '2.10.6' },
              { name: 'pydantic_core', version: '2.27.2' },
              { name: 'httpx', version: '0.28.1' },
              PIP,
              SETUPTOOLS,
            ],
          },
        ],
      },
      {
        name: 'open-webui',
        osRelease: 'debian-12',
        sitePackages: [
          {
            path: '/usr/local/lib/python3.11/site-packages',
            distributions: [
              { name: 'open-webui', version: '0.6.5' },
              { name: 'litellm', version: '1.83.0', summary: 'Library to easily interface with LLM API providers' },
              { name: 'requests', version: '2.32.3' },
              { name: 'fastapi', version: '0.115.7' },
              PIP,
            ],
          },
        ],
      },
      {
        // Stopped: its filesystem lives in the image layer (LowerDir), its MergedDir is an empty folder.
        name: 'old-litellm',
        osRelease: 'debian-12',
        sitePackages: [
          {
            path: '/usr/local/lib/python3.11/site-packages',
            distributions: [{ name: 'litellm', version: '1.82.6' }, { name: 'openai', version: '1.61.0' }, PIP],
          },
        ],
      },
      {
        name: '$(touch /tmp/pwned)',
        osRelease: 'alpine-3.20',
        sitePackages: [
          {
            path: '/usr/lib/python3.12/site-packages',
            distributions: [{ name: 'requests', version: '2.32.3' }, { name: 'idna', version: '3.7' }],
          },
        ],
      },
    ],
    proves: 'Docker discovery through the CLI, docker exec into running containers, the MergedDir fallback, a stopped container, litellm 1.82.8 with its .pth, a clean consumer on 1.83.0, and container names treated as data',
  },
  {
    kind: 'ssh',
    name: 'ollama',
    octet: 3,
    userland: 'debian',
    user: LAB_USER,
    hostname: 'ollama',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [
      {
        path: '/usr/lib/python3/dist-packages',
        distributions: [
          { name: 'requests', version: '2.28.1', format: 'egg-info', folderName: 'requests-2.28.1.egg-info' },
          { name: 'urllib3', version: '1.26.12', format: 'egg-info', folderName: 'urllib3-1.26.12.egg-info' },
          { name: 'PyYAML', version: '6.0', format: 'egg-info', folderName: 'PyYAML-6.0.egg-info' },
        ],
      },
    ],
    virtualenvs: [
      {
        path: '/opt/ollama-tools/venv',
        pythonVersion: '3.11.2',
        distributions: [
          { name: 'requests', version: '2.32.3' },
          { name: 'urllib3', version: '2.2.3' },
          { name: 'certifi', version: '2024.8.30' },
          { name: 'idna', version: '3.10' },
          { name: 'charset-normalizer', version: '3.4.0', folderName: 'charset_normalizer-3.4.0.dist-info' },
          PIP,
        ],
      },
    ],
    containers: [],
    proves: 'a clean host without Docker: system dist-packages (egg-info) and a virtualenv found by its pyvenv.cfg',
  },
  {
    kind: 'ssh',
    name: 'nodocker',
    octet: 4,
    userland: 'debian',
    user: LAB_USER,
    hostname: 'nodocker',
    osRelease: 'debian-12',
    docker: 'permission-denied',
    sitePackages: [
      {
        path: `/home/${LAB_USER}/.local/lib/python3.11/site-packages`,
        distributions: [LITELLM_1_82_7, { name: 'openai', version: '1.68.2' }],
      },
      {
        path: '/usr/lib/python3/dist-packages',
        distributions: [{ name: 'six', version: '1.16.0', format: 'egg-info', folderName: 'six-1.16.0.egg-info' }],
      },
    ],
    virtualenvs: [],
    containers: [],
    proves: 'docker permission denied and sudo wanting a password make the host partial, not failed; litellm 1.82.7 in a user site is still found',
  },
  {
    kind: 'ssh',
    name: 'alpine',
    octet: 5,
    userland: 'busybox',
    user: LAB_USER,
    hostname: 'alpine',
    osRelease: 'alpine-3.20',
    docker: 'absent',
    sitePackages: [
      {
        path: '/usr/lib/python3.12/site-packages',
        distributions: [
          { name: 'requests', version: '2.32.3' },
          { name: 'urllib3', version: '2.2.2' },
          { name: 'six', version: '1.16.0', format: 'egg-info', folderName: 'six-1.16.0-py3.12.egg-info' },
          { name: 'PyYAML', version: '6.0.1', folderName: 'PyYAML-6.0.1.dist-info' },
        ],
      },
    ],
    virtualenvs: [],
    containers: [],
    proves: 'collector scripts work with busybox alone (ash, busybox find/sed/awk/head), including .egg-info/PKG-INFO',
  },
  {
    kind: 'unreachable',
    name: 'unreachable',
    octet: 6,
    proves: 'a host where nothing listens is reported unreachable without failing the scan',
  },
  {
    kind: 'wrongkey',
    name: 'wrongkey',
    octet: 7,
    user: LAB_USER,
    hostname: 'wrongkey',
    proves: 'a host offering a key other than the known_hosts one is refused (host-key-mismatch), never scanned',
  },
];

/** Looks up a host spec by name; throws on an unknown name (a typo in a test). */
export function labHostSpec(name: string): LabHostSpec {
  const spec = LAB_HOSTS.find((host) => host.name === name);
  if (!spec) throw new Error(`no lab host named ${name}`);
  return spec;
}

/** The os-release texts, as Debian 12 and Alpine 3.20 ship them. */
export const OS_RELEASE: Record<OsRelease, string> = {
  'debian-12': `PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"
NAME="Debian GNU/Linux"
VERSION_ID="12"
VERSION="12 (bookworm)"
VERSION_CODENAME=bookworm
ID=debian
HOME_URL="https://www.debian.org/"
SUPPORT_URL="https://www.debian.org/support"
BUG_REPORT_URL="https://bugs.debian.org/"
`,
  'alpine-3.20': `NAME="Alpine Linux"
ID=alpine
VERSION_ID=3.20.3
PRETTY_NAME="Alpine Linux v3.20"
HOME_URL="https://alpinelinux.org/"
BUG_REPORT_URL="https://gitlab.alpinelinux.org/alpine/aports/-/issues"
`,
};
