/**
 * The findings half of the report model: severities, verdicts, the finding kinds and the fields
 * each kind carries. Each schema's `id` names its definition in docs/report.schema.json.
 */
import { z } from 'zod';
import { iocRuleKindSchema, recordFileProblemSchema, secretFingerprintSchema, secretSourceSchema } from './inventory.js';
import { openSet } from './open-set.js';

/** Finding severities, most severe first. */
export const SEVERITIES = ['critical', 'high', 'medium', 'low', 'info'] as const;

/** The schema of a Severity (a closed set in version 1). */
export const severitySchema = z.enum(SEVERITIES).meta({ id: 'Severity', description: 'Finding severities, most severe first.' });
/** How bad a finding is. */
export type Severity = z.infer<typeof severitySchema>;

/** Every Verdict, most exposed first. */
export const VERDICTS = ['exposed', 'likely-exposed', 'unknown', 'not-exposed'] as const;

/** The schema of a Verdict (a closed set in version 1). */
export const verdictSchema = z.enum(VERDICTS).meta({
  id: 'Verdict',
  description:
    'Whether a place was exposed to a compromise. The default is to assume exposure: `not-exposed` needs positive evidence, and a finding without a verdict means: assume exposed.',
});
/** Whether a place was exposed to a compromise: `not-exposed` needs positive evidence. */
export type Verdict = z.infer<typeof verdictSchema>;

/** Every kind of finding; consumers must ignore kinds they do not know. */
export const FINDING_KINDS = [
  'compromised-package',
  'executable-pth',
  'record-mismatch',
  'artifact-mismatch',
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
  'content-signature',
  'hardening-gap',
] as const;
/** The kind of a finding. */
export type FindingKind = (typeof FINDING_KINDS)[number];

// Descriptions of the common fields that most kinds share; a kind says which host or container it means when that differs.
const foundOn = 'The `name` of the host it was found on.';
const containerOrHost = "The container's name, or null for the host itself.";

/** The schema of the fields every finding has, whatever its kind. */
export const findingBaseSchema = z.object({
  id: z.string().min(1).describe('Stable id: the same finding on a re-scan has the same id.'),
  kind: z.enum(FINDING_KINDS),
  severity: severitySchema,
  title: z.string(),
  host: z.string().describe(foundOn),
  container: z.string().nullable().describe("A container's name, or null for the host itself."),
  evidence: z.array(z.string()).describe('Human-readable facts that led to the finding, one a line.'),
});
/** What every finding has, whatever its kind: enough to sort, filter and fail a CI run on it. */
export type FindingBase = z.infer<typeof findingBaseSchema>;

/** The schema of a finding of a kind this version may not know: the common fields, any non-empty `kind`. */
export const anyFindingSchema = findingBaseSchema.extend({
  kind: z.string().min(1).describe('What sort of finding; consumers skip kinds they do not know.'),
});

/** The schema of a CompromisedPackageFinding. */
export const compromisedPackageFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('compromised-package'),
    container: z.string().nullable().describe(containerOrHost),
    package: z.string(),
    version: z.string(),
    path: z.string().describe('Path of the Python environment the package sits in.'),
    advisories: z.array(z.string()).describe('Advisory ids, primary first, aliases merged (e.g. MAL-2026-2144, PYSEC-2026-2).'),
    verdict: verdictSchema
      .optional()
      .describe(
        'The exposure verdict of this place for the primary advisory; absent in reports of earlier versions (then assume exposed).',
      ),
    reasons: z.array(z.string()).optional().describe('Why the verdict is what it is, one reason a line.'),
  })
  .meta({
    id: 'CompromisedPackageFinding',
    description:
      'An installed Python distribution that an advisory (malicious-code or vulnerability record) says is affected.',
  });
/** An installed distribution that an advisory covers. */
export type CompromisedPackageFinding = z.infer<typeof compromisedPackageFindingSchema>;

/** The schema of an ExecutablePthFinding. */
export const executablePthFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('executable-pth'),
    container: z.string().nullable().describe(containerOrHost),
    path: z.string().describe('Full path of the .pth file, as seen inside its host or container.'),
    sha256: z.string().describe("SHA-256 of the file's content, lowercase hex; empty when the host could not compute it."),
    package: z.string().nullable().describe('The distribution whose RECORD lists the file, or null when none does.'),
  })
  .meta({
    id: 'ExecutablePthFinding',
    description:
      'A `.pth` file with a line Python executes at every interpreter start (a line starting with `import`). critical when its content is a known-malicious one, high when unknown, info when known benign.',
  });
