/**
 * The inventory half of the report model: what a scan learns about each host. Each schema's `id`
 * names its definition in docs/report.schema.json; descriptions land there too.
 */
import { z } from 'zod';
import { openSet } from './open-set.js';

// Integers in the report (ports, counts) are whole numbers; the schema says so.
const integer = () => z.number().int();

/** Every HostStatus; a host that is not `ok` carries an `error`. */
export const HOST_STATUSES = ['ok', 'partial', 'unreachable', 'auth-failed', 'host-key-mismatch', 'host-key-unknown', 'error'] as const;

/** The schema of a HostStatus (a closed set in version 1). */
export const hostStatusSchema = z.enum(HOST_STATUSES).meta({
  id: 'HostStatus',
  description:
    "How far a host's scan got. `ok` and `partial` hosts were read; the others were not (their inventory is empty). Every status but `ok` carries an `error` message.",
});
/** How far a host's scan got. Every status but `ok` carries an `error` message. */
export type HostStatus = z.infer<typeof hostStatusSchema>;

/** The schema of HostFacts. */
export const hostFactsSchema = z
  .object({
    hostname: z.string(),
    os: z.string().describe('PRETTY_NAME of /etc/os-release, else its NAME and VERSION, else uname -s.'),
    kernel: z.string(),
  })
  .meta({ id: 'HostFacts', description: 'Facts read off a host without running anything it owns (uname, /etc/os-release).' });
/** Facts read off a host without running anything it owns (uname, /etc/os-release). */
export type HostFacts = z.infer<typeof hostFactsSchema>;

/** Every risk a ContainerMount names (an open set). */
export const mountRiskSchema = openSet(['engine-socket', 'host-root', 'home']);

/** The schema of a ContainerMount. */
export const containerMountSchema = z
  .object({
    type: z.string().describe('`bind`, `volume`, `tmpfs`… as the engine spells it.'),
    source: z.string().describe('Host path (or volume name when the engine gives no path).'),
    destination: z.string(),
    readOnly: z.boolean(),
    risk: mountRiskSchema
      .optional()
      .describe(
        "Why the mount matters: `engine-socket` (the engine's API socket, or a folder holding it), `host-root` (the host's root) or `home` (a home folder). Later versions may add values.",
      ),
  })
  .meta({ id: 'ContainerMount', description: 'A mount of a container, as inspect lists it.' });
/** A mount of a container, as inspect lists it. */
export type ContainerMount = z.infer<typeof containerMountSchema>;

/** The schema of a ContainerNetwork. */
export const containerNetworkSchema = z
  .object({
    name: z.string(),
    ipAddress: z.string().nullable(),
    ipv6Address: z.string().nullable(),
    aliases: z.array(z.string()).describe('DNS names other containers reach it by (Aliases and DNSNames).'),
  })
  .meta({ id: 'ContainerNetwork', description: 'A network a container is attached to.' });
/** A network a container is attached to. */
export type ContainerNetwork = z.infer<typeof containerNetworkSchema>;

/** The schema of a ContainerPort. */
export const containerPortSchema = z
  .object({
    containerPort: z.string().describe('Port and protocol inside the container, e.g. `4000/tcp`.'),
    hostIp: z.string().describe('Host address it listens on (`0.0.0.0`, `::`, `127.0.0.1`…).'),
    hostPort: z.string(),
  })
  .meta({ id: 'ContainerPort', description: 'A container port published on the host.' });
/** A container port published on the host. */
export type ContainerPort = z.infer<typeof containerPortSchema>;

/** The schema of a ComposeService. */
export const composeServiceSchema = z
  .object({
    project: z.string(),
    service: z.string().nullable(),
    workingDir: z.string().nullable(),
    configFiles: z.array(z.string()).describe('The files of `com.docker.compose.project.config_files`, in order.'),
    image: z.string().nullable().describe("The service's `image:` as written in the file (variables unexpanded); null when not found."),
    imagePinnedByDigest: z.boolean().nullable().describe('Whether that `image:` carries `@sha256:`; null when the file was not read.'),
    envFiles: z.array(z.string()).describe("The service's `env_file` paths as written (their contents are never read)."),
    problem: z.string().optional().describe('Why the file could not be used, when it could not.'),
  })
  .meta({ id: 'ComposeService', description: "How a compose file declares a container's service." });
/** How a compose file declares a container's service. */
export type ComposeService = z.infer<typeof composeServiceSchema>;

/** The schema of an AutoUpdaterConfig. */
export const autoUpdaterConfigSchema = z
  .object({
    updater: z.string().describe('`watchtower`, `wud`, `diun` or `ouroboros`.'),
    settings: z
      .record(z.string(), z.string())
      .describe('Allowlisted configuration variables and their values (e.g. `WATCHTOWER_LABEL_ENABLE`), name to string; never secrets.'),
    args: z.array(z.string()).describe('Its command-line flags and container-name arguments; values of other flags are dropped.'),
  })
  .meta({
    id: 'AutoUpdaterConfig',
    description: 'The settings of an auto-updater container that decide what it watches (an allowlist: never secrets).',
  });
/** The settings of an auto-updater container that decide what it watches (an allowlist: never secrets). */
export type AutoUpdaterConfig = z.infer<typeof autoUpdaterConfigSchema>;

/** The schema of a BuildInstallStep. */
export const buildInstallStepSchema = z
  .object({
    command: z.string().describe('The install command (at most 300 characters, URL credentials masked).'),
    tool: z.string().describe('`pip`, `uv pip` or `poetry`.'),
    hashPinned: z.boolean().describe('True when the install enforces hashes (`--require-hashes`) or uses no index.'),
    reason: z.string().describe('Why it counts as pinned or not.'),
    createdAt: z.string().nullable().describe('When the layer was made, as the engine reports it.'),
  })
  .meta({ id: 'BuildInstallStep', description: 'One image-history step that installs Python packages.' });
/** One image-history step that installs Python packages. */
export type BuildInstallStep = z.infer<typeof buildInstallStepSchema>;

/** How a container's files were read (an open set: later versions may add ways). */
export const containerReadViaSchema = openSet(['proc-root', 'layers', 'exec', 'merged-dir', 'guest-root']);

/** Which system keeps a system container (an open set: later versions may add platforms). */
export const guestPlatformSchema = openSet(['proxmox', 'lxc', 'incus', 'lxd']);

