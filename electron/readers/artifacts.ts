/**
 * Raw material for the secret and topology readers: files and environments read off a host and
 * its containers. It may hold secrets in clear, so it lives in the main process only: nothing
 * here is put in a report, a case file, a log or an IPC message. `secrets/` and
 * `topology/` beside it turn it into the report's fingerprint-only fields.
 */

/** Why a file was read, which decides how it is parsed. */
export type ArtifactKind =
  /** `.env` files beside compose files, in app and home project folders, and compose `env_file`s. */
  | 'dotenv'
  /** A compose file (its `environment:` blocks and `image:` lines). */
  | 'compose'
  /** A systemd unit file (`Environment=`, `EnvironmentFile=`, `ExecStart=`). */
  | 'systemd-unit'
  /** An `EnvironmentFile=` named by a unit (dotenv syntax, read as systemd does). */
  | 'systemd-env-file'
  /** `.bashrc`, `.profile`, `.zshrc`, `/etc/profile.d/*`… (`export NAME=value`). */
  | 'shell-rc'
  /** A LiteLLM `config.yaml`. */
  | 'litellm-config'
  /** What a LiteLLM database stores (credentials, models, MCP servers), in config.yaml's shape; its path is the database's URL without credentials. */
  | 'litellm-database'
  /** Another AI app's config: Continue (`~/.continue/config.{json,yaml}`), aider (`.aider.conf.yml`), Open WebUI… */
  | 'app-config'
  /** `~/.docker/config.json`. */
  | 'docker-config'
  /** `~/.aws/credentials` and `~/.aws/config` (every profile). */
  | 'aws-credentials'
  /** `~/.aws/sso/cache/*.json`: IAM Identity Center tokens. */
  | 'aws-sso-cache'
  /** Google Cloud application-default credentials and service-account key files under `~/.config/gcloud/`. */
  | 'gcloud-credentials'
  /** Azure CLI's token cache and service-principal entries under `~/.azure/`. */
  | 'azure-credentials'
  /** A Kubernetes service-account token (`/var/run/secrets/kubernetes.io/serviceaccount/token`). */
  | 'kubernetes-token'
  /** `~/.git-credentials`. */
  | 'git-credentials'
  /** `~/.kube/config` and other kubeconfigs. */
  | 'kubeconfig'
  /** A Kubernetes Secret's keys (or one key a pod mounts as a file), decoded: `{"type":…,"data":{key:value}}` JSON. */
  | 'kubernetes-secret'
  /** A private key under `~/.ssh/` (or any file starting `-----BEGIN … PRIVATE KEY-----`). */
  | 'ssh-private-key'
  /** The `.pub` beside a private key. */
  | 'ssh-public-key'
  /** `~/.ssh/authorized_keys` (and `authorized_keys2`). */
  | 'authorized-keys'
  /** A user or system crontab (`/etc/crontab`, `/etc/cron.d/*`, `/var/spool/cron/…`). */
  | 'crontab'
  /** A script run-parts starts from `/etc/cron.hourly`, `cron.daily`, `cron.weekly` or `cron.monthly`, read when it upgrades Python packages. */
  | 'cron-script'
  /** A shell script that may start a tunnel (found by `autossh` or `ssh … -L`). */
  | 'script'
  /** A Caddyfile. */
  | 'caddyfile'
  /** An nginx config file (`/etc/nginx/**`). */
  | 'nginx-conf'
  /** `/proc/net/tcp` or `/proc/<pid>/net/tcp` (IPv4 sockets of a network namespace). */
  | 'proc-net-tcp'
  /** `/proc/net/tcp6` or `/proc/<pid>/net/tcp6`. */
  | 'proc-net-tcp6'
  /** `/proc/net/fib_trie`: the host's IPv4 addresses. */
  | 'proc-fib-trie'
  /** `/proc/net/if_inet6`: the host's IPv6 addresses. */
  | 'proc-if-inet6'
  /** A pip configuration file (`/etc/pip.conf`, `~/.config/pip/pip.conf`, `~/.pip/pip.conf`, a virtualenv's `pip.conf`). */
  | 'pip-config'
  /** A uv configuration file (`/etc/uv/uv.toml`, `~/.config/uv/uv.toml`). */
  | 'uv-config'
  /** A file at the top of a Python project folder that pins or configures what it installs: requirements files, lockfiles, `pyproject.toml`, `uv.toml`. */
  | 'python-project';

/** One file's text. */
export interface TextArtifact {
  kind: ArtifactKind;
  /** Container name, or null for the host. */
  container: string | null;
  /** Path as seen in its host or container. */
  path: string;
  /** The file's owner's login name when it sits under a home (`~user/…`), else null. */
  user: string | null;
  /** Its text, at most MAX_ARTIFACT_BYTES. May hold secrets: main process only. */
  text: string;
  /** True when the file was longer than what was read. */
  truncated: boolean;
}

/** A running container's environment (`docker inspect` Config.Env), values included. */
export interface EnvironmentArtifact {
  container: string;
  /** `[name, value]` pairs in the order inspect lists them. May hold secrets: main process only. */
  variables: [string, string][];
}

/** Everything the secret and topology readers get from one host. */
export interface HostArtifacts {
  files: TextArtifact[];
  environments: EnvironmentArtifact[];
}

/** Largest part of any one file that is read. */
export const MAX_ARTIFACT_BYTES = 256 * 1024;
