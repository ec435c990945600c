/**
 * Indicator-of-compromise rules: data (shared/domain/iocs/rules.json, or extra files the user adds), and
 * the zod schema that validates it. A rule says what to look for and where it comes from; the
 * collector turns the rules into one read-only shell script, so every string and path here is
 * passed to grep, find and test as quoted data and may hold anything except a newline or NUL.
 * Pure: no Node imports, so the renderer and the CLI read the same rules.
 */
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { SEVERITIES, type IocRuleKind, type IocRulesInfo } from '../../model/index.js';
import rulesFile from './rules.json' with { type: 'json' };
import falsePositives from './false-positives.json' with { type: 'json' };
import { fnv1a64 } from '../fnv1a64.js';

/** Compromises the bundled rules cover; extra rules may name others (`<name>-<yyyy>-<mm>`). */
export const KNOWN_COMPROMISES = ['litellm-2026-03', 'trivy-2026-03', 'telnyx-2026-03', 'teampcp-2026-03'] as const;

/** Deepest a file-hash search may go below one of its roots (bounds the scan's find). */
export const MAX_HASH_SEARCH_DEPTH = 12;

// A newline would make grep -e read two patterns (one of them possibly empty, matching every
// line), and NUL cannot cross a shell argument: neither may appear in a rule's strings or paths.
const noControl = (value: string): boolean => !/[\n\r\0]/.test(value);

const fixedString = z
  .string()
  .min(4, 'must be at least 4 characters (a shorter fixed string matches too much)')
  .max(200)
  .refine(noControl, 'must not contain a newline, carriage return or NUL');

/** An absolute path, or `~/…` for the same path below every home folder. */
const placePath = z
  .string()
  .max(1024)
  .refine(noControl, 'must not contain a newline, carriage return or NUL')
  .refine((value) => /^(\/|~\/)./.test(value), 'must be absolute (/…) or relative to every home (~/…)')
  .refine((value) => !value.split('/').some((part) => part === '..' || part === '.'), 'must not contain . or .. components')
  .refine((value) => !value.endsWith('/') && !value.includes('//'), 'must not end in / or hold an empty component');

const absolutePath = placePath.refine((value) => value.startsWith('/'), 'must be absolute (/…)');

const sourceSchema = z.strictObject({
  /** Advisory id (GHSA-…, MAL-…) or the name of the write-up. */
  name: z.string().min(3).max(200),
  /** `primary`: the maintainer's or the advisory's own statement; `secondary`: third-party write-ups only. */
  kind: z.enum(['primary', 'secondary']),
  url: z.url({ protocol: /^https$/ }).optional(),
});

const baseFields = {
  id: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,79}$/, 'must be 2-80 characters of a-z, 0-9, . and -, starting with a letter or digit'),
  title: z.string().min(3).max(200),
  compromise: z.string().regex(/^[a-z0-9][a-z0-9-]*-\d{4}-\d{2}$/, 'must look like litellm-2026-03 (<name>-<yyyy>-<mm>)'),
  severity: z.enum(SEVERITIES),
  source: sourceSchema,
  /** Why the rule is shaped as it is (false positives it avoids, what a hit does not prove). */
  note: z.string().max(500).optional(),
};

const fileRule = z.strictObject({
  ...baseFields,
  kind: z.literal('file'),
  path: placePath,
  /** When given, the file counts only if it holds one of these fixed strings. */
  contains: z.array(fixedString).min(1).max(20).optional(),
});

const systemdUnitRule = z.strictObject({
  ...baseFields,
  kind: z.literal('systemd-unit'),
  unit: z
    .string()
    .max(255)
    .regex(/^[A-Za-z0-9][A-Za-z0-9@._:\\-]*\.(service|timer|socket|path)$/, 'must be a unit file name such as sysmon.service'),
  /** `system`: system unit folders; `user`: every home's ~/.config/systemd/user and the global user folders; `any`: both. */
  scope: z.enum(['system', 'user', 'any']).default('any'),
  contains: z.array(fixedString).min(1).max(20).optional(),
});

