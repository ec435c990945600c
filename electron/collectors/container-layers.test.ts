import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { isHidden, isSafeLayerPath, layerMask, MAX_LAYERS, mergeByPath, readLayers } from './container-layers.js';

const fixture = async (name: string) => JSON.parse(await readFile(new URL(`./fixtures/${name}`, import.meta.url), 'utf8')) as { GraphDriver: unknown }[];

describe('readLayers', () => {
  it("reads Docker's overlay2 and Podman's overlay layers top first: UpperDir, then LowerDir left to right", async () => {
    const [docker] = await fixture('docker-inspect.json');
    const [podman] = await fixture('podman-inspect.json');

    expect(readLayers(docker!.GraphDriver)).toEqual({
      driver: 'overlay2',
      dirs: [
        '/var/lib/docker/overlay2/a61f0e9c3b7d5e2f8a4c6b1d9e0f7a3c5b8d2e6f4a1c9b7d3e5f0a2c8b6d4e1f/diff',
        '/var/lib/docker/overlay2/a61f0e9c3b7d5e2f8a4c6b1d9e0f7a3c5b8d2e6f4a1c9b7d3e5f0a2c8b6d4e1f-init/diff',
        '/var/lib/docker/overlay2/d2e8b4f6a0c3e5b7d9f1a3c5e7b9d0f2a4c6e8b1d3f5a7c9e0b2d4f6a8c1e3b5/diff',
        '/var/lib/docker/overlay2/7c3a9e5b1d7f3a9c5e1b7d3f9a5c1e7b3d9f5a1c7e3b9d5f1a7c3e9b5d1f7a3c/diff',
        '/var/lib/docker/overlay2/e4b0c6a2f8d4b0e6c2a8f4d0b6e2c8a4f0d6b2e8c4a0f6d2b8e4c0a6f2d8b4e0/diff',
      ],
    });
    expect(readLayers(podman!.GraphDriver)).toMatchObject({ driver: 'overlay', dirs: [expect.stringMatching(/\/diff$/), expect.stringMatching(/\/diff$/), expect.stringMatching(/\/diff$/)] });
  });

  it('refuses hostile layer paths: relative, climbing with .., control characters, empty components, the root itself, too long', () => {
    const data = (UpperDir: unknown, LowerDir?: unknown) => ({ Name: 'overlay2', Data: { UpperDir, LowerDir } });
    for (const bad of ['relative/diff', '/var/lib/docker/overlay2/../../../etc', '/var/lib/docker/./x', '/var/lib//docker', '/var/lib/docker/x\n/etc', '/', `/${'a'.repeat(5000)}`]) {
      expect(readLayers(data(bad)), bad).toEqual({ refused: 'the engine reports a layer path that is not a plain absolute path' });
    }
    expect(readLayers(data('/ok/diff', '/ok/lower:../../etc'))).toEqual({ refused: 'the engine reports a layer path that is not a plain absolute path' });
    expect(readLayers(data(42))).toEqual({ refused: 'the engine reports no UpperDir' });
  });

  it('refuses an unknown graph driver and more layers than an image can have, naming only a safe driver name', () => {
    expect(readLayers({ Name: 'btrfs', Data: { UpperDir: '/x' } })).toEqual({ refused: 'graph driver btrfs is not one whose layers can be read' });
    expect(readLayers({ Name: '$(touch /tmp/pwned)', Data: {} })).toEqual({ refused: 'graph driver (unrecognised) is not one whose layers can be read' });
    expect(readLayers(null)).toEqual({ refused: 'the engine reports no graph driver' });
    const lower = Array.from({ length: MAX_LAYERS }, (_, index) => `/l/${index}/diff`).join(':');
    expect(readLayers({ Name: 'overlay2', Data: { UpperDir: '/u/diff', LowerDir: lower } })).toEqual({ refused: `the engine reports ${MAX_LAYERS + 1} layers (more than ${MAX_LAYERS})` });
  });

  it('accepts quotes, dollars and spaces in a path (the script single-quotes it) but never a colon', () => {
    expect(isSafeLayerPath("/var/lib/it's $(here)/diff")).toBe(true);
    expect(isSafeLayerPath('/var/lib/a:b')).toBe(false);
  });
});

describe('layer masks', () => {
  it('hides a whited-out path and everything under it, in lower layers only', () => {
    const upper = layerMask(['/usr/lib/python3/site-packages/openai-1.61.0.dist-info', '/app/.env', 'relative', '/']);

    expect(isHidden('/usr/lib/python3/site-packages/openai-1.61.0.dist-info', [upper])).toBe(true);
    expect(isHidden('/usr/lib/python3/site-packages/openai-1.61.0.dist-info/METADATA', [upper])).toBe(true);
    expect(isHidden('/usr/lib/python3/site-packages/openai-1.61.0.dist-info2', [upper])).toBe(false);
    expect(isHidden('/app/.env.local', [upper])).toBe(false);
    // A whiteout of `/` (never made by an engine) or a relative one hides nothing.
    expect(isHidden('/etc/passwd', [upper])).toBe(false);
  });

  it('merges lists top first: a replaced file is the higher layer\'s, a deleted one is gone', () => {
    const masks = [layerMask(['/app/old.env']), layerMask([])];
    const top = [{ path: '/app/.env', from: 'top' }];
    const lower = [
      { path: '/app/.env', from: 'lower' },
      { path: '/app/old.env', from: 'lower' },
      { path: '/srv/config.yaml', from: 'lower' },
    ];

    expect(mergeByPath([top, lower], masks, (item) => item.path, (item) => item.path)).toEqual([
      { path: '/app/.env', from: 'top' },
      { path: '/srv/config.yaml', from: 'lower' },
    ]);
  });
});
