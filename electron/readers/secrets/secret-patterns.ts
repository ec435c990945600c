/**
 * Secret formats as data (secret-patterns.json): which provider a value belongs to, by its shape
 * or by the name of the variable holding it. The JSON is validated at load so a bad edit fails
 * loudly at start-up instead of silently missing keys. Pure: no I/O beyond the bundled JSON.
 */
import { z } from 'zod';
import patternsFile from './secret-patterns.json' with { type: 'json' };

const regexSource = (flags: string) =>
  z.string().min(1).max(500).refine((source) => {
    try {
      new RegExp(source, flags);
      return true;
    } catch {
      return false;
    }
  }, 'must be a valid JavaScript regular expression');

const anchoredValue = regexSource('').refine(
  (source) => source.startsWith('^') && source.endsWith('$'),
  'a value pattern must be anchored (^…$) so it matches a whole value, not a fragment',
);

const patternSchema = z
  .strictObject({
    provider: z.string().regex(/^[a-z0-9][a-z0-9-]{1,39}$/),
    /** `secret` (default): a match is a secret; the `pair-*` kinds only count together (AWS id + secret). */
    kind: z.enum(['secret', 'pair-identifier', 'pair-secret']).default('secret'),
    /** Anchored regex over the whole value; a named group `secret` marks the part to fingerprint. */
    value: anchoredValue.optional(),
    /** Regexes over the variable or config key name, matched case-insensitively. */
    variables: z.array(regexSource('i')).min(1).optional(),
    /** Where the format is documented. */
    source: z.string().min(10).max(500),
  })
  .refine((entry) => entry.value !== undefined || entry.variables !== undefined, 'needs a value or variables pattern');

const fileSchema = z.strictObject({
  placeholders: z.array(
    z.strictObject({ pattern: regexSource('i'), flags: z.enum(['', 'i']).optional(), note: z.string().min(3) }),
  ),
  patterns: z.array(patternSchema).min(1),
});

/** How a pattern matched, strongest first: the value's own format, the variable's name, or a generic name. */
export type MatchStrength = 'value' | 'variable' | 'generic';

/** A value recognised as a secret. */
export interface SecretClass {
  provider: string;
  strength: MatchStrength;
  /** The part to fingerprint: the whole value, or the password of a URL. Main process only. */
  secret: string;
}

interface CompiledPattern {
  provider: string;
  kind: 'secret' | 'pair-identifier' | 'pair-secret';
  value?: RegExp;
  variables?: RegExp[];
}

/** Parses and validates a patterns document (the bundled one, or one a test supplies). */
export function loadSecretPatterns(document: unknown): { placeholders: RegExp[]; patterns: CompiledPattern[] } {
  const parsed = fileSchema.parse(document);
  return {
    placeholders: parsed.placeholders.map((entry) => new RegExp(entry.pattern, entry.flags ?? '')),
    patterns: parsed.patterns.map((entry) => ({
      provider: entry.provider,
      kind: entry.kind,
      value: entry.value === undefined ? undefined : new RegExp(entry.value),
      variables: entry.variables?.map((source) => new RegExp(source, 'i')),
    })),
  };
}

const loaded = loadSecretPatterns(patternsFile);

/** True for values that are not secrets: empty, short, `${VAR}`, `os.environ/…`, `<your-key>`, `xxxx`… */
export function isPlaceholder(value: string): boolean {
  return loaded.placeholders.some((pattern) => pattern.test(value));
}

/** The last segment of a dotted or bracketed config path (`a.b[x].api_key` → `api_key`), dashes as underscores. */
function leafName(variable: string): string {
  const parts = variable.split(/[.\s\]]/).filter(Boolean);
  return (parts[parts.length - 1] ?? variable).replace(/-/g, '_');
}

/**
 * The provider of a value, or null when it is not (recognisably) a secret. A value's own format
 * wins over its variable's name, so an OpenRouter key in OPENAI_API_KEY is still OpenRouter.
 */
export function classifySecret(value: string, variable?: string): SecretClass | null {
  const trimmed = value.trim();
  if (isPlaceholder(trimmed)) return null;
  const name = variable === undefined ? undefined : leafName(variable);
  // Three passes in strength order; within a pass the file's order decides.
  for (const pass of ['value', 'both', 'variable'] as const) {
    for (const pattern of loaded.patterns) {
      if (pattern.kind !== 'secret') continue;
      const hasValue = pattern.value !== undefined;
      const hasVariables = pattern.variables !== undefined;
      if (pass === 'value' && !(hasValue && !hasVariables)) continue;
      if (pass === 'both' && !(hasValue && hasVariables)) continue;
      if (pass === 'variable' && !(!hasValue && hasVariables)) continue;
      if (hasVariables && (name === undefined || !pattern.variables!.some((regex) => regex.test(name)))) continue;
      let secret = trimmed;
      if (hasValue) {
        const match = pattern.value!.exec(trimmed);
        if (!match) continue;
        secret = match.groups?.['secret'] ?? trimmed;
        if (isPlaceholder(secret)) return null;
      }
      const strength: MatchStrength =
        pattern.provider === 'unknown' ? 'generic' : pass === 'variable' ? 'variable' : 'value';
      return { provider: pattern.provider, strength, secret };
    }
  }
  return null;
}

/** Provider of a value that is an access-key id whose secret sits beside it (AWS AKIA…/ASIA…), or null. */
export function pairIdentifierProvider(value: string): string | null {
  return loaded.patterns.find((pattern) => pattern.kind === 'pair-identifier' && pattern.value?.test(value.trim()))?.provider ?? null;
}

/** True when `value` has the shape of the secret half of a `provider` id/secret pair. */
export function isPairSecret(provider: string, value: string): boolean {
  return loaded.patterns.some(
    (pattern) => pattern.kind === 'pair-secret' && pattern.provider === provider && pattern.value?.test(value.trim()),
  );
}