/** The schema of a Guest: what a system container's own config says of it. */
export const guestSchema = z
  .object({
    platform: guestPlatformSchema.describe('`proxmox` (a Proxmox VE CT, `/etc/pve/lxc/<vmid>.conf`), `lxc` (plain LXC, `/var/lib/lxc/<name>/config`), `incus` or `lxd`.'),
    id: z.string().describe("The CT's vmid (Proxmox) or its name (LXC, Incus, LXD)."),
    hostname: z.string().nullable().describe('The hostname its config gives (`hostname:`, `lxc.uts.name`); null when none.'),
    node: z.string().optional().describe('The Proxmox cluster node whose folder holds its config.'),
    rootfs: z.string().nullable().describe('Its root file system as the config writes it (`<storage>:<volume>`, `dir:/path`…); null when none.'),
    rootPath: z.string().nullable().describe('The folder on the host its files were read from; null when none could be (a block device or image, a config on another node).'),
    unprivileged: z.boolean().optional().describe('`unprivileged: 1` in a Proxmox config; absent when the config does not say.'),
    mountPoints: z
      .array(z.object({ key: z.string(), volume: z.string(), path: z.string().nullable() }))
      .optional()
      .describe('Its `mpN:` mount points: the key, the volume or host folder, and where it is mounted inside.'),
    lxcKeys: z.array(z.string()).optional().describe('The raw `lxc.*` keys its Proxmox config sets (names only: `lxc.apparmor.profile`, `lxc.mount.entry`…).'),
    gatewayUnits: z
      .array(z.string())
      .optional()
      .describe("The guest's own systemd units (`/etc/systemd/system/*.service`) whose ExecStart runs a gateway (`litellm`): where its `--config` was found."),
  })
  .meta({ id: 'Guest', description: 'A system container (Proxmox CT, LXC, Incus or LXD) as its own config describes it.' });
/** A system container (Proxmox CT, LXC, Incus or LXD) as its own config describes it. */
export type Guest = z.infer<typeof guestSchema>;

/** The schema of a KubernetesPlace. */
export const kubernetesPlaceSchema = z
  .object({
    namespace: z.string(),
    pod: z.string(),
    container: z.string().describe("The container's name inside its pod."),
    node: z.string().nullable().describe('The node the pod is scheduled on (`spec.nodeName`).'),
    owner: z
      .object({ kind: z.string(), name: z.string() })
      .nullable()
      .describe('The controller that made the pod (`ReplicaSet`, `DaemonSet`, `StatefulSet`, `Job`…), or null for a bare pod.'),
    privileged: z.boolean().describe('`securityContext.privileged`: the container holds every capability of the node.'),
    hostPID: z.boolean(),
    hostNetwork: z.boolean(),
    serviceAccount: z.string().nullable(),
    services: z
      .array(z.object({ name: z.string(), port: integer(), targetPort: integer() }))
      .describe("Services (in the pod's namespace) whose selector matches the pod, with each service port and the container port it forwards to."),
  })
  .meta({
    id: 'KubernetesPlace',
    description:
      "Where a Kubernetes container runs: its namespace, pod and node, and how much of the node it holds. Read with `kubectl get -o json`, never `exec`.",
  });
/** Where a Kubernetes container runs: its namespace, pod and node, and how much of the node it holds. */
export type KubernetesPlace = z.infer<typeof kubernetesPlaceSchema>;

/** The schema of a Container. */
export const containerSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    image: z.string().describe('The image reference as deployed (Config.Image), e.g. `ghcr.io/berriai/litellm:main-latest`.'),
    imageDigest: z.string().nullable().describe("The image's content digest (`sha256:…`, from RepoDigests or the image id); null when unknown."),
    running: z.boolean(),
    pinnedByDigest: z
      .boolean()
      .optional()
      .describe('True when `image` names content (`repo@sha256:…` or an image id), so a re-pull cannot change it.'),
    repoDigests: z
      .array(z.string())
      .optional()
      .describe("The image's RepoDigests (`repo@sha256:…`): what the registry served when it was pulled."),
    imageCreated: z.string().nullable().optional().describe('When the image was built (image inspect `Created`).'),
    created: z.string().nullable().optional().describe('When the container was created (inspect `Created`).'),
    startedAt: z.string().nullable().optional().describe('When the container last started (State.StartedAt); null when it never did.'),
    restartPolicy: z
      .string()
      .nullable()
      .optional()
      .describe('HostConfig.RestartPolicy.Name (`no`, `always`, `unless-stopped`, `on-failure`).'),
    mounts: z.array(containerMountSchema).optional(),
    networks: z.array(containerNetworkSchema).optional(),
    ports: z.array(containerPortSchema).optional().describe('Ports published on the host.'),
    labels: z.record(z.string(), z.string()).optional().describe("The container's labels, name to value (every value a string)."),
    envNames: z
      .array(z.string())
      .optional()
      .describe("Names of the container's environment variables; their values are never read into the inventory."),
    compose: composeServiceSchema.optional().describe('The compose service the container belongs to, read from its compose labels and file.'),
    autoUpdater: autoUpdaterConfigSchema
      .optional()
      .describe('Set when the container is an auto-updater (Watchtower, WUD, Diun, Ouroboros): the settings that decide what it watches.'),
    buildInstalls: z
      .array(buildInstallStepSchema)
      .optional()
      .describe("Steps of the image's history that install Python packages (absent when the history was not read)."),
    kubernetes: kubernetesPlaceSchema
      .optional()
      .describe(
        "Set for a container of a Kubernetes pod (read from the cluster's API with the host's kubectl): its name is `<namespace>/<pod>/<container>`, its one network `kubernetes:<namespace>` carries the pod's address, and other places reach it by its Services' names (`services`).",
      ),
    readVia: containerReadViaSchema
      .optional()
      .describe(
        "How the scan read the container's files: `proc-root` (a running container's process root, /proc/PID/root, from the host), `layers` (a stopped container's overlay layers from the host, never started), `exec` (`docker exec` into it), `merged-dir` (its mounted MergedDir from the host), `guest-root` (a system container's root folder from the host: a running CT's mounted rootfs, a stopped one's storage folder); absent when they were not read.",
      ),
    guest: guestSchema
      .optional()
      .describe('Set for a system container (Proxmox CT, LXC, Incus, LXD): it has no image (`image` is empty), and this says what its config does.'),
  })
  .meta({ id: 'Container', description: 'A container as `docker inspect` describes it.' });
/** A container as `docker inspect` describes it. */
export type Container = z.infer<typeof containerSchema>;

/** Every problem a RecordFileProblem names (a closed set in version 1). */
export const RECORD_FILE_PROBLEMS = ['modified', 'missing', 'unlisted'] as const;