const fileHashRule = z
  .strictObject({
    ...baseFields,
    kind: z.literal('file-hash'),
    sha256: z
      .array(z.string().regex(/^[0-9a-f]{64}$/, 'must be 64 lowercase hex digits'))
      .min(1)
      .max(50),
    /** Explicit candidates, each hashed when it is a regular file. */
    paths: z.array(placePath).max(50).optional(),
    /** Folders searched with find for files whose name matches `name` (a find -name pattern). */
    search: z
      .strictObject({
        roots: z.array(absolutePath).min(1).max(30),
        name: z.string().min(1).max(100).refine(noControl, 'must not contain a newline, carriage return or NUL').refine((value) => !value.includes('/'), 'must be a file name pattern, without /'),
        maxDepth: z.number().int().min(0).max(MAX_HASH_SEARCH_DEPTH).default(8),
      })
      .optional(),
    /** Files larger than this are not hashed (bounds the scan). */
    maxBytes: z.number().int().min(1).max(64 * 1024 * 1024).default(1024 * 1024),
  })
  .refine((rule) => (rule.paths?.length ?? 0) > 0 || rule.search !== undefined, {
    message: 'needs paths or search (where to look for the hash)',
    path: ['paths'],
  });

const logStringRule = z.strictObject({
  ...baseFields,
  kind: z.literal('log-string'),
  /** Fixed strings (never patterns), searched in shell histories and /var/log. */
  strings: z.array(fixedString).min(1).max(20),
  /** Extra files or folders to search, e.g. the gateway's log folder. */
  paths: z.array(placePath).max(20).optional(),
});

