import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { parseContainerInspect, parseImageInspect } from '../../electron/collectors/docker-parser.js';
import { DOCKER_FIXTURES } from '../lab/lab.js';
import { dockerJson, writeDockerFixtures } from './docker-fixtures.js';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'bench-fixtures-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('generated Docker fixtures', () => {
  it('serialise a recorded fixture byte for byte as docker inspect printed it', async () => {
    const file = path.join(DOCKER_FIXTURES, 'containers', 'bd385dd594089dffe0f4186330ac0000bb186eb1e98d9f9a5a6b49426fabbe81.json');
    const recorded = await readFile(file, 'utf8');

    const written = dockerJson((JSON.parse(recorded) as unknown[])[0] as never);

    expect(written).toBe(recorded);
  });

  it('give each container its own id, overlay, hostname and image, read by the product as running', async () => {
    const generated = await writeDockerFixtures(dir, ['bench1-svc-01', 'bench1-svc-02'], 'bench1');

    const containers = await Promise.all(
      generated.map(async (container) => {
        const text = await readFile(path.join(dir, 'containers', `${container.id}.json`), 'utf8');
        return { parsed: parseContainerInspect(text), raw: (JSON.parse(text) as { Config: { Hostname: string } }[])[0]! };
      }),
    );
    const imageIds = await Promise.all(
      generated.map(async (container) => [...parseImageInspect(await readFile(path.join(dir, 'images', `${container.imageId.slice(7)}.json`), 'utf8')).keys()]),
    );

    const [first, second] = containers.map(({ parsed }) => parsed.containers[0]!);
    expect(containers.flatMap(({ parsed }) => parsed.problems)).toEqual([]);
    expect([first?.name, second?.name]).toEqual(['bench1-svc-01', 'bench1-svc-02']);
    expect([first?.running, second?.running]).toEqual([true, true]);
    expect(first?.id).not.toBe(second?.id);
    expect(first?.mergedDir).not.toBe(second?.mergedDir);
    expect(containers[0]!.raw.Config.Hostname).toBe(first?.id.slice(0, 12));
    expect([first?.imageId, second?.imageId]).toEqual(generated.map((c) => c.imageId));
    expect(imageIds).toEqual(generated.map((container) => [container.imageId]));
    expect(await readdir(path.join(dir, 'containers'))).toHaveLength(2);
  });

  it('give each image a docker history naming its own id, one JSON object a line', async () => {
    const [generated] = await writeDockerFixtures(dir, ['bench1-svc-01'], 'bench1');

    const text = await readFile(path.join(dir, 'history', `${generated!.imageId.slice(7)}.jsonl`), 'utf8');

    const lines = text.trimEnd().split('\n').map((line) => JSON.parse(line) as { ID: string });
    expect(lines[0]?.ID).toBe(generated!.imageId);
    expect(lines.slice(1).every((line) => line.ID === '<missing>')).toBe(true);
    expect(text).toContain('"ID":"\\u003cmissing\\u003e"');
  });

  it('keep the recorded container fixture\'s keys in Docker 28\'s order', async () => {
    const [generated] = await writeDockerFixtures(dir, ['bench1-svc-01'], 'bench1');
    const template = JSON.parse(await readFile(path.join(DOCKER_FIXTURES, 'containers', 'bd385dd594089dffe0f4186330ac0000bb186eb1e98d9f9a5a6b49426fabbe81.json'), 'utf8')) as Record<string, unknown>[];

    const written = JSON.parse(await readFile(path.join(dir, 'containers', `${generated!.id}.json`), 'utf8')) as Record<string, unknown>[];

    expect(Object.keys(written[0]!)).toEqual(Object.keys(template[0]!));
  });
});
