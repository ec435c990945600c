/**
 * An acknowledged tick survives the server being killed: the built browser host is started as
 * its own process, ticks are sent to it over its WebSocket, and it is killed with SIGKILL while
 * they are in flight; after every restart each tick it answered is still ticked and still in the
 * journal. 100 kills, in two lanes (each its own case folder) so the restarts overlap.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import type { Channel, RequestOf, ResponseOf, WsServerMessage } from '../shared/ipc/index.js';

const SERVER = fileURLToPath(new URL('../dist/electron/server/main.js', import.meta.url));
const KILLS = Number(process.env['TICK_KILLS'] ?? 100);
const LANES = Number(process.env['TICK_LANES'] ?? 2);
/** Ticks sent at once: several requests are always in flight when the kill lands. */
const IN_FLIGHT = 4;
/** How long a handshake or a request may go unanswered before the test says so instead of waiting forever. */
const CONNECT_TIMEOUT_MS = 10_000;
const CALL_TIMEOUT_MS = 30_000;

interface Server {
  child: ChildProcess;
  url: URL;
  stderr: () => string;
}

/** Starts the built browser host on a case folder and waits for the URL it prints first. */
async function startServer(dataDir: string, sshConfig: string): Promise<Server> {
  const child = spawn(process.execPath, [SERVER, '--ssh-config', sshConfig, '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code, signal) => reject(new Error(`the server exited (${code ?? signal}) before printing its URL: ${stderr}`)));
  });
  return { child, url: new URL(line), stderr: () => stderr };
}

/** A WebSocket client of the contract: `call` answers a channel's response, or rejects once the socket is gone. */
async function connect(server: Server) {
  const socket = new WebSocket(`ws://${server.url.host}/ws?token=${server.url.searchParams.get('token')}`, { origin: server.url.origin });
  const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
  let nextId = 1;
  let closed = false;
  socket.on('message', (data) => {
    const message = JSON.parse(String(data)) as WsServerMessage;
    if (message.type !== 'result') return;
    const call = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) call?.resolve(message.response);
    else call?.reject(new Error(message.error));
  });
  socket.on('close', () => {
    closed = true;
    for (const call of pending.values()) call.reject(new Error('connection closed'));
    pending.clear();
  });
  let failure = '';
  socket.on('error', (error) => (failure ||= error.message));
  socket.once('unexpected-response', (_request, response) => (failure = `HTTP ${response.statusCode}`));
  await new Promise<void>((resolve, reject) => {
    // A handshake that neither opens nor closes would hang the lane: give it up like a closed one.
    const stalled = setTimeout(() => {
      failure ||= `no answer to the WebSocket handshake in ${CONNECT_TIMEOUT_MS} ms`;
      socket.terminate();
    }, CONNECT_TIMEOUT_MS);
    socket.once('open', () => {
      clearTimeout(stalled);
      resolve();
    });
    socket.once('close', () => {
      clearTimeout(stalled);
      // Let the server's stderr (a refusal names its reason) arrive before saying why.
      setTimeout(() => reject(new Error(`could not connect: ${failure} (server ${server.child.exitCode ?? server.child.signalCode ?? 'running'}): ${server.stderr()}`)), 200);
    });
  });
  return {
    call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResponseOf<C>> {
      if (closed) return Promise.reject(new Error('connection closed'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const unanswered = setTimeout(() => {
          pending.delete(id);
          reject(new Error(`no answer to ${channel} in ${CALL_TIMEOUT_MS} ms (server ${server.child.exitCode ?? server.child.signalCode ?? 'running'}): ${server.stderr()}`));
        }, CALL_TIMEOUT_MS);
        const settle = <T,>(then: (value: T) => void) => (value: T) => {
          clearTimeout(unanswered);
          then(value);
        };
        pending.set(id, { resolve: settle(resolve as (value: unknown) => void), reject: settle(reject) });
        socket.send(JSON.stringify({ type: 'invoke', id, channel, request }));
      });
    },
    close: () => socket.terminate(),
  };
}

/**
 * Starts the server and connects, starting it again (at most twice) when the socket closes or the
 * handshake stalls before it opens: the test is about ticks surviving kills, not the handshake.
 * Each failure is kept and printed with the figures, never hidden. The stall seen here was the
 * machine's, not the server's: a killed Podman lab run had left CNI's DNAT of its published port for
 * every local address, so a server that drew that port as its random one never saw the connection
 * (engine teardown now deletes those rules: e2e/lab/cni-rules.ts). Other NAT on a machine could
 * still capture a port; a fresh server gets another.
 */
async function startConnected(dataDir: string, sshConfig: string, failures: string[]): Promise<{ server: Server; client: Awaited<ReturnType<typeof connect>> }> {
  for (let attempt = 1; ; attempt++) {
    const server = await startServer(dataDir, sshConfig);
    try {
      return { server, client: await connect(server) };
    } catch (error) {
      failures.push((error as Error).message);
      const exited = new Promise((resolve) => server.child.once('exit', resolve));
      server.child.kill('SIGKILL');
      await exited;
      if (attempt === 3) throw error;
    }
  }
}

