/**
 * Hostile clients against the real `serve` process: malformed targets, cookies, paths and UTF-8,
 * refused tokens, origins and hosts, traversal, bad WebSocket frames, a 50 MB frame and a burst of
 * connections, all over raw sockets. After every probe the server must still answer; at the end the
 * legitimate client still loads the page and makes a contract call over the WebSocket.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { connect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';

const MAIN = fileURLToPath(new URL('./main.ts', import.meta.url));
const REPO = fileURLToPath(new URL('../..', import.meta.url));
/** Longest any exchange may take before it counts as "no answer" (a deadline, not a wait). */
const EXCHANGE_DEADLINE_MS = 15_000;
const MiB = 1024 * 1024;

interface Server {
  child: ChildProcess;
  port: number;
  token: string;
  stderr: () => string;
}

const children: ChildProcess[] = [];
afterAll(() => {
  for (const child of children) child.kill('SIGTERM');
});

/** Starts `serve` from source with an empty case and no SSH hosts; its URL is the first stdout line. */
async function startServe(): Promise<Server> {
  const dir = await mkdtemp(join(tmpdir(), 'hostile-clients-'));
  const sshConfig = join(dir, 'ssh_config');
  await writeFile(sshConfig, '');
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--ssh-config', sshConfig, '--data-dir', join(dir, 'case')], {
    cwd: REPO,
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, SSH_AUTH_SOCK: '' },
  });
  children.push(child);
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString('latin1')));
  const firstLine = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`serve exited (${code}) before printing its URL: ${stderr}`)));
  });
  const url = new URL(firstLine);
  return { child, port: Number(url.port), token: url.searchParams.get('token')!, stderr: () => stderr };
}

interface Answer {
  /** `HTTP 403`, or `closed` when the connection ended without a status line, or `no answer`. */
  status: string;
  body: string;
}

/** Writes raw bytes on a fresh connection and reads until the server closes it. */
function exchange(port: number, bytes: string | Buffer, { reset = false } = {}): Promise<Answer> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    const deadline = setTimeout(() => finish('no answer'), EXCHANGE_DEADLINE_MS);
    function finish(fallback: string): void {
      clearTimeout(deadline);
      socket.destroy();
      const text = Buffer.concat(chunks).toString('latin1');
      const status = /^HTTP\/1\.1 (\d{3})/.exec(text)?.[1];
      resolve({ status: status ? `HTTP ${status}` : fallback, body: text.slice(text.indexOf('\r\n\r\n') + 4) });
    }
    socket.on('data', (chunk) => chunks.push(chunk));
    socket.on('error', () => undefined); // the server may reset; what it answered is still read
    socket.on('close', () => finish('closed'));
    socket.write(bytes, () => {
      if (reset) socket.resetAndDestroy();
    });
  });
}

/** A GET on the loopback Host of `server`, with extra header lines. */
function get(server: Server, target: string, ...headers: string[]): string {
  return [`GET ${target} HTTP/1.1`, `Host: 127.0.0.1:${server.port}`, ...headers, 'Connection: close', '', ''].join('\r\n');
}

/** A WebSocket upgrade request, with header lines replaced or added by `overrides` (an empty value drops one). */
function upgrade(server: Server, target: string, overrides: Record<string, string> = {}): string {
  const headers: Record<string, string> = {
    Host: `127.0.0.1:${server.port}`,
    Origin: `http://127.0.0.1:${server.port}`,
    Upgrade: 'websocket',
    Connection: 'Upgrade',
    'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
    'Sec-WebSocket-Version': '13',
    ...overrides,
  };
  const lines = Object.entries(headers)
    .filter(([, value]) => value !== '')
    .map(([name, value]) => `${name}: ${value}`);
  return [`GET ${target} HTTP/1.1`, ...lines, '', ''].join('\r\n');
}

interface Frame {
  opcode: number;
  payload: Buffer;
}