/** A `.pth` file with a line Python executes at every start. */
export type ExecutablePthFinding = z.infer<typeof executablePthFindingSchema>;

/** The schema of a RecordMismatchFinding. */
export const recordMismatchFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('record-mismatch'),
    container: z.string().nullable().describe(containerOrHost),
    package: z.string(),
    version: z.string(),
    path: z.string().describe('Path of the Python environment the distribution sits in.'),
    files: z.array(recordFileProblemSchema),
  })
  .meta({
    id: 'RecordMismatchFinding',
    description: 'An installed distribution whose files differ from what its RECORD says was installed.',
  });
/** A distribution whose files differ from what its RECORD says was installed. */
export type RecordMismatchFinding = z.infer<typeof recordMismatchFindingSchema>;

/** Every way an installed file can differ from its reference (a closed set in version 1). */
export const ARTIFACT_DIFFERENCES = ['added', 'modified', 'missing'] as const;

/** The schema of an ArtifactFileDifference. */
export const artifactFileDifferenceSchema = z
  .object({
    path: z.string().describe("The file's path as RECORD writes it: relative to the environment path."),
    difference: z
      .enum(ARTIFACT_DIFFERENCES)
      .describe(
        '`added`: installed here but not in the reference (a `.pth`, a new module); `modified`: its sha256 differs from the reference; `missing`: in the reference but not installed here.',
      ),
  })
  .meta({ id: 'ArtifactFileDifference', description: 'One file of an installed distribution that differs from its reference.' });
/** One file of an installed distribution that differs from its reference. */
export type ArtifactFileDifference = z.infer<typeof artifactFileDifferenceSchema>;

/** The schema of an ArtifactMismatchFinding. */
export const artifactMismatchFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('artifact-mismatch'),
    container: z.string().nullable().describe(containerOrHost),
    package: z.string(),
    version: z.string(),
    path: z.string().describe('Path of the Python environment the distribution sits in.'),
    against: z
      .enum(['known-good', 'other-copies'])
      .describe(
        '`known-good`: compared with a known-good wheel, sdist or hash manifest the owner imported; `other-copies`: compared with the other installed copies of the same version in the report (no reference: the copy that differs from the rest).',
      ),
    reference: z.string().describe('What it was compared with: the artifact (file name and sha256), or the other copies (how many, where).'),
    files: z.array(artifactFileDifferenceSchema),
  })
  .meta({
    id: 'ArtifactMismatchFinding',
    description:
      'An installed distribution whose files differ, file by file, from a known-good artifact of its version or from the other copies of its version: evidence the RECORD cannot give when the attacker built the wheel.',
  });
/** An installed distribution whose files differ from a known-good artifact or from other copies of its version. */
export type ArtifactMismatchFinding = z.infer<typeof artifactMismatchFindingSchema>;

/** The schema of an IocFinding. */
export const iocFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('ioc'),
    container: z.string().nullable().describe(containerOrHost),
    rule: z.string().describe('Id of the rule that matched.'),
    path: z.string().optional().describe('The file that matched, when the rule is about a file.'),
    unit: z.string().optional().describe('The systemd unit that matched, when the rule is about a unit.'),
    source: z
      .string()
      .describe(
        'Where the rule comes from (advisory or write-up): the source\'s name, whether it is primary or secondary, and its URL when it has one.',
      ),
    ruleKind: iocRuleKindSchema
      .optional()
      .describe(
        "The rule's kind: `file`, `systemd-unit`, `file-hash`, `log-string`, `domain`, `kubernetes-workload` (then `path` is `<namespace>/<kind>/<name>` and `container` the pod's container, or null for a controller); later versions may add kinds. Absent when the rule was not known to the report builder.",
      ),
    compromise: z
      .string()
      .optional()
      .describe('The compromise the rule belongs to, e.g. `litellm-2026-03`. Absent when the rule was not known.'),
  })
  .meta({
    id: 'IocFinding',
    description:
      "An indicator of compromise from the rules file matched: a file, a systemd unit, a file hash, a string in logs, a domain. Severity is the rule's.",
  });