/** The schema of a RecordFileProblem. */
export const recordFileProblemSchema = z
  .object({
    path: z.string().describe("The file's path as RECORD writes it: relative to the environment path."),
    problem: z
      .enum(RECORD_FILE_PROBLEMS)
      .describe(
        "`modified`: its hash differs from RECORD; `missing`: RECORD lists it but it is gone; `unlisted`: it sits in the distribution's folders but RECORD does not list it.",
      ),
  })
  .meta({ id: 'RecordFileProblem', description: 'One file of a distribution that does not match its RECORD.' });
/** One file of a distribution that does not match its RECORD. */
export type RecordFileProblem = z.infer<typeof recordFileProblemSchema>;

/** The schema of a RecordCheck. */
export const recordCheckSchema = z
  .object({
    checked: integer().describe('RECORD entries whose sha256 was compared with the file on disk.'),
    problems: z
      .array(recordFileProblemSchema)
      .describe('Modified, missing and unlisted files (the record-mismatch finding carries the same list).'),
    shebangRewrites: z
      .array(z.string())
      .optional()
      .describe('Scripts under bin/ that differ only where pip rewrites the `#!` line at install time; not problems.'),
    incomplete: z
      .boolean()
      .optional()
      .describe('True when part of the RECORD could not be compared (output cut, unreadable or unhashable files).'),
  })
  .meta({ id: 'RecordCheck', description: "How a distribution's installed files compare with the RECORD pip wrote when installing it." });
/** How a distribution's installed files compare with the RECORD pip wrote when installing it. */
export type RecordCheck = z.infer<typeof recordCheckSchema>;

/** The schema of an InstalledFiles. */
export const installedFilesSchema = z
  .object({
    sha256: z
      .record(z.string(), z.string())
      .describe(
        'sha256 (hex) of each file read, by its path as RECORD writes it (relative to the environment path): the files RECORD lists and the unlisted files of its own package folders; byte-code caches left out.',
      ),
    incomplete: z
      .boolean()
      .optional()
      .describe('True when some of its files could not be hashed (cut output, unreadable files, a cap reached): an absent path then proves nothing.'),
  })
  .meta({ id: 'InstalledFiles', description: "An installed distribution's files by content, for comparison with a known-good artifact and with other copies of the same version." });
/** An installed distribution's files by content. */
export type InstalledFiles = z.infer<typeof installedFilesSchema>;
/** The schema of a SignatureHit. */
export const signatureHitSchema = z
  .object({
    signature: z.string().describe('Id of the content signature that matched.'),
    line: integer().describe('The first line (1-based) that shows the match.'),
    excerpt: z.string().describe('A bounded piece of that line around the match, secrets in it replaced by their fingerprints.'),
  })
  .meta({ id: 'SignatureHit', description: "Where a content signature matched a file's text (read as data, never run)." });
/** Where a content signature matched a file's text (read as data, never run). */
export type SignatureHit = z.infer<typeof signatureHitSchema>;

/** The schema of a PackageFileMatch. */
export const packageFileMatchSchema = z
  .object({
    path: z.string().describe('The file, relative to the site folder (as its RECORD names it).'),
    truncated: z.boolean().optional().describe('True when the file was longer than what was read.'),
    signatures: z.array(signatureHitSchema).describe('The content signatures its text matched.'),
  })
  .meta({ id: 'PackageFileMatch', description: "A file of a flagged distribution whose text matched content signatures." });
/** A file of a flagged distribution whose text matched content signatures. */
export type PackageFileMatch = z.infer<typeof packageFileMatchSchema>;

/** The schema of a PackagePublisher. */
export const packagePublisherSchema = z
  .object({
    author: z.string().optional().describe('`Author` (or the name in `Author-email`).'),
    maintainer: z.string().optional().describe('`Maintainer` (or the name in `Maintainer-email`).'),
    homePage: z.string().optional().describe('`Home-page`.'),
    projectUrls: z.array(z.string()).optional().describe('`Project-URL` values as written (`Source, https://…`), at most eight.'),
  })
  .meta({
    id: 'PackagePublisher',
    description: "A distribution's self-declared publisher fields from its METADATA or PKG-INFO, each bounded and with any secret replaced by its fingerprint.",
  });
/** A distribution's self-declared publisher fields. */
export type PackagePublisher = z.infer<typeof packagePublisherSchema>;

/** The schema of a PythonPackage. */
export const pythonPackageSchema = z
  .object({
    name: z.string().describe('The name as its metadata spells it (not normalised).'),
    version: z.string(),
    metadataPath: z.string().optional().describe('The `.dist-info` / `.egg-info` path it was read from.'),
    record: recordCheckSchema
      .optional()
      .describe('Its installed files compared with its RECORD; present only for distributions that were verified.'),
    files: installedFilesSchema
      .optional()
      .describe('The sha256 of each of its files, gathered with RECORD verification; present only for distributions that were verified.'),
    contentMatches: z
      .array(packageFileMatchSchema)
      .optional()
      .describe('Its files whose text matched content signatures; present only for flagged distributions whose files were searched.'),
    installer: z
      .string()
      .optional()
      .describe("The first line of its `.dist-info/INSTALLER` (`pip`, `uv`, `conda`…): the tool that installed it, as that tool wrote it; absent when there is no such file."),
    publisher: packagePublisherSchema
      .optional()
      .describe('Who published it, as its METADATA / PKG-INFO says (self-declared by whoever built it); absent when it names nobody.'),
  })
  .meta({ id: 'PythonPackage', description: 'One installed distribution, read from its METADATA or PKG-INFO.' });
/** One installed distribution, read from its METADATA or PKG-INFO. */
export type PythonPackage = z.infer<typeof pythonPackageSchema>;

/** The schema of a PthLine. */
export const pthLineSchema = z
  .object({
    text: z.string().describe('The line as read, truncated to PTH line bounds.'),
    executable: z
      .boolean()
      .describe(
        'True when site.py executes it (it starts with `import` and a space or tab: `import ` or `import<TAB>`); otherwise it is a path entry.',
      ),
  })
  .meta({ id: 'PthLine', description: 'One line of a `.pth` file that Python acts on (blank and `#` lines are left out).' });
/** One line of a `.pth` file that Python acts on (blank and `#` lines are left out). */
export type PthLine = z.infer<typeof pthLineSchema>;

