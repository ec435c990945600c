/**
 * Asks a key's provider, with one read-only GET, whether it still accepts the key: live (2xx),
 * revoked (a refusal the provider documents, RevocationEndpoint.refusals) or indeterminate (no
 * answer that decides: a network error, a timeout, a redirect, 429, 5xx, anything else). The key
 * travels in a header only; redirects are not followed; the response body is never kept, shown or
 * quoted (it is read only when a refusal needs a reason token, bounded, and only that token is
 * compared). Results and errors name the key by fingerprint. Runs in the main process only.
 */
import { fingerprintProvider, revocationEndpoint, type RefusalRule, type RevocationEndpoint } from '../../shared/domain/providers/index.js';
import type { RevocationCheck, RevocationErrorClass } from '../../shared/model/index.js';
import type { KeyVault } from './key-vault.js';

/** How long one check may take, connection to last byte read. */
export const REVOCATION_TIMEOUT_MS = 10_000;
/** The most of a body read to find a refusal's reason token. */
const MAX_BODY_BYTES = 64 * 1024;

/** Options of the check. */
export interface CheckRevokedOptions {
  timeoutMs?: number;
  now?: () => Date;
  /**
   * Tests only: the origin to ask instead of each provider's (a fake provider on loopback). Not
   * reachable from the command line, the environment or the renderer, so no user can point a
   * key at another server.
   */
  originFor?: (provider: string) => string | undefined;
}

/** The sentence shown when the key's value is not in memory. */
export const NOT_IN_MEMORY_REASON =
  "the key's value is not in memory: the app keeps values only for the session in which a scan read them (scan again, then check)";

