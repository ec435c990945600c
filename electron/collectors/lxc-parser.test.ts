import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { lxcRoot, parseLxcConfig, parsePveCtConfig, parseStorageCfg, pveCtRoot } from './lxc-parser.js';

const fixture = (name: string): Promise<string> => readFile(new URL(`./fixtures/lxc/${name}`, import.meta.url), 'utf8');

describe('parsePveCtConfig', () => {
  it('reads hostname, rootfs, mount points, unprivileged and lxc keys of the current config, not its snapshots', async () => {
    const config = parsePveCtConfig(await fixture('pve-101.conf'));
    expect(config).toEqual({
      hostname: 'litellm',
      rootfs: 'local-lvm:vm-101-disk-0',
      unprivileged: true,
      mountPoints: [
        { key: 'mp0', volume: '/srv/models', path: '/models' },
        { key: 'mp1', volume: 'local-zfs:subvol-101-disk-1', path: '/var/lib/litellm' },
      ],
      lxcKeys: ['lxc.apparmor.profile', 'lxc.cgroup2.devices.allow'],
    });
  });

  it('shows no hostname that is not a DNS name', () => {
    expect(parsePveCtConfig('hostname: $(touch /tmp/pwned)\nrootfs: local-zfs:subvol-1-disk-0\n').hostname).toBeNull();
  });
});

describe('pveCtRoot', () => {
  it('reads a running CT from the rootfs Proxmox mounted, whatever its storage', async () => {
    const config = parsePveCtConfig(await fixture('pve-101.conf'));
    expect(pveCtRoot('101', config, parseStorageCfg(await fixture('storage.cfg')), true)).toEqual({ path: '/var/lib/lxc/101/rootfs' });
  });

  it('finds a stopped CT on a zfspool under its pool (or the storage mountpoint) and on a dir storage under images/', async () => {
    const storages = parseStorageCfg(await fixture('storage.cfg'));
    const on = (rootfs: string) => pveCtRoot('102', parsePveCtConfig(`rootfs: ${rootfs},size=8G\n`), storages, false);
    expect(on('local-zfs:subvol-102-disk-0')).toEqual({ path: '/rpool/data/subvol-102-disk-0' });
    expect(on('tank-ct:subvol-102-disk-0')).toEqual({ path: '/mnt/tank-ct/subvol-102-disk-0' });
    expect(on('bulk:102/subvol-102-disk-0.subvol')).toEqual({ path: '/mnt/bulk/images/102/subvol-102-disk-0.subvol' });
  });

  it('never reads a stopped CT on a block volume or image: it says so instead of mounting', async () => {
    const storages = parseStorageCfg(await fixture('storage.cfg'));
    const on = (rootfs: string) => pveCtRoot('103', parsePveCtConfig(`rootfs: ${rootfs},size=8G\n`), storages, false);
    expect(on('local-lvm:vm-103-disk-0')).toEqual({ note: 'its rootfs local-lvm:vm-103-disk-0 is a block volume or image (lvmthin storage), which a read-only scan never mounts' });
    expect(on('local:103/vm-103-disk-0.raw')).toEqual({ note: expect.stringContaining('never mounts') });
    expect(on('local-zfs:vm-103-disk-0')).toEqual({ note: expect.stringContaining('(zfspool storage), which a read-only scan never mounts') });
    expect(on('gone:subvol-103-disk-0')).toEqual({ note: 'its storage gone is not in /etc/pve/storage.cfg' });
  });

  it('refuses a root path that climbs out with ..', () => {
    const storages = parseStorageCfg('zfspool: z\n\tpool ../../etc\n');
    expect(pveCtRoot('104', parsePveCtConfig('rootfs: z:subvol-104-disk-0\n'), storages, false)).toEqual({ note: expect.stringContaining('not one the scan will read') });
  });
});

describe('parseLxcConfig and lxcRoot', () => {
  it('reads a plain LXC config written by lxc-create', async () => {
    const config = parseLxcConfig(await fixture('lxc-web.config'));
    expect(config).toEqual({ utsName: 'web', rootfsPath: 'dir:/var/lib/lxc/web/rootfs' });
    expect(lxcRoot('web', config)).toEqual({ path: '/var/lib/lxc/web/rootfs' });
  });

  it('does not read an LXC container on another backing store', () => {
    expect(lxcRoot('db', { utsName: null, rootfsPath: 'lvm:/dev/lxc/db' })).toEqual({ note: expect.stringContaining('not a folder on the host') });
  });
});