/** The schema of a PthFile. */
export const pthFileSchema = z
  .object({
    path: z.string().describe('Path as seen inside its host or container.'),
    sha256: z.string().nullable().describe('sha256 of the whole file, hex; null when the host has neither sha256sum nor openssl.'),
    owner: z.string().nullable().describe('Name of the distribution whose RECORD lists the file; null when none does.'),
    lines: z
      .array(pthLineSchema)
      .describe('The lines Python acts on (blank and `#` lines left out), from the first 64 KiB / 200 lines of the file.'),
    truncated: z.boolean().optional().describe('True when the file was longer than what was read.'),
    signatures: z
      .array(signatureHitSchema)
      .optional()
      .describe('Content signatures (shared/domain/iocs/signatures.json) its text (the first 64 KiB) matched; absent when none did.'),
  })
  .meta({ id: 'PthFile', description: 'A `.pth` file at the top of a site folder, read as data (never run).' });
/** A `.pth` file at the top of a site folder, read as data (never run). */
export type PthFile = z.infer<typeof pthFileSchema>;

/** The schema of a StartupHookFile. */
export const startupHookFileSchema = z
  .object({
    path: z.string().describe('Path as seen inside its host or container.'),
    kind: z.enum(['sitecustomize', 'usercustomize']).describe('Which module it is: Python imports both at every start when they are on its path.'),
    sha256: z.string().nullable().describe('sha256 of the whole file, hex; null when the host has neither sha256sum nor openssl.'),
    owner: z.string().nullable().describe('Name of the distribution whose RECORD lists the file; null when none does.'),
    truncated: z.boolean().optional().describe('True when the file was longer than what was read (64 KiB).'),
    signatures: z.array(signatureHitSchema).describe('Content signatures its text matched; empty when none did. Its text itself is not kept.'),
  })
  .meta({
    id: 'StartupHookFile',
    description: 'A `sitecustomize.py` or `usercustomize.py` at the top of a site folder, read as data (never run): Python imports it at every start.',
  });
/** A `sitecustomize.py` or `usercustomize.py` at the top of a site folder, read as data (never run). */
export type StartupHookFile = z.infer<typeof startupHookFileSchema>;

/** The schema of an EnvironmentOrigin. */
export const environmentOriginSchema = z
  .object({
    root: z.string().describe('The environment folder (where `pyvenv.cfg` or `conda-meta` is), as seen inside its host or container.'),
    kind: z.enum(['venv', 'uv', 'conda']).describe('`uv` when its `pyvenv.cfg` has a `uv =` line (uv wrote it), `venv` for any other `pyvenv.cfg`, `conda` for a `conda-meta` folder.'),
    uvVersion: z.string().optional().describe('The version its `uv =` line names.'),
  })
  .meta({ id: 'EnvironmentOrigin', description: 'What made a Python environment, read from its own marker file.' });
/** What made a Python environment. */
export type EnvironmentOrigin = z.infer<typeof environmentOriginSchema>;

/** The schema of a PythonEnvironment. */
export const pythonEnvironmentSchema = z
  .object({
    path: z.string().describe('Path of the site-packages folder, as seen inside its host or container.'),
    container: z.string().nullable().describe('Container name, or null for the host itself.'),
    packages: z.array(pythonPackageSchema),
    pthFiles: z
      .array(pthFileSchema)
      .optional()
      .describe('Every `.pth` file at the top of the folder (absent in reports made before the .pth audit).'),
    startupHooks: z
      .array(startupHookFileSchema)
      .optional()
      .describe('`sitecustomize.py` and `usercustomize.py` at the top of the folder (absent in reports made before they were audited).'),
    origin: environmentOriginSchema
      .optional()
      .describe('The virtualenv or conda environment the folder belongs to, when it was found as one (by its `pyvenv.cfg` or `conda-meta`).'),
  })
  .meta({ id: 'PythonEnvironment', description: 'A folder of installed distributions (a site-packages, dist-packages or virtualenv).' });
/** A folder of installed distributions (a site-packages, dist-packages or virtualenv). */
export type PythonEnvironment = z.infer<typeof pythonEnvironmentSchema>;

/** The schema of a CollectorNote. */
export const collectorNoteSchema = z
  .object({ collector: z.string(), message: z.string() })
  .meta({
    id: 'CollectorNote',
    description: 'Something that went wrong in one collector without failing the host (e.g. docker denied).',
  });
/** Something that went wrong in one collector without failing the host (e.g. docker denied). */
export type CollectorNote = z.infer<typeof collectorNoteSchema>;

/** The schema of a SecretFingerprint (a string; its form is described where it is used). */
export const secretFingerprintSchema = z.string();
/**
 * A secret's identity, never its value: `<provider>:<first 12 hex of sha256>:<last 4 characters>`
 * for API keys and passwords, `ssh:SHA256:<base64>` (OpenSSH's public-key fingerprint) for SSH keys.
 */
export type SecretFingerprint = z.infer<typeof secretFingerprintSchema>;

/** Where on a host a secret was read from (an open set: later versions may read secrets from more places). */
export const secretSourceSchema = openSet([
  'container-env',
  'compose',
  'env-file',
  'systemd',
  'shell-rc',
  'app-config',
  'credentials-file',
  'ssh-key',
  'gateway-db',
  'kubernetes-secret',
]);
/** Where on a host a secret was read from. */
export type SecretSource = z.infer<typeof secretSourceSchema>;

/** The schema of a SecretSighting. */
export const secretSightingSchema = z
  .object({
    fingerprint: secretFingerprintSchema
      .min(1)
      .describe(
        "`<provider>:<first 12 hex of sha256>:<last 4 characters>`, or `ssh:SHA256:<base64>` (OpenSSH's public-key fingerprint) for SSH keys.",
      ),
    provider: z
      .string()
      .describe(
        '`openai`, `anthropic`, `google`, `huggingface`, `groq`, `openrouter`, `xai`, `aws`, `google-cloud`, `azure`, `kubernetes`, `github`, `litellm`, `database`, `ssh`, `mistral`… or `unknown`.',
      ),
    container: z.string().nullable().describe('Container name, or null for the host itself.'),
    source: secretSourceSchema.describe(
      'Where it was read from: `container-env`, `compose`, `env-file`, `systemd`, `shell-rc`, `app-config`, `credentials-file`, `ssh-key`, `gateway-db` (a gateway\'s database: LiteLLM\'s stored credentials, models and MCP servers) or `kubernetes-secret` (a key of a Kubernetes Secret: `path` is `<namespace>/secret/<name>`, or the file a pod mounts the key at). Later versions may add values.',
    ),
    path: z
      .string()
      .optional()
      .describe("The file it was read from, as seen in its host or container (absent for a container's environment)."),
    variable: z
      .string()
      .optional()
      .describe('The variable or config key that holds it (e.g. `OPENAI_API_KEY`, `model_list[gpt-4o].litellm_params.api_key`).'),
  })
  .meta({
    id: 'SecretSighting',
    description: "One place a secret was seen, by fingerprint only: the value never leaves the scanning machine's main process.",
  });
