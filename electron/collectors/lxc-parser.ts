/**
 * Readers of system-container configs as their tools write them: a Proxmox VE CT config
 * (`/etc/pve/lxc/<vmid>.conf`), Proxmox's `/etc/pve/storage.cfg`, and a plain LXC `config`; and
 * where a CT's files can be read on the host without mounting anything. Pure: fixtures test them.
 */
import { isSafeLayerPath } from './container-layers.js';

/** Characters kept of a config value shown in the report (a rootfs, a mount point's volume or path). */
const MAX_VALUE = 512;

/** What a Proxmox CT config says (its current section only: snapshots follow in `[name]` sections). */
export interface PveCtConfig {
  hostname: string | null;
  /** `rootfs:` as written, up to its first comma (`local-zfs:subvol-101-disk-0`). */
  rootfs: string | null;
  unprivileged?: boolean;
  mountPoints: { key: string; volume: string; path: string | null }[];
  /** Raw `lxc.*` keys (names only). */
  lxcKeys: string[];
}

/** Reads a Proxmox CT config: `key: value` lines, `#` comments (the description), snapshot sections ignored. */
export function parsePveCtConfig(text: string): PveCtConfig {
  const config: PveCtConfig = { hostname: null, rootfs: null, mountPoints: [], lxcKeys: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (line.startsWith('[')) break;
    if (line === '' || line.startsWith('#')) continue;
    // `lxc.*` lines may be written `key: value` or `key = value`.
    const match = /^([A-Za-z0-9_.]+)\s*[:=]\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, key, value] = match as unknown as [string, string, string];
    // Proxmox accepts only a DNS name here; anything else (hostile text, a huge value) is not shown as one.
    if (key === 'hostname') config.hostname = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(value) ? value : null;
    else if (key === 'rootfs') config.rootfs = value.split(',')[0]?.slice(0, MAX_VALUE) || null;
    else if (key === 'unprivileged') config.unprivileged = value === '1';
    else if (/^mp[0-9]+$/.test(key)) {
      const [volume, ...options] = value.split(',');
      const mp = options.find((option) => option.startsWith('mp='));
      config.mountPoints.push({ key, volume: (volume ?? '').slice(0, MAX_VALUE), path: mp ? mp.slice(3, 3 + MAX_VALUE) : null });
    } else if (key.startsWith('lxc.') && !config.lxcKeys.includes(key)) config.lxcKeys.push(key);
  }
  return config;
}

/** One storage of `/etc/pve/storage.cfg`: its type and the options that say where its volumes are. */
export interface PveStorage {
  type: string;
  /** `path` of a `dir` (or NFS, CIFS…) storage. */
  path?: string;
  /** `pool` of a `zfspool` storage. */
  pool?: string;
  /** `mountpoint` of a `zfspool` storage, when its datasets are not mounted under `/<pool>`. */
  mountpoint?: string;
}

/** Reads `/etc/pve/storage.cfg`: `<type>: <id>` headers, each followed by indented `key value` options. */
export function parseStorageCfg(text: string): Map<string, PveStorage> {
  const storages = new Map<string, PveStorage>();
  let current: PveStorage | null = null;
  for (const raw of text.split('\n')) {
    if (raw.trim() === '' || raw.trim().startsWith('#')) continue;
    const header = /^([a-z0-9]+):\s*(\S+)\s*$/.exec(raw);
    if (header) {
      current = { type: header[1]! };
      storages.set(header[2]!, current);
      continue;
    }
    const option = /^\s+(\S+)(?:\s+(.*))?$/.exec(raw);
    if (!option || !current) continue;
    const value = (option[2] ?? '').trim();
    if (option[1] === 'path') current.path = value;
    else if (option[1] === 'pool') current.pool = value;
    else if (option[1] === 'mountpoint') current.mountpoint = value;
  }
  return storages;
}

/** What a plain LXC `config` says: its name and root file system. */
export interface LxcConfig {
  utsName: string | null;
  rootfsPath: string | null;
}

/** Reads a plain LXC `config` (`key = value`, `#` comments); the legacy `lxc.rootfs` and `lxc.utsname` too. */
export function parseLxcConfig(text: string): LxcConfig {
  const config: LxcConfig = { utsName: null, rootfsPath: null };
  for (const raw of text.split('\n')) {
    const match = /^\s*(lxc\.[A-Za-z0-9_.]+)\s*=\s*(.*?)\s*$/.exec(raw);
    if (!match) continue;
    if (match[1] === 'lxc.uts.name' || match[1] === 'lxc.utsname') config.utsName = /^[A-Za-z0-9][A-Za-z0-9.-]{0,252}$/.test(match[2]!) ? match[2]! : null;
    else if (match[1] === 'lxc.rootfs.path' || match[1] === 'lxc.rootfs') config.rootfsPath = match[2]?.slice(0, MAX_VALUE) || null;
  }
  return config;
}

/** Where a CT's files are on the host, or why they cannot be read without mounting. */
export type GuestRoot = { path: string } | { note: string };

/**
 * Where a Proxmox CT's root is: the rootfs Proxmox mounts at `/var/lib/lxc/<vmid>/rootfs` while
 * it runs; stopped, a `zfspool` subvolume's dataset folder or a `dir` storage's subvolume folder.
 * A block volume (LVM, a zvol, RBD, a `.raw` image) cannot be read without mounting it, which a
 * read-only scan never does: that is a note.
 */
export function pveCtRoot(vmid: string, config: PveCtConfig, storages: ReadonlyMap<string, PveStorage>, mounted: boolean): GuestRoot {
  if (mounted) return checked(`/var/lib/lxc/${vmid}/rootfs`);
  const rootfs = config.rootfs;
  if (!rootfs) return { note: 'its config names no rootfs' };
  const colon = rootfs.indexOf(':');
  // A bind of a host folder (`rootfs: /some/dir`) is the folder itself.
  if (colon === -1) return checked(rootfs);
  const storageId = rootfs.slice(0, colon);
  const volume = rootfs.slice(colon + 1);
  const storage = storages.get(storageId);
  if (!storage) return { note: `its storage ${storageId} is not in /etc/pve/storage.cfg` };
  if (storage.type === 'zfspool' && storage.pool && /^subvol-[0-9]+-disk-[0-9]+$/.test(volume)) {
    return checked(`${(storage.mountpoint ?? `/${storage.pool}`).replace(/\/+$/, '')}/${volume}`);
  }
  if (storage.path && /^[0-9]+\/subvol-[0-9]+-disk-[0-9]+\.subvol$/.test(volume)) return checked(`${storage.path.replace(/\/+$/, '')}/images/${volume}`);
  return { note: `its rootfs ${rootfs} is a block volume or image (${storage.type} storage), which a read-only scan never mounts` };
}

/** Where a plain LXC container's root is: a `dir:` (or bare) path; any other backing store is a note. */
export function lxcRoot(name: string, config: LxcConfig): GuestRoot {
  const path = config.rootfsPath ?? `/var/lib/lxc/${name}/rootfs`;
  if (path.startsWith('/')) return checked(path);
  if (path.startsWith('dir:')) return checked(path.slice(4));
  return { note: `its rootfs ${path} is not a folder on the host, and a read-only scan never mounts one` };
}

function checked(path: string): GuestRoot {
  return isSafeLayerPath(path) ? { path } : { note: 'its root path is not one the scan will read' };
}
