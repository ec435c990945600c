/**
 * Small text helpers the step builders share: shell quoting, id components and their length
 * bound, the user a home path belongs to, and the wording of lists and counts. Pure string
 * functions with no knowledge of findings or steps.
 */
import { fnv1a64 } from '../domain/fnv1a64.js';

/** The user whose home holds `path` (`/home/alice/...` → alice, `/root/...` → root), or null. */
export function homeOwner(path: string): string | null {
  if (path.startsWith('/root/')) return 'root';
  return /^\/home\/([^/]+)\//.exec(path)?.[1] ?? null;
}

/** Single-quotes a value for a POSIX shell: remote paths and names may hold anything. */
export function shellQuote(value: string): string {
  return /^[A-Za-z0-9_./:@=+-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

// Ids are URI-encoded per component so a `/` or `:` in a name can never make two ids collide.
/** A value as one id component, URI-encoded. */
export function part(value: string): string {
  return encodeURIComponent(value);
}

// The checklist:set-step channel takes ids of at most 500 characters; a deep venv path could
// exceed that, so long ids keep a readable head and end in a hash of the whole id.
const MAX_ID_LENGTH = 480;

/** The id itself, or its head and a hash of the whole when longer than MAX_ID_LENGTH. */
export function boundedId(id: string): string {
  if (id.length <= MAX_ID_LENGTH) return id;
  return `${id.slice(0, MAX_ID_LENGTH - 18)}#${fnv1a64(id)}`;
}

/** The last component of a path, trailing slashes ignored. */
export function baseName(path: string): string {
  return path.replace(/\/+$/, '').split('/').pop() ?? path;
}

/** The items without repeats, in first-seen order. */
export function unique<T>(items: readonly T[]): T[] {
  return [...new Set(items)];
}

/** `1 place`, `2 places`. */
export function plural(count: number, noun: string): string {
  return `${count} ${noun}${count === 1 ? '' : 's'}`;
}

/** `a`, `a and b`, `a, b and c`. */
export function joinAnd(items: readonly string[]): string {
  if (items.length <= 1) return items.join('');
  return `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;
}

/** The given texts one per line, skipping false, undefined and empty ones. */
export function lines(...parts: Array<string | false | undefined>): string {
  return parts.filter((text): text is string => typeof text === 'string' && text.length > 0).join('\n');
}