/** One place a secret was seen; the value stayed in the main process. */
export type SecretSighting = z.infer<typeof secretSightingSchema>;

/** The schema of an AuthorizedKey. */
export const authorizedKeySchema = z
  .object({
    user: z.string(),
    path: z.string(),
    fingerprint: z
      .string()
      .describe('OpenSSH fingerprint of the key, `SHA256:<base64>` (matches an `ssh` SecretFingerprint without its `ssh:` prefix).'),
    keyType: z.string().describe('`ssh-ed25519`, `ssh-rsa`…'),
    comment: z.string().optional().describe("The key's comment, when the line has one."),
  })
  .meta({
    id: 'AuthorizedKey',
    description: 'A public key in an `authorized_keys` file: whoever holds its private half logs in as `user`.',
  });
/** A public key in an `authorized_keys` file: whoever holds its private half logs in as `user`. */
export type AuthorizedKey = z.infer<typeof authorizedKeySchema>;

/** The schema of an EndpointReference. */
export const endpointReferenceSchema = z
  .object({
    container: z.string().nullable().describe('Container name, or null for the host.'),
    unit: z.string().optional().describe('The systemd unit, when the reference comes from one.'),
    source: secretSourceSchema.describe(
      'A secret source (see `SecretSighting.source`): `container-env`, `env-file`, `compose`, `systemd`, `app-config`…',
    ),
    path: z.string().optional(),
    variable: z.string().optional(),
    url: z.string().describe('The URL with any user and password removed.'),
    targetHost: z.string().describe('Host part of the URL (a name or an address).'),
    targetPort: integer(),
  })
  .meta({ id: 'EndpointReference', description: 'A URL a service is configured to send requests to.' });
/** A URL a service is configured to send requests to. */
export type EndpointReference = z.infer<typeof endpointReferenceSchema>;

/** Where an SshTunnel was found (an open set). */
export const tunnelSourceSchema = openSet(['systemd', 'cron', 'script']);

/** The schema of an SshTunnel. */
export const sshTunnelSchema = z
  .object({
    source: tunnelSourceSchema.describe('`systemd`, `cron` or `script`. Later versions may add values.'),
    path: z.string(),
    unit: z.string().optional(),
    localAddress: z.string().describe('The address the forward listens on (`127.0.0.1` unless the command says otherwise).'),
    localPort: integer(),
    remoteHost: z.string(),
    remotePort: integer(),
    sshDestination: z.string().describe('The ssh destination (`user@host` or an ssh_config alias).'),
    command: z.string().describe('The command line, at most 300 characters.'),
  })
  .meta({
    id: 'SshTunnel',
    description:
      'An SSH local forward: connections to `localPort` on this host reach `remoteHost:remotePort` as seen from `sshDestination`.',
  });
/** An SSH local forward: connections to `localPort` on this host reach `remoteHost:remotePort` from `sshDestination`. */
export type SshTunnel = z.infer<typeof sshTunnelSchema>;

/** The reverse proxy a ProxyRoute was read from (an open set). */
export const proxySchema = openSet(['traefik', 'caddy', 'nginx', 'kubernetes-ingress']);

/** The schema of a ProxyRoute. */
export const proxyRouteSchema = z
  .object({
    proxy: proxySchema.describe('`traefik`, `caddy`, `nginx` or `kubernetes-ingress`. Later versions may add values.'),
    container: z.string().nullable().describe('Container whose labels declare it (Traefik), or null when read from a file.'),
    path: z.string().optional(),
    match: z.string().describe('The site, rule or `server_name` + location it serves.'),
    upstreamHost: z.string(),
    upstreamPort: integer(),
  })
  .meta({
    id: 'ProxyRoute',
    description: 'A reverse-proxy route: requests for `match` are forwarded to `upstreamHost:upstreamPort`.',
  });
/** A reverse-proxy route: requests for `match` are forwarded to `upstreamHost:upstreamPort`. */
export type ProxyRoute = z.infer<typeof proxyRouteSchema>;

/** The schema of a TcpConnection. */
export const tcpConnectionSchema = z
  .object({
    container: z.string().nullable().describe("Container whose network namespace it was read from, or null for the host's."),
    localAddress: z.string(),
    localPort: integer(),
    remoteAddress: z.string(),
    remotePort: integer(),
    state: z.string().describe('`ESTABLISHED`, `LISTEN`, `TIME_WAIT`…'),
  })
  .meta({ id: 'TcpConnection', description: 'One TCP socket from /proc/net/tcp or tcp6.' });
/** One TCP socket from /proc/net/tcp(6). */
export type TcpConnection = z.infer<typeof tcpConnectionSchema>;

/** The schema of a GatewayModelRoute. */
export const gatewayModelRouteSchema = z
  .object({
    name: z.string().describe('The name clients ask for (`model_name`).'),
    provider: z
      .string()
      .describe('The provider it calls: the `provider/` prefix of the model, or `openai` for an OpenAI-compatible `api_base`.'),
    apiBase: z.string().optional().describe('The backend URL (`api_base`), when set.'),
    keyFingerprint: secretFingerprintSchema
      .optional()
      .describe('Fingerprint of the key it uses, inline or resolved from `os.environ/NAME`.'),
    keyVariable: z.string().optional().describe('The environment variable named by `os.environ/NAME`, when the key is a reference.'),
  })
  .meta({ id: 'GatewayModelRoute', description: 'One model a gateway routes, and where it sends it.' });
/** One model a gateway routes, and where it sends it. */
export type GatewayModelRoute = z.infer<typeof gatewayModelRouteSchema>;

/** The schema of one virtual key of a GatewayConfig. */
export const gatewayVirtualKeySchema = z
  .object({
    fingerprint: secretFingerprintSchema,
    alias: z.string().optional(),
    models: z.array(z.string()).describe('Models it may use; empty: every model the gateway serves.'),
    blocked: z
      .boolean()
      .optional()
      .describe('Set when the gateway (LiteLLM) has the key blocked (an admin can unblock it: it is still a key to rotate).'),
    expires: z.string().optional().describe('When the key expires (ISO 8601), as the database wrote it.'),
    revokeAt: z
      .string()
      .optional()
      .describe(
        'For a rotated key LiteLLM still accepts (`LiteLLM_DeprecatedVerificationToken`): when it stops working, ISO 8601. Its fingerprint then has no last 4 characters (the database keeps only the hash).',
      ),
    rotatedTo: z.string().optional().describe('For a rotated key: the fingerprint of the key that replaced it.'),
  })
  .meta({ id: 'GatewayVirtualKey', description: 'A virtual key of a gateway and the models it may use.' });