/** An indicator of compromise from the rules file matched. */
export type IocFinding = z.infer<typeof iocFindingSchema>;

/** The schema of a MutableImageTagFinding. */
export const mutableImageTagFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('mutable-image-tag'),
    container: z.string().nullable().describe('The container deployed from the tag.'),
    image: z.string().describe('The image reference as deployed (Config.Image).'),
  })
  .meta({
    id: 'MutableImageTagFinding',
    description: 'A container deployed from a mutable tag rather than a digest: a re-pull can change what runs.',
  });
/** A container deployed from a mutable tag rather than a digest. */
export type MutableImageTagFinding = z.infer<typeof mutableImageTagFindingSchema>;

/** The schema of an AutoUpdaterFinding. */
export const autoUpdaterFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('auto-updater'),
    container: z.string().nullable().describe("The updater's own container, or null when it runs on the host itself."),
    updater: z.string().describe('Which updater: `watchtower`, `wud`, `diun`, `ouroboros`…'),
    watches: z.array(z.string()).describe('Names of the containers it watches.'),
  })
  .meta({
    id: 'AutoUpdaterFinding',
    description: 'An auto-updater that can pull new images and restart containers unattended.',
  });
/** An auto-updater that can pull new images unattended. */
export type AutoUpdaterFinding = z.infer<typeof autoUpdaterFindingSchema>;

/** The schema of a BuildTimeInstallFinding. */
export const buildTimeInstallFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('build-time-install'),
    container: z.string().nullable().describe('A container running the image, or null when none does.'),
    image: z.string().describe('The image reference, as the container that runs it names it.'),
    command: z.string().describe("The history step's install command (at most 300 characters, URL credentials masked)."),
  })
  .meta({
    id: 'BuildTimeInstallFinding',
    description: 'An image whose history installs Python packages from a live index without enforcing hashes.',
  });
/** An image whose history installs Python packages from a live index. */
export type BuildTimeInstallFinding = z.infer<typeof buildTimeInstallFindingSchema>;

/** The schema of a DockerSocketMountFinding. */
export const dockerSocketMountFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('docker-socket-mount'),
    container: z.string().nullable().describe('The container that mounts the socket.'),
  })
  .meta({
    id: 'DockerSocketMountFinding',
    description: 'A container that mounts the Docker (or Podman) API socket, and so controls the host.',
  });
/** A container that mounts the Docker socket (and so controls the host). */
export type DockerSocketMountFinding = z.infer<typeof dockerSocketMountFindingSchema>;

/** The schema of a CachedCompromisedArtifactFinding. */
export const cachedCompromisedArtifactFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('cached-compromised-artifact'),
    container: z.string().nullable().describe(containerOrHost),
    path: z.string().describe('The cached file.'),
    package: z.string(),
    version: z.string(),
  })
  .meta({
    id: 'CachedCompromisedArtifactFinding',
    description:
      'A compromised wheel or sdist in a pip or uv cache, which a later install would reuse without downloading (it would reinstall silently).',
  });
/** A compromised wheel or sdist in a pip/uv cache, which would reinstall silently. */
export type CachedCompromisedArtifactFinding = z.infer<typeof cachedCompromisedArtifactFindingSchema>;

/** The schema of a SecretLocation. */
export const secretLocationSchema = z
  .object({
    host: z.string(),
    container: z.string().nullable(),
    source: secretSourceSchema.describe('As `SecretSighting.source`.'),
    path: z.string().optional(),
    variable: z.string().optional(),
  })
  .meta({ id: 'SecretLocation', description: 'One place a secret lives, as a secret finding lists it.' });
/** One place a secret lives, as a finding lists it. */
export type SecretLocation = z.infer<typeof secretLocationSchema>;

/** The schema of a SecretFinding. */
export const secretFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('secret'),
    host: z.string().describe('The host of the first place it was seen.'),
    container: z.string().nullable().describe('The container of the first place, or null for the host itself.'),
    provider: z.string(),
    fingerprint: secretFingerprintSchema.min(1),
    locations: z.array(secretLocationSchema),
  })
  .meta({
    id: 'SecretFinding',
    description: 'A secret (by fingerprint) and every place it was seen; `host` and `container` name the first place.',
  });