/** A client frame: masked unless told otherwise, with the length in whichever form it needs. */
function frame(opcode: number, payload: Buffer, { fin = true, masked = true, declaredLength = payload.length } = {}): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  const maskBit = masked ? 0x80 : 0;
  let header: Buffer;
  if (declaredLength < 126) header = Buffer.from([first, maskBit | declaredLength]);
  else if (declaredLength < 65_536) {
    header = Buffer.alloc(4);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 126, 1);
    header.writeUInt16BE(declaredLength, 2);
  } else {
    header = Buffer.alloc(10);
    header.writeUInt8(first, 0);
    header.writeUInt8(maskBit | 127, 1);
    header.writeBigUInt64BE(BigInt(declaredLength), 2);
  }
  if (!masked) return Buffer.concat([header, payload]);
  const mask = randomBytes(4);
  const body = Buffer.from(payload.map((byte, index) => byte ^ mask[index % 4]!));
  return Buffer.concat([header, mask, body]);
}

/** A WebSocket spoken byte by byte, so a probe can send frames no library would. */
class RawWebSocket {
  private buffer = Buffer.alloc(0);
  private closed = false;
  private readonly waiting: (() => void)[] = [];

  private constructor(readonly socket: Socket) {
    socket.on('data', (chunk) => {
      this.buffer = Buffer.concat([this.buffer, chunk]);
      this.wake();
    });
    socket.on('error', () => undefined);
    socket.on('close', () => {
      this.closed = true;
      this.wake();
    });
  }

  /** Opens an authenticated WebSocket to `server`; rejects with the status line when refused. */
  static async open(server: Server): Promise<RawWebSocket> {
    const raw = new RawWebSocket(connect(server.port, '127.0.0.1'));
    raw.socket.write(upgrade(server, `/ws?token=${server.token}`));
    const head = await raw.until(() => {
      const end = raw.buffer.indexOf('\r\n\r\n');
      if (end < 0) return undefined;
      const text = raw.buffer.subarray(0, end).toString('latin1');
      raw.buffer = raw.buffer.subarray(end + 4);
      return text;
    });
    if (!head?.startsWith('HTTP/1.1 101')) throw new Error(`WebSocket refused: ${head?.split('\r\n')[0] ?? 'closed'}`);
    return raw;
  }

  send(bytes: Buffer): void {
    this.socket.write(bytes);
  }

  /** The next frame from the server, or null when the connection closed first. */
  next(): Promise<Frame | null> {
    return this.until(() => {
      if (this.buffer.length < 2) return undefined;
      let length = this.buffer[1]! & 0x7f;
      let offset = 2;
      if (length === 126) {
        if (this.buffer.length < 4) return undefined;
        length = this.buffer.readUInt16BE(2);
        offset = 4;
      } else if (length === 127) {
        if (this.buffer.length < 10) return undefined;
        length = Number(this.buffer.readBigUInt64BE(2));
        offset = 10;
      }
      if (this.buffer.length < offset + length) return undefined;
      const result = { opcode: this.buffer[0]! & 0x0f, payload: this.buffer.subarray(offset, offset + length) };
      this.buffer = this.buffer.subarray(offset + length);
      return result;
    });
  }

  /** What the connection came to: a close code, a text reply, or `closed` without a close frame. */
  async outcome(): Promise<string> {
    const received = await this.next();
    if (!received) return 'closed';
    if (received.opcode === 0x8) return `WS close ${received.payload.length >= 2 ? received.payload.readUInt16BE(0) : 'without code'}`;
    return `WS text ${received.payload.toString('utf8')}`;
  }

  /** Sends an invoke of `hosts:list` and reports whether it was answered (so the connection still works). */
  async stillAnswers(): Promise<string> {
    this.send(frame(0x1, Buffer.from(JSON.stringify({ type: 'invoke', id: 4242, channel: 'hosts:list', request: {} }))));
    const reply = await this.outcome();
    return reply.startsWith('WS text {"type":"result","id":4242,"ok":true') ? 'still answers' : reply;
  }

