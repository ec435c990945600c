/**
 * The inventory and report model: what a scan learns about hosts, and what the findings say.
 * This is the report contract of docs/report-format.md (schemaVersion 1); change it only by
 * adding optional fields or new finding kinds.
 */

/** How far a host's scan got. Every status but `ok` carries an `error` message. */
export type HostStatus =
  | 'ok'
  | 'partial'
  | 'unreachable'
  | 'auth-failed'
  | 'host-key-mismatch'
  | 'host-key-unknown'
  | 'error';

/** Finding severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;
/** How bad a finding is. */
export type Severity = (typeof SEVERITIES)[number];

/** Facts read off a host without running anything it owns (uname, /etc/os-release). */
export interface HostFacts {
  hostname: string;
  os: string;
  kernel: string;
}

/** A container as `docker inspect` describes it. */
export interface Container {
  id: string;
  name: string;
  /** The image reference as deployed (Config.Image), e.g. `ghcr.io/berriai/litellm:main-latest`. */
  image: string;
  /** The image's content digest (`sha256:…`, from RepoDigests or the image id); null when unknown. */
  imageDigest: string | null;
  running: boolean;
  /** True when `image` names content (`repo@sha256:…` or an image id), so a re-pull cannot change it. */
  pinnedByDigest?: boolean;
  /** The image's RepoDigests (`repo@sha256:…`): what the registry served when it was pulled. */
  repoDigests?: string[];
  /** When the image was built (image inspect `Created`). */
  imageCreated?: string | null;
  /** When the container was created (inspect `Created`). */
  created?: string | null;
  /** When the container last started (State.StartedAt); null when it never did. */
  startedAt?: string | null;
  /** HostConfig.RestartPolicy.Name (`no`, `always`, `unless-stopped`, `on-failure`). */
  restartPolicy?: string | null;
  mounts?: ContainerMount[];
  networks?: ContainerNetwork[];
  /** Ports published on the host. */
  ports?: ContainerPort[];
  labels?: Record<string, string>;
  /** Names of the container's environment variables; their values are never read into the inventory. */
  envNames?: string[];
  /** The compose service the container belongs to, read from its compose labels and file. */
  compose?: ComposeService;
  /** Set when the container is an auto-updater (Watchtower, WUD, Diun, Ouroboros): the settings that decide what it watches. */
  autoUpdater?: AutoUpdaterConfig;
  /** Steps of the image's history that install Python packages (absent when the history was not read). */
  buildInstalls?: BuildInstallStep[];
}

/** A mount of a container, as inspect lists it. */
export interface ContainerMount {
  /** `bind`, `volume`, `tmpfs`… as the engine spells it. */
  type: string;
  /** Host path (or volume name when the engine gives no path). */
  source: string;
  destination: string;
  readOnly: boolean;
  /** Why the mount matters: the engine's API socket (or a folder holding it), the host's root, or a home folder. */
  risk?: 'engine-socket' | 'host-root' | 'home';
}

/** A network a container is attached to. */
export interface ContainerNetwork {
  name: string;
  ipAddress: string | null;
  ipv6Address: string | null;
  /** DNS names other containers reach it by (Aliases and DNSNames). */
  aliases: string[];
}

/** A container port published on the host. */
export interface ContainerPort {
  /** `4000/tcp`. */
  containerPort: string;
  /** Host address it listens on (`0.0.0.0`, `::`, `127.0.0.1`…). */
  hostIp: string;
  hostPort: string;
}

/** How a compose file declares a container's service. */
export interface ComposeService {
  project: string;
  service: string | null;
  workingDir: string | null;
  /** The files of `com.docker.compose.project.config_files`, in order. */
  configFiles: string[];
  /** The service's `image:` as written in the file (variables unexpanded); null when not found. */
  image: string | null;
  /** Whether that `image:` carries `@sha256:`; null when the file was not read. */
  imagePinnedByDigest: boolean | null;
  /** The service's `env_file` paths as written (their contents are never read). */
  envFiles: string[];
  /** Why the file could not be used, when it could not. */
  problem?: string;
}

