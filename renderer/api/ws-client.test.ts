import { describe, expect, it } from 'vitest';
import type { Pushes, WsInvoke } from '../../shared/ipc/index.js';
import { createWsClient, wsUrlFor, type WebSocketLike } from './ws-client.js';

/** A WebSocket the test drives by hand: it records what the client sends and replays server events. */
class FakeWebSocket implements WebSocketLike {
  readyState = 0;
  readonly sent: WsInvoke[] = [];
  private readonly listeners = new Map<string, ((event: never) => void)[]>();

  constructor(readonly url: string) {}

  send(data: string): void {
    if (this.readyState !== 1) throw new Error('send on a socket that is not open');
    this.sent.push(JSON.parse(data) as WsInvoke);
  }
  close(): void {
    this.serverClose(1000, '');
  }
  addEventListener(type: string, listener: (event: never) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  serverOpen(): void {
    this.readyState = 1;
    this.emit('open', {});
  }
  serverSend(message: unknown): void {
    this.emit('message', { data: typeof message === 'string' ? message : JSON.stringify(message) });
  }
  serverClose(code: number, reason: string): void {
    this.readyState = 3;
    this.emit('close', { code, reason });
  }
  private emit(type: string, event: unknown): void {
    for (const listener of this.listeners.get(type) ?? []) listener(event as never);
  }
}

function connect() {
  let socket: FakeWebSocket | undefined;
  const client = createWsClient('ws://127.0.0.1:4000/ws?token=t', (url) => (socket = new FakeWebSocket(url)));
  return { client, socket: socket! };
}

describe('wsUrlFor', () => {
  it('points at /ws on the page host and carries the token from the query string', () => {
    const url = wsUrlFor({ protocol: 'http:', host: '127.0.0.1:8123', search: '?token=abc-123_x' });

    expect(url).toBe('ws://127.0.0.1:8123/ws?token=abc-123_x');
  });

  it('uses wss when the page came over https', () => {
    expect(wsUrlFor({ protocol: 'https:', host: 'localhost:8443', search: '?token=t' })).toBe('wss://localhost:8443/ws?token=t');
  });
});

describe('createWsClient', () => {
  it('holds calls made before the socket opens and sends them once it does', async () => {
    const { client, socket } = connect();

    const pending = client.listHosts();
    expect(socket.sent).toEqual([]);
    socket.serverOpen();

    expect(socket.sent).toEqual([{ type: 'invoke', id: 1, channel: 'hosts:list', request: {} }]);
    socket.serverSend({ type: 'result', id: 1, ok: true, response: { hosts: [] } });
    await expect(pending).resolves.toEqual({ hosts: [] });
  });

  it('matches results to calls by id when answers arrive out of order', async () => {
    const { client, socket } = connect();
    socket.serverOpen();

    const first = client.startScan({ hosts: ['gw'] });
    const second = client.getCase();
    const [startCall, caseCall] = socket.sent;
    socket.serverSend({ type: 'result', id: caseCall!.id, ok: true, response: { report: null, progress: {} } });
    socket.serverSend({ type: 'result', id: startCall!.id, ok: true, response: { scanId: 's1' } });

    await expect(first).resolves.toEqual({ scanId: 's1' });
    await expect(second).resolves.toEqual({ report: null, progress: {} });
    expect(startCall).toMatchObject({ channel: 'scan:start', request: { hosts: ['gw'] } });
  });

  it('rejects a call with the error message the host sent', async () => {
    const { client, socket } = connect();
    socket.serverOpen();

    const call = client.addHost({ name: 'nas', hostName: '10.0.0.2' });
    socket.serverSend({ type: 'result', id: socket.sent[0]!.id, ok: false, error: 'a host named nas already exists' });

    await expect(call).rejects.toThrow('a host named nas already exists');
  });

  it('delivers pushes to the listeners of their channel only, until they unsubscribe', () => {
    const { client, socket } = connect();
    socket.serverOpen();
    const progress: Pushes['scan:progress'][] = [];
    const finished: unknown[] = [];
    const unsubscribe = client.onScanProgress((event) => progress.push(event));
    client.onScanFinished((event) => finished.push(event));
    const event: Pushes['scan:progress'] = { scanId: 's1', host: 'gw', phase: 'facts', message: 'reading /etc/os-release' };

    socket.serverSend({ type: 'push', channel: 'scan:progress', payload: event });
    unsubscribe();
    socket.serverSend({ type: 'push', channel: 'scan:progress', payload: { ...event, phase: 'done' } });

    expect(progress).toEqual([event]);
    expect(finished).toEqual([]);
  });

  it('rejects every pending call with a reload hint when the socket closes', async () => {
    const { client, socket } = connect();
    socket.serverOpen();
    const first = client.listHosts();
    const second = client.getCase();

    socket.serverClose(1006, '');

    await expect(first).rejects.toThrow(/connection to the Blast Radius host closed \(code 1006\)\. Reload the page/);
    await expect(second).rejects.toThrow(/closed/);
  });

  it('rejects calls made after the socket closed without sending them', async () => {
    const { client, socket } = connect();
    socket.serverOpen();
    socket.serverClose(1001, 'server shutting down');

    await expect(client.listHosts()).rejects.toThrow('The connection to the Blast Radius host closed: server shutting down. Reload the page to reconnect.');
    expect(socket.sent).toEqual([]);
  });

  it('rejects calls queued before an opening that never happens', async () => {
    const { client, socket } = connect();
    const call = client.getCase();

    socket.serverClose(1006, '');

    await expect(call).rejects.toThrow(/closed/);
  });

  it('tells connection-lost listeners once, including ones added after the close', () => {
    const { client, socket } = connect();
    socket.serverOpen();
    const heard: string[] = [];
    client.onConnectionLost((message) => heard.push(message));

    socket.serverClose(1006, '');
    socket.serverClose(1006, '');
    client.onConnectionLost((message) => heard.push(`late: ${message}`));

    expect(heard).toHaveLength(2);
    expect(heard[1]).toMatch(/^late: The connection/);
  });

  it('ignores messages that are not JSON or answer no pending call', async () => {
    const { client, socket } = connect();
    socket.serverOpen();
    const call = client.listHosts();

    socket.serverSend('not json');
    socket.serverSend({ type: 'result', id: 999, ok: true, response: {} });
    socket.serverSend({ type: 'result', id: 1, ok: true, response: { hosts: [{ name: 'This machine', address: 'local', source: 'local' }] } });

    await expect(call).resolves.toEqual({ hosts: [{ name: 'This machine', address: 'local', source: 'local' }] });
  });
});