  close(): void {
    this.socket.destroy();
  }

  private until<T>(take: () => T | undefined): Promise<T | null> {
    return new Promise((resolve) => {
      const deadline = setTimeout(() => resolve(null), EXCHANGE_DEADLINE_MS);
      const attempt = (): void => {
        const value = take();
        if (value !== undefined) {
          clearTimeout(deadline);
          resolve(value);
        } else if (this.closed) {
          clearTimeout(deadline);
          resolve(null);
        } else this.waiting.push(attempt);
      };
      attempt();
    });
  }

  private wake(): void {
    for (const waiter of this.waiting.splice(0)) waiter();
  }
}

/** Sends `bytes` on an authenticated WebSocket and reports what became of the connection. */
async function overWebSocket(server: Server, bytes: Buffer, then: (raw: RawWebSocket) => Promise<string> = (raw) => raw.outcome()): Promise<string> {
  let raw: RawWebSocket;
  try {
    raw = await RawWebSocket.open(server);
  } catch (error) {
    return (error as Error).message;
  }
  try {
    raw.send(bytes);
    return await then(raw);
  } finally {
    raw.close();
  }
}

const text = (value: string): Buffer => Buffer.from(value, 'utf8');
const invoke = (id: number, channel: string, request: unknown): Buffer => text(JSON.stringify({ type: 'invoke', id, channel, request }));

interface Probe {
  name: string;
  /** The outcomes that count as a correct refusal (or answer). */
  expected: readonly string[];
  send(server: Server): Promise<string>;
}

/** An HTTP probe: what the server answered, and `leaked` when a traversal returned a system file. */
function http(name: string, expected: readonly string[], request: (server: Server) => string | Buffer, options: { reset?: boolean } = {}): Probe {
  return {
    name,
    expected,
    async send(server) {
      const answer = await exchange(server.port, request(server), options);
      return /root:.*:0:0:/.test(answer.body) ? 'leaked /etc/passwd' : answer.status;
    },
  };
}

const REFUSED = ['HTTP 403'];
const BAD = ['HTTP 400'];
const NOT_SERVED = ['HTTP 400', 'HTTP 404'];

const TRAVERSALS = [
  '/../../../../etc/passwd',
  '/..%2f..%2f..%2f..%2fetc%2fpasswd',
  '/%2e%2e/%2e%2e/%2e%2e/etc/passwd',
  '/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
  '/.%2e/.%2e/.%2e/etc/passwd',
  '/%252e%252e/%252e%252e/etc/passwd',
  '/..%5c..%5c..%5cetc%5cpasswd',
  '/..\\..\\..\\etc\\passwd',
  '/....//....//....//etc/passwd',
  '/..;/..;/..;/etc/passwd',
  '/%c0%ae%c0%ae/%c0%ae%c0%ae/etc/passwd',
  '/%c0%ae%c0%ae%c0%af%c0%ae%c0%ae%c0%afetc%c0%afpasswd',
  '/%e0%80%ae%e0%80%ae/etc/passwd',
  '/%uff0e%uff0e/%uff0e%uff0e/etc/passwd',
  '//etc/passwd',
  '/index.html%00/../../../../etc/passwd',
];