/** The settings of an auto-updater container that decide what it watches (an allowlist: never secrets). */
export interface AutoUpdaterConfig {
  /** `watchtower`, `wud`, `diun` or `ouroboros`. */
  updater: string;
  /** Allowlisted configuration variables and their values (e.g. `WATCHTOWER_LABEL_ENABLE`). */
  settings: Record<string, string>;
  /** Its command-line flags and container-name arguments; values of other flags are dropped. */
  args: string[];
}

/** One image-history step that installs Python packages. */
export interface BuildInstallStep {
  /** The install command (at most 300 characters, URL credentials masked). */
  command: string;
  /** `pip`, `uv pip` or `poetry`. */
  tool: string;
  /** True when the install enforces hashes (`--require-hashes`) or uses no index. */
  hashPinned: boolean;
  /** Why it counts as pinned or not. */
  reason: string;
  /** When the layer was made, as the engine reports it. */
  createdAt: string | null;
}

/** One installed distribution, read from its METADATA or PKG-INFO. */
export interface PythonPackage {
  /** The name as its metadata spells it. */
  name: string;
  version: string;
  /** The `.dist-info` / `.egg-info` path it was read from. */
  metadataPath?: string;
  /** Its installed files compared with its RECORD; present only for distributions that were verified. */
  record?: RecordCheck;
}

/** How a distribution's installed files compare with the RECORD pip wrote when installing it. */
export interface RecordCheck {
  /** RECORD entries whose sha256 was compared with the file on disk. */
  checked: number;
  /** Modified, missing and unlisted files (the record-mismatch finding carries the same list). */
  problems: RecordFileProblem[];
  /** Scripts under bin/ that differ only where pip rewrites the `#!` line at install time; not problems. */
  shebangRewrites?: string[];
  /** True when part of the RECORD could not be compared (output cut, unreadable or unhashable files). */
  incomplete?: boolean;
}

/** One line of a `.pth` file that Python acts on (blank and `#` lines are left out). */
export interface PthLine {
  /** The line as read, truncated to PTH line bounds. */
  text: string;
  /** True when site.py executes it (it starts with `import ` or `import<TAB>`); otherwise it is a path entry. */
  executable: boolean;
}

/** A `.pth` file at the top of a site folder, read as data (never run). */
export interface PthFile {
  /** Path as seen inside its host or container. */
  path: string;
  /** sha256 of the whole file, hex; null when the host has neither sha256sum nor openssl. */
  sha256: string | null;
  /** Name of the distribution whose RECORD lists the file; null when none does. */
  owner: string | null;
  /** The lines Python acts on, from the first 64 KiB / 200 lines of the file. */
  lines: PthLine[];
  /** True when the file was longer than what was read. */
  truncated?: boolean;
}

/** A folder of installed distributions (a site-packages, dist-packages or virtualenv). */
export interface PythonEnvironment {
  /** Path of the site-packages folder, as seen inside its host or container. */
  path: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  packages: PythonPackage[];
  /** Every `.pth` file at the top of the folder (absent in reports made before the .pth audit). */
  pthFiles?: PthFile[];
}

/** Something that went wrong in one collector without failing the host (e.g. docker denied). */
export interface CollectorNote {
  collector: string;
  message: string;
}