/** Checks one key the vault holds; never throws, never returns or logs the value. */
export async function checkRevoked(fingerprint: string, vault: KeyVault, options: CheckRevokedOptions = {}): Promise<RevocationCheck> {
  const checkedAt = (options.now ?? (() => new Date()))().toISOString();
  const provider = fingerprintProvider(fingerprint);
  const endpoint = revocationEndpoint(provider);
  const base = { fingerprint, provider, checkedAt };
  if (!endpoint) {
    return { ...base, outcome: 'no-check', errorClass: 'no-endpoint', reason: `no read-only check is known for ${provider} keys: confirm the revocation where the key was issued` };
  }
  const url = `${options.originFor?.(provider) ?? endpoint.origin}${endpoint.path}`;
  const asked = { ...base, endpoint: `GET ${url}` };
  const value = vault.valueOf(fingerprint);
  if (value === undefined) return { ...asked, outcome: 'indeterminate', errorClass: 'not-in-memory', reason: NOT_IN_MEMORY_REASON };

  let response: Response;
  const signal = AbortSignal.timeout(options.timeoutMs ?? REVOCATION_TIMEOUT_MS);
  try {
    response = await fetch(url, { method: 'GET', headers: authHeaders(endpoint, value), redirect: 'manual', signal });
  } catch (error) {
    // The error's text is never used: undici's messages can quote a header, and so the key.
    const timedOut = signal.aborted || (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError'));
    return timedOut
      ? { ...asked, outcome: 'indeterminate', errorClass: 'timeout', reason: `${endpoint.name} did not answer within ${Math.round((options.timeoutMs ?? REVOCATION_TIMEOUT_MS) / 1000)} s` }
      : { ...asked, outcome: 'indeterminate', errorClass: 'network', reason: `${endpoint.name} could not be reached (network error)` };
  }
  try {
    return await judge(response, endpoint, asked, signal);
  } catch {
    return { ...asked, outcome: 'indeterminate', errorClass: signal.aborted ? 'timeout' : 'network', httpStatus: response.status, reason: `${endpoint.name}'s answer could not be read` };
  } finally {
    await response.body?.cancel().catch(() => undefined);
  }
}

type Asked = Pick<RevocationCheck, 'fingerprint' | 'provider' | 'checkedAt' | 'endpoint'>;

/** The outcome a response means. */
async function judge(response: Response, endpoint: RevocationEndpoint, asked: Asked, signal: AbortSignal): Promise<RevocationCheck> {
  const status = response.status;
  const at = { ...asked, httpStatus: status };
  if (status >= 200 && status < 300) return { ...at, outcome: 'live', reason: `${endpoint.name} accepted the key (HTTP ${status}): it is not revoked` };
  const rules = endpoint.refusals.filter((rule) => rule.status === status);
  if (rules.length > 0 && (await refused(response, rules, signal))) {
    return { ...at, outcome: 'revoked', reason: `${endpoint.name} refused the key (HTTP ${status}): it is revoked or was never valid` };
  }
  const [errorClass, why] = undecided(status);
  return { ...at, outcome: 'indeterminate', errorClass, reason: `${endpoint.name} answered HTTP ${status} (${why}), which does not say whether the key is revoked` };
}

/** True when one of the rules for this status holds (a rule with a reason token needs it in the body). */
async function refused(response: Response, rules: readonly RefusalRule[], signal: AbortSignal): Promise<boolean> {
  if (rules.some((rule) => rule.reason === undefined)) return true;
  const reasons = errorReasons(await boundedText(response, signal));
  return rules.some((rule) => rule.reason !== undefined && reasons.has(rule.reason));
}

/** Google's `error.details[].reason` tokens of a JSON error body; empty for anything else. */
function errorReasons(text: string): Set<string> {
  try {
    const details = (JSON.parse(text) as { error?: { details?: unknown } }).error?.details;
    if (!Array.isArray(details)) return new Set();
    return new Set(details.flatMap((detail) => (detail && typeof detail === 'object' && typeof (detail as { reason?: unknown }).reason === 'string' ? [(detail as { reason: string }).reason] : [])));
  } catch {
    return new Set();
  }
}

/** At most MAX_BODY_BYTES of the body, as text. */
async function boundedText(response: Response, signal: AbortSignal): Promise<string> {
  const reader = response.body?.getReader();
  if (!reader) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  while (size < MAX_BODY_BYTES && !signal.aborted) {
    const { done, value } = await reader.read();
    if (done) break;
    chunks.push(value);
    size += value.byteLength;
  }
  await reader.cancel().catch(() => undefined);
  return Buffer.concat(chunks).subarray(0, MAX_BODY_BYTES).toString('utf8');
}

/** The class and words of a status that decides nothing. */
function undecided(status: number): [RevocationErrorClass, string] {
  if (status >= 300 && status < 400) return ['redirect', 'a redirect, not followed'];
  if (status === 429) return ['rate-limited', 'rate limited'];
  if (status >= 500) return ['server-error', "the provider's own error"];
  return ['unexpected-status', 'not a documented refusal of the key'];
}

/** The headers that carry the key: never the URL, so it sits in no log of a proxy or server. */
function authHeaders(endpoint: RevocationEndpoint, value: string): Record<string, string> {
  const headers: Record<string, string> = { accept: 'application/json', 'user-agent': 'blast-radius-revocation-check', ...endpoint.headers };
  switch (endpoint.auth) {
    case 'bearer':
      headers['authorization'] = `Bearer ${value}`;
      break;
    case 'x-api-key':
      headers['x-api-key'] = value;
      break;
    case 'x-goog-api-key':
      headers['x-goog-api-key'] = value;
      break;
    default: {
      const never: never = endpoint.auth;
      throw new Error(`unknown auth ${String(never)}`);
    }
  }
  return headers;
}

/** Checks every key the vault holds, a few at a time, in fingerprint order. */
export async function checkAllRevoked(vault: KeyVault, options: CheckRevokedOptions = {}): Promise<RevocationCheck[]> {
  const fingerprints = vault.fingerprints().sort();
  const results: RevocationCheck[] = [];
  for (let index = 0; index < fingerprints.length; index += 4) {
    results.push(...(await Promise.all(fingerprints.slice(index, index + 4).map((fingerprint) => checkRevoked(fingerprint, vault, options)))));
  }
  return results;
}