/** A secret (by fingerprint) and every place it was seen; `host`/`container` name the first place. */
export type SecretFinding = z.infer<typeof secretFindingSchema>;

/** The schema of a GatewayFinding. */
export const gatewayFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('gateway'),
    host: z.string().describe('The `name` of the host it runs on.'),
    container: z.string().nullable().describe("The gateway's container, or null for a host service."),
    gateway: z.string().describe('`litellm`, `ollama`, `olla`, `localai`, `vllm`, `one-api`, `any-llm`…'),
    service: z.string().optional().describe('The host service (systemd unit) when the gateway is not a container.'),
    endpoints: z
      .array(z.string())
      .describe('Where clients reach it: `name:port` on its networks, `address:port` published on the host.'),
    backends: z.array(z.string()).describe('Where it sends requests: backend URLs and provider names.'),
  })
  .meta({ id: 'GatewayFinding', description: 'An AI gateway (LiteLLM…) and what it routes to.' });
/** An AI gateway (LiteLLM…) and what it routes to. */
export type GatewayFinding = z.infer<typeof gatewayFindingSchema>;

/** Every way a ConsumerFinding reaches its gateway (an open set). */
export const consumerViaSchema = openSet(['shared-network', 'host-port', 'ssh-tunnel', 'proxy-route', 'live-connection', 'gateway-log', 'gateway-db']);

/** The schema of a ConsumerFinding. */
export const consumerFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('consumer'),
    host: z.string().describe("The consumer's host."),
    container: z.string().nullable().describe("The consumer's container, or null for a unit, tunnel or host."),
    consumer: z.string().describe('The consumer: a container, unit or host name.'),
    consumerHost: z.string(),
    gateway: z.string().describe("The gateway's container or service name."),
    gatewayHost: z.string(),
    via: consumerViaSchema.describe(
      'How it reaches the gateway: `shared-network`, `host-port`, `ssh-tunnel`, `proxy-route`, `live-connection`, `gateway-log` (its access log) or `gateway-db` (the request log in its database). Later versions may add values.',
    ),
  })
  .meta({ id: 'ConsumerFinding', description: 'A container, host service or tunnel that sends requests to a gateway.' });
/** A container, host service or tunnel that sends requests to a gateway. */
export type ConsumerFinding = z.infer<typeof consumerFindingSchema>;

/** The schema of an SshLateralFinding. */
export const sshLateralFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('ssh-lateral'),
    host: z.string().describe('The host holding the private key (`fromHost`).'),
    container: z.string().nullable().describe('The container holding it, or null for the host itself.'),
    fromHost: z.string(),
    toHost: z.string(),
    keyFingerprint: secretFingerprintSchema.describe('`ssh:SHA256:…`.'),
    toUser: z.string().describe('The account it logs into on `toHost`.'),
  })
  .meta({
    id: 'SshLateralFinding',
    description: 'A private SSH key on one host whose public half may log into another host.',
  });
/** A private SSH key on one host whose public half may log into another host. */
export type SshLateralFinding = z.infer<typeof sshLateralFindingSchema>;

/** The schema of a ContentSignatureFinding. */
export const contentSignatureFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('content-signature'),
    container: z.string().nullable().describe(containerOrHost),
    path: z.string().describe('Full path of the file whose text matched, as seen inside its host or container.'),
    file: z
      .enum(['pth', 'sitecustomize', 'usercustomize', 'package-file'])
      .describe('What the file is: a `.pth` file, a `sitecustomize.py` or `usercustomize.py` start-up hook, or a file of a flagged distribution.'),
    package: z.string().nullable().describe('The distribution whose RECORD lists the file (or whose file it is), or null when none does.'),
    sha256: z.string().describe("SHA-256 of the file's content, lowercase hex; empty when it was not computed."),
    signatures: z
      .array(z.string())
      .describe('Ids of the content signatures that matched (shared/domain/iocs/signatures.json), most severe first.'),
  })
  .meta({
    id: 'ContentSignatureFinding',
    description:
      "A file whose text matches published content signatures (a payload's strings, exec of decoded text, a start-up hook that starts a process). Severity is the most severe matching signature's.",
  });