/** Everything one host's scan produced. */
export interface HostInventory {
  /** The name the user knows the host by (ssh_config Host alias, or `This machine`). */
  name: string;
  /** Where it was reached: `user@host:port`, or `local`. */
  address: string;
  status: HostStatus;
  error?: string;
  facts: HostFacts | null;
  containers: Container[];
  pythonEnvironments: PythonEnvironment[];
  /** What the collectors noted: blind spots that made the status `partial`, and harmless remarks. */
  notes?: CollectorNote[];
  /** Where indicator-of-compromise rules matched, on the host and in its running containers (absent when the IOC search did not run). */
  iocHits?: IocHit[];
  /**
   * Wheels, sdists and unpacked wheels named in the pip and uv caches of /root and /home/*, on the
   * host and inside running containers (`container` names the container; absent or null on the
   * host). Absent when the caches were not listed.
   */
  cachedArtifacts?: { path: string; package: string; version: string; container?: string | null }[];
  /** Secrets seen on the host and in its containers, by fingerprint only (absent when secrets were not searched). */
  secrets?: SecretSighting[];
  /** Public keys allowed to log in, from every user's `authorized_keys`. */
  authorizedKeys?: AuthorizedKey[];
  /** The host's own IP addresses (from /proc/net/fib_trie and /proc/net/if_inet6), so URLs and peers naming them resolve to it. */
  addresses?: string[];
  /** URLs in environment variables and config files: where services on this host send requests. */
  endpointReferences?: EndpointReference[];
  /** SSH port forwards (`ssh -L`, autossh) in systemd units, crontabs and scripts. */
  tunnels?: SshTunnel[];
  /** Reverse-proxy routes (Traefik labels, Caddyfile, nginx `proxy_pass`). */
  proxyRoutes?: ProxyRoute[];
  /** Established TCP connections and listening sockets read from /proc/net/tcp and tcp6 (host and container namespaces). */
  connections?: TcpConnection[];
  /** AI gateway configurations read as files (LiteLLM `config.yaml` and others). */
  gatewayConfigs?: GatewayConfig[];
  /** Requests each gateway container logged over the compromise window, per client (absent when no gateway's logs were read). */
  gatewayTraffic?: GatewayTraffic[];
}

/**
 * What one gateway container's own access log (read from the engine's log store) says about who
 * sent it requests. Only counts, paths and statuses are kept: never query strings, headers,
 * bodies or any other log line.
 */
export interface GatewayTraffic {
  /** The gateway's container name. */
  container: string;
  /** The interval the logs were read over (`--since` / `--until`), ISO 8601 UTC. */
  window: { start: string; end: string };
  /** One entry per client address, most requests first. */
  clients: GatewayClientTraffic[];
  /** True when only the newest part of the log was read (output capped) or clients were left out. */
  truncated?: boolean;
}

/** One client address's requests to a gateway. */
export interface GatewayClientTraffic {
  /** The client's IP address as the gateway saw it (no port). */
  address: string;
  requests: number;
  /** First and last request seen, ISO 8601 UTC. */
  first: string;
  last: string;
  /** Requests per hour (`2026-03-24T11:00:00Z`), only hours with requests, in time order. */
  hours: { hour: string; requests: number }[];
  /** Distinct request paths (path only; long token-like segments replaced by `{id}`). */
  paths: string[];
  /** Responses by HTTP status, most frequent first. */
  statuses: { status: number; requests: number }[];
}

/**
 * A secret's identity, never its value: `<provider>:<first 12 hex of sha256>:<last 4 characters>`
 * for API keys and passwords, `ssh:SHA256:<base64>` (OpenSSH's public-key fingerprint) for SSH keys.
 */
export type SecretFingerprint = string;

/** Where on a host a secret was read from. */
export type SecretSource =
  | 'container-env'
  | 'compose'
  | 'env-file'
  | 'systemd'
  | 'shell-rc'
  | 'app-config'
  | 'credentials-file'
  | 'ssh-key';

/** One place a secret was seen; the value stayed in the main process. */
export interface SecretSighting {
  fingerprint: SecretFingerprint;
  /** `openai`, `anthropic`, `google`, `huggingface`, `groq`, `openrouter`, `xai`, `aws`, `github`, `litellm`, `database`, `ssh`, `mistral`… or `unknown`. */
  provider: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  source: SecretSource;
  /** The file it was read from, as seen in its host or container (absent for a container's environment). */
  path?: string;
  /** The variable or config key that holds it (e.g. `OPENAI_API_KEY`, `model_list[gpt-4o].litellm_params.api_key`). */
  variable?: string;
}