const PROBES: Probe[] = [
  // Before any token is checked.
  http('absolute-form target with an invalid port', BAD, () => 'GET http://127.0.0.1:99999/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
  http('absolute-form target with a non-numeric port', BAD, () => 'GET http://127.0.0.1:x/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n'),
  http('absolute-form target naming another host than Host', ['HTTP 400', 'HTTP 403'], (s) => get(s, `http://evil.example/?token=${s.token}`)),
  http('cookie with a malformed percent-encoding', BAD, (s) => get(s, '/', 'Cookie: blast_radius_token=%E0%A4%A')),
  http('cookie with a lone % sign', BAD, (s) => get(s, '/', 'Cookie: blast_radius_token=%')),
  http('cookie with an encoded lone surrogate', BAD, (s) => get(s, '/', 'Cookie: blast_radius_token=%ED%A0%80')),
  http('cookie with overlong UTF-8', BAD, (s) => get(s, '/', 'Cookie: blast_radius_token=%C0%AE')),
  http('malformed cookie after a good token', ['HTTP 200', 'HTTP 400'], (s) => get(s, `/?token=${s.token}`, 'Cookie: blast_radius_token=%')),
  http('no token', REFUSED, (s) => get(s, '/')),
  http('wrong token in the query', REFUSED, (s) => get(s, '/?token=wrong')),
  http('wrong token in the cookie', REFUSED, (s) => get(s, '/', 'Cookie: blast_radius_token=wrong')),
  http('token query with a malformed percent-encoding', REFUSED, (s) => get(s, '/?token=%E0%A4%A')),
  http('foreign Origin with the token', REFUSED, (s) => get(s, `/?token=${s.token}`, 'Origin: http://evil.example')),
  http('DNS-rebinding Host with the token', REFUSED, (s) => `GET /?token=${s.token} HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n`),
  http('loopback-looking Host suffix', REFUSED, (s) => `GET /?token=${s.token} HTTP/1.1\r\nHost: 127.0.0.1.evil.example\r\nConnection: close\r\n\r\n`),
  http('Host with a terminal control byte', REFUSED, (s) => Buffer.from(`GET /?token=${s.token} HTTP/1.1\r\nHost: \x9b31mevil\r\nConnection: close\r\n\r\n`, 'latin1')),
  http('no Host header', BAD, (s) => `GET /?token=${s.token} HTTP/1.1\r\nConnection: close\r\n\r\n`),
  http('asterisk-form target', ['HTTP 400', 'HTTP 403', 'HTTP 405'], (s) => `OPTIONS * HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`),
  http('CONNECT request', ['closed', 'HTTP 400'], (s) => `CONNECT 127.0.0.1:22 HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\n\r\n`),
  http('raw non-ASCII bytes in the target', ['HTTP 400', 'HTTP 404'], (s) => Buffer.from(`GET /\xff\xfe?token=${s.token} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nConnection: close\r\n\r\n`, 'latin1')),
  http('garbage instead of HTTP', BAD, () => Buffer.from([0, 1, 2, 0xff, 0x0d, 0x0a, 0x0d, 0x0a])),
  http('Content-Length and Transfer-Encoding together', BAD, (s) => `POST / HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n`),
  http('64 KB header', ['HTTP 431'], (s) => get(s, '/', `X-Filler: ${'a'.repeat(64 * 1024)}`)),
  http('body cut off by a reset', ['closed'], (s) => `POST /?token=${s.token} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 1000\r\n\r\npartial`, { reset: true }),
  // With the token: paths.
  http('path with a malformed percent-encoding', BAD, (s) => get(s, `/%E0%A4%A?token=${s.token}`)),
  http('path with overlong UTF-8 dots', BAD, (s) => get(s, `/%C0%AE%C0%AE/%C0%AE%C0%AE/etc/passwd?token=${s.token}`)),
  http('path with an encoded lone surrogate', BAD, (s) => get(s, `/%ED%A0%80?token=${s.token}`)),
  http('path with a lone % sign', BAD, (s) => get(s, `/%?token=${s.token}`)),
  http('path with an encoded NUL', NOT_SERVED, (s) => get(s, `/index.html%00.png?token=${s.token}`)),
  ...TRAVERSALS.map((path) => http(`traversal ${path}`, NOT_SERVED, (s) => get(s, `${path}?token=${s.token}`))),
  http('POST with the token', ['HTTP 405'], (s) => `POST /?token=${s.token} HTTP/1.1\r\nHost: 127.0.0.1:${s.port}\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}`),
  // WebSocket upgrades.
  http('upgrade with an absolute-form target and an invalid port', BAD, (s) => upgrade(s, 'http://127.0.0.1:99999/ws')),
  http('upgrade with a malformed cookie', BAD, (s) => upgrade(s, '/ws', { Cookie: 'blast_radius_token=%E0%A4%A' })),
  http('upgrade with a malformed path', ['HTTP 400', 'HTTP 403'], (s) => upgrade(s, `/ws%E0%A4%A?token=${s.token}`)),
  http('upgrade with a wrong token', REFUSED, (s) => upgrade(s, '/ws?token=wrong')),
  http('upgrade from a foreign Origin', REFUSED, (s) => upgrade(s, `/ws?token=${s.token}`, { Origin: 'http://evil.example' })),
  http('upgrade without an Origin', REFUSED, (s) => upgrade(s, `/ws?token=${s.token}`, { Origin: '' })),
  http('upgrade with a rebinding Host', REFUSED, (s) => upgrade(s, `/ws?token=${s.token}`, { Host: 'evil.example', Origin: 'http://evil.example' })),
  http('upgrade on another path', REFUSED, (s) => upgrade(s, `/other?token=${s.token}`)),
  http('upgrade with an unsupported WebSocket version', BAD, (s) => upgrade(s, `/ws?token=${s.token}`, { 'Sec-WebSocket-Version': '7' })),
  http('upgrade reset before the answer', ['closed', 'HTTP 403'], (s) => upgrade(s, '/ws?token=wrong'), { reset: true }),
  // WebSocket frames on an authenticated connection.
  {
    name: 'malformed JSON',
    expected: ['still answers'],
    send: (s) => overWebSocket(s, frame(0x1, text('{"type":"invoke",')), (raw) => raw.stillAnswers()),
  },
  {
    name: 'JSON that is not an invoke',
    expected: ['still answers'],
    send: (s) => overWebSocket(s, Buffer.concat([frame(0x1, text('null')), frame(0x1, text('[1,2]')), frame(0x1, text('{"type":"invoke","id":"x"}'))]), (raw) => raw.stillAnswers()),
  },
  {
    name: 'invoke failing its schema',
    expected: ['WS text {"type":"result","id":7,"ok":false,"error":"invalid hosts:list request: request: Unrecognized key: \\"extra\\""}'],
    send: (s) => overWebSocket(s, frame(0x1, invoke(7, 'hosts:list', { extra: true }))),
  },
  {
    name: 'invoke of __proto__',
    expected: ['WS text {"type":"result","id":8,"ok":false,"error":"unknown channel \\"__proto__\\""}'],
    send: (s) => overWebSocket(s, frame(0x1, invoke(8, '__proto__', {}))),
  },
  { name: 'text frame with invalid UTF-8', expected: ['WS close 1007'], send: (s) => overWebSocket(s, frame(0x1, Buffer.from([0xc0, 0xae, 0xed, 0xa0, 0x80]))) },
  { name: 'unmasked client frame', expected: ['WS close 1002'], send: (s) => overWebSocket(s, frame(0x1, text('{}'), { masked: false })) },
  { name: 'reserved opcode', expected: ['WS close 1002'], send: (s) => overWebSocket(s, frame(0x3, text('x'))) },
  { name: 'binary frame carrying an invoke', expected: ['still answers'], send: (s) => overWebSocket(s, frame(0x2, invoke(9, 'hosts:list', {})), async (raw) => ((await raw.outcome()).includes('"id":9,"ok":true') ? raw.stillAnswers() : 'no answer')) },
  { name: 'frame of 1 MiB + 1 byte', expected: ['WS close 1009'], send: (s) => overWebSocket(s, frame(0x1, Buffer.alloc(MiB + 1, 0x20))) },
  { name: '50 MB frame', expected: ['WS close 1009'], send: (s) => overWebSocket(s, frame(0x2, Buffer.alloc(50 * 1000 * 1000))) },
  { name: 'frame declaring 2^53 bytes', expected: ['WS close 1009'], send: (s) => overWebSocket(s, frame(0x2, Buffer.alloc(0), { declaredLength: Number.MAX_SAFE_INTEGER })) },
  {
    name: 'fragments adding up past the limit',
    expected: ['WS close 1009'],
    send: (s) => {
      const piece = Buffer.alloc(256 * 1024, 0x20);
      const fragments = [frame(0x1, piece, { fin: false }), ...Array.from({ length: 4 }, () => frame(0x0, piece, { fin: false })), frame(0x0, piece)];
      return overWebSocket(s, Buffer.concat(fragments));
    },
  },
  { name: 'frame cut off by a reset', expected: ['closed'], send: (s) => overWebSocket(s, frame(0x1, text('{"type":"invoke"}')).subarray(0, 6), async (raw) => (raw.socket.resetAndDestroy(), 'closed')) },
  // Volume.
  {
    name: '1,000 rapid connections with a wrong token',
    expected: ['1000 of 1000 refused'],
    async send(s) {
      let refused = 0;
      for (let batch = 0; batch < 10; batch++) {
        const answers = await Promise.all(Array.from({ length: 100 }, () => exchange(s.port, get(s, '/?token=wrong'))));
        refused += answers.filter((answer) => answer.status === 'HTTP 403').length;
      }
      return `${refused} of 1000 refused`;
    },
  },
];

/** True when `server` still serves the page to its tokened URL. */
async function serves(server: Server): Promise<boolean> {
  if (server.child.exitCode !== null || server.child.signalCode !== null) return false;
  const answer = await exchange(server.port, get(server, `/?token=${server.token}`));
  return answer.status === 'HTTP 200' && answer.body.includes('<title>Blast Radius</title>');
}

/** The legitimate client: the `ws` library, as the page's own origin, calling `hosts:list`. */
async function hostsOverWebSocket(server: Server): Promise<unknown> {
  const socket = new WebSocket(`ws://127.0.0.1:${server.port}/ws?token=${server.token}`, { origin: `http://127.0.0.1:${server.port}` });
  try {
    await new Promise((resolve, reject) => {
      socket.once('open', resolve);
      socket.once('error', reject);
    });
    const reply = new Promise<unknown>((resolve) => socket.once('message', (data) => resolve(JSON.parse(data.toString()))));
    socket.send(JSON.stringify({ type: 'invoke', id: 1, channel: 'hosts:list', request: {} }));
    return await reply;
  } finally {
    socket.close();
  }
}

describe('serve under hostile clients', () => {
  it('answers every malformed, refused or oversized probe and keeps serving the legitimate client', async () => {
    let server = await startServe();
    const stderrs: string[] = [];
    const killers: string[] = [];
    const wrong: string[] = [];

    for (const probe of PROBES) {
      const outcome = await probe.send(server);
      if (!probe.expected.includes(outcome)) wrong.push(`${probe.name}: ${outcome}`);
      if (!(await serves(server))) {
        // Restart so the remaining probes still run and the report names every probe that kills it.
        killers.push(probe.name);
        server.child.kill('SIGKILL');
        stderrs.push(server.stderr());
        server = await startServe();
      }
    }
    stderrs.push(server.stderr());
    console.info(`hostile clients: ${PROBES.length} probes sent, ${PROBES.length - killers.length} survived`);

    expect({ killers, wrong }).toEqual({ killers: [], wrong: [] });
    // The log says why a request was refused, never a control byte a client sent.
    expect(stderrs.join('')).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    const page = await fetch(`http://127.0.0.1:${server.port}/?token=${server.token}`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Blast Radius</title>');
    expect(await hostsOverWebSocket(server)).toEqual({ type: 'result', id: 1, ok: true, response: { hosts: [expect.objectContaining({ source: 'local' })] } });
  }, 300_000);
});
