/**
 * The kernel's network files, written as regular files into the lab's roots (the chroots have no
 * /proc): /proc/net/tcp and tcp6 (net/ipv4/tcp_ipv4.c, net/ipv6/tcp_ipv6.c), /proc/net/fib_trie
 * (net/ipv4/fib_trie.c) and /proc/net/if_inet6 (net/ipv6/addrconf.c), byte for byte in their formats.
 */

/** One socket: `address:port` each side (`[v6]:port` for IPv6), and its TCP state. */
export interface LabSocket {
  local: string;
  /** Absent for a listening socket (`0.0.0.0:0` / `[::]:0`). */
  remote?: string;
  state: 'LISTEN' | 'ESTABLISHED' | 'TIME_WAIT';
}

/** An address on an interface: `127.77.9.2/24 eth0`-like, for fib_trie and if_inet6. */
export interface LabInterfaceAddress {
  address: string;
  prefix: number;
  device: string;
}

// include/net/tcp_states.h
const STATES: Record<LabSocket['state'], number> = { ESTABLISHED: 0x01, TIME_WAIT: 0x06, LISTEN: 0x0a };
/** tcp4_seq_show pads every line, header included, to TMPSZ - 1 = 149 characters. */
const TCP4_WIDTH = 149;
const TCP4_HEADER = '  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';
const TCP6_HEADER = '  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode';

const hex = (value: number, width: number): string => value.toString(16).toUpperCase().padStart(width, '0');

/** Splits `a.b.c.d:port` or `[v6]:port`. */
function endpoint(text: string): { address: string; port: number } {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(text);
  if (!match) throw new Error(`not address:port: ${text}`);
  return { address: match[1]!, port: Number(match[2]) };
}

/** An IPv4 address as /proc prints it: the 32-bit word in host (little-endian) order. */
export function procIpv4(address: string): string {
  const octets = address.split('.').map(Number);
  if (octets.length !== 4 || octets.some((octet) => !(octet >= 0 && octet <= 255))) throw new Error(`not an IPv4 address: ${address}`);
  return octets.reverse().map((octet) => hex(octet, 2)).join('');
}

/** The 16 bytes of an IPv6 address. */
function ipv6Bytes(address: string): number[] {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, undefined];
  const words = (part: string | undefined) => (part ? part.split(':').map((word) => parseInt(word, 16)) : []);
  const left = words(head);
  const right = words(tail);
  const all = tail === undefined ? left : [...left, ...Array<number>(8 - left.length - right.length).fill(0), ...right];
  if (all.length !== 8) throw new Error(`not an IPv6 address: ${address}`);
  return all.flatMap((word) => [word >> 8, word & 0xff]);
}

/** An IPv6 address as /proc/net/tcp6 prints it: four 32-bit words, each in host order. */
function procIpv6(address: string): string {
  const bytes = ipv6Bytes(address);
  let out = '';
  for (let word = 0; word < 4; word++) out += bytes.slice(word * 4, word * 4 + 4).reverse().map((byte) => hex(byte, 2)).join('');
  return out;
}

/** /proc/net/tcp text for IPv4 sockets (`uid` owns them; inodes count up from `firstInode`). */
export function procNetTcp(sockets: readonly LabSocket[], uid = 0, firstInode = 21_000): string {
  const lines = [TCP4_HEADER.padEnd(TCP4_WIDTH)];
  sockets.forEach((socket, index) => {
    const local = endpoint(socket.local);
    const remote = endpoint(socket.remote ?? '0.0.0.0:0');
    const timers = socket.state === 'ESTABLISHED' ? '02:000AF876' : '00:00000000';
    const tail = socket.state === 'LISTEN' ? '100 0 0 10 0' : '20 4 30 10 -1';
    const line = `${String(index).padStart(4)}: ${procIpv4(local.address)}:${hex(local.port, 4)} ${procIpv4(remote.address)}:${hex(remote.port, 4)} ${hex(STATES[socket.state], 2)} 00000000:00000000 ${timers} 00000000 ${String(uid).padStart(5)} ${String(0).padStart(8)} ${firstInode + index} ${socket.state === 'LISTEN' ? 1 : 3} ${pointer(index)} ${tail}`;
    lines.push(line.padEnd(TCP4_WIDTH));
  });
  return `${lines.join('\n')}\n`;
}