/** The schema of a GatewayConfig. */
export const gatewayConfigSchema = z
  .object({
    gateway: z.string().describe('`litellm` (others as they are recognised).'),
    container: z.string().nullable().describe('Container it configures, or null for a host service.'),
    path: z.string(),
    models: z.array(gatewayModelRouteSchema).describe('Its routes: one per model entry.'),
    virtualKeys: z
      .array(gatewayVirtualKeySchema)
      .optional()
      .describe('Virtual keys and the models each may use (empty: every model), when the config or database lists them.'),
  })
  .meta({ id: 'GatewayConfig', description: "A gateway's configuration, read as a file." });
/** A gateway's configuration, read as a file. */
export type GatewayConfig = z.infer<typeof gatewayConfigSchema>;

/** The schema of a GatewayClientTraffic. */
export const gatewayClientTrafficSchema = z
  .object({
    address: z.string().describe("The client's IP address as the gateway saw it (no port)."),
    requests: integer(),
    first: z.string().describe('First request seen, ISO 8601 UTC.'),
    last: z.string().describe('Last request seen, ISO 8601 UTC.'),
    hours: z
      .array(z.object({ hour: z.string(), requests: integer() }))
      .describe('Requests per UTC hour (`2026-03-24T11:00:00Z`), only hours with requests, in time order.'),
    paths: z.array(z.string()).describe('Distinct request paths (path only; long token-like segments replaced by `{id}`).'),
    statuses: z
      .array(z.object({ status: integer(), requests: integer() }))
      .describe('Responses by HTTP status, most frequent first.'),
    keys: z
      .array(z.object({ key: z.string(), requests: integer() }))
      .optional()
      .describe(
        "From a gateway's database: requests per virtual key (its fingerprint when the key is listed, else `litellm:<first 12 hex of the stored hash>`), most first.",
      ),
    models: z
      .array(z.object({ model: z.string(), requests: integer() }))
      .optional()
      .describe("From a gateway's database: requests per model, most first."),
  })
  .meta({ id: 'GatewayClientTraffic', description: "One client address's requests to a gateway." });
/** One client address's requests to a gateway. */
export type GatewayClientTraffic = z.infer<typeof gatewayClientTrafficSchema>;

/** Where a GatewayService's unit was found (an open set). */
export const serviceScopeSchema = openSet(['system', 'user']);

/** The schema of a GatewayService. */
export const gatewayServiceSchema = z
  .object({
    gateway: z.string().describe('`litellm`, `vllm`… (the gateway kind its command starts).'),
    unit: z.string().describe('The systemd unit name (`litellm.service`).'),
    path: z.string().describe('The unit file it was read from.'),
    scope: serviceScopeSchema.describe('`system` (/etc/systemd/system, /lib/systemd/system…) or `user` (a home\'s or the global user units). Later versions may add values.'),
    user: z.string().optional().describe("For a unit under a home, the home's owner."),
    program: z.string().describe("The program `ExecStart=` runs (`/opt/litellm/venv/bin/litellm`, or the interpreter for `python -m litellm`)."),
    arguments: z
      .array(z.string())
      .describe('The arguments that place it (`--config`, `--port`, `--host` and their values, `-m MODULE`, the app); every other argument is left out, since any may hold a key.'),
    venv: z.string().nullable().describe('The virtual environment the program lives in (the folder above its `bin/`), or null when it is not in one.'),
    configPaths: z.array(z.string()).describe('Config files its command names (`--config FILE`), absolute (a relative one resolved against `WorkingDirectory=`).'),
    workingDirectory: z.string().optional().describe('`WorkingDirectory=`, when set.'),
    environmentFiles: z.array(z.string()).describe('The `EnvironmentFile=` paths it names (their keys are reported as secrets, by fingerprint).'),
    ports: z.array(integer()).describe('Ports it listens on: `--port`, else the `PORT` it is given, else the gateway\'s default.'),
    serviceUser: z.string().optional().describe('`User=`, when set: the account the gateway runs as.'),
  })
  .meta({
    id: 'GatewayService',
    description: 'An AI gateway installed on the host (pip into a virtualenv, or any program) and started by a systemd unit, read from the unit file; nothing it names is run.',
  });
/** An AI gateway started by a systemd unit on the host, read from the unit file. */
export type GatewayService = z.infer<typeof gatewayServiceSchema>;

/** The schema of a GatewayTraffic. */
export const gatewayTrafficSchema = z
  .object({
    container: z.string().nullable().describe("The gateway's container name, or null for a host service (then `unit` names it)."),
    unit: z.string().optional().describe("The gateway's systemd unit, for a host service whose log was read from the journal."),
    source: openSet(['access-log', 'gateway-db'])
      .optional()
      .describe(
        "Where the counts come from: the gateway's access log (`access-log`, also when absent: a container's log or a host service's journal) or the gateway's own request log in its database (`gateway-db`: LiteLLM's `LiteLLM_SpendLogs`, aggregated by the database).",
      ),
    window: z
      .object({ start: z.string(), end: z.string() })
      .describe('The interval the logs were read over (`--since` / `--until`), ISO 8601 UTC.'),
    clients: z.array(gatewayClientTrafficSchema).describe('One entry per client address, most requests first.'),
    truncated: z
      .boolean()
      .optional()
      .describe('True when only the newest part of the log was read (output capped) or clients were left out.'),
  })
  .meta({
    id: 'GatewayTraffic',
    description:
      "What one gateway's own access log (a container's from the engine's log store, a host service's from the systemd journal) says about who sent it requests. Only counts, paths and statuses are kept: never query strings, headers, bodies or any other log line.",
  });
/** What one gateway's own access log (container or journal) says about who sent it requests (counts, paths and statuses only). */
export type GatewayTraffic = z.infer<typeof gatewayTrafficSchema>;

/** Every IocRuleKind (an open set: later versions may add kinds). */
export const iocRuleKindSchema = openSet(['file', 'systemd-unit', 'file-hash', 'log-string', 'domain', 'kubernetes-workload']);
/** How an IOC rule looks: a file, a systemd unit, a file's sha256, a fixed string in logs, a domain/address, or a Kubernetes workload. */
export type IocRuleKind = z.infer<typeof iocRuleKindSchema>;

