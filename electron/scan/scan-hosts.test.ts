import { describe, expect, it } from 'vitest';
import type { CommandRunner } from '../exec/command-runner.js';
import { scanHosts, type CollectHost, type HostConnection, type HostProgress, type ScanTarget } from './scan-hosts.js';

const fakeConnection: HostConnection = {
  runScript: async () => ({ stdout: Buffer.alloc(0), stderr: '', exitCode: 0, truncated: false }),
  close: async () => undefined,
};

function target(name: string, connect: ScanTarget['connect'] = async () => fakeConnection): ScanTarget {
  return { name, address: `root@${name}:22`, connect };
}

const collectNothing: CollectHost = async () => ({
  status: 'ok',
  facts: { hostname: 'h', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0' },
  containers: [],
  pythonEnvironments: [],
});

describe('scanHosts', () => {
  it('records a refused host with its status while the other hosts are scanned fully', async () => {
    const refused = Object.assign(new Error('connection refused by 127.0.0.9:22'), { status: 'unreachable' });
    const targets = [target('a'), target('down', async () => Promise.reject(refused)), target('b')];

    const hosts = await scanHosts(targets, { collect: collectNothing, concurrency: 2 });

    expect(hosts.map((host) => [host.name, host.status, host.error])).toEqual([
      ['a', 'ok', undefined],
      ['down', 'unreachable', 'connection refused by 127.0.0.9:22'],
      ['b', 'ok', undefined],
    ]);
  });

  it('marks a host whose collector crashed as error and closes its connection', async () => {
    let closed = false;
    const connection = { ...fakeConnection, close: async () => void (closed = true) };
    const crash: CollectHost = async () => Promise.reject(new Error('unexpected output'));

    const [host] = await scanHosts([target('x', async () => connection)], { collect: crash, concurrency: 1 });

    expect(host).toMatchObject({ status: 'error', error: 'unexpected output' });
    expect(closed).toBe(true);
  });

  it('never has more hosts connected at once than the concurrency allows', async () => {
    let open = 0;
    let peak = 0;
    const connect = async (): Promise<HostConnection> => {
      open++;
      peak = Math.max(peak, open);
      return { ...fakeConnection, close: async () => void open-- };
    };
    const slowCollect: CollectHost = async (runner: CommandRunner) => {
      await runner.runScript('true');
      await new Promise((resolve) => setImmediate(resolve));
      return collectNothing(runner, { signal: new AbortController().signal, onPhase: () => undefined });
    };

    await scanHosts(
      Array.from({ length: 7 }, (_, index) => target(`h${index}`, connect)),
      { collect: slowCollect, concurrency: 3 },
    );

    expect(peak).toBe(3);
  });

  it('reports each host from queued through connecting and collecting to done', async () => {
    const events: HostProgress[] = [];
    const collect: CollectHost = async (runner, options) => {
      options.onPhase('facts', 'reading host facts');
      return collectNothing(runner, options);
    };

    await scanHosts([target('a')], { collect, concurrency: 1, onProgress: (event) => events.push(event) });

    expect(events.map((event) => event.phase)).toEqual(['queued', 'connecting', 'facts', 'done']);
  });

  it('does not start hosts still queued when the scan is cancelled', async () => {
    const controller = new AbortController();
    const collect: CollectHost = async (runner, options) => {
      controller.abort();
      return collectNothing(runner, options);
    };

    const hosts = await scanHosts([target('first'), target('second')], {
      collect,
      concurrency: 1,
      signal: controller.signal,
    });

    expect(hosts[0]?.status).toBe('partial');
    expect(hosts[1]).toMatchObject({ status: 'error', error: 'scan cancelled before this host was scanned' });
  });

  it('redacts what a host said in its error, its notes and the progress messages: a password in a URL becomes a fingerprint', async () => {
    const password = 'Zq8vN2kL5pX9wR3tB7mC4yH6';
    const said = `error during connect: Get "https://ci:${password}@registry.example/v2/": proxyconnect tcp: connection refused\u202E`;
    const refused = Object.assign(new Error(`SSH connection failed: ${said}`), { status: 'error' });
    const noisy: CollectHost = async (runner, options) => {
      options.onPhase('containers', said);
      return { ...(await collectNothing(runner, options)), status: 'partial', error: said, notes: [{ collector: 'docker', message: said }] };
    };
    const progress: HostProgress[] = [];

    const hosts = await scanHosts([target('down', async () => Promise.reject(refused)), target('noisy')], {
      collect: noisy,
      concurrency: 1,
      onProgress: (event) => progress.push(event),
    });

    const shown = JSON.stringify({ hosts, progress });
    expect(shown).not.toContain(password);
    expect(shown).not.toContain('\u202E');
    expect(hosts[0]?.error).toMatch(/^SSH connection failed: error during connect: Get "https:\/\/ci:\[redacted url-password:[0-9a-f]{12}:4yH6\]@registry\.example\/v2\/"/);
    expect(hosts[1]?.notes?.[0]?.message).toContain('\\u{202e}');
    expect(progress.some((event) => event.host === 'noisy' && event.message.includes('[redacted url-password:'))).toBe(true);
  });
});
