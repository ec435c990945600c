/**
 * The lab's hosts, as data: names, users, userlands and what Python and Docker state each one
 * carries. Modelled on the homelab of the March 2026 LiteLLM compromise (shared/INCIDENT.md).
 * lab.ts builds and starts them; tests import the names from here instead of repeating them.
 */
import type { LabInterfaceAddress, LabSocket } from './proc-net.js';
import { PSQL_CALL_LOG } from './psql-call-log.js';
import { K3S_KUBECONFIG, KUBECTL_SECRETS_TEXT, KUBECTL_STANDIN, KUBECTL_STANDIN_DATA, KUBECTL_STANDIN_LOG, KUBECTL_WORKLOADS_TEXT } from './kubectl-standin.js';

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
  /** Files overwritten after RECORD was written (the installed artifact no longer matches its RECORD). */
  tamperedFiles?: Record<string, string>;
}

/** A site-packages folder and its contents. */
export interface LabSitePackages {
  /** Absolute path inside the host (or container root). */
  path: string;
  distributions: LabDistribution[];
  /** Files written at the top of the folder outside any distribution's RECORD (a dropped sitecustomize.py). */
  siteFiles?: Record<string, string>;
}

/** A virtualenv: `pyvenv.cfg`, `bin/python*` links to the (trapped) system interpreter, and one site-packages. */
export interface LabVirtualenv {
  /** The venv folder, e.g. `/opt/ollama-tools/venv`. */
  path: string;
  pythonVersion: string;
  distributions: LabDistribution[];
  /** Files the venv tool itself writes into site-packages, outside any distribution's RECORD (virtualenv's _virtualenv.pth). */
  siteFiles?: Record<string, string>;
}

/**
 * A file's content, or its content and mode. Text may hold tokens lab.ts substitutes at build:
 * `{{planted:<id>}}` (planted-secrets.ts), `{{planted-sha256:<id>}}` / `{{planted-last4:<id>}}` (what a
 * database keeps of one: its sha256 hex, its last 4 characters), `{{address:<host>}}` (a lab host's address),
 * `{{address6:<host>}}` (its IPv6 ULA), `{{ssh-lateral:public}}` / `{{ssh-lateral:private}}`
 * (the key pair generated for the run).
 */
export type LabFile = string | { content: string; mode: number };

/** The network a root's /proc shows (proc-net.ts writes it): extra interface addresses and TCP sockets. */
export interface LabNetwork {
  /** Addresses besides the host's lab address (and loopback), e.g. Docker bridges. */
  addresses?: LabInterfaceAddress[];
  tcp?: LabSocket[];
  tcp6?: LabSocket[];
}

/** The filesystem of a container on the gw host; matched to a fixture in fixtures/docker/containers by name. */
export interface LabContainer {
  /** The container's name without Docker's leading slash; data, never code. */
  name: string;
  osRelease: OsRelease;
  sitePackages: LabSitePackages[];
  /** Plain files inside the container (absolute path → content; tokens allowed). */
  files?: Record<string, LabFile>;
  /** Its network namespace's sockets, written to the gw root's /proc/<State.Pid>/net/tcp(6). */
  network?: Pick<LabNetwork, 'tcp' | 'tcp6'>;
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
  | 'absent'
  /** docker-scripted.sh: each subcommand prints what the host's `dockerAnswers` say (a daemon that fails, or lies). */
  | 'scripted';

/** The subcommands docker-scripted.sh answers (`image inspect` and `container inspect` as written). */
export type ScriptedDockerVerb = 'ps' | 'inspect' | 'image-inspect' | 'history' | 'exec' | 'logs';

/** One scripted answer: what it prints (tokens allowed) and its exit status. */
export interface ScriptedDockerAnswer {
  stdout?: string;
  stderr?: string;
  exitCode: number;
}

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
  /** With `docker: 'scripted'`: the answer to each subcommand; one not given exits 125 naming the stand-in. */
  dockerAnswers?: Partial<Record<ScriptedDockerVerb, ScriptedDockerAnswer>>;
  sitePackages: LabSitePackages[];
  virtualenvs: LabVirtualenv[];
  containers: LabContainer[];
  /** Plain files on the host (absolute path → content; tokens allowed), e.g. a compose file its containers' labels name. Files under the login user's home belong to that user. */
  hostFiles?: Record<string, LabFile>;
  /** What its /proc/net shows; every ssh host gets fib_trie/if_inet6 naming its lab address, and tcp/tcp6 (empty without this). */
  network?: LabNetwork;
  /** sshd's `ForceCommand` for the host: what every session runs instead of the command asked for (`sleep 100000` wedges it). */
  forceCommand?: string;
  /** Many generated files (a host that buries its keys among thousands of `.env` files). */
  bulkFiles?: LabBulkFiles;
  /** A real systemd journal in its root, with journalctl to read it (journal.ts). */
  journal?: LabJournal;
  /** System-container root folders on the host (a CT's rootfs, a storage subvolume): each gets the booby-trapped interpreters every root has. */
  guestRoots?: string[];
  /** What a scan of this host is meant to prove (README and test names use it). */
  proves: string;
}

/** `count` copies of one small file, at `<folder>/project-<i / 100>/service-<i % 100>/<fileName>` (root-owned, 0644). */
/** A host's systemd journal: its machine id and entries (journal fields; `message` may hold lab tokens). */
export interface LabJournal {
  machineId: string;
  bootId: string;
  hostname: string;
  entries: { at: string; fields: Record<string, string>; message: string }[];
}