/** The schema of an IocHit. */
export const iocHitSchema = z
  .object({
    ruleId: z.string().describe('Id of the rule that matched (shared/domain/iocs/rules.json or an extra rules folder).'),
    container: z.string().nullable().describe('Container name, or null for the host itself.'),
    path: z.string().optional().describe('The file that matched, as seen inside its host or container.'),
    unit: z.string().optional().describe('The unit name, for a systemd-unit rule.'),
    matched: z
      .string()
      .describe('What matched: the first matching line (at most 200 characters), `sha256:<hex>`, or what is present there.'),
  })
  .meta({
    id: 'IocHit',
    description: 'One place where an IOC rule matched; the rule itself (title, severity, source) lives in the rules file.',
  });
/** One place where an IOC rule matched; the rule itself (title, severity, source) lives in the rules file. */
export type IocHit = z.infer<typeof iocHitSchema>;

/** The schema of a KubernetesWorkload. */
export const kubernetesWorkloadSchema = z
  .object({
    kind: z.string().describe('`Deployment`, `DaemonSet` or `StatefulSet`.'),
    namespace: z.string(),
    name: z.string(),
    images: z.array(z.string()).describe("The images of its pod template's containers, as written."),
    privileged: z.boolean().describe('True when a container of its template is privileged.'),
    hostPaths: z.array(z.string()).describe("Host paths its template mounts (`hostPath` volumes)."),
    hostPID: z.boolean(),
    hostNetwork: z.boolean(),
  })
  .meta({ id: 'KubernetesWorkload', description: 'A controller that keeps pods running (its pods are listed as containers).' });
/** A controller that keeps pods running (its pods are listed as containers). */
export type KubernetesWorkload = z.infer<typeof kubernetesWorkloadSchema>;

/** The schema of a KubernetesService. */
export const kubernetesServiceSchema = z
  .object({
    namespace: z.string(),
    name: z.string(),
    type: z.string().describe('`ClusterIP`, `NodePort`, `LoadBalancer` or `ExternalName`.'),
    clusterIP: z.string().nullable(),
    selector: z.record(z.string(), z.string()).describe('The pod labels it selects; empty: none (endpoints managed by hand).'),
    ports: z
      .array(z.object({ port: integer(), targetPort: z.string(), nodePort: integer().nullable(), protocol: z.string() }))
      .describe('Its ports; `targetPort` as written (a number or a container port name).'),
  })
  .meta({ id: 'KubernetesService', description: 'A Kubernetes Service: the stable name clients in the cluster use to reach pods.' });
/** A Kubernetes Service: the stable name clients in the cluster use to reach pods. */
export type KubernetesService = z.infer<typeof kubernetesServiceSchema>;

/** The schema of a KubernetesCluster. */
export const kubernetesClusterSchema = z
  .object({
    kubectl: z.string().describe('The client that read it: `kubectl` or `k3s kubectl`.'),
    kubeconfig: z.string().nullable().describe('The kubeconfig it used (`$KUBECONFIG`, `~/.kube/config` or `/etc/rancher/k3s/k3s.yaml`).'),
    pods: integer().describe('Pods listed (each container of each is in the host\'s containers).'),
    workloads: z.array(kubernetesWorkloadSchema),
    services: z.array(kubernetesServiceSchema),
    secrets: integer().nullable().describe('Secrets listed (their values fingerprinted as secret sightings); null when they could not be read.'),
  })
  .meta({
    id: 'KubernetesCluster',
    description:
      "What a host's own kubectl showed of its cluster, read-only with `kubectl get … -o json` (never `exec`, `apply` or `port-forward`). Ingresses are in the host's proxy routes.",
  });
/** What a host's own kubectl showed of its cluster. */
export type KubernetesCluster = z.infer<typeof kubernetesClusterSchema>;

/** The schema of a FailedAttempt. */
export const failedAttemptSchema = z
  .object({
    at: z.string().meta({ format: 'date-time', description: 'When the scan that could not read the host ran, ISO 8601 UTC.' }),
    status: hostStatusSchema,
    error: z.string().describe('What went wrong, as one line.'),
  })
  .meta({
    id: 'FailedAttempt',
    description:
      "A later scan of a host that could not read it (unreachable, refused, cancelled), while the case keeps the inventory an earlier scan read.",
  });
/** A later scan of a host that could not read it, while the case keeps the inventory an earlier scan read. */
export type FailedAttempt = z.infer<typeof failedAttemptSchema>;

/** Every kind of file that pins what an environment installs (a closed set in version 1). */
export const PIN_FILE_KINDS = ['requirements', 'uv.lock', 'poetry.lock', 'pylock.toml', 'Pipfile.lock'] as const;

/** The schema of a PinFile. */
export const pinFileSchema = z
  .object({
    path: z.string().describe('Where it is, as seen inside its host or container.'),
    kind: z.enum(PIN_FILE_KINDS),
    hashes: z.boolean().describe('True when it records a sha256 for what it installs (`--hash=` lines; lockfiles that list hashes).'),
    loose: z
      .array(z.string())
      .describe('Requirements it does not pin to one exact version (`litellm>=1.80`, a bare name), at most 20; empty for lockfiles.'),
  })
  .meta({ id: 'PinFile', description: 'A requirements file or lockfile beside the project that uses an environment.' });
/** A requirements file or lockfile beside the project that uses an environment. */
export type PinFile = z.infer<typeof pinFileSchema>;

/** The schema of a PackageIndexSetting. */
export const packageIndexSettingSchema = z
  .object({
    url: z.string().describe('The index URL, any credentials in it replaced by `***`.'),
    role: z.enum(['primary', 'extra']).describe('`primary`: where the installer looks first (index-url, default index); `extra`: searched beside it.'),
    public: z.boolean().describe('True for public PyPI (pypi.org, files.pythonhosted.org); false for any other host: a private mirror or allowlist proxy.'),
    source: z
      .string()
      .describe('Where it is set: `index-url in /etc/pip.conf`, `PIP_INDEX_URL in /etc/systemd/system/app.service`, or `default (nothing configured)`.'),
    credential: secretFingerprintSchema.optional().describe('Fingerprint of a password or token in the URL, when it carries one.'),
  })
  .meta({ id: 'PackageIndexSetting', description: 'A package index an installer is configured to use.' });
/** A package index an installer is configured to use. */
export type PackageIndexSetting = z.infer<typeof packageIndexSettingSchema>;

/** The schema of an UnattendedUpgrade. */
export const unattendedUpgradeSchema = z
  .object({
    source: z.string().describe('The crontab, cron script (/etc/cron.daily…) or unit file that runs it.'),
    command: z.string().describe('The line (at most 300 characters, URL credentials masked).'),
  })
  .meta({ id: 'UnattendedUpgrade', description: 'A `pip install -U` / `--upgrade` run unattended by cron or a systemd unit.' });
/** A `pip install -U` / `--upgrade` run unattended by cron or a systemd unit. */
export type UnattendedUpgrade = z.infer<typeof unattendedUpgradeSchema>;