const domainRule = z.strictObject({
  ...baseFields,
  kind: z.literal('domain'),
  /** A host name or an IPv4 address, matched as a whole word (so sub.domain counts, notdomain does not). */
  domain: z
    .string()
    .max(253)
    .regex(/^(?=.{4,253}$)([A-Za-z0-9_]([A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)+[A-Za-z0-9-]{2,63}$/, 'must be a host name (with a dot) or an IPv4 address'),
});

/** What a Kubernetes workload rule can require of a matching workload, besides its name. */
export const KUBERNETES_WORKLOAD_TRAITS = ['privileged', 'host-root', 'host-pid', 'host-network'] as const;

const kubernetesName = z
  .string()
  .min(1)
  .max(253)
  .regex(/^[a-z0-9]([a-z0-9.-]*[a-z0-9-])?$/, 'must be a Kubernetes object name (lowercase letters, digits, - and .)');

const kubernetesWorkloadRule = z
  .strictObject({
    ...baseFields,
    kind: z.literal('kubernetes-workload'),
    /** The object kinds it applies to, as the API spells them. */
    resources: z.array(z.enum(['Pod', 'Deployment', 'DaemonSet', 'StatefulSet'])).min(1).max(4),
    /** The namespace it must be in; any namespace when absent. */
    namespace: kubernetesName.optional(),
    /** Exact object names. */
    names: z.array(kubernetesName).min(1).max(50).optional(),
    /** A name prefix (`node-setup-`): specific enough only together with `requires` or a namespace. */
    namePrefix: kubernetesName.optional(),
    /** Every trait it must have: a privileged container, a hostPath `/` mount, the node's PID or network namespace. */
    requires: z.array(z.enum(KUBERNETES_WORKLOAD_TRAITS)).max(4).optional(),
  })
  .refine((rule) => (rule.names?.length ?? 0) > 0 || rule.namePrefix !== undefined, { message: 'needs names or namePrefix', path: ['names'] });

/** Indicators a published IOC list had to withdraw: never a finding on their own (false-positives.json). */
export const FALSE_POSITIVE_INDICATORS = falsePositives;

/** Folders where a generic file name says nothing: a rule must name a more specific path, or what the file holds. */
const GENERIC_FOLDERS = new Set(['', '~', '/root', '/tmp', '/var/tmp', '/dev/shm', '/opt', '/srv', '/usr/local/bin']);

/**
 * Why a rule would match on a published false-positive indicator alone, or null. The metadata
 * address and a bare parent domain never make a domain or log-string rule; a generic file name
 * (service.py) makes a file rule only below a specific folder (~/.local/share/pgmon/service.py)
 * or with `contains`. A subdomain of an excluded parent (x.icp0.io) stays a valid indicator.
 */
export function falsePositiveProblem(rule: { kind: string; domain?: string; strings?: readonly string[]; path?: string; contains?: readonly string[] }): string | null {
  const cite = `a published false positive (${falsePositives.source.name.split(':')[0]})`;
  const loneValues = [...falsePositives.addresses, ...falsePositives.domains, ...falsePositives.fileNames];
  const lone = (value: string) => loneValues.find((entry) => entry.value.toLowerCase() === value.trim().toLowerCase());
  if (rule.kind === 'domain' && rule.domain) {
    const hit = lone(rule.domain);
    if (hit) return `${rule.domain} is ${cite}: ${hit.why}`;
  }
  if (rule.kind === 'log-string') {
    for (const value of rule.strings ?? []) {
      const hit = lone(value);
      if (hit) return `${value} is ${cite}: ${hit.why}`;
    }
  }
  if (rule.kind === 'file' && rule.path && !rule.contains) {
    const slash = rule.path.lastIndexOf('/');
    const name = rule.path.slice(slash + 1);
    const folder = rule.path.slice(0, slash);
    const hit = falsePositives.fileNames.find((entry) => entry.value === name);
    if (hit && GENERIC_FOLDERS.has(folder)) return `${name} in ${folder || '/'} is ${cite}: ${hit.why}; name a specific folder or add contains`;
  }
  return null;
}

/** The schema of one rule. */
export const iocRuleSchema = z
  .discriminatedUnion('kind', [fileRule, systemdUnitRule, fileHashRule, logStringRule, domainRule, kubernetesWorkloadRule])
  .superRefine((rule, context) => {
    const problem = falsePositiveProblem(rule);
    if (problem) context.addIssue({ code: 'custom', message: `never a finding on its own: ${problem}`, path: [] });
  });

/** The schema of a rules file: `{ schemaVersion: 1, version?, rules: [...] }` with unique rule ids. */
export const iocRulesFileSchema = z
  .strictObject({
    schemaVersion: z.literal(1),
    /** The file's own release (`2026.12.1`): reports name the bundled rules by it. Optional in users' files. */
    version: z.string().regex(/^[0-9A-Za-z][0-9A-Za-z.+-]{0,39}$/, 'must be a short release name such as 2026.12.1').optional(),
    rules: z.array(iocRuleSchema).max(1000),
  })
  .superRefine((file, context) => {
    const seen = new Set<string>();
    file.rules.forEach((rule, index) => {
      if (seen.has(rule.id)) context.addIssue({ code: 'custom', message: `duplicate rule id ${JSON.stringify(rule.id)}`, path: ['rules', index, 'id'] });
      seen.add(rule.id);
    });
  });

/** One validated rule. */
export type IocRule = z.output<typeof iocRuleSchema>;
/** A validated rule of one kind. */
export type IocRuleOfKind<K extends IocRuleKind> = Extract<IocRule, { kind: K }>;
/** Where a rule comes from. */
export type IocSource = z.output<typeof sourceSchema>;

/** A rules file that does not validate; the message names the file, the rule and the field. */
export class IocRulesError extends Error {
  constructor(
    readonly origin: string,
    readonly problems: string[],
  ) {
    super(`${origin}: ${problems.join('; ')}`);
    this.name = 'IocRulesError';
  }
}

/** Validates a parsed rules document; throws IocRulesError naming each problem (`rules[2] (id "x").path: …`). */
export function parseIocRules(document: unknown, origin: string): IocRule[] {
  const result = iocRulesFileSchema.safeParse(document);
  if (result.success) return result.data.rules;
  const problems = result.error.issues.map((issue) => describeIssue(document, issue));
  // zod skips the file-level refinement (duplicate ids) once a rule fails: report those too, so one round of fixes is enough.
  for (const problem of duplicateIdProblems(document)) if (!problems.includes(problem)) problems.push(problem);
  throw new IocRulesError(origin, problems);
}

function duplicateIdProblems(document: unknown): string[] {
  const rules = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return [];
  const seen = new Set<string>();
  const problems: string[] = [];
  rules.forEach((rule, index) => {
    const id = (rule as { id?: unknown } | null)?.id;
    if (typeof id !== 'string') return;
    if (seen.has(id)) problems.push(`rules[${index}] (id ${JSON.stringify(id)}).id: duplicate rule id ${JSON.stringify(id)}`);
    seen.add(id);
  });
  return problems;
}

/** Parses the text of a rules file, JSON or YAML by its extension, and validates it. */
export function parseIocRulesText(fileName: string, text: string): IocRule[] {
  let document: unknown;
  try {
    document = /\.ya?ml$/i.test(fileName) ? parseYaml(text) : JSON.parse(text);
  } catch (error) {
    throw new IocRulesError(fileName, [`not valid ${/\.ya?ml$/i.test(fileName) ? 'YAML' : 'JSON'}: ${(error as Error).message.split('\n')[0]}`]);
  }
  return parseIocRules(document, fileName);
}

/**
 * Bundled rules first, then extra ones; an extra rule with a bundled rule's id replaces it (a
 * user's corrected copy wins), keeping the bundled rule's position.
 */
export function mergeIocRules(bundled: readonly IocRule[], extra: readonly IocRule[]): IocRule[] {
  const byId = new Map<string, IocRule>(bundled.map((rule) => [rule.id, rule]));
  for (const rule of extra) byId.set(rule.id, rule);
  return [...byId.values()];
}

/** `LiteLLM blog … (primary)`: a rule's source as a finding's `source` string. */
export function describeSource(source: IocSource): string {
  return `${source.name} (${source.kind}${source.url ? `, ${source.url}` : ''})`;
}

let bundled: readonly IocRule[] | undefined;

/** The rules shipped with the app (shared/domain/iocs/rules.json), validated once; throws if they do not validate (a build defect). */
export function bundledIocRules(): readonly IocRule[] {
  bundled ??= Object.freeze(parseIocRules(rulesFile, 'shared/domain/iocs/rules.json'));
  return bundled;
}

/** The bundled rules file's release (its `version`), as reports name it. */
export function bundledIocRulesVersion(): string {
  return (rulesFile as { version?: string }).version ?? 'unversioned';
}

/**
 * What a report says of the rules it was judged by: the bundled release, how many rules, how many
 * the user added or replaced, and a digest of them all, so two reports judged alike can be told
 * from two judged by different rules.
 */
export function iocRulesInfo(rules: readonly IocRule[]): IocRulesInfo {
  const bundledText = new Map(bundledIocRules().map((rule) => [rule.id, JSON.stringify(rule)]));
  const texts = rules.map((rule) => JSON.stringify(rule));
  const custom = rules.filter((rule, index) => bundledText.get(rule.id) !== texts[index]).length;
  return { version: bundledIocRulesVersion(), rules: rules.length, custom, fingerprint: `fnv1a64:${fnv1a64(texts.join('\n'))}` };
}

function describeIssue(document: unknown, issue: z.core.$ZodIssue): string {
  const path = issue.path;
  let where = '';
  for (let index = 0; index < path.length; index++) {
    const key = path[index];
    if (typeof key === 'number') {
      where += `[${key}]`;
      // Name the rule by its id too: "rules[7]" alone makes the reader count.
      if (index === 1 && path[0] === 'rules') {
        const id = ruleIdAt(document, key);
        if (id !== null) where += ` (id ${JSON.stringify(id)})`;
      }
    } else {
      where += `${where === '' ? '' : '.'}${String(key)}`;
    }
  }
  return `${where === '' ? '(file)' : where}: ${issue.message}`;
}

function ruleIdAt(document: unknown, index: number): string | null {
  const rules = (document as { rules?: unknown } | null)?.rules;
  if (!Array.isArray(rules)) return null;
  const id = (rules[index] as { id?: unknown } | null)?.id;
  return typeof id === 'string' ? id : null;
}