export interface LabBulkFiles {
  folder: string;
  count: number;
  fileName: string;
  content: string;
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

/** pip as a wheel install leaves it (shared with the real-engine lab, engines.ts). */
export const PIP = { name: 'pip', version: '24.0' };
/** setuptools as a wheel install leaves it (shared with the real-engine lab). */
export const SETUPTOOLS = { name: 'setuptools', version: '65.5.1' };

/** litellm 1.82.8 as shipped on PyPI on 24 March 2026: the payload `.pth` (here a harmless stand-in line). */
export const LITELLM_1_82_8: LabDistribution = {
  name: 'litellm',
  version: '1.82.8',
  summary: 'Library to easily interface with LLM API providers',
  files: {
    'litellm/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    'litellm/proxy/proxy_server.py': '# blast-radius lab: placeholder for the 1.82.7/1.82.8 proxy_server.py payload, no code\n',
    // Harmless data standing in for the real payload: only an interpreter start would run it, and the lab has none.
    // RECORD carries this content's hash; the real file's hash (pth-known.ts) is not reproducible without its bytes,
    // so a scan reports this file as an unrecognised executable .pth (high), not as the known payload (critical).
    'litellm_init.pth': 'import os; os.system("true")  # blast-radius lab stand-in for the 1.82.8 payload, harmless\n',
  },
  // Changed after install: RECORD verification must report it as modified.
  tamperedFiles: {
    'litellm/proxy/proxy_server.py': '# blast-radius lab: proxy_server.py edited after install (RECORD no longer matches), no code\n',
  },
};

/** setuptools as Debian's python3-setuptools installs it: egg-info, with the distutils shim .pth (benign, executable). */
const DEBIAN_SETUPTOOLS: LabDistribution = {
  name: 'setuptools',
  version: '66.1.1',
  format: 'egg-info',
  folderName: 'setuptools-66.1.1.egg-info',
  files: {
    'setuptools/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    '_distutils_hack/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    // setuptools' own text (setup.py install_with_pth._pth_contents), byte for byte.
    'distutils-precedence.pth': "import os; var = 'SETUPTOOLS_USE_DISTUTILS'; enabled = os.environ.get(var, 'local') == 'local'; enabled and __import__('_distutils_hack').add_shim(); \n",
  },
};

/** A sitecustomize.py with the shape and strings of the TeamPCP stager (SigmaHQ rule), harmless: its blob is not the payload. */
export const SITECUSTOMIZE_STAGER =
  "# blast-radius lab stand-in for a dropped stager, harmless and never run\nimport base64\nexec(base64.b64decode('aW1wb3J0IG9z'))  # kI2NF9TQ1JJUFQgPSAiYV\n";

/** A benign sitecustomize.py (a path tweak an owner might add): no signature matches it. */
export const SITECUSTOMIZE_BENIGN = '# blast-radius lab: an owner\'s own path tweak\nimport os, sys\nsys.path.append(os.path.expanduser("~/lib/python"))\n';

const LITELLM_1_82_7: LabDistribution = {
  name: 'litellm',
  version: '1.82.7',
  summary: 'Library to easily interface with LLM API providers',
  files: {
    'litellm/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    // The payload's published strings as inert data (never the payload), in the file its RECORD lists: a content signature catches what RECORD verification cannot.
    'litellm/proxy/proxy_server.py':
      '# blast-radius lab: placeholder for the 1.82.7 proxy_server.py payload, no code\nLAB_STAND_IN = ("https://models.litellm.cloud/", "tpcp.tar.gz")\n',
  },
};

/** gw's compose project: litellm on a mutable tag (what Watchtower re-pulls), open-webui pinned by digest. */
const GW_COMPOSE = `name: ai-gateway

services:
  litellm:
    image: ghcr.io/berriai/litellm:main-latest
    command: ["--config", "/app/config.yaml", "--port", "4000"]
    env_file: .env
    # Interpolated from the shell of whoever ran \`docker compose up\`; only OPENAI_API_KEY is in .env.
    environment:
      ANTHROPIC_API_KEY: \${ANTHROPIC_API_KEY}
      LITELLM_MASTER_KEY: \${LITELLM_MASTER_KEY}
      DATABASE_URL: \${DATABASE_URL}
    volumes:
      - ./litellm-config.yaml:/app/config.yaml:ro
    ports:
      - "4000:4000"
    labels:
      - com.centurylinklabs.watchtower.enable=true
    restart: unless-stopped

  # LiteLLM's database (DATABASE_URL=postgresql://litellm:…@db:5432/litellm): virtual keys and spend.
  db:
    image: postgres:16
    environment:
      POSTGRES_USER: litellm
      POSTGRES_PASSWORD: \${POSTGRES_PASSWORD}
      POSTGRES_DB: litellm
    volumes:
      - pgdata:/var/lib/postgresql/data
    restart: unless-stopped

  open-webui:
    image: ghcr.io/open-webui/open-webui@sha256:1bbbd343d55f3fdd95413b5dfc4fcc1fdee10dc3a143130f8fd7dfe5cf23ea57
    env_file:
      - path: ./open-webui.env
        required: false
    environment:
      OPENAI_API_BASE_URL: http://litellm:4000/v1
    volumes:
      - open-webui:/app/backend/data
    restart: unless-stopped

volumes:
  open-webui:
  pgdata:
`;

/** gw's compose .env (read by `env_file: .env`): the same OpenAI key as the litellm container's environment. */
const GW_DOTENV = `# ai-gateway: read by docker compose (env_file: .env)
OPENAI_API_KEY={{planted:openai}}
LITELLM_LOG=INFO
STORE_MODEL_IN_DB=True
`;

/**
 * LiteLLM's proxy config, bind-mounted into the litellm container at /app/config.yaml: two keys by
 * reference to the environment, one local Ollama backend on another host, one inline Groq key.
 */
export const LITELLM_CONFIG = `model_list:
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
  - model_name: claude
    litellm_params:
      model: anthropic/claude-3-5-sonnet-20241022
      api_key: os.environ/ANTHROPIC_API_KEY
  - model_name: llama3
    litellm_params:
      model: ollama/llama3
      api_base: http://{{address:ollama}}:11434
  - model_name: llama-3.3-70b
    litellm_params:
      model: groq/llama-3.3-70b-versatile
      api_key: {{planted:groq}}

litellm_settings:
  drop_params: true

general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
  database_url: os.environ/DATABASE_URL
`;

/**
 * What the 1.82.7/1.82.8 payload leaves behind in the home of the user who imported it (INCIDENT.md,
 * LiteLLM's security update; /tmp/.pg_state from third-party write-ups). Harmless stand-ins: the
 * script is a comment naming the polled URL, and the unit would start the trapped python3.
 */
const LITELLM_PERSISTENCE: Record<string, string> = {
  [`/home/${LAB_USER}/.config/sysmon/sysmon.py`]: '# blast-radius lab stand-in for the payload\'s sysmon.py (polls https://checkmarx.zone/raw), no code\n',
  [`/home/${LAB_USER}/.config/systemd/user/sysmon.service`]: `[Unit]
Description=System Telemetry Service

[Service]
ExecStart=/usr/bin/python3 %h/.config/sysmon/sysmon.py
Restart=always

[Install]
WantedBy=default.target
`,
  '/tmp/.pg_state': '1711279200\n',
  [`/home/${LAB_USER}/.bash_history`]: 'pip install --user litellm\ndig +short models.litellm.cloud\n',
};

/** A chat app on the ollama host that calls the gateway on gw's published port (a consumer via host port). */
const CHAT_APP: Record<string, LabFile> = {
  '/opt/chat-app/.env': `# chat-app: OpenAI-compatible client pointed at the LiteLLM gateway on gw
OPENAI_BASE_URL=http://{{address:gw}}:4000/v1
OPENAI_MODEL=llama3
HF_TOKEN={{planted:huggingface}}
`,
  '/etc/systemd/system/chat-app.service': `[Unit]
Description=Chat app (LiteLLM client)
After=network-online.target

[Service]
User=${LAB_USER}
WorkingDirectory=/opt/chat-app
EnvironmentFile=/opt/chat-app/.env
ExecStart=/opt/chat-app/bin/chat-app --port 8090
Restart=on-failure

[Install]
WantedBy=multi-user.target
`,
  // The public half of the key whose private half sits on nodocker: nodocker's user logs in here.
  [`/home/${LAB_USER}/.ssh/authorized_keys`]: { content: '{{ssh-lateral:public}}\n', mode: 0o600 },
};

/**
 * nodocker's user: an SSH tunnel to the gateway (autossh user unit) and an agent using it, cloud
 * credentials, a git token, the Anthropic key also held by gw's litellm, and a private key that
 * logs into the ollama host.
 */
const NODOCKER_USER_FILES: Record<string, LabFile> = {
  [`/home/${LAB_USER}/.config/systemd/user/llm-tunnel.service`]: `[Unit]
Description=SSH tunnel to the LiteLLM gateway on gw
After=network-online.target

[Service]
Environment=AUTOSSH_GATETIME=0
ExecStart=/usr/bin/autossh -M 0 -N -L 14000:localhost:4000 gw
Restart=always
RestartSec=10

[Install]
WantedBy=default.target
`,
  // How `gw` (the tunnel's destination) and `ollama` resolve for this user, as a homelab writes it.
  [`/home/${LAB_USER}/.ssh/config`]: { content: `Host gw
    HostName {{address:gw}}
    User root
    ServerAliveInterval 30

Host ollama
    HostName {{address:ollama}}
    User ${LAB_USER}
    IdentityFile ~/.ssh/id_ed25519
`, mode: 0o600 },
  [`/home/${LAB_USER}/.ssh/id_ed25519`]: { content: '{{ssh-lateral:private}}', mode: 0o600 },
  [`/home/${LAB_USER}/.ssh/id_ed25519.pub`]: { content: '{{ssh-lateral:public}}\n', mode: 0o644 },
  [`/home/${LAB_USER}/projects/agent/.env`]: `# agent: talks to the gateway through the llm-tunnel forward
OPENAI_BASE_URL=http://localhost:14000/v1
OPENAI_MODEL=claude
`,
  [`/home/${LAB_USER}/.aws/credentials`]: { content: `[default]
aws_access_key_id = {{planted:aws-key-id}}
aws_secret_access_key = {{planted:aws}}
region = eu-central-1

[ci-deploy]
aws_access_key_id = {{planted:aws-temp-key-id}}
aws_secret_access_key = {{planted:aws-temp}}
aws_session_token = {{planted:aws-session-token}}
`, mode: 0o600 },
  [`/home/${LAB_USER}/.config/gcloud/application_default_credentials.json`]: { content: `{
  "type": "service_account",
  "project_id": "lab-blast",
  "private_key_id": "{{planted:gcp-service-account}}",
  "private_key": "-----BEGIN PRIVATE KEY-----\\n{{planted:gcp-private-key}}\\n-----END PRIVATE KEY-----\\n",
  "client_email": "gateway@lab-blast.iam.gserviceaccount.com",
  "client_id": "100000000000000000001",
  "token_uri": "https://oauth2.googleapis.com/token"
}
`, mode: 0o600 },
  [`/home/${LAB_USER}/.azure/msal_token_cache.json`]: { content: `{
  "AccessToken": {},
  "RefreshToken": {
    "lab-uid.lab-tenant-login.microsoftonline.com-refreshtoken-04b07795-8ddb-461a-bbee-02f9e1bf7b46--": {
      "credential_type": "RefreshToken",
      "secret": "{{planted:azure-refresh}}",
      "home_account_id": "lab-uid.lab-tenant",
      "environment": "login.microsoftonline.com",
      "client_id": "04b07795-8ddb-461a-bbee-02f9e1bf7b46"
    }
  }
}
`, mode: 0o600 },
  // A stack the owner stopped and removed long ago (Dockge's folder): nothing runs from it, its key is still on disk.
  '/opt/stacks/litellm-old/compose.yaml': `services:
  litellm:
    image: ghcr.io/berriai/litellm:main-v1.82.6
    ports:
      - "4001:4000"
    environment:
      - XAI_API_KEY={{planted:stack-xai}}
      - LITELLM_LOG=INFO
`,
  [`/home/${LAB_USER}/.git-credentials`]: { content: 'https://lab:{{planted:github}}@github.com\n', mode: 0o600 },
  [`/home/${LAB_USER}/.bashrc`]: `# ~/.bashrc: executed by bash(1) for non-login shells.
case $- in
    *i*) ;;
      *) return;;
esac
HISTCONTROL=ignoreboth
alias ll='ls -alF'
export PATH="$HOME/.local/bin:$PATH"
export ANTHROPIC_API_KEY={{planted:anthropic}}
`,
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
        // The bind mount of /srv/ai-gateway/litellm-config.yaml (the stand-in's exec is a chroot, so it is a copy).
        files: { '/app/config.yaml': LITELLM_CONFIG },
        network: {
          tcp: [
            { local: '0.0.0.0:4000', state: 'LISTEN' },
            // open-webui calls it over the compose network.
            { local: '172.20.0.2:4000', remote: '172.20.0.3:51432', state: 'ESTABLISHED' },
            // It calls the Ollama backend on the ollama host.
            { local: '172.20.0.2:43110', remote: '{{address:ollama}}:11434', state: 'ESTABLISHED' },
            // Its database, on the compose network.
            { local: '172.20.0.2:49630', remote: '172.20.0.4:5432', state: 'ESTABLISHED' },
          ],
        },
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
        network: {
          tcp: [
            { local: '0.0.0.0:8080', state: 'LISTEN' },
            { local: '172.20.0.3:51432', remote: '172.20.0.2:4000', state: 'ESTABLISHED' },
          ],
        },
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
        // postgres:16 on the compose network (alias `db`), holding LiteLLM's database: its psql is
        // Debian's, against the lab's real PostgreSQL (litellm-postgres.ts, installed by lab.ts).
        name: 'ai-gateway-db-1',
        osRelease: 'debian-12',
        files: {
          [PSQL_CALL_LOG]: '',
        },
        network: {
          tcp: [
            { local: '0.0.0.0:5432', state: 'LISTEN' },
            // litellm's connection pool.
            { local: '172.20.0.4:5432', remote: '172.20.0.2:49630', state: 'ESTABLISHED' },
          ],
        },
        sitePackages: [],
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
      {
        // containrrr/watchtower, started with `docker run -v /var/run/docker.sock:/var/run/docker.sock`: no
        // names, no --label-enable, so it watches every running container. (The real image is scratch.)
        name: 'watchtower',
        osRelease: 'alpine-3.20',
        sitePackages: [],
      },
    ],
    hostFiles: {
      // The file the litellm and open-webui containers' com.docker.compose.project.config_files label names.
      '/srv/ai-gateway/compose.yaml': GW_COMPOSE,
      '/srv/ai-gateway/.env': { content: GW_DOTENV, mode: 0o600 },
      '/srv/ai-gateway/litellm-config.yaml': LITELLM_CONFIG,
    },
    network: {
      addresses: [
        { address: '{{address6:gw}}', prefix: 64, device: 'eth0' },
        { address: '172.17.0.1', prefix: 16, device: 'docker0' },
        { address: '172.20.0.1', prefix: 16, device: 'br-c6287bb8da49' },
      ],
      tcp: [
        { local: '0.0.0.0:22', state: 'LISTEN' },
        // docker-proxy publishing litellm's 4000/tcp on every address.
        { local: '0.0.0.0:4000', state: 'LISTEN' },
        // The chat app on the ollama host calls the gateway on the published port.
        { local: '{{address:gw}}:4000', remote: '{{address:ollama}}:39212', state: 'ESTABLISHED' },
        // nodocker's autossh session (its -L 14000:localhost:4000 forward rides on it).
        { local: '{{address:gw}}:22', remote: '{{address:nodocker}}:50318', state: 'ESTABLISHED' },
      ],
      tcp6: [{ local: '[::]:4000', state: 'LISTEN' }],
    },
    proves: 'Docker discovery through the CLI, docker exec into running containers, the MergedDir fallback, a stopped container, litellm 1.82.8 with its .pth, a clean consumer on 1.83.0, container names treated as data, a mutable tag watched by Watchtower with the Docker socket, a digest-pinned consumer, image history and the compose file; keys in the gateway\'s environment, its compose .env and its LiteLLM config (found by fingerprint, never printed), LiteLLM\'s virtual keys read-only from its postgres container through psql (open-webui\'s matched to the key it holds), a consumer on the shared network, the gateway\'s sockets in /proc',
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
          DEBIAN_SETUPTOOLS,
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
        // virtualenv's interpreter patch: benign, executable, listed in no RECORD.
        siteFiles: {
          '_virtualenv.pth': 'import _virtualenv\n',
          '_virtualenv.py': '# blast-radius lab: placeholder for virtualenv\'s _virtualenv.py, no code\n',
          // An owner's own start-up hook: read and matched, and nothing to report.
          'sitecustomize.py': SITECUSTOMIZE_BENIGN,
        },
      },
    ],
    containers: [],
    hostFiles: CHAT_APP,
    network: {
      tcp: [
        { local: '0.0.0.0:22', state: 'LISTEN' },
        // Ollama, listening for the gateway (OLLAMA_HOST=0.0.0.0).
        { local: '0.0.0.0:11434', state: 'LISTEN' },
        { local: '{{address:ollama}}:39212', remote: '{{address:gw}}:4000', state: 'ESTABLISHED' },
        { local: '{{address:ollama}}:11434', remote: '{{address:gw}}:43110', state: 'ESTABLISHED' },
      ],
    },
    proves: 'a clean host without Docker: system dist-packages (egg-info) and a virtualenv found by its pyvenv.cfg; a chat app calling the gateway on gw\'s published port with a Hugging Face token in its .env; an authorized_keys entry whose private key sits on nodocker',
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
        // A start-up hook holding both strings of the SigmaHQ TeamPCP stager rule: a stand-in that
        // decodes to "import os" and is never run (the lab's interpreters are traps); caught by content.
        siteFiles: { 'sitecustomize.py': SITECUSTOMIZE_STAGER },
      },
      {
        path: '/usr/lib/python3/dist-packages',
        distributions: [{ name: 'six', version: '1.16.0', format: 'egg-info', folderName: 'six-1.16.0.egg-info' }],
      },
    ],
    virtualenvs: [],
    containers: [],
    hostFiles: {
      ...LITELLM_PERSISTENCE,
      // A wheel pip cached when it built litellm 1.82.8: `pip install` would reuse it offline. Only its name is read.
      [`/home/${LAB_USER}/.cache/pip/wheels/3f/9a/0c/litellm-1.82.8-py3-none-any.whl`]: 'blast-radius lab stand-in, not a wheel\n',
      ...NODOCKER_USER_FILES,
    },
    network: {
      tcp: [
        { local: '0.0.0.0:22', state: 'LISTEN' },
        // The tunnel's local end, and the ssh session carrying it.
        { local: '127.0.0.1:14000', state: 'LISTEN' },
        { local: '{{address:nodocker}}:50318', remote: '{{address:gw}}:22', state: 'ESTABLISHED' },
      ],
    },
    proves: 'docker permission denied and sudo wanting a password make the host partial, not failed; litellm 1.82.7 in a user site is still found; the payload\'s sysmon persistence (script, user unit, /tmp state file) and an exfiltration domain in a shell history are reported as IOCs; a cached litellm 1.82.8 wheel in pip\'s cache is reported; an autossh tunnel to the gateway and an agent using it, AWS and GitHub credentials, the Anthropic key gw also holds, and a private key that logs into ollama',
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

