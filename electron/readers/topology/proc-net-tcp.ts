/** Reads /proc/net/tcp and /proc/net/tcp6 (a host's or a container's network namespace) into sockets. */
import type { TcpConnection } from '../../../shared/model/index.js';
import { ipv4FromLittleEndianHex, ipv6FromLittleEndianWords } from './ip-address.js';

/** Most sockets kept from one file: a busy proxy has tens of thousands, the graph needs the listeners and a sample of peers. */
export const MAX_SOCKETS_PER_FILE = 5000;

/** The kernel's TCP state codes (include/net/tcp_states.h). */
const TCP_STATES: Record<string, string> = {
  '01': 'ESTABLISHED',
  '02': 'SYN_SENT',
  '03': 'SYN_RECV',
  '04': 'FIN_WAIT1',
  '05': 'FIN_WAIT2',
  '06': 'TIME_WAIT',
  '07': 'CLOSE',
  '08': 'CLOSE_WAIT',
  '09': 'LAST_ACK',
  '0A': 'LISTEN',
  '0B': 'CLOSING',
  '0C': 'NEW_SYN_RECV',
};

/** The sockets of one tcp or tcp6 file: listeners, and every other socket that has a peer. */
export function parseProcNetTcp(text: string, container: string | null): TcpConnection[] {
  const sockets: TcpConnection[] = [];
  for (const line of text.split('\n')) {
    if (sockets.length >= MAX_SOCKETS_PER_FILE) break;
    const socket = parseSocketLine(line, container);
    if (socket) sockets.push(socket);
  }
  return sockets;
}

function parseSocketLine(line: string, container: string | null): TcpConnection | null {
  // "  0: 0100007F:D552 0100007F:12A9 01 …"; the header line has no "N:" slot and is skipped here.
  const fields = line.trim().split(/\s+/);
  if (fields.length < 4 || !/^\d+:$/.test(fields[0] ?? '')) return null;
  const local = parseEndpoint(fields[1] ?? '');
  const remote = parseEndpoint(fields[2] ?? '');
  const state = TCP_STATES[(fields[3] ?? '').toUpperCase()];
  if (!local || !remote || !state) return null;
  // A socket without a peer (CLOSE, a half-built connect) says nothing about who talks to whom.
  if (state !== 'LISTEN' && remote.port === 0) return null;
  return {
    container,
    localAddress: local.address,
    localPort: local.port,
    remoteAddress: remote.address,
    remotePort: remote.port,
    state,
  };
}

function parseEndpoint(field: string): { address: string; port: number } | null {
  const [hexAddress = '', hexPort = ''] = field.split(':');
  if (!/^[0-9a-fA-F]{4}$/.test(hexPort)) return null;
  const address =
    hexAddress.length === 8 ? ipv4FromLittleEndianHex(hexAddress) : ipv6FromLittleEndianWords(hexAddress);
  if (!address) return null;
  return { address, port: parseInt(hexPort, 16) };
}