/** The schema of a HardeningPosture. */
export const hardeningPostureSchema = z
  .object({
    container: z.string().nullable().describe("The container, or null for the host's own environment."),
    environment: z
      .string()
      .nullable()
      .describe("The site-packages path of the virtualenv judged; null for a container's image or for the host's unattended upgrades that name no environment."),
    image: z.string().nullable().describe("The container's image; null on the host."),
    project: z.string().nullable().describe("The project folder looked in for pin files: the virtualenv's parent, the container's working folder; null when none."),
    installer: z.enum(['pip', 'uv']).describe('Whose index settings apply: `uv` when the project uses uv (uv.lock, uv.toml, `[tool.uv]`, a `uv pip` build step), else `pip`.'),
    pinFiles: z.array(pinFileSchema).describe('Requirements files and lockfiles found in the project folder.'),
    hashPinnedBuild: z
      .boolean()
      .nullable()
      .describe("For a container: true when every install step of its image's history enforces hashes, false when one does not, null when the history shows none (or on the host)."),
    indexes: z.array(packageIndexSettingSchema).describe('The indexes the installer uses, the setting that wins for each role.'),
    upgrades: z.array(unattendedUpgradeSchema).describe('Unattended upgrades that name this environment or project (host-wide ones on the posture whose environment is null).'),
  })
  .meta({
    id: 'HardeningPosture',
    description: 'How one environment or image is kept from installing a trojaned release: its pins, the index it installs from, unattended upgrades. Read from files; nothing is run.',
  });
/** How one environment or image is kept from installing a trojaned release. */
export type HardeningPosture = z.infer<typeof hardeningPostureSchema>;

/** The schema of a HostInventory; a host that is not `ok` must say why in `error`. */
export const hostInventorySchema = z
  .object({
    name: z.string().describe('The name the user knows the host by (ssh_config Host alias, or `This machine`).'),
    address: z.string().describe('Where it was reached: `user@host:port`, `local`, or `offline collection` for a host read from an offline collection file (`blast-radius import`).'),
    status: hostStatusSchema,
    error: z.string().optional(),
    scannedAt: z.string().optional().meta({
      format: 'date-time',
      description:
        "When this host's inventory was read, ISO 8601 UTC. The app's case keeps each host's latest result with its own time; absent in a report of one scan (the report's `scannedAt` applies).",
    }),
    failedAttempt: failedAttemptSchema
      .optional()
      .describe(
        "Present when the case's latest scan of this host could not read it: the inventory is still the one read at `scannedAt`, and this says when and why the later scan failed.",
      ),
    facts: hostFactsSchema.nullable(),
    containers: z.array(containerSchema),
    pythonEnvironments: z.array(pythonEnvironmentSchema),
    notes: z
      .array(collectorNoteSchema)
      .optional()
      .describe('What the collectors noted: blind spots that made the status `partial`, and harmless remarks.'),
    iocHits: z
      .array(iocHitSchema)
      .optional()
      .describe(
        'Where indicator-of-compromise rules matched, on the host and in its running containers (absent when the IOC search did not run).',
      ),
    cachedArtifacts: z
      .array(
        z.object({
          path: z.string().describe('The cached file or unpacked `.dist-info` folder, as seen in its host or container.'),
          package: z.string().describe('The project name as the file name spells it.'),
          version: z.string(),
          container: z
            .string()
            .nullable()
            .optional()
            .describe("The container whose cache holds it; absent (or null) for the host's own caches."),
        }),
      )
      .optional()
      .describe(
        'Wheels, sdists and unpacked wheels named in the pip and uv caches of /root and /home/*, on the host and inside running containers (`container` names the container; absent or null on the host). Absent when the caches were not listed.',
      ),
    secrets: z
      .array(secretSightingSchema)
      .optional()
      .describe('Secrets seen on the host and in its containers, by fingerprint only (absent when secrets were not searched).'),
    authorizedKeys: z
      .array(authorizedKeySchema)
      .optional()
      .describe("Public keys allowed to log in, from every user's `authorized_keys`."),
    addresses: z
      .array(z.string())
      .optional()
      .describe(
        "The host's own IP addresses, IPv4 and IPv6 (from /proc/net/fib_trie and /proc/net/if_inet6), so URLs and connection peers naming them resolve to it.",
      ),
    endpointReferences: z
      .array(endpointReferenceSchema)
      .optional()
      .describe('URLs in environment variables and config files: where services on this host send requests.'),
    tunnels: z
      .array(sshTunnelSchema)
      .optional()
      .describe('SSH local forwards (`ssh -L`, autossh) in systemd units, crontabs and scripts.'),
    proxyRoutes: z
      .array(proxyRouteSchema)
      .optional()
      .describe('Reverse-proxy routes (Traefik labels, Caddyfile, nginx `proxy_pass`).'),
    connections: z
      .array(tcpConnectionSchema)
      .optional()
      .describe(
        'Established TCP connections and listening sockets read from /proc/net/tcp and tcp6 (host and container namespaces).',
      ),
    gatewayConfigs: z
      .array(gatewayConfigSchema)
      .optional()
      .describe('AI gateway configurations read as files (LiteLLM `config.yaml` and others).'),
    gatewayServices: z
      .array(gatewayServiceSchema)
      .optional()
      .describe('AI gateways started by systemd units on the host (absent when units were not read).'),
    kubernetes: kubernetesClusterSchema
      .optional()
      .describe("The Kubernetes cluster the host's own kubectl reaches (absent when it has none, or it was not read)."),
    gatewayTraffic: z
      .array(gatewayTrafficSchema)
      .optional()
      .describe(
        "Requests each gateway (container, or host service through the journal) logged over the compromise window, per client (absent when no gateway's logs were read).",
      ),
    hardening: z
      .array(hardeningPostureSchema)
      .optional()
      .describe(
        "The hardening posture of each virtualenv on the host and each container's image, and the host's unattended upgrades (absent when the files were not read).",
      ),
  })
  .refine((host) => host.status === 'ok' || host.error !== undefined, {
    message: 'Every status but `ok` carries an error message.',
    path: ['error'],
  })
  .meta({
    id: 'HostInventory',
    description: "Everything one host's scan produced.",
    // The refinement above, for JSON Schema readers (zod cannot translate a refinement).
    if: { required: ['status'], properties: { status: { const: 'ok' } } },
    else: { required: ['error'] },
    $comment: 'Every status but `ok` carries an error message.',
  });
/** Everything one host's scan produced. */
export type HostInventory = z.infer<typeof hostInventorySchema>;
