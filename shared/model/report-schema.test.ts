/**
 * Holds docs/report.schema.json to the zod schemas of shared/model/ it is generated from, to
 * docs/report-format.md and to a realistic report.
 *
 * What this does and does not check, honestly: `check` below is a small validator for exactly the
 * keywords the generated schema uses (type, required, properties, additionalProperties, items,
 * $ref to #/$defs, const, enum, anyOf, allOf, if/then/else, minLength; format and the annotations
 * are ignored, as 2020-12 does by default). A test fails if the schema starts using any other
 * keyword, so the validator cannot silently skip one. It is not a conformance-tested
 * implementation: for that, validate with a real 2020-12 validator.
 *
 * The TypeScript types are inferred from the zod schemas, so they cannot drift from them; the
 * committed schema must be what the zod schemas generate (`npm run schema`), and the tests here
 * compare each schema definition's properties, required list and null types with its zod schema,
 * and the Severity, HostStatus, Verdict, RecordFileProblem and finding-kind enums with the
 * TypeScript constants. A realistic finding of every kind (the same one the format page shows)
 * must validate, and a broken one of every kind must not, both against the JSON Schema and zod.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { bundledAdvisoryIndex } from '../domain/advisories/index.js';
import { SAMPLE, sampleFindings, sampleReport } from '../fixtures/sample-report.js';
import { buildReport } from '../findings/build-report.js';
import type { ExposureVerdict, Finding, FindingKind, HostInventory } from './index.js';
import {
  FINDING_KINDS,
  HOST_STATUSES,
  RECORD_FILE_PROBLEMS,
  SEVERITIES,
  VERDICTS,
  anyFindingSchema,
  consumerViaSchema,
  findingSchema,
  iocRuleKindSchema,
  mountRiskSchema,
  proxySchema,
  scanReportSchema,
  secretSourceSchema,
  tunnelSourceSchema,
} from './index.js';
import { reportJsonSchemaText } from './json-schema.js';

type Schema = { [keyword: string]: unknown };

const schemaText = readFileSync(new URL('../../docs/report.schema.json', import.meta.url), 'utf8');
const root = JSON.parse(schemaText) as Schema;
const formatDoc = readFileSync(new URL('../../docs/report-format.md', import.meta.url), 'utf8');
const defs = root.$defs as Record<string, Schema>;

const ASSERTIONS = ['type', 'required', 'properties', 'additionalProperties', 'items', '$ref', 'const', 'enum', 'anyOf', 'allOf', 'if', 'then', 'else', 'minLength'];
const ANNOTATIONS = ['$schema', '$id', '$defs', '$comment', 'title', 'description', 'format', 'examples'];

/** Errors of `value` against `schema`, as JSON-pointer-ish paths; empty when it validates. */
function check(value: unknown, schema: Schema, at = '$'): string[] {
  const errors: string[] = [];
  if (typeof schema.$ref === 'string') {
    const name = schema.$ref.replace(/^#\/\$defs\//, '');
    const target = defs[name];
    if (!target) return [`${at}: unresolvable $ref ${schema.$ref}`];
    errors.push(...check(value, target, at));
  }
  if (schema.type !== undefined) {
    const types = Array.isArray(schema.type) ? (schema.type as string[]) : [schema.type as string];
    if (!types.some((type) => isType(value, type))) errors.push(`${at}: expected ${types.join(' or ')}, got ${JSON.stringify(value)}`);
  }
  if ('const' in schema && value !== schema.const) errors.push(`${at}: expected ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.includes(value)) errors.push(`${at}: ${JSON.stringify(value)} not in enum`);
  if (typeof schema.minLength === 'number' && typeof value === 'string' && value.length < schema.minLength) {
    errors.push(`${at}: shorter than ${schema.minLength}`);
  }
  if (Array.isArray(schema.anyOf) && !(schema.anyOf as Schema[]).some((branch) => check(value, branch, at).length === 0)) {
    errors.push(`${at}: matches no anyOf branch`);
  }
  for (const branch of (schema.allOf as Schema[] | undefined) ?? []) errors.push(...check(value, branch, at));
  if (isType(value, 'object')) {
    const object = value as Record<string, unknown>;
    for (const key of (schema.required as string[] | undefined) ?? []) if (!(key in object)) errors.push(`${at}: missing ${key}`);
    const properties = (schema.properties as Record<string, Schema> | undefined) ?? {};
    for (const [key, sub] of Object.entries(properties)) {
      if (key in object) errors.push(...check(object[key], sub, `${at}.${key}`));
    }
    if (schema.additionalProperties !== undefined) {
      for (const key of Object.keys(object).filter((key) => !(key in properties))) {
        if (schema.additionalProperties === false) errors.push(`${at}: unexpected ${key}`);
        else errors.push(...check(object[key], schema.additionalProperties as Schema, `${at}.${key}`));
      }
    }
  }
  if (Array.isArray(value) && schema.items) value.forEach((item, index) => errors.push(...check(item, schema.items as Schema, `${at}[${index}]`)));
  if (schema.if) {
    const branch = check(value, schema.if as Schema, at).length === 0 ? schema.then : schema.else;
    if (branch) errors.push(...check(value, branch as Schema, at));
  }
  return errors;
}

function isType(value: unknown, type: string): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'null':
      return value === null;
    case 'integer':
      return Number.isInteger(value);
    default:
      return typeof value === type;
  }
}

/** Every subschema of the document, with where it sits. */
function subschemas(schema: Schema, at = '#'): Array<[string, Schema]> {
  const found: Array<[string, Schema]> = [[at, schema]];
  for (const key of ['properties', '$defs']) {
    for (const [name, sub] of Object.entries((schema[key] as Record<string, Schema> | undefined) ?? {})) found.push(...subschemas(sub, `${at}/${key}/${name}`));
  }
  for (const key of ['items', 'additionalProperties', 'if', 'then', 'else']) if (typeof schema[key] === 'object') found.push(...subschemas(schema[key] as Schema, `${at}/${key}`));
  for (const key of ['anyOf', 'allOf']) {
    ((schema[key] as Schema[] | undefined) ?? []).forEach((sub, index) => found.push(...subschemas(sub, `${at}/${key}/${index}`)));
  }
  return found;
}

/** A deep copy of the sample report as plain JSON, which is what a consumer reads. */
function reportJson(): Record<string, any> {
  return JSON.parse(JSON.stringify(sampleReport()));
}

/**
 * A realistic finding of every kind; docs/report-format.md shows each one as its kind's example.
 * Each is what buildReport writes for detailedHosts() below (the compromised-package one is the
 * sample report's first finding with its verdict), except cached-compromised-artifact, which is what
 * findCachedCompromisedArtifacts writes for a litellm 1.82.8 wheel in alice's pip cache (shared/cache-findings.test.ts).
 */
const FINDING_EXAMPLES: { readonly [K in FindingKind]: Extract<Finding, { kind: K }> } = {
  'compromised-package': {
    ...sampleFindings()[0]!,
    verdict: 'exposed',
    reasons: [
      'litellm 1.82.8 in container litellm is a release MAL-2026-2144 names: the compromised code is installed',
      'Compromise window 2026-03-24T10:39:00Z – 2026-03-24T16:00:00Z (LiteLLM maintainers, "security-update-march-2026": anyone who installed between 10:39 and 16:00 UTC on 24 March may be affected (some write-ups say PyPI quarantined by 11:19 UTC; the wider window is kept).)',
      'Mutable tag ghcr.io/berriai/litellm:main-latest: a re-pull or re-create can fetch other content',
      'Auto-updater watchtower replaces it with newly pulled images',
      "Build-time install without hash pinning: pip install --no-cache-dir 'litellm[proxy]' (layer made 2026-03-24T11:21:07Z)",
      'Image built 2026-03-24T11:21:07Z: during the window',
      'Container created 2026-03-24T12:02:41.511203347Z: during the window',
      'Container last started 2026-03-24T12:02:42.067119954Z: during the window',
    ],
  },
  'executable-pth': {
    id: 'executable-pth:gw:container=litellm:/usr/lib/python3.13/site-packages/litellm_init.pth',
    kind: 'executable-pth',
    severity: 'critical',
    title: 'litellm_init.pth is the known-malicious litellm 1.82.8 credential stealer (TeamPCP, 24 March 2026) in container litellm on gw',
    host: 'gw',
    container: 'litellm',
    path: '/usr/lib/python3.13/site-packages/litellm_init.pth',
    sha256: '71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238',
    package: 'litellm',
    evidence: [
      'Path: /usr/lib/python3.13/site-packages/litellm_init.pth',
      'sha256: 71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238',
      'Owning distribution: litellm',
      'sha256 matches litellm 1.82.8 credential stealer (TeamPCP, 24 March 2026); source: shared/INCIDENT.md (LiteLLM 1.82.8 entry); the file is referenced by GHSA-5mg7-485q-xm76 (inspector.pypi.io …/litellm-1.82.8/litellm_init.pth)',
      'Executed line: import …',
      'Python executes lines of a .pth file that start with "import" at every interpreter start (site.py)',
    ],
  },
  'record-mismatch': {
    id: 'record-mismatch:gw:container=litellm:/usr/lib/python3.13/site-packages:openai@1.66.3',
    kind: 'record-mismatch',
    severity: 'high',
    title: 'openai 1.66.3 differs from its RECORD (1 modified, 1 unlisted) in container litellm on gw',
    host: 'gw',
    container: 'litellm',
    package: 'openai',
    version: '1.66.3',
    path: '/usr/lib/python3.13/site-packages',
    files: [
      { path: 'openai/_client.py', problem: 'modified' },
      { path: 'openai/_telemetry.py', problem: 'unlisted' },
    ],
    evidence: [
      'RECORD: /usr/lib/python3.13/site-packages/openai-1.66.3.dist-info/RECORD; 1191 files hashed and compared',
      'modified: openai/_client.py',
      'unlisted: openai/_telemetry.py',
      'Not counted: 1 bin/ scripts whose "#!" line pip rewrites at install time',
    ],
  },
  'artifact-mismatch': {
    "id": "artifact-mismatch:known-good:gw:container=litellm:/usr/lib/python3.13/site-packages:litellm@1.82.8",
    "kind": "artifact-mismatch",
    "severity": "critical",
    "title": "litellm 1.82.8 differs from the known-good wheel (1 added, 1 modified) in container litellm on gw",
    "host": "gw",
    "container": "litellm",
    "package": "litellm",
    "version": "1.82.8",
    "path": "/usr/lib/python3.13/site-packages",
    "against": "known-good",
    "reference": "wheel litellm-1.82.8-py3-none-any.whl (sha256 9f2c1e0b7a4d3c5e…)",
    "files": [
      {
        "path": "litellm/proxy/proxy_server.py",
        "difference": "modified"
      },
      {
        "path": "litellm_init.pth",
        "difference": "added"
      }
    ],
    "evidence": [
      "Compared file by file with the known-good wheel litellm-1.82.8-py3-none-any.whl (sha256 9f2c1e0b7a4d3c5e…), imported 2026-03-25T08:00:00.000Z",
      "modified: litellm/proxy/proxy_server.py",
      "added: litellm_init.pth",
      "Its own RECORD lists 2 of these files with matching hashes: whoever built it wrote the RECORD too"
    ]
  },
  ioc: {
    id: 'ioc:nodocker:host:litellm-sysmon-unit:/home/alice/.config/systemd/user/sysmon.service#sysmon.service',
    kind: 'ioc',
    severity: 'critical',
    title: 'LiteLLM payload persistence unit sysmon.service ("System Telemetry Service") on nodocker',
    host: 'nodocker',
    container: null,
    rule: 'litellm-sysmon-unit',
    source: 'LiteLLM blog security-update-march-2026 (primary)',
    path: '/home/alice/.config/systemd/user/sysmon.service',
    unit: 'sysmon.service',
    ruleKind: 'systemd-unit',
    compromise: 'litellm-2026-03',
    evidence: [
      'Unit file present at /home/alice/.config/systemd/user/sysmon.service (unit sysmon.service): Description=System Telemetry Service',
      'Rule litellm-sysmon-unit (litellm-2026-03, systemd-unit)',
      'Source: LiteLLM blog security-update-march-2026 (primary)',
      'Sysmon for Linux also ships a sysmon.service; only a unit naming the payload counts.',
    ],
  },
  'mutable-image-tag': {
    id: 'mutable-image-tag:gw:container=litellm',
    kind: 'mutable-image-tag',
    severity: 'high',
    title: 'Container litellm on gw runs the mutable tag ghcr.io/berriai/litellm:main-latest',
    host: 'gw',
    container: 'litellm',
    image: 'ghcr.io/berriai/litellm:main-latest',
    evidence: [
      'Deployed from ghcr.io/berriai/litellm:main-latest: a tag the registry can re-point, so a re-pull or re-create may fetch other content',
      'RepoDigests: ghcr.io/berriai/litellm@sha256:acfd6767b74fa45ddcc34a293b21c78314ef45d1f5a6d5ff18194f69ea42a735',
      'Image built 2026-03-24T11:21:07Z',
      'Container created 2026-03-24T12:02:41.511203347Z, last started 2026-03-24T12:02:42.067119954Z',
      'Label com.centurylinklabs.watchtower.enable=true',
      'The container holds a flagged package',
    ],
  },
  'auto-updater': {
    id: 'auto-updater:gw:container=watchtower',
    kind: 'auto-updater',
    severity: 'high',
    title: 'Watchtower (watchtower) on gw can re-pull 1 container unattended',
    host: 'gw',
    container: 'watchtower',
    updater: 'watchtower',
    watches: ['litellm'],
    evidence: [
      'Watchtower container watchtower runs containrrr/watchtower:latest',
      'Label mode (--label-enable / WATCHTOWER_LABEL_ENABLE): only containers labelled com.centurylinklabs.watchtower.enable=true',
      'Watches: litellm',
      'Replaces with newly pulled images: litellm',
      'litellm holds a flagged package',
    ],
  },
  'build-time-install': {
    id: 'build-time-install:gw:container=litellm',
    kind: 'build-time-install',
    severity: 'high',
    title: 'Image ghcr.io/berriai/litellm:main-latest of litellm on gw installed Python packages from a live index without hashes',
    host: 'gw',
    container: 'litellm',
    image: 'ghcr.io/berriai/litellm:main-latest',
    command: "pip install --no-cache-dir 'litellm[proxy]'",
    evidence: [
      "2026-03-24T11:21:07Z: pip install --no-cache-dir 'litellm[proxy]' (no --require-hashes, installs from the index)",
      'RepoDigests: ghcr.io/berriai/litellm@sha256:acfd6767b74fa45ddcc34a293b21c78314ef45d1f5a6d5ff18194f69ea42a735',
      'Image built 2026-03-24T11:21:07Z',
      'Container created 2026-03-24T12:02:41.511203347Z, last started 2026-03-24T12:02:42.067119954Z',
      'Label com.centurylinklabs.watchtower.enable=true',
      'The container holds a flagged package',
    ],
  },
  'docker-socket-mount': {
    id: 'docker-socket-mount:gw:container=watchtower',
    kind: 'docker-socket-mount',
    severity: 'high',
    title: 'Container watchtower on gw can drive the container engine (and so the host)',
    host: 'gw',
    container: 'watchtower',
    evidence: [
      'Bind mount /var/run/docker.sock → /var/run/docker.sock',
      'Image containrrr/watchtower:latest, running',
    ],
  },
  'cached-compromised-artifact': {
    id: 'cached-compromised-artifact:nodocker:host:/home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec/litellm-1.82.8-py3-none-any.whl',
    kind: 'cached-compromised-artifact',
    severity: 'critical',
    title: "litellm 1.82.8 (malicious code, MAL-2026-2144) in alice's pip wheel cache on nodocker",
    host: 'nodocker',
    container: null,
    path: '/home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec/litellm-1.82.8-py3-none-any.whl',
    package: 'litellm',
    version: '1.82.8',
    evidence: [
      'Wheel litellm-1.82.8-py3-none-any.whl in /home/alice/.cache/pip/wheels/07/3a/0a/e685646460b5cf80f5532edb5698ddecfd5ffcdde0943f99ec',
      'MAL-2026-2144 (also PYSEC-2026-2): Malicious code in litellm (PyPI)',
      'GHSA-5mg7-485q-xm76: Two LiteLLM versions published containing credential harvesting malware',
      'pip installs a cached wheel of the same version without downloading it again',
    ],
  },
  secret: {
    id: 'secret:openai:3f9a1c0d5e7b:Qx4T',
    kind: 'secret',
    severity: 'critical',
    title: 'openai key openai:3f9a1c0d5e7b:Qx4T in 2 places on 2 hosts',
    host: 'gw',
    container: 'litellm',
    provider: 'openai',
    fingerprint: 'openai:3f9a1c0d5e7b:Qx4T',
    locations: [
      {
        host: 'gw',
        container: 'litellm',
        source: 'container-env',
        variable: 'OPENAI_API_KEY',
      },
      {
        host: 'nodocker',
        container: null,
        source: 'env-file',
        path: '/home/alice/project/.env',
        variable: 'OPENAI_API_KEY',
      },
    ],
    evidence: [
      'Held in a place judged exposed: assume the key was read and rotate it',
      'Container litellm on gw: environment variable OPENAI_API_KEY — place judged exposed: litellm 1.82.8 judged exposed (MAL-2026-2144)',
      'Host nodocker: OPENAI_API_KEY in /home/alice/project/.env (env-file) — place judged exposed: litellm 1.82.7 judged exposed (MAL-2026-2144)',
    ],
  },
  gateway: {
    id: 'gateway:gw:container=litellm',
    kind: 'gateway',
    severity: 'critical',
    title: 'LiteLLM gateway container litellm on gw is exposed: every key it holds and every backend it calls is in the blast radius',
    host: 'gw',
    container: 'litellm',
    gateway: 'litellm',
    endpoints: [
      'litellm:4000',
      '10.88.0.7:4000',
      '172.18.0.1:4000',
    ],
    backends: [
      'openai',
      'http://ollama.lab.example:11434',
    ],
    evidence: [
      'Image ghcr.io/berriai/litellm:main-latest is LiteLLM',
      'Place judged exposed: litellm 1.82.8 judged exposed (MAL-2026-2144)',
      'Config /app/config.yaml: 2 model routes, 1 virtual key',
      'Virtual key open-webui (gpt-4o): litellm:9e8d7c6b5a41:vk01 (/app/config.yaml)',
      'Reached at litellm:4000, 10.88.0.7:4000, 172.18.0.1:4000',
      'Model gpt-4o calls provider openai (/app/config.yaml)',
      'Model llama3 calls http://ollama.lab.example:11434 (/app/config.yaml): not a scanned place',
      'Holds the openai key openai:3f9a1c0d5e7b:Qx4T (OPENAI_API_KEY)',
    ],
  },
  consumer: {
    id: 'consumer:gw:container=open-webui->gw:container=litellm',
    kind: 'consumer',
    severity: 'high',
    title: 'Container open-webui on gw sends requests to the exposed LiteLLM gateway litellm on gw (shared-network)',
    host: 'gw',
    container: 'open-webui',
    consumer: 'open-webui',
    consumerHost: 'gw',
    gateway: 'litellm',
    gatewayHost: 'gw',
    via: 'shared-network',
    evidence: [
      'OPENAI_API_BASE_URL (container-env) = http://litellm:4000/v1: litellm:4000 is container litellm on network ai_default, which open-webui shares (host gw)',
      'ESTABLISHED 172.18.0.4:51734 → 172.18.0.3:4000 in container litellm\'s namespace: peer is container open-webui on gw (network ai_default)',
      'The gateway is judged exposed (litellm 1.82.8 judged exposed (MAL-2026-2144)): prompts, responses and the key this consumer presents passed through compromised code',
    ],
  },
  'ssh-lateral': {
    id: 'ssh-lateral:nodocker->gw:root:ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    kind: 'ssh-lateral',
    severity: 'critical',
    title: 'Exposed host nodocker holds a key that logs into gw as root',
    host: 'nodocker',
    container: null,
    fromHost: 'nodocker',
    toHost: 'gw',
    keyFingerprint: 'ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
    toUser: 'root',
    evidence: [
      '/root/.ssh/authorized_keys on gw allows ssh-ed25519 SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 (alice@nodocker) to log in as root',
      'Private key ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 in host nodocker: /home/alice/.ssh/id_ed25519',
      'nodocker is judged exposed: litellm 1.82.7 judged exposed (MAL-2026-2144)',
      'gw is reachable from exposed host nodocker in 1 hop',
    ],
  },
  'content-signature': {
    "id": "content-signature:gw:container=litellm:/usr/lib/python3.13/site-packages/sitecustomize.py",
    "kind": "content-signature",
    "severity": "critical",
    "title": "sitecustomize.py matches TeamPCP stager of litellm_init.pth: exec of the base64 blob holding B64_SCRIPT (and 2 more signatures) in container litellm on gw",
    "host": "gw",
    "container": "litellm",
    "path": "/usr/lib/python3.13/site-packages/sitecustomize.py",
    "file": "sitecustomize",
    "package": null,
    "sha256": "5f1c9e0a4b7d2e3f8a6c1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f",
    "signatures": [
      "teampcp-litellm-stager",
      "teampcp-stager-blob",
      "exec-of-decoded-text"
    ],
    "evidence": [
      "Path: /usr/lib/python3.13/site-packages/sitecustomize.py",
      "sha256: 5f1c9e0a4b7d2e3f8a6c1b0d9e8f7a6b5c4d3e2f1a0b9c8d7e6f5a4b3c2d1e0f",
      "Owning distribution: none (no RECORD in this folder lists the file)",
      "Matches teampcp-litellm-stager: TeamPCP stager of litellm_init.pth: exec of the base64 blob holding B64_SCRIPT [critical, text only the payload holds; source: SigmaHQ rule \"LiteLLM / TeamPCP Supply Chain Attack Indicators\" (Nextron, 2026-03-30), rules-emerging-threats/2026/TA/TeamPCP/ (secondary, https://github.com/SigmaHQ/sigma)]",
      "  line 2: exec(base64.b64decode('aW1wb3J0…kI2NF9TQ1JJUFQgPSAiYV…'))",
      "Matches teampcp-stager-blob: TeamPCP stager blob (base64 of B64_SCRIPT = \"a…) [critical, text only the payload holds; source: SigmaHQ rule \"LiteLLM / TeamPCP Supply Chain Attack Indicators\" (Nextron, 2026-03-30) (secondary, https://github.com/SigmaHQ/sigma)]",
      "  line 2: exec(base64.b64decode('aW1wb3J0…kI2NF9TQ1JJUFQgPSAiYV…'))",
      "Matches exec-of-decoded-text: exec() of base64-decoded (or otherwise decoded) text [high, a payload shape, heuristic; source: The stager's shape in the SigmaHQ TeamPCP rule (exec(base64.b64decode(…))), generalised to any b16/b32/b64/b85 decode (secondary, https://github.com/SigmaHQ/sigma)]",
      "  line 2: exec(base64.b64decode('aW1wb3J0…kI2NF9TQ1JJUFQgPSAiYV…'))",
      "Python imports sitecustomize.py at every interpreter start when it is on the path (site.py)",
      "The file was read as data: nothing was run"
    ]
  },
  'hardening-gap': {
    id: 'hardening-gap:nodocker:env=/home/alice/project/.venv/lib/python3.11/site-packages',
    kind: 'hardening-gap',
    severity: 'low',
    title: 'Virtualenv /home/alice/project/.venv on nodocker is not hardened: no hash-pinned requirements or lockfile, installs from public PyPI, upgraded unattended',
    host: 'nodocker',
    container: null,
    environment: '/home/alice/project/.venv/lib/python3.11/site-packages',
    image: null,
    project: '/home/alice/project',
    gaps: [
      { gap: 'no-hash-pins', detail: '/home/alice/project/requirements.txt records no hashes, and pins loosely: litellm>=1.80', source: '/home/alice/project/requirements.txt' },
      { gap: 'public-index', detail: 'pip installs from public PyPI, https://pypi.org/simple: no index is configured, so it uses its default', source: null },
      {
        gap: 'unattended-upgrade',
        detail: 'Runs unattended: 30 4 * * * /home/alice/project/.venv/bin/pip install -U -r /home/alice/project/requirements.txt',
        source: '/var/spool/cron/crontabs/alice',
      },
    ],
    evidence: [
      '/home/alice/project/requirements.txt records no hashes, and pins loosely: litellm>=1.80',
      'pip installs from public PyPI, https://pypi.org/simple: no index is configured, so it uses its default',
      'Runs unattended: 30 4 * * * /home/alice/project/.venv/bin/pip install -U -r /home/alice/project/requirements.txt',
    ],
  },
};

/**
 * The sample report's hosts with every optional inventory field this version writes: the facts
 * the examples were made from with buildReport (Docker inspect details of the containers on gw,
 * a Watchtower container, litellm 1.82.6 in open-webui, the .pth audit and a RECORD check of the
 * litellm environment, an IOC hit on nodocker).
 */
function detailedHosts(): HostInventory[] {
  const hosts = sampleReport().hosts;
  const [gw, nodocker] = hosts as [HostInventory, HostInventory];
  const litellm = gw.containers[0]!;
  Object.assign(litellm, {
    pinnedByDigest: false,
    repoDigests: [`ghcr.io/berriai/litellm@${SAMPLE.litellmDigest}`],
    imageCreated: '2026-03-24T11:21:07Z',
    created: '2026-03-24T12:02:41.511203347Z',
    startedAt: '2026-03-24T12:02:42.067119954Z',
    restartPolicy: 'unless-stopped',
    mounts: [{ type: 'bind', source: '/srv/litellm/config.yaml', destination: '/app/config.yaml', readOnly: true }],
    networks: [{ name: 'ai_default', ipAddress: '172.18.0.3', ipv6Address: null, aliases: ['litellm', 'dc45343dedbe'] }],
    ports: [{ containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: '4000' }],
    labels: { 'com.centurylinklabs.watchtower.enable': 'true', 'com.docker.compose.project': 'ai' },
    envNames: ['LITELLM_MASTER_KEY', 'OPENAI_API_KEY', 'PATH'],
    buildInstalls: [
      { command: "pip install --no-cache-dir 'litellm[proxy]'", tool: 'pip', hashPinned: false, reason: 'no --require-hashes, installs from the index', createdAt: '2026-03-24T11:21:07Z' },
    ],
  } satisfies Partial<HostInventory['containers'][number]>);
  Object.assign(gw.containers[1]!, {
    pinnedByDigest: false,
    imageCreated: '2026-03-06T17:40:12Z',
    created: '2026-03-10T09:12:44.803950106Z',
    startedAt: '2026-03-10T09:12:45.219042719Z',
    compose: {
      project: 'ai',
      service: 'open-webui',
      workingDir: '/srv/ai',
      configFiles: ['/srv/ai/compose.yaml'],
      image: 'ghcr.io/open-webui/open-webui:main',
      imagePinnedByDigest: false,
      envFiles: ['/srv/ai/open-webui.env'],
    },
  } satisfies Partial<HostInventory['containers'][number]>);
  gw.pythonEnvironments[2]!.packages.push({ name: 'litellm', version: '1.82.6', metadataPath: `${SAMPLE.openWebuiSite}/litellm-1.82.6.dist-info` });
  gw.containers.push({
    id: '5a0e2b7c1d9f4e3a8b6c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a',
    name: 'watchtower',
    image: 'containrrr/watchtower:latest',
    imageDigest: 'sha256:6dd50763bbd632a83cb154d5451700530d1e44200b268a4e9488fefdfcf2b038',
    running: true,
    pinnedByDigest: false,
    startedAt: '2026-03-02T07:14:09.318220041Z',
    restartPolicy: 'always',
    mounts: [{ type: 'bind', source: '/var/run/docker.sock', destination: '/var/run/docker.sock', readOnly: false, risk: 'engine-socket' }],
    labels: {},
    envNames: ['WATCHTOWER_LABEL_ENABLE', 'PATH'],
    autoUpdater: { updater: 'watchtower', settings: { WATCHTOWER_LABEL_ENABLE: 'true' }, args: [] },
  });
  const site = gw.pythonEnvironments[1]!;
  site.pthFiles = [
    {
      path: `${SAMPLE.litellmSite}/litellm_init.pth`,
      sha256: '71e35aef03099cd1f2d6446734273025a163597de93912df321ef118bf135238',
      owner: 'litellm',
      lines: [{ text: 'import …', executable: true }],
    },
  ];
  site.packages[1]!.record = {
    checked: 1191,
    problems: [
      { path: 'openai/_client.py', problem: 'modified' },
      { path: 'openai/_telemetry.py', problem: 'unlisted' },
    ],
    shebangRewrites: ['../../../bin/openai'],
  };
  gw.iocHits = [];
  nodocker.iocHits = [
    {
      ruleId: 'litellm-sysmon-unit',
      container: null,
      path: '/home/alice/.config/systemd/user/sysmon.service',
      unit: 'sysmon.service',
      matched: 'Description=System Telemetry Service',
    },
  ];
  // Topology: litellm's keys and config, open-webui calling it over the compose network and holding
  // a live connection, alice's deploy key on nodocker that gw accepts, and her tunnel to gw.
  gw.addresses = ['10.88.0.7', '127.0.0.1', '172.18.0.1'];
  gw.containers[1]!.networks = [{ name: 'ai_default', ipAddress: '172.18.0.4', ipv6Address: null, aliases: ['open-webui', 'bdd64d6668ae'] }];
  gw.secrets = [
    { fingerprint: TOPOLOGY.openaiKey, provider: 'openai', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' },
    { fingerprint: TOPOLOGY.masterKey, provider: 'litellm', container: 'litellm', source: 'container-env', variable: 'LITELLM_MASTER_KEY' },
  ];
  gw.authorizedKeys = [{ user: 'root', path: '/root/.ssh/authorized_keys', fingerprint: TOPOLOGY.deployKey.slice('ssh:'.length), keyType: 'ssh-ed25519', comment: 'alice@nodocker' }];
  gw.endpointReferences = [
    { container: 'open-webui', source: 'container-env', variable: 'OPENAI_API_BASE_URL', url: 'http://litellm:4000/v1', targetHost: 'litellm', targetPort: 4000 },
  ];
  gw.proxyRoutes = [{ proxy: 'traefik', container: 'litellm', match: 'Host(`llm.lab.example`)', upstreamHost: 'litellm', upstreamPort: 4000 }];
  gw.connections = [
    { container: 'litellm', localAddress: '172.18.0.3', localPort: 4000, remoteAddress: '172.18.0.4', remotePort: 51734, state: 'ESTABLISHED' },
    { container: 'litellm', localAddress: '0.0.0.0', localPort: 4000, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN' },
  ];
  gw.gatewayConfigs = [
    {
      gateway: 'litellm',
      container: 'litellm',
      path: '/app/config.yaml',
      models: [
        { name: 'gpt-4o', provider: 'openai', keyFingerprint: TOPOLOGY.openaiKey, keyVariable: 'OPENAI_API_KEY' },
        { name: 'llama3', provider: 'ollama', apiBase: 'http://ollama.lab.example:11434' },
      ],
      virtualKeys: [{ fingerprint: 'litellm:9e8d7c6b5a41:vk01', alias: 'open-webui', models: ['gpt-4o'] }],
    },
  ];
  nodocker.addresses = ['10.88.0.8', '127.0.0.1'];
  nodocker.secrets = [
    { fingerprint: TOPOLOGY.deployKey, provider: 'ssh', container: null, source: 'ssh-key', path: '/home/alice/.ssh/id_ed25519' },
    { fingerprint: TOPOLOGY.openaiKey, provider: 'openai', container: null, source: 'env-file', path: '/home/alice/project/.env', variable: 'OPENAI_API_KEY' },
  ];
  nodocker.tunnels = [
    {
      source: 'systemd',
      path: '/home/alice/.config/systemd/user/gw-tunnel.service',
      unit: 'gw-tunnel.service',
      localAddress: '127.0.0.1',
      localPort: 14000,
      remoteHost: 'localhost',
      remotePort: 4000,
      sshDestination: 'alice@gw',
      command: 'ssh -N -L 14000:localhost:4000 alice@gw',
    },
  ];
  nodocker.endpointReferences = [
    { container: null, source: 'shell-rc', path: '/home/alice/.bashrc', variable: 'OPENAI_BASE_URL', url: 'http://localhost:14000/v1', targetHost: 'localhost', targetPort: 14000 },
  ];
  nodocker.hardening = [
    {
      container: null,
      environment: '/home/alice/project/.venv/lib/python3.11/site-packages',
      image: null,
      project: '/home/alice/project',
      installer: 'pip',
      pinFiles: [{ path: '/home/alice/project/requirements.txt', kind: 'requirements', hashes: false, loose: ['litellm>=1.80'] }],
      hashPinnedBuild: null,
      indexes: [{ url: 'https://pypi.org/simple', role: 'primary', public: true, source: 'default (nothing configured)' }],
      upgrades: [{ source: '/var/spool/cron/crontabs/alice', command: '30 4 * * * /home/alice/project/.venv/bin/pip install -U -r /home/alice/project/requirements.txt' }],
    },
  ];
  return JSON.parse(JSON.stringify(hosts));
}

/** Fingerprints of the keys in detailedHosts(): real-shaped, never real. */
const TOPOLOGY = {
  openaiKey: 'openai:3f9a1c0d5e7b:Qx4T',
  masterKey: 'litellm:0c4d1e2f3a4b:m4st',
  deployKey: 'ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
} as const;

/** Two exposure verdicts as buildReport writes them, the same the format page shows: open-webui's clean litellm on gw, alice's 1.82.7 on nodocker. */
const EXPOSURE_EXAMPLES: readonly ExposureVerdict[] = [
  {
    host: 'gw',
    container: 'open-webui',
    path: '/usr/local/lib/python3.11/site-packages',
    package: 'litellm',
    installedVersion: '1.82.6',
    advisories: ['MAL-2026-2144', 'PYSEC-2026-2'],
    verdict: 'not-exposed',
    reasons: [
      'Created 2026-03-10T09:12:44.803950106Z, before the window, and still running a clean version: it ran this same image throughout the window',
      'Compromise window 2026-03-24T10:39:00Z – 2026-03-24T16:00:00Z (LiteLLM maintainers, "security-update-march-2026": anyone who installed between 10:39 and 16:00 UTC on 24 March may be affected (some write-ups say PyPI quarantined by 11:19 UTC; the wider window is kept).)',
      'Mutable tag ghcr.io/open-webui/open-webui:main: a re-pull or re-create can fetch other content',
      'Image built 2026-03-06T17:40:12Z: before the window',
      'Container created 2026-03-10T09:12:44.803950106Z: before the window',
      'Container last started 2026-03-10T09:12:45.219042719Z: before the window',
    ],
    window: {
      id: 'litellm-2026-03-24',
      start: '2026-03-24T10:39:00Z',
      end: '2026-03-24T16:00:00Z',
    },
  },
  {
    host: 'nodocker',
    container: null,
    path: '/home/alice/.local/lib/python3.11/site-packages',
    package: 'litellm',
    installedVersion: '1.82.7',
    advisories: ['MAL-2026-2144', 'PYSEC-2026-2'],
    verdict: 'exposed',
    reasons: [
      'litellm 1.82.7 in /home/alice/.local/lib/python3.11/site-packages on the host is a release MAL-2026-2144 names: the compromised code is installed',
      'Compromise window 2026-03-24T10:39:00Z – 2026-03-24T16:00:00Z (LiteLLM maintainers, "security-update-march-2026": anyone who installed between 10:39 and 16:00 UTC on 24 March may be affected (some write-ups say PyPI quarantined by 11:19 UTC; the wider window is kept).)',
    ],
    window: {
      id: 'litellm-2026-03-24',
      start: '2026-03-24T10:39:00Z',
      end: '2026-03-24T16:00:00Z',
    },
  },
];

/** How to break a finding of each kind, and the error the schema then reports; each kind is checked by its own definition. */
const BROKEN_FINDINGS: Record<FindingKind, [(finding: Record<string, any>) => void, string]> = {
  'compromised-package': [(finding) => (finding.verdict = 'probably-fine'), '$.findings[2].verdict: "probably-fine" not in enum'],
  'executable-pth': [(finding) => delete finding.package, '$.findings[2]: missing package'],
  'record-mismatch': [(finding) => (finding.files[1].problem = 'changed'), '$.findings[2].files[1].problem: "changed" not in enum'],
  'artifact-mismatch': [(finding) => (finding.against = 'the-internet'), '$.findings[2].against: "the-internet" not in enum'],
  ioc: [(finding) => delete finding.source, '$.findings[2]: missing source'],
  'mutable-image-tag': [(finding) => delete finding.image, '$.findings[2]: missing image'],
  'auto-updater': [(finding) => (finding.watches = 'litellm'), '$.findings[2].watches: expected array, got "litellm"'],
  'build-time-install': [(finding) => delete finding.command, '$.findings[2]: missing command'],
  'docker-socket-mount': [(finding) => (finding.container = 7), '$.findings[2].container: expected string or null, got 7'],
  'cached-compromised-artifact': [(finding) => (finding.version = 1.82), '$.findings[2].version: expected string, got 1.82'],
  secret: [(finding) => delete finding.locations[1].source, '$.findings[2].locations[1]: missing source'],
  gateway: [(finding) => (finding.endpoints = 'litellm:4000'), '$.findings[2].endpoints: expected array, got "litellm:4000"'],
  consumer: [(finding) => delete finding.via, '$.findings[2]: missing via'],
  'ssh-lateral': [(finding) => delete finding.toUser, '$.findings[2]: missing toUser'],
  'content-signature': [(finding) => (finding.file = 'setup.py'), '$.findings[2].file: "setup.py" not in enum'],
  'hardening-gap': [(finding) => (finding.gaps[0].gap = 'no-lockfile'), '$.findings[2].gaps[0].gap: "no-lockfile" not in enum'],
};

/** A fresh deep copy of one kind's example, as plain JSON. */
function exampleJson(kind: FindingKind): Record<string, any> {
  return JSON.parse(JSON.stringify(FINDING_EXAMPLES[kind]));
}

/** The sections of docs/report-format.md by heading, each running to the next heading of its level or higher. */
function docSection(heading: string): string {
  const start = formatDoc.indexOf(`\n${heading}\n`);
  if (start < 0) return '';
  const level = heading.split(' ')[0]!;
  const rest = formatDoc.slice(start + heading.length + 2);
  const end = rest.search(new RegExp(`^#{1,${level.length}} `, 'm'));
  return end < 0 ? rest : rest.slice(0, end);
}

/** The JSON code blocks of a piece of Markdown, parsed. */
function jsonBlocks(markdown: string): unknown[] {
  return [...markdown.matchAll(/^```json\n([\s\S]*?)^```$/gm)].map((match) => JSON.parse(match[1]!));
}

/** The names the first table of a piece of Markdown lists in its first column. */
function tableFields(markdown: string): string[] {
  const table = /(?:^\|.*\n?)+/m.exec(markdown)?.[0] ?? '';
  return [...table.matchAll(/^\| `([^`]+)` \|/gm)].map((match) => match[1]!);
}

/** The zod issue path, as `.a[1].b`, of an error `check` reports for the third finding of a report. */
function zodPathOf(error: string): string {
  const [at, problem] = error.split(': ') as [string, string];
  const path = at.replace(/^\$\.findings\[2\]/, '');
  const missing = /^missing (\w+)$/.exec(problem)?.[1];
  return missing ? `${path}.${missing}` : path;
}

/** The object definitions of the schema, the root (`#`) first. */
const OBJECT_DEFINITIONS = ['#', ...Object.keys(defs).filter((name) => defs[name]!.type === 'object')];

/** The zod schema a definition is generated from: the report for `#`, the common fields for `Finding`, else the one with that id. */
function zodSchemaOf(name: string): z.core.$ZodType | undefined {
  if (name === '#') return scanReportSchema;
  if (name === 'Finding') return anyFindingSchema;
  return z.globalRegistry._idmap.get(name);
}

/** Each field of a definition's zod object schema: `required` or `optional`, with ` nullable` when zod accepts null. */
function zodShape(name: string): Record<string, string> {
  const schema = zodSchemaOf(name);
  const shape: Record<string, z.ZodType> = schema instanceof z.ZodObject ? schema.shape : {};
  return Object.fromEntries(
    Object.entries(shape).map(([field, type]) => [
      field,
      `${type.safeParse(undefined).success ? 'optional' : 'required'}${type.safeParse(null).success ? ' nullable' : ''}`,
    ]),
  );
}

function allowsNull(property: Schema): boolean {
  if (Array.isArray(property.type)) return property.type.includes('null');
  if (Array.isArray(property.anyOf)) return (property.anyOf as Schema[]).some((branch) => branch.type === 'null');
  return property.type === 'null';
}

describe('docs/report.schema.json as checked here', () => {
  it('is what the zod schemas of shared/model/ generate (run `npm run schema` after changing them)', () => {
    const generated = reportJsonSchemaText();

    expect(schemaText === generated, 'docs/report.schema.json is stale: run `npm run schema` and commit the result').toBe(true);
    expect(schemaText).toBe(generated);
  });

  it('uses only keywords this test can check', () => {
    const unknown = subschemas(root).flatMap(([at, schema]) =>
      Object.keys(schema)
        .filter((keyword) => !ASSERTIONS.includes(keyword) && !ANNOTATIONS.includes(keyword))
        .map((keyword) => `${at}: ${keyword}`),
    );

    expect(unknown).toEqual([]);
  });

  it('is a draft 2020-12 schema that leaves objects open for later optional fields', () => {
    // Only maps (container labels, updater settings, installed files' hashes, Kubernetes Service selectors) constrain keys they do not name, and only their values' type.
    const closed = subschemas(root).filter(
      ([, schema]) => schema.additionalProperties === false || 'unevaluatedProperties' in schema || ('additionalProperties' in schema && 'properties' in schema),
    );
    const maps = subschemas(root).filter(([, schema]) => 'additionalProperties' in schema);

    expect(root.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(closed).toEqual([]);
    expect(maps.map(([, schema]) => schema.additionalProperties)).toEqual([{ type: 'string' }, { type: 'string' }, { type: 'string' }, { type: 'string' }]);
  });

  it('accepts the sample report', () => {
    const report = reportJson();

    expect(check(report, root)).toEqual([]);
  });

  it('rejects reports that break the contract, so the check above can fail', () => {
    const cases: Array<[string, (report: Record<string, any>) => void, string]> = [
      ['no scannedAt', (report) => delete report.scannedAt, '$: missing scannedAt'],
      ['schemaVersion 2', (report) => (report.schemaVersion = 2), '$.schemaVersion: expected 1'],
      ['unknown severity', (report) => (report.findings[0].severity = 'severe'), '$.findings[0].severity: "severe" not in enum'],
      ['unknown host status', (report) => (report.hosts[0].status = 'down'), '$.hosts[0].status: "down" not in enum'],
      ['failed host without error', (report) => delete report.hosts[2].error, '$.hosts[2]: missing error'],
      ['package finding without path', (report) => delete report.findings[1].path, '$.findings[1]: missing path'],
      ['numeric digest', (report) => (report.hosts[0].containers[0].imageDigest = 42), '$.hosts[0].containers[0].imageDigest: expected string or null, got 42'],
      ['facts as a string', (report) => (report.hosts[0].facts = 'Debian'), '$.hosts[0].facts: matches no anyOf branch'],
      ['empty finding id', (report) => (report.findings[0].id = ''), '$.findings[0].id: shorter than 1'],
    ];

    for (const [, breakIt, expected] of cases) {
      const report = reportJson();
      breakIt(report);
      expect(check(report, root)).toContain(expected);
    }
  });

  it('accepts what later versions may add: unknown fields and finding kinds with the common fields', () => {
    const report = reportJson();
    report.generator = 'blast-radius 0.2.0';
    report.hosts[0].containers[0].labels = { 'com.centurylinklabs.watchtower.enable': 'true' };
    report.findings.push({
      id: 'exposed-docker-api:gw',
      kind: 'exposed-docker-api',
      severity: 'high',
      title: 'Docker API on TCP 2375 without TLS',
      host: 'gw',
      container: null,
      evidence: ['dockerd listens on 0.0.0.0:2375 (-H tcp://0.0.0.0:2375, no --tlsverify)'],
    });

    expect(check(report, root)).toEqual([]);
  });

  it('still requires id, kind, severity and title of a finding kind it does not know', () => {
    const report = reportJson();
    report.findings.push({ id: 'future:1', kind: 'future-kind', title: 'no severity', host: 'gw', container: null, evidence: [] });

    expect(check(report, root)).toEqual(['$.findings[2]: missing severity']);
  });

  it('still requires host, container and evidence of a finding kind it does not know', () => {
    const report = reportJson();
    report.findings.push({ id: 'future:1', kind: 'future-kind', severity: 'high', title: 'no place', container: 'litellm' });

    expect(check(report, root)).toEqual(['$.findings[2]: missing host', '$.findings[2]: missing evidence']);
  });

  it('accepts hosts with every optional inventory field this version writes', () => {
    const report = reportJson();
    report.hosts = detailedHosts();

    expect(check(report, root)).toEqual([]);
  });

  it('rejects inventory details that break the contract, so the check above can fail', () => {
    const cases: Array<[string, (hosts: Record<string, any>[]) => void, string]> = [
      ['readOnly as text', (hosts) => (hosts[0]!.containers[2].mounts[0].readOnly = 'no'), '$.hosts[0].containers[2].mounts[0].readOnly: expected boolean, got "no"'],
      ['network without aliases', (hosts) => delete hosts[0]!.containers[0].networks[0].aliases, '$.hosts[0].containers[0].networks[0]: missing aliases'],
      ['numeric host port', (hosts) => (hosts[0]!.containers[0].ports[0].hostPort = 4000), '$.hosts[0].containers[0].ports[0].hostPort: expected string, got 4000'],
      ['compose pin as text', (hosts) => (hosts[0]!.containers[1].compose.imagePinnedByDigest = 'no'), '$.hosts[0].containers[1].compose.imagePinnedByDigest: expected boolean or null, got "no"'],
      ['updater without settings', (hosts) => delete hosts[0]!.containers[2].autoUpdater.settings, '$.hosts[0].containers[2].autoUpdater: missing settings'],
      ['build step without createdAt', (hosts) => delete hosts[0]!.containers[0].buildInstalls[0].createdAt, '$.hosts[0].containers[0].buildInstalls[0]: missing createdAt'],
      ['half a file checked', (hosts) => (hosts[0]!.pythonEnvironments[1].packages[1].record.checked = 1.5), '$.hosts[0].pythonEnvironments[1].packages[1].record.checked: expected integer, got 1.5'],
      ['record problem unknown', (hosts) => (hosts[0]!.pythonEnvironments[1].packages[1].record.problems[0].problem = 'changed'), '$.hosts[0].pythonEnvironments[1].packages[1].record.problems[0].problem: "changed" not in enum'],
      ['.pth without owner', (hosts) => delete hosts[0]!.pythonEnvironments[1].pthFiles[0].owner, '$.hosts[0].pythonEnvironments[1].pthFiles[0]: missing owner'],
      ['.pth line without executable', (hosts) => delete hosts[0]!.pythonEnvironments[1].pthFiles[0].lines[0].executable, '$.hosts[0].pythonEnvironments[1].pthFiles[0].lines[0]: missing executable'],
      ['IOC hit without matched', (hosts) => delete hosts[1]!.iocHits[0].matched, '$.hosts[1].iocHits[0]: missing matched'],
      ['secret without fingerprint', (hosts) => delete hosts[0]!.secrets[0].fingerprint, '$.hosts[0].secrets[0]: missing fingerprint'],
      ['port as text', (hosts) => (hosts[1]!.tunnels[0].localPort = '14000'), '$.hosts[1].tunnels[0].localPort: expected integer, got "14000"'],
      ['reference without container', (hosts) => delete hosts[0]!.endpointReferences[0].container, '$.hosts[0].endpointReferences[0]: missing container'],
      ['route without upstream port', (hosts) => delete hosts[0]!.proxyRoutes[0].upstreamPort, '$.hosts[0].proxyRoutes[0]: missing upstreamPort'],
      ['connection without state', (hosts) => delete hosts[0]!.connections[0].state, '$.hosts[0].connections[0]: missing state'],
      ['model route without provider', (hosts) => delete hosts[0]!.gatewayConfigs[0].models[1].provider, '$.hosts[0].gatewayConfigs[0].models[1]: missing provider'],
      ['virtual key models as text', (hosts) => (hosts[0]!.gatewayConfigs[0].virtualKeys[0].models = 'gpt-4o'), '$.hosts[0].gatewayConfigs[0].virtualKeys[0].models: expected array, got "gpt-4o"'],
      ['authorized key without user', (hosts) => delete hosts[0]!.authorizedKeys[0].user, '$.hosts[0].authorizedKeys[0]: missing user'],
      ['addresses as text', (hosts) => (hosts[1]!.addresses = '10.88.0.8'), '$.hosts[1].addresses: expected array, got "10.88.0.8"'],
      ['labels as a list', (hosts) => (hosts[0]!.containers[0].labels = ['a=b']), '$.hosts[0].containers[0].labels: expected object, got ["a=b"]'],
      ['numeric label value', (hosts) => (hosts[0]!.containers[0].labels['com.docker.compose.project'] = 1), '$.hosts[0].containers[0].labels.com.docker.compose.project: expected string, got 1'],
    ];

    for (const [name, breakIt, expected] of cases) {
      const report = reportJson();
      report.hosts = detailedHosts();
      breakIt(report.hosts);

      expect([name, check(report, root)]).toEqual([name, expect.arrayContaining([expected])]);
    }
  });

  it('accepts exposure verdicts, with and without a compromise window', () => {
    const report = reportJson();
    report.exposures = [...EXPOSURE_EXAMPLES, { ...EXPOSURE_EXAMPLES[0]!, advisories: ['MAL-2026-3201'], verdict: 'unknown', window: null }];

    expect(check(report, root)).toEqual([]);
  });

  it('rejects exposure verdicts that break the contract', () => {
    const cases: Array<[string, (exposure: Record<string, any>) => void, string]> = [
      ['unknown verdict', (exposure) => (exposure.verdict = 'probably-fine'), '$.exposures[0].verdict: "probably-fine" not in enum'],
      ['no reasons', (exposure) => delete exposure.reasons, '$.exposures[0]: missing reasons'],
      ['window without end', (exposure) => delete exposure.window.end, '$.exposures[0].window: matches no anyOf branch'],
      ['window left out', (exposure) => delete exposure.window, '$.exposures[0]: missing window'],
    ];

    for (const [name, breakIt, expected] of cases) {
      const report = reportJson();
      report.exposures = JSON.parse(JSON.stringify(EXPOSURE_EXAMPLES));
      breakIt(report.exposures[0]);

      expect([name, check(report, root)]).toEqual([name, [expected]]);
    }
  });

  it('accepts a realistic finding of every kind', () => {
    for (const kind of FINDING_KINDS) {
      const report = reportJson();
      report.findings.push(exampleJson(kind));

      expect([kind, check(report, root)]).toEqual([kind, []]);
    }
  });

  it('accepts findings without the optional fields of their kind', () => {
    const report = reportJson();
    const { path: _path, unit: _unit, ...ioc } = exampleJson('ioc');
    const { verdict: _verdict, reasons: _reasons, ...compromised } = exampleJson('compromised-package');
    report.findings.push(ioc, compromised);

    expect(check(report, root)).toEqual([]);
  });

  it('rejects a broken finding of every kind, checking each kind by its own definition', () => {
    for (const [kind, [breakIt, expected]] of Object.entries(BROKEN_FINDINGS) as Array<[FindingKind, (typeof BROKEN_FINDINGS)[FindingKind]]>) {
      const report = reportJson();
      const finding = exampleJson(kind);
      breakIt(finding);
      report.findings.push(finding);

      expect([kind, check(report, root)]).toEqual([kind, expect.arrayContaining([expected])]);
    }
  });

  it('holds a finding to the definition of the kind it claims', () => {
    const report = reportJson();
    report.findings.push({ ...exampleJson('docker-socket-mount'), kind: 'executable-pth' });

    expect(check(report, root)).toEqual(['$.findings[2]: missing path', '$.findings[2]: missing sha256', '$.findings[2]: missing package']);
  });
});

describe('the zod schemas of shared/model/', () => {
  it('accept the sample report, the detailed hosts, the exposure verdicts and a realistic finding of every kind', () => {
    const report = reportJson();
    report.hosts = detailedHosts();
    report.exposures = JSON.parse(JSON.stringify(EXPOSURE_EXAMPLES));
    report.findings.push(...FINDING_KINDS.map(exampleJson));

    expect(scanReportSchema.safeParse(report).error?.issues).toBeUndefined();
  });

  it('reject the broken finding of every kind where the JSON Schema does', () => {
    for (const [kind, [breakIt, expected]] of Object.entries(BROKEN_FINDINGS) as Array<[FindingKind, (typeof BROKEN_FINDINGS)[FindingKind]]>) {
      const finding = exampleJson(kind);
      breakIt(finding);

      const paths = (findingSchema.safeParse(finding).error?.issues ?? []).map((issue) => issue.path.map((key) => (typeof key === 'number' ? `[${key}]` : `.${String(key)}`)).join(''));

      expect([kind, paths]).toEqual([kind, expect.arrayContaining([zodPathOf(expected)])]);
    }
  });

  it('reject a host that is not ok and does not say why, as the JSON Schema does', () => {
    const report = reportJson();
    delete report.hosts[2].error;

    expect(scanReportSchema.safeParse(report).error?.issues.map((issue) => issue.path)).toEqual([['hosts', 2, 'error']]);
  });

  it('type findings by the kinds this version knows; a finding of another kind passes only as a finding of any kind', () => {
    const future = { id: 'future:1', kind: 'future-kind', severity: 'high', title: 'later', host: 'gw', container: null, evidence: [] };

    expect(findingSchema.safeParse(future).success).toBe(false);
    expect(anyFindingSchema.safeParse(future).success).toBe(true);
    expect(check(future, defs.Finding!)).toEqual([]);
  });

  it('publish the open string sets as plain strings, so later versions may add values', () => {
    const openSets: Array<[string, string]> = [
      ['IocFinding', 'ruleKind'],
      ['ContainerMount', 'risk'],
      ['SecretSighting', 'source'],
      ['SecretLocation', 'source'],
      ['EndpointReference', 'source'],
      ['SshTunnel', 'source'],
      ['ProxyRoute', 'proxy'],
      ['ConsumerFinding', 'via'],
    ];

    const published = openSets.map(([definition, property]) => [definition, property, (defs[definition]?.properties as Record<string, Schema>)[property]]);

    expect(published).toEqual(openSets.map(([definition, property]) => [definition, property, { description: expect.any(String), type: 'string' }]));
  });
});

describe('docs/report.schema.json against shared/model/index.ts', () => {
  it('lists the severities of SEVERITIES in the same order', () => {
    expect(defs.Severity?.enum).toEqual([...SEVERITIES]);
  });

  it('lists every HostStatus', () => {
    expect(defs.HostStatus?.enum).toEqual([...HOST_STATUSES]);
  });

  it('lists every Verdict', () => {
    expect(defs.Verdict?.enum).toEqual([...VERDICTS]);
  });

  it('lists every problem of a RecordFileProblem', () => {
    expect((defs.RecordFileProblem?.properties as Record<string, Schema> | undefined)?.problem?.enum).toEqual([...RECORD_FILE_PROBLEMS]);
  });

  it('has one member of the zod Finding union per FindingKind, in FINDING_KINDS order', () => {
    expect(findingSchema.options.map((member) => member.shape.kind.value)).toEqual([...FINDING_KINDS]);
  });

  it('defines every FindingKind', () => {
    const kinds = Object.values(defs)
      .map((definition) => (definition.properties as Record<string, Schema> | undefined)?.kind?.const)
      .filter((kind) => kind !== undefined);

    expect(kinds).toEqual([...FINDING_KINDS]);
  });

  it('sends a finding of every kind, and only those kinds, to that kind\'s definition', () => {
    const branches = ((defs.Finding?.allOf as Schema[] | undefined) ?? []).map((branch) => {
      const ifKind = ((branch.if as Schema | undefined)?.properties as Record<string, Schema> | undefined)?.kind?.const;
      const target = String((branch.then as Schema | undefined)?.$ref ?? '').replace(/^#\/\$defs\//, '');
      return [ifKind, (defs[target]?.properties as Record<string, Schema> | undefined)?.kind?.const];
    });

    expect(branches).toEqual(FINDING_KINDS.map((kind) => [kind, kind]));
  });

  it('has the sample report schemaVersion as its only version', () => {
    expect((root.properties as Record<string, Schema>).schemaVersion?.const).toBe(sampleReport().schemaVersion);
  });

  for (const name of OBJECT_DEFINITIONS) {
    it(`describes ${name === '#' ? 'ScanReport' : name} field for field: names, required and nullable`, () => {
      const definition = name === '#' ? root : defs[name];
      const properties = (definition?.properties ?? {}) as Record<string, Schema>;
      const fields = Object.entries(zodShape(name));

      expect(Object.keys(properties).sort()).toEqual(fields.map(([field]) => field).sort());
      expect([...((definition?.required as string[]) ?? [])].sort()).toEqual(
        fields.filter(([, presence]) => presence.startsWith('required')).map(([field]) => field).sort(),
      );
      expect(Object.keys(properties).filter((field) => allowsNull(properties[field]!)).sort()).toEqual(
        fields.filter(([, presence]) => presence.endsWith('nullable')).map(([field]) => field).sort(),
      );
    });
  }

  it('is documented field by field in docs/report-format.md', () => {
    const fields = new Set(OBJECT_DEFINITIONS.flatMap((name) => Object.keys(zodShape(name))));

    const undocumented = [...fields].filter((field) => !formatDoc.includes(`\`${field}\``));

    expect(undocumented).toEqual([]);
  });

  it('documents every finding kind in its own section, field by field, with its example', () => {
    const common = tableFields(docSection('## `Finding`'));

    for (const kind of FINDING_KINDS) {
      const section = docSection(`### Kind \`${kind}\``);
      const definition = Object.keys(defs).find((name) => (defs[name]!.properties as Record<string, Schema> | undefined)?.kind?.const === kind)!;
      const undocumented = Object.keys(zodShape(definition)).filter((field) => !common.includes(field) && !tableFields(section).includes(field));

      expect([kind, undocumented]).toEqual([kind, []]);
      expect([kind, jsonBlocks(section)]).toEqual([kind, [FINDING_EXAMPLES[kind]]]);
    }
  });

  it('documents the common fields of a finding as the schema requires them of every kind', () => {
    const common = tableFields(docSection('## `Finding`'));

    expect(common).toEqual(defs.Finding?.required);
  });

  it('names every value of the open string sets in the schema and on the format page', () => {
    // Each open set: its values, the schema property that describes them, and the format page section that must name them.
    const sets: Array<[readonly string[], string, string, string]> = [
      [iocRuleKindSchema.options, 'IocFinding', 'ruleKind', '### Kind `ioc`'],
      [mountRiskSchema.options, 'ContainerMount', 'risk', '#### `ContainerMount`'],
      [secretSourceSchema.options, 'SecretSighting', 'source', '#### `SecretSighting`'],
      [tunnelSourceSchema.options, 'SshTunnel', 'source', '#### `SshTunnel`'],
      [proxySchema.options, 'ProxyRoute', 'proxy', '#### `ProxyRoute`'],
      [consumerViaSchema.options, 'ConsumerFinding', 'via', '### Kind `consumer`'],
    ];
    const missing = sets.flatMap(([values, definition, property, heading]) => {
      const description = String((defs[definition]?.properties as Record<string, Schema>)[property]?.description);
      const section = docSection(heading);
      return values
        .filter((value) => !description.includes(`\`${value}\``) || !section.includes(`\`${value}\``))
        .map((value) => `${definition}.${property}: ${value}`);
    });

    expect(missing).toEqual([]);
  });

  it('documents every Verdict value and every RecordFileProblem problem', () => {
    const verdicts = tableFields(docSection('### `Verdict`'));
    const problems = docSection('#### `RecordFileProblem`');

    expect(verdicts).toEqual([...VERDICTS]);
    expect(RECORD_FILE_PROBLEMS.filter((problem) => !problems.includes(`\`${problem}\`:`))).toEqual([]);
  });

  it('shows the exposure verdicts of the test as its example of them', () => {
    expect(jsonBlocks(docSection('## `ExposureVerdict`'))).toEqual([EXPOSURE_EXAMPLES]);
  });

  it('shows only JSON examples that the schema accepts', () => {
    const wholeReports = jsonBlocks(docSection('## Example'));
    const findings = FINDING_KINDS.flatMap((kind) => jsonBlocks(docSection(`### Kind \`${kind}\``)));

    expect(wholeReports).toHaveLength(1);
    expect(findings).toHaveLength(FINDING_KINDS.length);
    expect(wholeReports.map((report) => check(report, root))).toEqual([[]]);
    expect(findings.map((finding) => check(finding, defs.Finding!))).toEqual(findings.map(() => []));
  });
});

describe('the topology examples', () => {
  it('are what buildReport writes for detailedHosts()', () => {
    const findings = buildReport(detailedHosts(), bundledAdvisoryIndex(), new Date(SAMPLE.scannedAt)).findings;

    for (const kind of ['secret', 'gateway', 'consumer', 'ssh-lateral'] as const) {
      const example = FINDING_EXAMPLES[kind];
      expect([kind, findings.find((finding) => finding.id === example.id)]).toEqual([kind, example]);
    }
  });
});