/** What one lane saw. */
interface LaneResult {
  acknowledged: number;
  unanswered: number;
  missing: string[];
  missingFromJournal: string[];
  damaged: number;
  seqGaps: number;
  /** Connections that closed before opening and were tried again, with why. */
  connectFailures: string[];
}

/** Checks, through a freshly started server, that every tick acknowledged so far is ticked and journalled. */
async function verify(client: Awaited<ReturnType<typeof connect>>, acknowledged: readonly string[], result: LaneResult): Promise<void> {
  const { progress } = await client.call('case:get', {});
  const journal = await client.call('journal:get', {});
  const journalled = new Set(journal.entries.flatMap((entry) => (entry.kind === 'tick' ? [entry.stepId] : [])));
  result.missing.push(...acknowledged.filter((id) => progress[id]?.done !== true && !result.missing.includes(id)));
  result.missingFromJournal.push(...acknowledged.filter((id) => !journalled.has(id) && !result.missingFromJournal.includes(id)));
  result.damaged = Math.max(result.damaged, journal.damaged);
  result.seqGaps = journal.entries.filter((entry, index) => entry.seq !== index + 1).length;
}

/** Starts, ticks, kills and restarts one case's server `kills` times, checking every acknowledged tick after each restart. */
async function lane(name: string, kills: number): Promise<LaneResult> {
  const folder = await mkdtemp(join(tmpdir(), `tick-durability-${name}-`));
  const sshConfig = join(folder, 'ssh_config');
  await writeFile(sshConfig, '');
  const dataDir = join(folder, 'case');
  const acknowledged: string[] = [];
  const result: LaneResult = { acknowledged: 0, unanswered: 0, missing: [], missingFromJournal: [], damaged: 0, seqGaps: 0, connectFailures: [] };
  let sent = 0;
  const timing = { start: 0, verify: 0, ticks: 0 };
  for (let kill = 0; kill <= kills; kill++) {
    let mark = performance.now();
    const { server, client } = await startConnected(dataDir, sshConfig, result.connectFailures);
    timing.start += performance.now() - mark;
    mark = performance.now();
    await verify(client, acknowledged, result);
    timing.verify += performance.now() - mark;
    mark = performance.now();
    if (kill === kills) {
      client.close();
      server.child.kill('SIGTERM');
      break;
    }
    let stop = false;
    let firstAck: () => void = () => undefined;
    const acked = new Promise<void>((resolve) => (firstAck = resolve));
    const sender = async (): Promise<void> => {
      while (!stop) {
        const stepId = `${name}-run${kill}-tick${sent++}`;
        try {
          await client.call('checklist:set-step', { stepId, done: true, note: `tick ${stepId}` });
        } catch {
          result.unanswered++;
          return;
        }
        acknowledged.push(stepId);
        firstAck();
      }
    };
    const senders = Array.from({ length: IN_FLIGHT }, sender);
    // Every sender stops at its first unanswered tick: a connection lost before any answer ends them
    // all, and the kill then comes without an acknowledged tick this round (counted as unanswered).
    await Promise.race([acked, Promise.all(senders)]);
    // A different moment in the write cycle each time: 0-60 ms after the first answer.
    await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 60)));
    const exited = new Promise((resolve) => server.child.once('exit', resolve));
    server.child.kill('SIGKILL');
    await exited;
    stop = true;
    await Promise.all(senders);
    client.close();
    timing.ticks += performance.now() - mark;
  }
  if (process.env['TICK_TIMING']) console.log(name, JSON.stringify(timing));
  result.acknowledged = acknowledged.length;
  return result;
}

describe('tick durability', () => {
  it(`finds every acknowledged tick after ${KILLS} SIGKILLs of the server while ticks are being sent`, async () => {
    if (!existsSync(SERVER)) throw new Error(`${SERVER} is missing: run \`npm run build\` first`);
    const started = performance.now();

    const lanes = await Promise.all(Array.from({ length: LANES }, (_, index) => lane(`lane${index}`, KILLS / LANES)));

    const seconds = (performance.now() - started) / 1000;
    const total = (key: 'acknowledged' | 'unanswered') => lanes.reduce((sum, result) => sum + result[key], 0);
    console.log(
      `tick durability: ${KILLS} SIGKILLs in ${seconds.toFixed(1)} s (${((seconds * 1000) / KILLS).toFixed(0)} ms per kill and restart); ` +
        `${total('acknowledged')} acknowledged ticks checked after every restart, ${total('unanswered')} sent but unanswered when killed`,
    );
    const connectFailures = lanes.flatMap((result) => result.connectFailures);
    if (connectFailures.length > 0) console.log(`tick durability: ${connectFailures.length} connection(s) closed before opening and were tried again:\n${connectFailures.join('\n')}`);
    for (const result of lanes) {
      expect(result.missing).toEqual([]);
      expect(result.missingFromJournal).toEqual([]);
      expect(result.damaged).toBe(0);
      expect(result.seqGaps).toBe(0);
    }
    expect(total('acknowledged')).toBeGreaterThanOrEqual(KILLS);
    // The kills landed while ticks were in flight, not between them.
    expect(total('unanswered')).toBeGreaterThan(KILLS / 2);
  }, 300_000);
});