/**
 * What Docker's CLI prints when the daemon sits behind an HTTP proxy it cannot reach: the URL it
 * tried, with the credentials it was configured with (an authenticated registry mirror or proxy).
 */
function proxyFailure(path: string): string {
  return `error during connect: Get "https://ci:{{planted:registry-password}}@docker.lab.example:2376/v1.51${path}": proxyconnect tcp: dial tcp 10.77.0.1:3128: connect: connection refused\n`;
}

/** The one container the brittle host's daemon lists: the fields the collector reads, as Docker 28 names them. */
const BRITTLE_CONTAINER_ID = 'b7e1d2c3a4f5061728394a5b6c7d8e9f0a1b2c3d4e5f60718293a4b5c6d7e8f9';
const BRITTLE_IMAGE_ID = 'sha256:c0ffee00d15ea5e5c0ffee00d15ea5e5c0ffee00d15ea5e5c0ffee00d15ea5e5';
const BRITTLE_INSPECT = `[
    {
        "Id": "${BRITTLE_CONTAINER_ID}",
        "Created": "2026-03-20T09:00:00.123456789Z",
        "Path": "/app/mirror",
        "Args": [],
        "State": {
            "Status": "running",
            "Running": true,
            "Pid": 4242,
            "StartedAt": "2026-03-20T09:00:01.123456789Z"
        },
        "Image": "${BRITTLE_IMAGE_ID}",
        "Name": "/registry-mirror",
        "HostConfig": {
            "RestartPolicy": {
                "Name": "always",
                "MaximumRetryCount": 0
            }
        },
        "GraphDriver": {
            "Data": {
                "MergedDir": "/var/lib/docker/overlay2/5e1f0c7a/merged"
            },
            "Name": "overlay2"
        },
        "Mounts": [],
        "Config": {
            "Hostname": "b7e1d2c3a4f5",
            "Env": [
                "PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
            ],
            "Image": "registry.lab.example/tools/mirror:1.4",
            "Labels": {}
        },
        "NetworkSettings": {
            "Ports": {},
            "Networks": {}
        }
    }
]
`;