/** A file whose text matches published content signatures. */
export type ContentSignatureFinding = z.infer<typeof contentSignatureFindingSchema>;

/** Every gap a HardeningGapFinding names (a closed set in version 1). */
export const HARDENING_GAPS = ['no-hash-pins', 'public-index', 'unattended-upgrade'] as const;

/** The schema of a HardeningGap. */
export const hardeningGapSchema = z
  .object({
    gap: z
      .enum(HARDENING_GAPS)
      .describe(
        '`no-hash-pins`: no requirements file with `--hash` or lockfile beside the project (loose pins named); `public-index`: the installer installs straight from public PyPI; `unattended-upgrade`: cron or a unit runs `pip install -U`.',
      ),
    detail: z.string().describe('What was found, in one sentence (index URLs with credentials masked).'),
    source: z.string().nullable().describe('The file that shows it, or null when the gap is an absence.'),
  })
  .meta({ id: 'HardeningGap', description: 'One way an environment or image could install a trojaned release unnoticed.' });
/** One way an environment or image could install a trojaned release unnoticed. */
export type HardeningGap = z.infer<typeof hardeningGapSchema>;

/** The schema of a HardeningGapFinding. */
export const hardeningGapFindingSchema = findingBaseSchema
  .extend({
    kind: z.literal('hardening-gap'),
    container: z.string().nullable().describe(containerOrHost),
    environment: z.string().nullable().describe("The virtualenv's site-packages path; null for an image, or for host-wide unattended upgrades."),
    image: z.string().nullable().describe("The container's image; null on the host."),
    project: z.string().nullable().describe('The project folder the pins were looked for in; null when none.'),
    gaps: z.array(hardeningGapSchema).describe('The gaps, at least one.'),
  })
  .meta({
    id: 'HardeningGapFinding',
    description:
      "An environment or image that is not hardened against a trojaned release (the seed's advice for a consumer of packages: exact pins with hashes, a private mirror or allowlist proxy, no unattended upgrades). Always `low`.",
  });
/** An environment or image that is not hardened against a trojaned release. */
export type HardeningGapFinding = z.infer<typeof hardeningGapFindingSchema>;

/**
 * The schema of a Finding of a kind this version defines, one member per kind in FINDING_KINDS
 * order. The published JSON Schema opens it up to kinds it does not know (see json-schema.ts).
 */
export const findingSchema = z
  .discriminatedUnion('kind', [
    compromisedPackageFindingSchema,
    executablePthFindingSchema,
    recordMismatchFindingSchema,
    artifactMismatchFindingSchema,
    iocFindingSchema,
    mutableImageTagFindingSchema,
    autoUpdaterFindingSchema,
    buildTimeInstallFindingSchema,
    dockerSocketMountFindingSchema,
    cachedCompromisedArtifactFindingSchema,
    secretFindingSchema,
    gatewayFindingSchema,
    consumerFindingSchema,
    sshLateralFindingSchema,
    contentSignatureFindingSchema,
    hardeningGapFindingSchema,
  ])
  .meta({
    id: 'Finding',
    description:
      'One thing the user must act on, with the evidence that led to it. Every kind has these seven fields; the kinds this version defines are also checked by their own definitions (one `if`/`then` per kind below). Findings of a kind not listed here pass on the common fields alone: consumers skip kinds they do not know.',
  });
/** One thing the user must act on, with the evidence that led to it. */
export type Finding = z.infer<typeof findingSchema>;

// findingSchema has a member for every kind of FINDING_KINDS and no other: forgetting one is a compile error.
true satisfies [FindingKind] extends [Finding['kind']] ? ([Finding['kind']] extends [FindingKind] ? true : false) : false;

/** Narrows a finding to its kind. */
export function isFindingOfKind<K extends FindingKind>(finding: Finding, kind: K): finding is Extract<Finding, { kind: K }> {
  return finding.kind === kind;
}

/** Compares severities: negative when `a` is more severe than `b`. */
export function compareSeverity(a: Severity, b: Severity): number {
  return SEVERITIES.indexOf(a) - SEVERITIES.indexOf(b);
}

/** True when `severity` is at least as severe as `threshold`. */
export function reachesSeverity(severity: Severity, threshold: Severity): boolean {
  return compareSeverity(severity, threshold) <= 0;
}
