/**
 * Docker 28 `inspect` fixtures for generated containers, derived from the lab's recorded
 * `open-webui` container and image (e2e/lab/fixtures/docker) so every generated file keeps Docker
 * 28.5's keys, key order, 4-space indent and Go's HTML escaping (and the image's `docker history`
 * lines, when the lab records them). Each generated container gets
 * its own image; every 64-hex id in the template (container, image, layers, network, sandbox) is
 * replaced by one derived from the container's name, so ids are unique and stable across runs.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { DOCKER_FIXTURES } from '../lab/lab.js';

/** The recorded running container every generated one is modelled on (open-webui on the lab's gw). */
const TEMPLATE_CONTAINER_ID = 'bd385dd594089dffe0f4186330ac0000bb186eb1e98d9f9a5a6b49426fabbe81';
/** Its image, ghcr.io/open-webui/open-webui:main. */
const TEMPLATE_IMAGE_ID = 'a5232b5f230c74637604843489235364a6f1e464f1984986cce691acb7db5b25';
/** Words of the template that name its service and compose project; replaced so names stay coherent. */
const TEMPLATE_SERVICE = 'open-webui';
const TEMPLATE_PROJECT = 'ai-gateway';

/** One generated running container, as the docker stand-in will list it. */
export interface GeneratedContainer {
  /** Container name without Docker's leading slash; also its compose service and image repository name. */
  name: string;
  /** 64 hex, derived from the name. */
  id: string;
  /** `sha256:<hex>`, this container's own image. */
  imageId: string;
  /** Its image's repo tag, e.g. `ghcr.io/bench1-svc-03/bench1-svc-03:main`. */
  image: string;
}

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/**
 * Writes `containers/<id>.json` and `images/<hex>.json` for each name into `dir` (the layout
 * startLab's `dockerFixtures` option reads) and returns what it wrote, in the names' order.
 */
export async function writeDockerFixtures(dir: string, names: readonly string[], project: string): Promise<GeneratedContainer[]> {
  const [containerTemplate, imageTemplate, historyTemplate] = await Promise.all([
    readFixture(path.join(DOCKER_FIXTURES, 'containers', `${TEMPLATE_CONTAINER_ID}.json`)),
    readFixture(path.join(DOCKER_FIXTURES, 'images', `${TEMPLATE_IMAGE_ID}.json`)),
    // One JSON object a line, as `docker history --no-trunc --format '{{json .}}'` prints; optional in the lab.
    readFile(path.join(DOCKER_FIXTURES, 'history', `${TEMPLATE_IMAGE_ID}.jsonl`), 'utf8').then(
      (text) => text.split('\n').filter((line) => line !== '').map((line) => JSON.parse(line) as Json),
      () => null,
    ),
  ]);
  for (const folder of ['containers', 'images', ...(historyTemplate ? ['history'] : [])]) await mkdir(path.join(dir, folder), { recursive: true });
  // `docker ps` lists newest first; spacing creations a minute apart keeps that order stable.
  const newest = Date.parse('2026-04-20T08:00:00.000Z');
  return Promise.all(
    names.map(async (name, index) => {
      const rewrite = rewriter(name, project);
      const image = rewrite(imageTemplate) as { [key: string]: Json };
      const container = rewrite(containerTemplate) as { [key: string]: Json };
      const created = new Date(newest - index * 60_000).toISOString().replace('Z', '123456Z');
      container.Created = created;
      (container.State as { [key: string]: Json }).StartedAt = created;
      (container.State as { [key: string]: Json }).Pid = 40_000 + index;
      // No volumes and no per-container environment: the template's consumer settings and volume belong to open-webui.
      container.Mounts = [];
      (container.Config as { [key: string]: Json }).Env = (image.Config as { [key: string]: Json }).Env ?? [];
      const networks = (container.NetworkSettings as { Networks: Record<string, { [key: string]: Json }> }).Networks;
      for (const network of Object.values(networks)) {
        const host = 2 + index;
        network.IPAddress = `172.20.${Math.floor(host / 256)}.${host % 256}`;
        network.MacAddress = `02:42:ac:14:${(Math.floor(host / 256)).toString(16).padStart(2, '0')}:${(host % 256).toString(16).padStart(2, '0')}`;
      }
      const id = container.Id as string;
      const imageId = image.Id as string;
      await writeFile(path.join(dir, 'containers', `${id}.json`), dockerJson(container));
      await writeFile(path.join(dir, 'images', `${imageId.replace(/^sha256:/, '')}.json`), dockerJson(image));
      if (historyTemplate) {
        const lines = historyTemplate.map((line) => goEscape(JSON.stringify(rewrite(line))));
        await writeFile(path.join(dir, 'history', `${imageId.replace(/^sha256:/, '')}.jsonl`), `${lines.join('\n')}\n`);
      }
      return { name, id, imageId, image: (image.RepoTags as string[])[0]! };
    }),
  );
}

/** What `docker inspect` prints for one object: a one-element array, 4-space indent, Go's HTML escaping. */
export function dockerJson(object: Json): string {
  return `${goEscape(JSON.stringify([object], null, 4))}\n`;
}

/** encoding/json escapes <, >, & (and U+2028/9) unless told otherwise; the docker CLI does not tell it. */
function goEscape(json: string): string {
  return json.replace(/[<>&\u2028\u2029]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

async function readFixture(file: string): Promise<Json> {
  return (JSON.parse(await readFile(file, 'utf8')) as Json[])[0]!;
}

/**
 * Rewrites every string and key of the template for one container: each 64-hex id becomes
 * sha256(name + old id) (so the container and its image agree on shared layer and image ids), a
 * 12-hex prefix of a rewritten id becomes the new prefix (hostnames, netns names), and the
 * template's service and project names become the container's.
 */
function rewriter(name: string, project: string): (value: Json) => Json {
  const ids = new Map<string, string>();
  const newId = (old: string): string => {
    let id = ids.get(old);
    if (!id) {
      id = createHash('sha256').update(`blast-radius-bench\0${name}\0${old}`).digest('hex');
      ids.set(old, id);
    }
    return id;
  };
  const text = (value: string): string => {
    let out = value.replace(/[0-9a-f]{64}/g, newId);
    // Short ids (Config.Hostname, SandboxKey, DNSNames) are 12-hex prefixes of ids already seen.
    out = out.replace(/\b[0-9a-f]{12}\b/g, (short) => {
      for (const [old, id] of ids) if (old.startsWith(short)) return id.slice(0, 12);
      return short;
    });
    return out.replaceAll(TEMPLATE_SERVICE, name).replaceAll(TEMPLATE_PROJECT, project);
  };
  const walk = (value: Json): Json => {
    if (typeof value === 'string') return text(value);
    if (Array.isArray(value)) return value.map(walk);
    if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, inner]) => [text(key), walk(inner)]));
    return value;
  };
  // The ids must be known before short prefixes are looked up: map every long id first.
  const collect = (value: Json): void => {
    if (typeof value === 'string') for (const match of value.matchAll(/[0-9a-f]{64}/g)) newId(match[0]);
    else if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') for (const [key, inner] of Object.entries(value)) (collect(key), collect(inner));
  };
  return (value) => {
    collect(value);
    return walk(value);
  };
}