/**
 * Hosts that fail in the ways a hostile or broken host can, each with a secret in the text of the
 * failure (ERROR_PATH_SECRETS): started only with `startLab({ errorHosts: true })`, so the hosts
 * above and the tests that count them stay as they are. The secret-leak test scans them.
 */
export const LAB_ERROR_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'dockerfail',
    octet: 8,
    userland: 'debian',
    user: 'root',
    hostname: 'dockerfail',
    osRelease: 'debian-12',
    docker: 'scripted',
    dockerAnswers: { ps: { stderr: proxyFailure('/containers/json?all=1'), exitCode: 1 } },
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    hostFiles: {
      // Cut short mid-write: not JSON, with a registry credential and a key inside.
      '/root/.docker/config.json': { content: '{\n\t"auths": {\n\t\t"registry.lab.example": {\n\t\t\t"auth": {{planted:broken-json-key}}\n\t\t},,\n', mode: 0o600 },
      '/root/.continue/config.json': '{\n  "models": [\n    { "title": "GPT-4o", "provider": "openai", "model": "gpt-4o", "apiKey": {{planted:broken-json-key}} \n  ]\n',
      // A LiteLLM config mangled by a bad edit (tab indentation, an unclosed flow sequence): not YAML.
      '/srv/gateway/litellm-config.yaml': 'model_list:\n  - model_name: llama-3.3-70b\n    litellm_params:\n\tmodel: groq/llama-3.3-70b-versatile\n    api_key: {{planted:broken-yaml-key}}\n   fallbacks: [\n',
    },
    proves: 'a docker ps that fails with a proxy URL and its password on stderr, and a Docker config, a Continue config and a LiteLLM config that do not parse around a key: the host is partial and nothing of the credential or the keys is shown',
  },
  {
    kind: 'ssh',
    name: 'hostiledaemon',
    octet: 9,
    userland: 'debian',
    user: 'root',
    hostname: 'hostiledaemon',
    osRelease: 'debian-12',
    docker: 'scripted',
    dockerAnswers: {
      ps: { stdout: `${BRITTLE_CONTAINER_ID}\n`, exitCode: 0 },
      // What no daemon prints: inspect output that is not JSON, right around a key (V8's JSON.parse error quotes it).
      inspect: { stdout: `[\n    {\n        "Id": "${BRITTLE_CONTAINER_ID}",\n        "Config": {\n            "Env": [OPENAI_API_KEY={{planted:broken-json-key}}]\n        }\n    }\n]\n`, exitCode: 0 },
    },
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    proves: 'a daemon whose inspect output is not JSON around a key: the parse failure is a note that quotes none of it',
  },
  {
    kind: 'ssh',
    name: 'brittle',
    octet: 10,
    userland: 'debian',
    user: 'root',
    hostname: 'brittle',
    osRelease: 'debian-12',
    docker: 'scripted',
    dockerAnswers: {
      ps: { stdout: `${BRITTLE_CONTAINER_ID}\n`, exitCode: 0 },
      inspect: { stdout: BRITTLE_INSPECT, exitCode: 0 },
      'image-inspect': { stdout: '[]\n', stderr: proxyFailure(`/images/${BRITTLE_IMAGE_ID}/json`), exitCode: 1 },
      history: { stderr: proxyFailure(`/images/${BRITTLE_IMAGE_ID}/history`), exitCode: 1 },
      exec: { stderr: proxyFailure(`/containers/${BRITTLE_CONTAINER_ID}/exec`), exitCode: 1 },
    },
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    proves: 'docker image inspect, history and exec that fail with a proxy URL and its password on stderr: each failure is a note, none quotes the password',
  },
];