/** A public key in an `authorized_keys` file: whoever holds its private half logs in as `user`. */
export interface AuthorizedKey {
  user: string;
  path: string;
  /** OpenSSH fingerprint of the key, `SHA256:<base64>` (matches an `ssh` SecretFingerprint without its `ssh:` prefix). */
  fingerprint: string;
  /** `ssh-ed25519`, `ssh-rsa`… */
  keyType: string;
  /** The key's comment, when the line has one. */
  comment?: string;
}

/** A URL a service is configured to send requests to. */
export interface EndpointReference {
  /** Container name, or null for the host. */
  container: string | null;
  /** The systemd unit, when the reference comes from one. */
  unit?: string;
  /** `container-env`, `env-file`, `compose`, `systemd`, `app-config`… */
  source: SecretSource;
  path?: string;
  variable?: string;
  /** The URL with any user and password removed. */
  url: string;
  /** Host part of the URL (a name or an address). */
  targetHost: string;
  targetPort: number;
}

/** An SSH local forward: connections to `localPort` on this host reach `remoteHost:remotePort` from `sshDestination`. */
export interface SshTunnel {
  /** `systemd`, `cron` or `script`. */
  source: 'systemd' | 'cron' | 'script';
  path: string;
  unit?: string;
  /** The address the forward listens on (`127.0.0.1` unless the command says otherwise). */
  localAddress: string;
  localPort: number;
  remoteHost: string;
  remotePort: number;
  /** The ssh destination (`user@host` or an ssh_config alias). */
  sshDestination: string;
  /** The command line, at most 300 characters. */
  command: string;
}

/** A reverse-proxy route: requests for `match` are forwarded to `upstreamHost:upstreamPort`. */
export interface ProxyRoute {
  proxy: 'traefik' | 'caddy' | 'nginx';
  /** Container whose labels declare it (Traefik), or null when read from a file. */
  container: string | null;
  path?: string;
  /** The site, rule or `server_name` + location it serves. */
  match: string;
  upstreamHost: string;
  upstreamPort: number;
}

/** One TCP socket from /proc/net/tcp(6). */
export interface TcpConnection {
  /** Container whose network namespace it was read from, or null for the host's. */
  container: string | null;
  localAddress: string;
  localPort: number;
  remoteAddress: string;
  remotePort: number;
  /** `ESTABLISHED`, `LISTEN`, `TIME_WAIT`… */
  state: string;
}

/** A gateway's configuration, read as a file. */
export interface GatewayConfig {
  /** `litellm` (others as they are recognised). */
  gateway: string;
  /** Container it configures, or null for a host service. */
  container: string | null;
  path: string;
  /** Its routes: one per model entry. */
  models: GatewayModelRoute[];
  /** Virtual keys and the models each may use (empty: every model), when the config or database lists them. */
  virtualKeys?: {
    fingerprint: SecretFingerprint;
    alias?: string;
    models: string[];
    /** Set when LiteLLM has the key blocked (an admin can unblock it: it is still a key to rotate). */
    blocked?: boolean;
    /** When the key expires, as the database wrote it (ISO 8601). */
    expires?: string;
  }[];
}

/** One model a gateway routes, and where it sends it. */
export interface GatewayModelRoute {
  /** The name clients ask for (`model_name`). */
  name: string;
  /** The provider it calls: the `provider/` prefix of the model, or `openai` for an OpenAI-compatible `api_base`. */
  provider: string;
  /** The backend URL (`api_base`), when set. */
  apiBase?: string;
  /** Fingerprint of the key it uses, inline or resolved from `os.environ/NAME`. */
  keyFingerprint?: SecretFingerprint;
  /** The environment variable named by `os.environ/NAME`, when the key is a reference. */
  keyVariable?: string;
}

/** How an IOC rule looks: a file, a systemd unit, a file's sha256, a fixed string in logs, or a domain/address. */
export type IocRuleKind = 'file' | 'systemd-unit' | 'file-hash' | 'log-string' | 'domain';

