/**
 * Image references (`registry/repo:tag@digest`), split by the rules of Docker's reference grammar
 * (distribution/reference: `reference.go`, `normalize.go`): the first path component is a registry
 * only when it holds a `.` or a `:` or is `localhost`; a reference with neither tag nor digest means
 * the tag `latest`; Docker Hub's short names (`alpine`, `docker.io/alpine`) are `library/` names.
 * The split is lenient: a reference read off a host that breaks the grammar's character rules
 * (uppercase, a compose variable left unexpanded) is split by the same structure, never rejected,
 * because callers still need a name to show and compare. Pure: no Node imports.
 */

/** A reference's parts. */
export interface ImageReference {
  /** The registry host (and port) as written, or null when none is written (Docker Hub). */
  registry: string | null;
  /** The repository path as written, without registry, tag or digest: `berriai/litellm`, `alpine`. */
  path: string;
  /** The tag as written; `latest` when neither tag nor digest is written (Docker's default); null for a digest alone. */
  tag: string | null;
  /** What follows `@` as written (`sha256:…`), or null. */
  digest: string | null;
}

/** The tag Docker pulls when a reference names neither tag nor digest. */
export const DEFAULT_TAG = 'latest';

/** Docker Hub's registry name, and its legacy one (normalize.go `legacyDefaultDomain`). */
const DOCKER_HUB = 'docker.io';
const LEGACY_DOCKER_HUB = 'index.docker.io';

const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;
const IMAGE_ID = /^(?:sha256:)?[0-9a-f]{64}$/;

/** Splits a reference into registry, path, tag and digest. */
export function parseImageReference(reference: string): ImageReference {
  let rest = reference.trim();
  let digest: string | null = null;
  // Neither a name nor a tag may hold `@`, so the first one starts the digest.
  const at = rest.indexOf('@');
  if (at !== -1) {
    digest = rest.slice(at + 1);
    rest = rest.slice(0, at);
  }
  let tag: string | null = null;
  // A `:` after the last `/` starts the tag; one before it is a registry port.
  const colon = rest.lastIndexOf(':');
  if (colon > rest.lastIndexOf('/')) {
    tag = rest.slice(colon + 1);
    rest = rest.slice(0, colon);
  }
  let registry: string | null = null;
  const slash = rest.indexOf('/');
  if (slash !== -1 && isRegistryComponent(rest.slice(0, slash))) {
    registry = rest.slice(0, slash);
    rest = rest.slice(slash + 1);
  }
  return { registry, path: rest, tag: tag ?? (digest === null ? DEFAULT_TAG : null), digest };
}

/** Docker's test for the first path component: a registry host when it has a dot or a port, or is localhost. */
function isRegistryComponent(component: string): boolean {
  return component.includes('.') || component.includes(':') || component === 'localhost';
}

/** The repository as written, registry kept, tag and digest dropped (`ghcr.io/berriai/litellm:main` → `ghcr.io/berriai/litellm`): what `repo@digest` is built from. */
export function repositoryName(reference: string): string {
  const { registry, path } = parseImageReference(reference);
  return registry === null ? path : `${registry}/${path}`;
}

/**
 * The repository in Docker's fully qualified form, for comparing two references of one registry:
 * `alpine`, `library/alpine`, `docker.io/alpine` and `index.docker.io/library/alpine` are all
 * `docker.io/library/alpine` (Docker prints Hub names short, Podman long).
 */
export function canonicalRepository(reference: string): string {
  const { registry, path } = parseImageReference(reference);
  const host = registry === null || registry === LEGACY_DOCKER_HUB ? DOCKER_HUB : registry;
  return host === DOCKER_HUB && !path.includes('/') ? `${host}/library/${path}` : `${host}/${path}`;
}

/** True when two references name the same repository of the same registry, whatever their tags or digests. */
export function sameRepository(a: string, b: string): boolean {
  return canonicalRepository(a) === canonicalRepository(b);
}

/**
 * The repository whatever the registry, lowercased, a leading `library/` dropped
 * (`ghcr.io/A/b:1` → `a/b`, `localhost:5000/library/alpine` → `alpine`): the name that says which
 * software an image is (an updater, a gateway, PostgreSQL) when it is pulled from a mirror or
 * another registry.
 */
export function imageRepository(reference: string): string {
  const path = parseImageReference(reference).path.toLowerCase();
  return path.startsWith('library/') ? path.slice('library/'.length) : path;
}

/** The `sha256:…` digest a reference is pinned to, or null when it has none or a malformed one. */
export function digestOf(reference: string): string | null {
  const { digest } = parseImageReference(reference);
  return digest !== null && SHA256_DIGEST.test(digest) ? digest : null;
}

/** True for a reference that names content (`repo@sha256:…`, `repo:tag@sha256:…`, or an image id), which no re-pull can change. */
export function isPinnedReference(reference: string): boolean {
  return digestOf(reference) !== null || IMAGE_ID.test(reference.trim());
}

/**
 * The RepoDigests entry (`repo@sha256:…`) of the repository `image` was deployed from, else the
 * first entry (an image pulled under several names has several), else null.
 */
export function repoDigestFor(image: string, repoDigests: readonly string[]): string | null {
  return repoDigests.find((entry) => sameRepository(entry, image)) ?? repoDigests[0] ?? null;
}