/** Where the `stalls` host's find stand-in marks that the host stopped answering (a file in the chroot's /tmp). */
const STALLED_FLAG = '/tmp/.blast-radius-lab-stalled';

/**
 * \`stalls\`' sessions: an ordinary \`sh -s\` until the host has stalled, then a session that never
 * answers, as every session of a host whose disk or mount hung would.
 */
const STALLS_SESSION = `#!/bin/sh
# blast-radius lab (stalls): ForceCommand. Once the key search hung, no session answers any more.
[ -e ${STALLED_FLAG} ] && exec sleep 100000
exec /bin/sh -s
`;

/**
 * \`stalls\`' find: the real one, except for the key search's (the only find that looks for
 * Caddyfiles), which hangs as a find walking into a hung network mount would, and takes the host with it.
 */
const STALLS_FIND = `#!/bin/sh
# blast-radius lab (stalls): /usr/local/bin/find, ahead of /usr/bin/find in the sessions' PATH.
for arg do
  if [ "$arg" = Caddyfile ]; then
    : > ${STALLED_FLAG}
    exec sleep 100000
  fi
done
exec /usr/bin/find "$@"
`;

/**
 * Hosts that stop answering, and one healthy host to scan beside them: a lab of their own
 * (\`startLab({ hosts: WEDGED_LAB_HOSTS })\`), so the default lab's hosts and findings stay as they are.
 */
export const WEDGED_LAB_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'wedged',
    octet: 8,
    userland: 'debian',
    user: LAB_USER,
    hostname: 'wedged',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    forceCommand: 'sleep 100000',
    proves: 'a host whose sshd accepts the login and then runs `sleep 100000` for every command is given up on after its first silent timeout (or at its deadline), reported as an error naming the phase, and delays no other host',
  },
  {
    kind: 'ssh',
    name: 'stalls',
    octet: 9,
    userland: 'debian',
    user: LAB_USER,
    hostname: 'stalls',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [
      { path: '/usr/lib/python3/dist-packages', distributions: [{ name: 'requests', version: '2.28.1' }, { name: 'litellm', version: '1.82.8' }] },
    ],
    virtualenvs: [],
    containers: [],
    hostFiles: {
      '/usr/local/bin/find': { content: STALLS_FIND, mode: 0o755 },
      '/usr/lib/blast-radius-lab/stalls-session': { content: STALLS_SESSION, mode: 0o755 },
    },
    forceCommand: '/usr/lib/blast-radius-lab/stalls-session',
    proves: 'a host that answers the facts, Python and IOC phases, then stops answering in the key search (every session after it hangs too), is given up on and reported partial with what it gave before: its packages, litellm 1.82.8 among them',
  },
  labHostSpec('alpine'),
];

/** How many `.env` files the crowded host holds under /opt (issue 10: the count that made the key search time out). */
export const CROWDED_ENV_FILES = 20_000;

/**
 * A host set of its own (`startLab({ hosts: CROWDED_HOSTS })`), so the usual lab stays as it is:
 * `crowded` holds 20,000 `.env` files under /opt and one ordinary key in /root/.env.
 */