/** /proc/net/tcp6 text for IPv6 sockets (no padding: tcp6_seq_show prints lines as they come). */
export function procNetTcp6(sockets: readonly LabSocket[], uid = 0, firstInode = 22_000): string {
  const lines = [TCP6_HEADER];
  sockets.forEach((socket, index) => {
    const local = endpoint(socket.local);
    const remote = endpoint(socket.remote ?? '[::]:0');
    const tail = socket.state === 'LISTEN' ? '100 0 0 10 0' : '20 4 30 10 -1';
    lines.push(
      `${String(index).padStart(4)}: ${procIpv6(local.address)}:${hex(local.port, 4)} ${procIpv6(remote.address)}:${hex(remote.port, 4)} ${hex(STATES[socket.state], 2)} 00000000:00000000 00:00000000 00000000 ${String(uid).padStart(5)} ${String(0).padStart(8)} ${firstInode + index} 1 ${pointer(index + 64)} ${tail}`,
    );
  });
  return `${lines.join('\n')}\n`;
}

/** A kernel pointer as %pK prints it to root (stable per socket, so re-reads are identical). */
function pointer(index: number): string {
  return (0x00000000a1b2c000 + index * 0x240).toString(16).padStart(16, '0');
}

/**
 * /proc/net/fib_trie for the given IPv4 interface addresses plus loopback: each address appears as a
 * `/32 host LOCAL` leaf under its prefix, with the prefix (`link UNICAST`) and broadcast leaves,
 * in both the Main and Local tables, as the kernel lists them.
 */
export function procFibTrie(addresses: readonly LabInterfaceAddress[]): string {
  const v4 = addresses.filter((entry) => entry.address.includes('.'));
  const block = (entry: LabInterfaceAddress): string[] => {
    const network = networkOf(entry.address, entry.prefix);
    const broadcast = broadcastOf(entry.address, entry.prefix);
    return [
      `     +-- ${network}/${entry.prefix} 2 0 2`,
      `        +-- ${network}/30 2 0 2`,
      `           |-- ${network}`,
      `              /${entry.prefix} link UNICAST`,
      `           |-- ${entry.address}`,
      '              /32 host LOCAL',
      `        |-- ${broadcast}`,
      '           /32 link BROADCAST',
    ];
  };
  const table = [
    `  +-- 0.0.0.0/0 3 0 ${5 + v4.length}`,
    '     |-- 0.0.0.0',
    '        /0 universe UNICAST',
    '     +-- 127.0.0.0/8 2 0 2',
    '        +-- 127.0.0.0/31 1 0 0',
    '           |-- 127.0.0.0',
    '              /8 host LOCAL',
    '           |-- 127.0.0.1',
    '              /32 host LOCAL',
    '        |-- 127.255.255.255',
    '           /32 link BROADCAST',
    ...v4.flatMap(block),
  ];
  return ['Main:', ...table, 'Local:', ...table].join('\n') + '\n';
}

/** /proc/net/if_inet6: loopback, then each IPv6 interface address (`%pi6 %02x %02x %02x %02x %8s`). */
export function procIfInet6(addresses: readonly LabInterfaceAddress[]): string {
  const rows = [{ address: '::1', prefix: 128, device: 'lo' }, ...addresses.filter((entry) => entry.address.includes(':'))];
  const devices = [...new Set(rows.map((row) => row.device))];
  return rows
    .map((row) => {
      const bytes = ipv6Bytes(row.address);
      const scope = row.address === '::1' ? 0x10 : bytes[0] === 0xfe && (bytes[1]! & 0xc0) === 0x80 ? 0x20 : 0x00;
      const text = bytes.map((byte) => byte.toString(16).padStart(2, '0')).join('');
      return `${text} ${(devices.indexOf(row.device) + 1).toString(16).padStart(2, '0')} ${row.prefix.toString(16).padStart(2, '0')} ${scope.toString(16).padStart(2, '0')} 80 ${row.device.padStart(8)}\n`;
    })
    .join('');
}

function toNumber(address: string): number {
  return address.split('.').reduce((sum, octet) => sum * 256 + Number(octet), 0);
}

function toAddress(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function networkOf(address: string, prefix: number): string {
  const size = 2 ** (32 - prefix);
  return toAddress(Math.floor(toNumber(address) / size) * size);
}

function broadcastOf(address: string, prefix: number): string {
  const size = 2 ** (32 - prefix);
  return toAddress(Math.floor(toNumber(address) / size) * size + size - 1);
}
