/**
 * Package URLs (github.com/package-url/purl-spec) for what the reports name: a PyPI distribution
 * (`pkg:pypi/litellm@1.82.8`) and a container image by digest (`pkg:oci/litellm@sha256:…`).
 * Every part comes from a host, so each is percent-encoded; nothing a host wrote can add a
 * qualifier or a path segment.
 */
import { parseImageReference, canonicalRepository } from '../domain/containers/image-reference.js';

/** `sha256:` and 64 hex digits: the only digests a purl version is built from. */
const SHA256_DIGEST = /^sha256:[0-9a-f]{64}$/;

/** Percent-encodes a purl component, keeping the `:` the spec says needs no encoding (digests read `sha256:…`). */
function encodePart(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':');
}

/** A qualifier value: as a component, `/` kept too (repository URLs read as paths). */
function encodeQualifier(value: string): string {
  return encodePart(value).replace(/%2F/gi, '/');
}

/** `pkg:pypi/NAME@VERSION`, the name as the purl spec wants PyPI names: lowercased, `_` as `-`. */
export function pypiPurl(name: string, version: string): string {
  return `pkg:pypi/${encodePart(name.toLowerCase().replace(/_/g, '-'))}@${encodePart(version)}`;
}

/**
 * `pkg:oci/NAME@sha256:…?repository_url=REPO&tag=TAG` for an image reference and its digest: NAME
 * is the repository's last path component, lowercased. Without a sha256 digest there is no
 * version (the purl names the repository, not content).
 */
export function ociPurl(image: string, digest: string | null): string {
  const reference = parseImageReference(image);
  const name = (reference.path.split('/').pop() ?? reference.path).toLowerCase();
  const qualifiers = [`repository_url=${encodeQualifier(canonicalRepository(image).toLowerCase())}`];
  if (reference.tag !== null) qualifiers.push(`tag=${encodeQualifier(reference.tag)}`);
  const version = digest !== null && SHA256_DIGEST.test(digest) ? `@${digest}` : '';
  return `pkg:oci/${encodePart(name)}${version}?${qualifiers.join('&')}`;
}