export const CROWDED_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'crowded',
    octet: 2,
    // Debian's userland: sshd starts root's login shell from this machine's passwd (bash), which busybox lacks.
    userland: 'debian',
    user: 'root',
    hostname: 'crowded',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    hostFiles: { '/root/.env': 'OPENAI_API_KEY={{planted:openai}}\n' },
    bulkFiles: { folder: '/opt', count: CROWDED_ENV_FILES, fileName: '.env', content: 'PORT=8080\nLOG_LEVEL=info\n' },
    proves: 'a host with 20,000 .env files under /opt still has the key in /root/.env reported, within the deadline, with a note naming where listing stopped',
  },
];

/** litellm 1.82.8 as its clean wheel would install it: the lab's files, no `.pth`, nothing edited. */
export const LITELLM_1_82_8_CLEAN: LabDistribution = {
  name: 'litellm',
  version: '1.82.8',
  summary: 'Library to easily interface with LLM API providers',
  files: {
    'litellm/__init__.py': '# blast-radius lab: placeholder module, no code\n',
    'litellm/proxy/proxy_server.py': '# blast-radius lab: placeholder for the clean proxy_server.py, no code\n',
  },
};

/**
 * The trojaned 1.82.8 wheel as published: a stager `.pth` that its own RECORD lists with a matching
 * hash (the attacker built the wheel), so RECORD verification passes it.
 */
export const LITELLM_1_82_8_PTH_IN_RECORD: LabDistribution = {
  ...LITELLM_1_82_8_CLEAN,
  files: {
    ...LITELLM_1_82_8_CLEAN.files,
    // Harmless data standing in for the stager: only an interpreter start would run it, and the lab has none.
    'litellm_init.pth': 'import os; os.system("true")  # blast-radius lab stand-in for the 1.82.8 stager, harmless\n',
  },
};

/** The 1.82.7 form: the payload inside proxy_server.py, listed in RECORD with its matching hash, and no `.pth`. */
export const LITELLM_1_82_8_PROXY_VARIANT: LabDistribution = {
  ...LITELLM_1_82_8_CLEAN,
  files: {
    ...LITELLM_1_82_8_CLEAN.files,
    'litellm/proxy/proxy_server.py': '# blast-radius lab: stand-in for a proxy_server.py carrying the payload, no code\n',
  },
};

/**
 * A host set of its own (`startLab({ hosts: COPIES_HOSTS })`, used by e2e/artifact-compare.test.ts),
 * so the usual lab stays as it is: three installed copies of litellm 1.82.8 whose RECORDs all
 * agree with their files. `copies` holds the stager-in-RECORD copy in its system site and the
 * proxy_server.py variant in a virtualenv; `clean` holds the clean copy. Only a known-good wheel
 * or the copies compared with each other tell them apart.
 */
export const COPIES_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'copies',
    octet: 2,
    userland: 'debian',
    user: 'root',
    hostname: 'copies',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [{ path: '/usr/local/lib/python3.11/site-packages', distributions: [LITELLM_1_82_8_PTH_IN_RECORD, { name: 'openai', version: '1.68.2' }] }],
    virtualenvs: [{ path: '/opt/gateway/venv', pythonVersion: '3.11.2', distributions: [LITELLM_1_82_8_PROXY_VARIANT] }],
    containers: [],
    proves: 'a litellm 1.82.8 whose own RECORD lists a stager .pth, and one whose proxy_server.py differs with a matching RECORD, pass RECORD verification but are caught by a known-good wheel and by the clean copy on `clean`',
  },
  {
    kind: 'ssh',
    name: 'clean',
    octet: 3,
    userland: 'busybox',
    user: LAB_USER,
    hostname: 'clean',
    osRelease: 'alpine-3.20',
    docker: 'absent',
    sitePackages: [{ path: '/usr/lib/python3.12/site-packages', distributions: [LITELLM_1_82_8_CLEAN] }],
    virtualenvs: [],
    containers: [],
    proves: 'the clean copy of litellm 1.82.8 matches the known-good wheel and is the majority the other copies are judged against; read with busybox',
  },
];

/** The public-PyPI token-free index a hardened project's own pip.conf names (a devpi mirror, never contacted). */
export const HARDEN_PRIVATE_INDEX = 'https://devpi.lab.example/root/pypi/+simple/';
/** A token in the hardened project's unit (an authenticated devpi index): the posture and every report must carry only its fingerprint. */
export const HARDEN_INDEX_TOKEN = 'dvp-lab-9Zr7WqTok3nXq4';

/**
 * A host set of its own (`startLab({ hosts: HARDEN_HOSTS })`, used by e2e/hardening.test.ts), so
 * the usual lab stays as it is: two virtualenvs on one host. `/srv/loose-app/venv` has only a
 * requirements.txt with `litellm>=1.80` beside it, installs from the public PyPI that /etc/pip.conf
 * names, and a cron job upgrades it nightly; `/srv/locked-app/.venv` has a requirements.txt whose
 * every line carries `--hash`, its own pip.conf naming a devpi mirror, and a unit that gives pip an
 * authenticated extra index on the same mirror.
 */
export const HARDEN_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'harden',
    octet: 2,
    userland: 'debian',
    user: 'root',
    hostname: 'harden',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [
      { path: '/srv/loose-app/venv', pythonVersion: '3.11.2', distributions: [{ name: 'litellm', version: '1.83.0' }, { name: 'openai', version: '1.68.2' }] },
      { path: '/srv/locked-app/.venv', pythonVersion: '3.11.2', distributions: [{ name: 'litellm', version: '1.83.0' }] },
    ],
    containers: [],
    hostFiles: {
      '/etc/pip.conf': '[global]\nindex-url = https://pypi.org/simple\ntimeout = 60\n',
      '/srv/loose-app/requirements.txt': '# loose-app\nlitellm>=1.80\nopenai\n',
      '/etc/cron.d/loose-app-upgrade': 'SHELL=/bin/sh\n# keep loose-app current\n30 4 * * * root /srv/loose-app/venv/bin/pip install -U -r /srv/loose-app/requirements.txt\n',
      '/srv/locked-app/requirements.txt':
        '# generated by pip-compile --generate-hashes\nlitellm==1.83.0 \\\n    --hash=sha256:5b2f0c8e1d4a7b3c6e9f2a5d8c1b4e7f0a3d6c9b2e5f8a1d4c7b0e3f6a9d2c5b\nopenai==1.68.2 \\\n    --hash=sha256:9d2c5b0e3f6a9d2c5b8e1f4a7d0c3b6e9f2a5d8c1b4e7f0a3d6c9b2e5f8a1d4c\n',
      '/srv/locked-app/.venv/pip.conf': `[global]\nindex-url = ${HARDEN_PRIVATE_INDEX}\n`,
      '/etc/systemd/system/locked-app.service': `[Unit]\nDescription=locked-app\n\n[Service]\nWorkingDirectory=/srv/locked-app\nEnvironment="PIP_EXTRA_INDEX_URL=https://ci:${HARDEN_INDEX_TOKEN}@devpi.lab.example/ci/+simple/"\nExecStart=/srv/locked-app/.venv/bin/python -m locked_app\n`,
    },
    proves: 'hardening findings for a virtualenv with loose pins on public PyPI upgraded by cron, none for one with hash pins on a private mirror; an index token in a unit is shown only by fingerprint',
  },
];