/** One place where an IOC rule matched; the rule itself (title, severity, source) lives in the rules file. */
export interface IocHit {
  /** Id of the rule that matched (shared/domain/iocs/rules.json or an extra rules folder). */
  ruleId: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  /** The file that matched, as seen inside its host or container. */
  path?: string;
  /** The unit name, for a systemd-unit rule. */
  unit?: string;
  /** What matched: the first matching line (at most 200 characters), `sha256:<hex>`, or what is present there. */
  matched: string;
}

/** Every kind of finding; consumers must ignore kinds they do not know. */
export const FINDING_KINDS = [
  'compromised-package',
  'executable-pth',
  'record-mismatch',
  'ioc',
  'mutable-image-tag',
  'auto-updater',
  'build-time-install',
  'docker-socket-mount',
  'cached-compromised-artifact',
  'secret',
  'gateway',
  'consumer',
  'ssh-lateral',
] as const;
/** The kind of a finding. */
export type FindingKind = (typeof FINDING_KINDS)[number];

/** What every finding has, whatever its kind: enough to sort, filter and fail a CI run on it. */
export interface FindingBase {
  /** Stable id: the same finding on a re-scan has the same id. */
  id: string;
  kind: FindingKind;
  severity: Severity;
  title: string;
  host: string;
  /** Container name, or null for the host itself. */
  container: string | null;
  /** Human-readable facts that led to the finding. */
  evidence: string[];
}

/** Whether a place was exposed to a compromise: `not-exposed` needs positive evidence. */
export type Verdict = 'exposed' | 'likely-exposed' | 'unknown' | 'not-exposed';

/** An installed distribution that an advisory covers. */
export interface CompromisedPackageFinding extends FindingBase {
  kind: 'compromised-package';
  package: string;
  version: string;
  /** Path of the Python environment the package sits in. */
  path: string;
  /** Advisory ids, primary first, aliases merged (e.g. MAL-2026-2144, PYSEC-2026-2). */
  advisories: string[];
  /** Exposure verdict for this place (absent in reports from before verdicts existed). */
  verdict?: Verdict;
  /** Why the verdict is what it is, one reason a line. */
  reasons?: string[];
}

/** A `.pth` file with a line Python executes at every start. */
export interface ExecutablePthFinding extends FindingBase {
  kind: 'executable-pth';
  path: string;
  sha256: string;
  /** The distribution whose RECORD lists the file, or null when none does. */
  package: string | null;
}

/** One file of a distribution that does not match its RECORD. */
export interface RecordFileProblem {
  path: string;
  problem: 'modified' | 'missing' | 'unlisted';
}

/** A distribution whose files differ from what its RECORD says was installed. */
export interface RecordMismatchFinding extends FindingBase {
  kind: 'record-mismatch';
  package: string;
  version: string;
  /** Path of the Python environment. */
  path: string;
  files: RecordFileProblem[];
}

/** An indicator of compromise from the rules file matched. */
export interface IocFinding extends FindingBase {
  kind: 'ioc';
  rule: string;
  path?: string;
  unit?: string;
  /** Where the rule comes from (advisory or write-up). */
  source: string;
  /** The matching rule's kind (absent when the rule was not known to the report builder). */
  ruleKind?: IocRuleKind;
  /** The compromise the rule belongs to, e.g. `litellm-2026-03`. */
  compromise?: string;
}

/** A container deployed from a mutable tag rather than a digest. */
export interface MutableImageTagFinding extends FindingBase {
  kind: 'mutable-image-tag';
  image: string;
}

/** An auto-updater that can pull new images unattended. */
export interface AutoUpdaterFinding extends FindingBase {
  kind: 'auto-updater';
  updater: string;
  /** Container names it watches. */
  watches: string[];
}

/** An image whose history installs Python packages from a live index. */
export interface BuildTimeInstallFinding extends FindingBase {
  kind: 'build-time-install';
  image: string;
  command: string;
}

