import { describe, expect, it } from 'vitest';
import { CommandTimeoutError, type CommandRunner, type RunOptions, type RunResult } from '../exec/command-runner.js';
import { HostGiveUps } from './host-give-ups.js';
import { scanHosts, type CollectHost, type CollectedHost, type HostConnection, type HostProgress, type ScanTarget } from './scan-hosts.js';

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

/** A connection whose every script ends only by its timeout or its signal, as a real channel to a wedged host does. */
function wedgedConnection(): HostConnection & { closed: boolean; closes: number; scripts: string[] } {
  const connection = {
    closed: false,
    closes: 0,
    scripts: [] as string[],
    runScript: (script: string, options: RunOptions = {}) => {
      connection.scripts.push(script);
      return new Promise<RunResult>((_, reject) => {
        const timer = setTimeout(() => reject(new CommandTimeoutError(options.timeoutMs ?? 120_000)), options.timeoutMs ?? 120_000);
        options.signal?.addEventListener('abort', () => {
          clearTimeout(timer);
          reject(options.signal!.reason);
        }, { once: true });
      });
    },
    close: async () => {
      connection.closed = true;
      connection.closes++;
    },
  };
  return connection;
}

const FACTS = { hostname: 'h', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0' };

/** Collects the way collectHost does: phase after phase, and what it had when the host's signal aborts. */
const collectPhases: CollectHost = async (runner, { signal, onPhase }) => {
  const collected: CollectedHost = { status: 'ok', facts: null, containers: [], pythonEnvironments: [] };
  const phases = [
    ['facts', () => void (collected.facts = FACTS)],
    ['python', () => void collected.pythonEnvironments.push({ path: '/usr/lib/python3/dist-packages', container: null, packages: [] })],
    ['keys', () => void (collected.secrets = [])],
  ] as const;
  for (const [phase, keep] of phases) {
    onPhase(phase, `reading ${phase}`);
    try {
      await runner.runScript(`# ${phase}\n`, { timeoutMs: 180_000 });
      keep();
    } catch (error) {
      if (signal.aborted) return { ...collected, status: 'partial' };
      throw error;
    }
  }
  return collected;
};

describe('scanHosts with a host that never answers', () => {
  it('finishes at the wedged host\'s deadline with the healthy host complete and the wedged one an error naming the phase', async () => {
    const wedged = wedgedConnection();
    const healthy = { ...fakeConnection, runScript: async () => ({ stdout: Buffer.alloc(0), stderr: '', exitCode: 0, truncated: false }) };

    const hosts = await scanHosts([target('wedged', async () => wedged), target('healthy', async () => healthy)], {
      collect: collectPhases,
      concurrency: 2,
      hostDeadlineMs: 80,
    });

    expect(hosts[1]).toMatchObject({ name: 'healthy', status: 'ok', facts: FACTS, secrets: [] });
    expect(hosts[0]).toMatchObject({ name: 'wedged', status: 'error', facts: null });
    expect(hosts[0]!.error).toMatch(/^host deadline reached: gave up on the host in the facts phase, after waiting \d/);
    expect(hosts[0]!.notes).toEqual([{ collector: 'deadline', message: hosts[0]!.error }]);
    expect(wedged.closes).toBe(1);
  });

  it('keeps what a host gave before it stopped answering mid-scan, and sends it nothing after the check went unanswered', async () => {
    const connection = wedgedConnection();
    const answering = { ...connection, runScript: (script: string, options?: RunOptions) => (script.includes('keys') || script.includes('echo') ? connection.runScript(script, options) : Promise.resolve({ stdout: Buffer.alloc(0), stderr: '', exitCode: 0, truncated: false })) };
    const collect: CollectHost = (runner, options) =>
      collectPhases({ runScript: (script, run) => runner.runScript(script, script.includes('keys') ? { ...run, timeoutMs: 30 } : run) }, options);

    const [host] = await scanHosts([target('stalls', async () => answering)], { collect, concurrency: 1, hostDeadlineMs: 60_000, probeTimeoutMs: 20 });

    expect(host).toMatchObject({ status: 'partial', facts: FACTS, pythonEnvironments: [{ path: '/usr/lib/python3/dist-packages', container: null, packages: [] }] });
    expect(host!.secrets).toBeUndefined();
    expect(host!.error).toMatch(/^the host stopped answering in the keys phase: a command got no answer for [\d.]+ s and a check sent after it got none either/);
    expect(host!.error).toMatch(/closed its connection; what was read before is kept$/);
    expect(connection.closed).toBe(true);
  });

  it('gives up on one host at the user\'s request and scans the others to the end', async () => {
    const giveUps = new HostGiveUps();
    const wedged = wedgedConnection();

    const hosts = await scanHosts([target('stuck', async () => wedged), target('fine')], {
      collect: collectPhases,
      concurrency: 2,
      giveUps,
      onProgress: (event) => {
        if (event.host === 'stuck' && event.phase === 'facts') setImmediate(() => giveUps.giveUp('stuck'));
      },
    });

    expect(hosts[0]).toMatchObject({ status: 'error' });
    expect(hosts[0]!.error).toMatch(/^given up on by the user in the facts phase/);
    expect(hosts[1]).toMatchObject({ status: 'ok' });
    expect(giveUps.giveUp('fine')).toBe(false);
  });

  it('never connects to a host the user gave up on while it was queued', async () => {
    const giveUps = new HostGiveUps();
    let connected = false;

    const hosts = await scanHosts([target('first'), target('later', async () => ((connected = true), fakeConnection))], {
      collect: async (runner, options) => {
        giveUps.giveUp('later');
        return collectNothing(runner, options);
      },
      concurrency: 1,
      giveUps,
    });

    expect(hosts[1]).toMatchObject({ status: 'error', error: 'given up on by the user before it was scanned' });
    expect(connected).toBe(false);
  });

  it('reports the phase a host keeps waiting in, with how long it waited and how long it has left', async () => {
    const events: HostProgress[] = [];

    await scanHosts([target('slow', async () => wedgedConnection())], {
      collect: collectPhases,
      concurrency: 1,
      hostDeadlineMs: 150,
      waitReportMs: 40,
      onProgress: (event) => events.push(event),
    });

    const waits = events.filter((event) => event.waitingSeconds !== undefined);
    expect(waits.length).toBeGreaterThanOrEqual(2);
    expect(waits[0]).toMatchObject({ host: 'slow', phase: 'facts', waitingSeconds: 0, remainingSeconds: 0 });
    expect(waits[0]!.message).toMatch(/^waiting for an answer in the facts phase for 0 s; the host is given up on in 0 s$/);
  });

  it('ends a host whose collector ignores the give-up once the grace is over, with a note instead of its inventory', async () => {
    const neverReturns: CollectHost = (_runner, { onPhase }) => {
      onPhase('python', 'reading site-packages');
      return new Promise(() => undefined);
    };

    const [host] = await scanHosts([target('deaf')], { collect: neverReturns, concurrency: 1, hostDeadlineMs: 30, stopGraceMs: 20 });

    expect(host).toMatchObject({ status: 'error', facts: null });
    expect(host!.error).toMatch(/^host deadline reached: gave up on the host in the python phase \([\d.]+ s after its scan started\); nothing was read from it$/);
  });

  it('closes a connection that opens only after its host was given up on', async () => {
    let closed = false;
    let open!: (connection: HostConnection) => void;
    const deaf: ScanTarget['connect'] = () => new Promise((resolve) => (open = resolve));

    const [host] = await scanHosts([target('late', deaf)], { collect: collectNothing, concurrency: 1, hostDeadlineMs: 20, stopGraceMs: 10 });
    open({ ...fakeConnection, close: async () => void (closed = true) });
    await new Promise((resolve) => setImmediate(resolve));

    expect(host).toMatchObject({ status: 'error' });
    expect(closed).toBe(true);
  });

  it('bounds a connection attempt by the deadline too', async () => {
    const hanging: ScanTarget['connect'] = (signal) => new Promise((_, reject) => signal.addEventListener('abort', () => reject(new Error('connection cancelled'))));

    const [host] = await scanHosts([target('silent-sshd', hanging)], { collect: collectNothing, concurrency: 1, hostDeadlineMs: 30 });

    expect(host).toMatchObject({ status: 'error' });
    expect(host!.error).toMatch(/^host deadline reached: gave up on the host while connecting, after waiting \d/);
  });
});

