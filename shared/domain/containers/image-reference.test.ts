import { describe, expect, it } from 'vitest';
import {
  canonicalRepository,
  digestOf,
  imageRepository,
  isPinnedReference,
  parseImageReference,
  repoDigestFor,
  repositoryName,
  sameRepository,
} from './image-reference.js';

const HEX = 'a'.repeat(64);

describe('parsing a reference', () => {
  it('splits registry, path, tag and digest', () => {
    expect(parseImageReference(`ghcr.io/berriai/litellm:main-latest@sha256:${HEX}`)).toEqual({
      registry: 'ghcr.io',
      path: 'berriai/litellm',
      tag: 'main-latest',
      digest: `sha256:${HEX}`,
    });
  });

  it('takes the first component as a registry only when it has a dot or a port or is localhost', () => {
    expect(parseImageReference('localhost:5000/team/app:1').registry).toBe('localhost:5000');
    expect(parseImageReference('localhost/app').registry).toBe('localhost');
    expect(parseImageReference('mirror.local/litellm').registry).toBe('mirror.local');
    expect(parseImageReference('berriai/litellm:1').registry).toBeNull();
    expect(parseImageReference('berriai/litellm:1').path).toBe('berriai/litellm');
  });

  it('reads a colon before the last slash as a registry port, not a tag', () => {
    expect(parseImageReference('registry:5000/app')).toEqual({ registry: 'registry:5000', path: 'app', tag: 'latest', digest: null });
  });

  it('gives the tag latest when neither tag nor digest is written, and no tag to a digest alone', () => {
    expect(parseImageReference('alpine').tag).toBe('latest');
    expect(parseImageReference(`alpine@sha256:${HEX}`).tag).toBeNull();
    expect(parseImageReference('alpine:3.20').tag).toBe('3.20');
  });

  it('ignores surrounding whitespace', () => {
    expect(parseImageReference('  alpine:3.20\n')).toEqual({ registry: null, path: 'alpine', tag: '3.20', digest: null });
  });
});

describe('repository names', () => {
  it('keeps the registry as written and drops tag and digest for building repo@digest', () => {
    expect(repositoryName('ghcr.io/berriai/litellm:main-latest')).toBe('ghcr.io/berriai/litellm');
    expect(repositoryName('localhost:5000/app')).toBe('localhost:5000/app');
    expect(repositoryName(`nginx@sha256:${HEX}`)).toBe('nginx');
  });

  it('writes Docker Hub short and long names alike when comparing, as Docker and Podman print them', () => {
    expect(['alpine', 'library/alpine', 'docker.io/alpine', 'docker.io/library/alpine:3', 'index.docker.io/library/alpine'].map(canonicalRepository)).toEqual(
      Array(5).fill('docker.io/library/alpine'),
    );
    expect(canonicalRepository('ghcr.io/berriai/litellm:1')).toBe('ghcr.io/berriai/litellm');
  });

  it('adds library/ only on Docker Hub, so a one-component name on another registry stays itself', () => {
    expect(sameRepository('localhost/app', 'docker.io/library/app')).toBe(false);
    expect(sameRepository('mirror.local/litellm', 'ghcr.io/berriai/litellm')).toBe(false);
    expect(sameRepository('nginx:1.27', `docker.io/library/nginx@sha256:${HEX}`)).toBe(true);
  });

  it('names the software whatever the registry, lowercased and without library/', () => {
    expect(imageRepository('localhost:5000/library/alpine:3.20')).toBe('alpine');
    expect(imageRepository('ghcr.io/BerriAI/litellm:main')).toBe('berriai/litellm');
    expect(imageRepository(`docker.io/containrrr/watchtower@sha256:${HEX}`)).toBe('containrrr/watchtower');
  });
});

describe('digests and pinning', () => {
  it('extracts only well-formed sha256 digests', () => {
    expect(digestOf('repo@sha256:abc')).toBeNull();
    expect(digestOf('repo:tag')).toBeNull();
    expect(digestOf(`repo:tag@sha256:${HEX}`)).toBe(`sha256:${HEX}`);
  });

  it('calls a reference pinned when it carries a sha256 digest or is an image id', () => {
    expect(isPinnedReference('ghcr.io/x/y:main@sha256:' + 'c'.repeat(64))).toBe(true);
    expect(isPinnedReference(`sha256:${HEX}`)).toBe(true);
    expect(isPinnedReference(HEX)).toBe(true);
    expect(isPinnedReference('ghcr.io/x/y:main')).toBe(false);
    expect(isPinnedReference('ghcr.io/x/y@sha256:abc')).toBe(false);
  });

  it('picks the RepoDigests entry of the deployed repository, else the first, else none', () => {
    const entries = [`mirror.local/litellm@sha256:${'1'.repeat(64)}`, `ghcr.io/berriai/litellm@sha256:${'2'.repeat(64)}`];

    expect(repoDigestFor('ghcr.io/berriai/litellm:main-latest', entries)).toBe(entries[1]);
    expect(repoDigestFor('other:1', entries)).toBe(entries[0]);
    expect(repoDigestFor('other:1', [])).toBeNull();
  });
});