/** A container that mounts the Docker socket (and so controls the host). */
export interface DockerSocketMountFinding extends FindingBase {
  kind: 'docker-socket-mount';
}

/** A compromised wheel or sdist in a pip/uv cache, which would reinstall silently. */
export interface CachedCompromisedArtifactFinding extends FindingBase {
  kind: 'cached-compromised-artifact';
  path: string;
  package: string;
  version: string;
}

/** One place a secret lives, as a finding lists it. */
export interface SecretLocation {
  host: string;
  container: string | null;
  source: SecretSource;
  path?: string;
  variable?: string;
}

/** A secret (by fingerprint) and every place it was seen; `host`/`container` name the first place. */
export interface SecretFinding extends FindingBase {
  kind: 'secret';
  provider: string;
  fingerprint: SecretFingerprint;
  locations: SecretLocation[];
}

/** An AI gateway (LiteLLM…) and what it routes to. */
export interface GatewayFinding extends FindingBase {
  kind: 'gateway';
  /** `litellm`, `ollama`, `vllm`… */
  gateway: string;
  /** The host service (systemd unit) when the gateway is not a container. */
  service?: string;
  /** Where clients reach it: `name:port` on its networks, `address:port` published on the host. */
  endpoints: string[];
  /** Where it sends requests: backend URLs and provider names. */
  backends: string[];
}

/** A container, host service or tunnel that sends requests to a gateway. */
export interface ConsumerFinding extends FindingBase {
  kind: 'consumer';
  /** The consumer: a container, unit or host name. */
  consumer: string;
  consumerHost: string;
  /** The gateway's container or service name. */
  gateway: string;
  gatewayHost: string;
  /** How it reaches the gateway. */
  via: 'shared-network' | 'host-port' | 'ssh-tunnel' | 'proxy-route' | 'live-connection' | 'gateway-log';
}

/** A private SSH key on one host whose public half may log into another host. */
export interface SshLateralFinding extends FindingBase {
  kind: 'ssh-lateral';
  fromHost: string;
  toHost: string;
  /** `ssh:SHA256:…`. */
  keyFingerprint: SecretFingerprint;
  /** The account it logs into on `toHost`. */
  toUser: string;
}

/** One thing the user must act on, with the evidence that led to it. */
export type Finding =
  | CompromisedPackageFinding
  | ExecutablePthFinding
  | RecordMismatchFinding
  | IocFinding
  | MutableImageTagFinding
  | AutoUpdaterFinding
  | BuildTimeInstallFinding
  | DockerSocketMountFinding
  | CachedCompromisedArtifactFinding
  | SecretFinding
  | GatewayFinding
  | ConsumerFinding
  | SshLateralFinding;

/** Narrows a finding to its kind. */
export function isFindingOfKind<K extends FindingKind>(finding: Finding, kind: K): finding is Extract<Finding, { kind: K }> {
  return finding.kind === kind;
}

/** The document a scan produces: `blast-radius scan --json`, case files and the UI all use it. */
export interface ScanReport {
  schemaVersion: 1;
  scannedAt: string;
  hosts: HostInventory[];
  findings: Finding[];
  /** Every place holding a package an advisory covers, with its exposure verdict (affected or not). */
  exposures?: ExposureVerdict[];
}

/** A place (host or container Python environment) × an advisory, judged for exposure. */
export interface ExposureVerdict {
  host: string;
  container: string | null;
  /** Path of the Python environment. */
  path: string;
  package: string;
  installedVersion: string;
  /** The advisory's ids, primary first. */
  advisories: string[];
  verdict: Verdict;
  /** The facts behind the verdict, deciding fact first. */
  reasons: string[];
  /** The compromise window used, when one is known. */
  window: { id: string; start: string; end: string } | null;
}

/** Compares severities: negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** True when `severity` is at least as severe as `threshold`. */
export function reachesSeverity(severity: Severity, threshold: Severity): boolean {
  return compareSeverity(severity, threshold) <= 0;
}