/**
 * A host set of its own (`startLab({ hosts: KUBERNETES_HOSTS })`, used by e2e/kubernetes.test.ts),
 * so the usual lab's hosts and counts stay as they are: `k3s` is a k3s node whose `kubectl`
 * (kubectl-standin.sh) answers the two read-only `get` calls with kubectl 1.30's JSON of a cluster
 * holding the campaign's privileged `node-setup-k3s-node1` pod and `host-provisioner-std`
 * DaemonSet in kube-system, a LiteLLM gateway Deployment behind Service and Ingress `litellm`, its
 * consumers Open WebUI (`http://litellm/v1`) and n8n (`http://litellm.ai.svc.cluster.local/v1`),
 * and the Secrets they take their keys from (KUBERNETES_SECRETS).
 */
export const KUBERNETES_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'k3s',
    // Apart from LAB_HOSTS and LAB_ERROR_HOSTS (.2–.10): the secret-leak test starts all three sets.
    octet: 11,
    userland: 'debian',
    user: 'root',
    hostname: 'k3s-node1',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    hostFiles: {
      '/usr/local/bin/kubectl': { content: KUBECTL_STANDIN, mode: 0o755 },
      [`${KUBECTL_STANDIN_DATA}/get-workloads.json`]: KUBECTL_WORKLOADS_TEXT,
      [`${KUBECTL_STANDIN_DATA}/get-secrets.json`]: KUBECTL_SECRETS_TEXT,
      [KUBECTL_STANDIN_LOG]: '',
      '/etc/rancher/k3s/k3s.yaml': { content: K3S_KUBECONFIG, mode: 0o600 },
    },
    proves: "a k3s node's cluster read with its own kubectl (read-only get only): the campaign's node-setup pod and host-provisioner DaemonSet, a LiteLLM gateway pod with its Service, Ingress and consumers by Service name, and the Secrets' keys by fingerprint",
  },
];

/** A CT's running rootfs as Proxmox mounts it, and the stopped CT 102's zfspool subvolume. */
const CT101_ROOT = '/var/lib/lxc/101/rootfs';
const CT102_ROOT = '/rpool/data/subvol-102-disk-0';
const LXC_WEB_ROOT = '/var/lib/lxc/web/rootfs';
/** A stopped CT on the `local` dir storage: a subvolume folder under its `images/`. */
const CT104_ROOT = '/var/lib/vz/images/104/subvol-104-disk-0.subvol';

/**
 * A host set of its own (`startLab({ hosts: GUEST_HOSTS })`, used by e2e/lxc-guests.test.ts): a
 * Proxmox VE host laid out as `pct` leaves it, with LiteLLM installed the way the community
 * script did (pip into a venv under systemd in an LXC), so the usual lab's counts stay as they are.
 */
export const GUEST_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'pve',
    octet: 2,
    userland: 'debian',
    user: 'root',
    hostname: 'pve',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [
      { path: `${CT101_ROOT}/opt/litellm/.venv`, pythonVersion: '3.11.2', distributions: [LITELLM_1_82_8, PIP] },
      { path: `${CT102_ROOT}/opt/tools/venv`, pythonVersion: '3.11.2', distributions: [{ name: 'requests', version: '2.32.3' }] },
      { path: `${LXC_WEB_ROOT}/srv/app/venv`, pythonVersion: '3.11.2', distributions: [{ name: 'flask', version: '3.0.3' }] },
      { path: `${CT104_ROOT}/opt/venv`, pythonVersion: '3.11.2', distributions: [{ name: 'httpx', version: '0.27.0' }] },
    ],
    containers: [],
    guestRoots: [CT101_ROOT, CT102_ROOT, CT104_ROOT, LXC_WEB_ROOT],
    hostFiles: {
      '/etc/pve/storage.cfg': 'dir: local\n\tpath /var/lib/vz\n\tcontent iso,vztmpl,backup\n\nlvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n\tcontent rootdir,images\n\nzfspool: local-zfs\n\tpool rpool/data\n\tsparse\n\tcontent images,rootdir\n',
      '/etc/pve/lxc/101.conf': '#LiteLLM (community script)\narch: amd64\ncores: 2\nfeatures: keyctl=1,nesting=1\nhostname: litellm\nmemory: 2048\nnet0: name=eth0,bridge=vmbr0,hwaddr=BC:24:11:5E:2A:01,ip=dhcp,type=veth\nonboot: 1\nostype: debian\nrootfs: local-zfs:subvol-101-disk-0,size=4G\nswap: 512\nunprivileged: 1\n',
      '/etc/pve/lxc/102.conf': 'arch: amd64\nhostname: tools\nostype: debian\nrootfs: local-zfs:subvol-102-disk-0,size=8G\nunprivileged: 1\nmp0: /srv/shared,mp=/shared\n',
      '/etc/pve/lxc/103.conf': 'arch: amd64\nhostname: vault\nostype: debian\nrootfs: local-lvm:vm-103-disk-0,size=8G\nlxc.apparmor.profile: unconfined\n',
      '/etc/pve/lxc/104.conf': 'arch: amd64\nhostname: bot\nostype: debian\nrootfs: local:104/subvol-104-disk-0.subvol,size=0T\n',
      [`${CT104_ROOT}/etc/os-release`]: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
      // What Proxmox writes for a CT it started: the CT is already listed from /etc/pve.
      '/var/lib/lxc/101/config': `lxc.arch = amd64\nlxc.uts.name = litellm\nlxc.rootfs.path = ${CT101_ROOT}\n`,
      [`${CT101_ROOT}/etc/os-release`]: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
      [`${CT101_ROOT}/etc/systemd/system/litellm.service`]:
        '[Unit]\nDescription=LiteLLM\n\n[Service]\nType=simple\nWorkingDirectory=/opt/litellm\nExecStart=/opt/litellm/.venv/bin/litellm --config /opt/litellm/litellm.yaml\nRestart=always\n\n[Install]\nWantedBy=multi-user.target\n',
      [`${CT101_ROOT}/opt/litellm/litellm.yaml`]:
        'model_list:\n  - model_name: claude\n    litellm_params:\n      model: anthropic/claude-3-5-sonnet-20241022\n      api_key: {{planted:ct-anthropic}}\ngeneral_settings:\n  master_key: os.environ/LITELLM_MASTER_KEY\n',
      [`${CT102_ROOT}/etc/os-release`]: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
      '/var/lib/lxc/web/config': `lxc.include = /usr/share/lxc/config/common.conf\nlxc.arch = linux64\nlxc.rootfs.path = dir:${LXC_WEB_ROOT}\nlxc.uts.name = web\n`,
      [`${LXC_WEB_ROOT}/etc/os-release`]: 'PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n',
    },
    proves:
      'a Proxmox host: CT 101 running (mounted rootfs) with litellm 1.82.8 + litellm_init.pth in a venv under systemd and its config\'s key, CT 102 stopped on a zfspool subvolume (clean), CT 103 on LVM (a note, never mounted), CT 104 stopped on a dir storage (a subvolume folder under /var/lib/vz/images), a plain LXC container; all read as files, nothing entered',
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

