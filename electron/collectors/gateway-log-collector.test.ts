import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { decodeOutput, newBoundary } from './framing.js';
import { collectGatewayTraffic, gatewayLogContainers, gatewayLogScript, readGatewayLogOutput } from './gateway-log-collector.js';
import { hermeticRunner, quote, SHELLS, tempDir, writeExecutable } from './fixtures/shell-harness.js';

const LOG_FIXTURE = fileURLToPath(new URL('./fixtures/litellm-docker-logs.txt', import.meta.url));
const LITELLM = { id: 'a'.repeat(64), name: 'litellm', image: 'ghcr.io/berriai/litellm:main-latest' };
const WINDOW = { start: '2026-03-24T10:39:00Z', end: '2026-03-24T16:00:00Z' };
const DOCKER = { engine: 'docker', access: 'direct' } as const;

/** A `docker` that logs its argv and prints the fixture (or fails as Docker does for an unknown container). */
async function setUp(shell: (typeof SHELLS)[number], options: { fail?: boolean } = {}) {
  const dir = await tempDir();
  const bin = join(dir, 'fake-bin');
  const log = join(dir, 'commands.log');
  await mkdir(bin, { recursive: true });
  const body = options.fail ? `cat ${quote(LOG_FIXTURE)}\necho 'Error response from daemon: No such container' >&2\nexit 1` : `cat ${quote(LOG_FIXTURE)}`;
  await writeExecutable(join(bin, 'docker'), `#!/bin/sh\nprintf '%s\\n' "docker $*" >> ${quote(log)}\n${body}\n`);
  const runner = await hermeticRunner(shell, dir, { marker: join(dir, 'marker'), extraBin: bin });
  const commands = async (): Promise<string[]> => (await readFile(log, 'utf8').catch(() => '')).split('\n').filter(Boolean);
  return { runner, commands };
}

describe('gatewayLogContainers', () => {
  it('picks LiteLLM and vLLM containers by image, and containers a LiteLLM config names', () => {
    const containers = [
      LITELLM,
      { id: 'b'.repeat(64), name: 'vllm', image: 'vllm/vllm-openai:v0.8.0' },
      { id: 'c'.repeat(64), name: 'custom-proxy', image: 'registry.example/proxy:1' },
      { id: 'd'.repeat(64), name: 'open-webui', image: 'ghcr.io/open-webui/open-webui:main' },
    ];

    const picked = gatewayLogContainers(containers, [{ gateway: 'litellm', container: 'custom-proxy' }]);

    expect(picked.map((container) => container.name)).toEqual(['litellm', 'vllm', 'custom-proxy']);
  });
});

describe.each(SHELLS)('gateway log collector under $name', (shell) => {
  it('reads the logs through the engine over the window and keeps only per-client counts', async () => {
    const { runner, commands } = await setUp(shell);

    const { traffic, issues } = await collectGatewayTraffic(runner, DOCKER, [LITELLM], WINDOW, new AbortController().signal);

    expect(issues).toEqual([]);
    expect(await commands()).toEqual([`docker logs --timestamps --since 2026-03-24T10:39:00.000Z --until 2026-03-24T16:00:00.000Z ${LITELLM.id}`]);
    expect(traffic).toHaveLength(1);
    expect(traffic[0]!.container).toBe('litellm');
    expect(traffic[0]!.window).toEqual({ start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T16:00:00.000Z' });
    expect(traffic[0]!.truncated).toBeUndefined();
    expect(traffic[0]!.clients.map((client) => [client.address, client.requests])).toEqual([
      ['10.88.0.3', 4],
      ['172.20.0.3', 3],
      ['2001:db8::7', 1],
      ['fd00:77::5', 1],
    ]);
    expect(JSON.stringify(traffic)).not.toMatch(/BRTEST|Falcon|Bearer/);
  });

  it('keeps only the newest bytes of a long log, drops the cut line and says so', async () => {
    const { runner } = await setUp(shell);
    const boundary = newBoundary();

    const result = await runner.runScript(gatewayLogScript(boundary, DOCKER, LITELLM.id, WINDOW, 600));
    const read = readGatewayLogOutput(decodeOutput(result.stdout), boundary, 600);

    expect(read.rc).toBe(0);
    expect(read.truncated).toBe(true);
    expect(read.text.length).toBeLessThanOrEqual(600);
    // Whole lines only: each starts with Docker's timestamp.
    expect(read.text.split('\n').filter(Boolean).every((line) => /^2026-03-24T/.test(line))).toBe(true);
    expect(read.text.endsWith('2026-03-24T16:30:01.0000000\n')).toBe(true);
  });

  it('notes a failed docker logs with its exit status only, quoting none of its output', async () => {
    const { runner } = await setUp(shell, { fail: true });

    const { traffic, issues } = await collectGatewayTraffic(runner, DOCKER, [LITELLM], WINDOW, new AbortController().signal);

    expect(traffic).toEqual([]);
    expect(issues).toEqual([
      { collector: 'gateway-logs', message: 'container litellm: docker logs failed (exit 1); its clients are not counted', incomplete: true },
    ]);
  });
});