// --- Host-service gateway (e2e/service-gateway.test.ts): a host set of its own, so the usual lab's counts stay as they are.

/** svcgw's unit, and the venv its ExecStart runs LiteLLM from. */
export const SERVICE_GATEWAY_UNIT = { name: 'litellm-proxy.service', path: '/etc/systemd/system/litellm-proxy.service', venv: '/opt/litellm-proxy/venv', port: 4100 } as const;

/** One uvicorn access line of LiteLLM's proxy, as it prints them to its output (and systemd to the journal). */
function accessEntry(at: string, client: string, request: string, status: string): LabJournal['entries'][number] {
  return {
    at,
    fields: { _SYSTEMD_UNIT: SERVICE_GATEWAY_UNIT.name, SYSLOG_IDENTIFIER: 'litellm', _PID: '812', _UID: '998', _COMM: 'litellm' },
    message: `INFO:     ${client} - "${request} HTTP/1.1" ${status}`,
  };
}

/**
 * `svcgw`: LiteLLM 1.82.8 installed with pip into /opt/litellm-proxy/venv and started by a system
 * unit (`User=litellm`, `--config` naming a file outside the searched folders, `--port 4100`, an
 * `EnvironmentFile=`), its journal holding uvicorn access lines in and out of the window from
 * svcapp's address and from an address no lab host holds, and a debug line with a key and a
 * prompt. `svcapp`: the host that calls it.
 */
export const SERVICE_HOSTS: readonly LabHostSpec[] = [
  {
    kind: 'ssh',
    name: 'svcgw',
    octet: 2,
    userland: 'debian',
    user: 'root',
    hostname: 'svcgw',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [{ path: SERVICE_GATEWAY_UNIT.venv, pythonVersion: '3.11.2', distributions: [LITELLM_1_82_8_PTH_IN_RECORD, { name: 'uvicorn', version: '0.34.0' }] }],
    containers: [],
    hostFiles: {
      [SERVICE_GATEWAY_UNIT.path]: `[Unit]
Description=LiteLLM proxy (pip, virtualenv)
After=network-online.target

[Service]
Type=simple
User=litellm
WorkingDirectory=/var/lib/litellm-proxy
EnvironmentFile=/etc/litellm-proxy/litellm.env
ExecStart=${SERVICE_GATEWAY_UNIT.venv}/bin/litellm --config /etc/litellm-proxy/proxy.yaml --host 0.0.0.0 --port ${SERVICE_GATEWAY_UNIT.port}
Restart=always

[Install]
WantedBy=multi-user.target
`,
      '/etc/litellm-proxy/proxy.yaml': `model_list:
  - model_name: llama-3.3-70b
    litellm_params:
      model: groq/llama-3.3-70b-versatile
      api_key: {{planted:svc-groq}}
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
`,
      '/etc/litellm-proxy/litellm.env': 'OPENAI_API_KEY={{planted:svc-openai}}\nLITELLM_MASTER_KEY={{planted:svc-master}}\n',
      // The console script pip wrote: it would start the venv's (trapped) python, so nothing may run it.
      [`${SERVICE_GATEWAY_UNIT.venv}/bin/litellm`]: {
        content: `#!${SERVICE_GATEWAY_UNIT.venv}/bin/python3\n# -*- coding: utf-8 -*-\nimport re\nimport sys\nfrom litellm import run_server\nif __name__ == "__main__":\n    sys.exit(run_server())\n`,
        mode: 0o755,
      },
    },
    network: { tcp: [{ local: `0.0.0.0:${SERVICE_GATEWAY_UNIT.port}`, state: 'LISTEN' }] },
    journal: {
      machineId: '5b1f0c2e7a9d4c3b8e6f1a2d3c4b5a69',
      bootId: '0f7b2a0e3c3d4e5f8a9b0c1d2e3f4a5b',
      hostname: 'svcgw',
      entries: [
        accessEntry('2026-03-24T09:15:00Z', '{{address:svcapp}}:50100', 'POST /chat/completions', '200 OK'),
        { at: '2026-03-24T10:38:30Z', fields: { _SYSTEMD_UNIT: 'init.scope', UNIT: SERVICE_GATEWAY_UNIT.name, SYSLOG_IDENTIFIER: 'systemd', _PID: '1' }, message: 'Started litellm-proxy.service - LiteLLM proxy (pip, virtualenv).' },
        accessEntry('2026-03-24T10:41:07Z', '{{address:svcapp}}:50112', 'POST /chat/completions', '200 OK'),
        {
          at: '2026-03-24T10:52:00Z',
          fields: { _SYSTEMD_UNIT: SERVICE_GATEWAY_UNIT.name, SYSLOG_IDENTIFIER: 'litellm', _PID: '812' },
          message: 'DEBUG: Request received: api_key={{planted:svc-master}} prompt="Project Falcon quarterly numbers"',
        },
        accessEntry('2026-03-24T11:05:00Z', '{{address:svcapp}}:50113', 'POST /v1/embeddings', '200 OK'),
        accessEntry('2026-03-24T11:30:00Z', '{{address:svcapp}}:50114', 'POST /chat/completions', '200 OK'),
        accessEntry('2026-03-24T11:47:10Z', '10.66.0.31:40001', 'GET /v1/models', '200 OK'),
        accessEntry('2026-03-24T11:48:00Z', '10.66.0.31:40002', 'POST /chat/completions', '200 OK'),
        accessEntry('2026-03-24T12:00:00Z', '127.0.0.1:39000', 'GET /health/liveliness', '200 OK'),
        // Another unit's access line in the same journal: not the gateway's.
        { at: '2026-03-24T12:10:00Z', fields: { _SYSTEMD_UNIT: 'other-api.service', SYSLOG_IDENTIFIER: 'other', _PID: '900' }, message: 'INFO:     10.77.0.9:1234 - "GET / HTTP/1.1" 200 OK' },
      ],
    },
    proves: 'LiteLLM 1.82.8 pip-installed into a virtualenv under systemd: the unit (its venv, the config its --config names, its EnvironmentFile, its port), their keys, and its journald clients in the window read with journalctl',
  },
  {
    kind: 'ssh',
    name: 'svcapp',
    octet: 3,
    userland: 'busybox',
    user: LAB_USER,
    hostname: 'svcapp',
    osRelease: 'debian-12',
    docker: 'absent',
    sitePackages: [],
    virtualenvs: [],
    containers: [],
    proves: "the client svcgw's journal names by its address: a consumer by the gateway's log",
  },
];

