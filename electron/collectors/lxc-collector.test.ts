import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { newBoundary } from './framing.js';
import { guestContainer, guestLabel, guestUnitScript, parseGuestDiscovery, parseGuestUnits } from './lxc-collector.js';

const B = newBoundary();
const rec = (tag: string, body: string) => `\n${B} ${tag}\n${body}`;

describe('parseGuestDiscovery', () => {
  it('lists Proxmox CTs once (local folder first), running ones by their mounted rootfs, and plain LXC beside them', () => {
    const output = [
      rec('access', 'root'),
      rec('storage', 'zfspool: local-zfs\n\tpool rpool/data\n\tcontent rootdir\n'),
      rec('pve', '/etc/pve/lxc/101.conf\0hostname: litellm\nrootfs: local-zfs:subvol-101-disk-0,size=8G\n'),
      rec('pve', '/etc/pve/nodes/pve1/lxc/101.conf\0hostname: litellm\nrootfs: local-zfs:subvol-101-disk-0,size=8G\n'),
      rec('pve', '/etc/pve/nodes/pve2/lxc/102.conf\0hostname: db\nrootfs: local-zfs:subvol-102-disk-0\n'),
      rec('pve', '/etc/pve/lxc/../../etc/shadow\0x'),
      rec('lxc', '101\0lxc.rootfs.path = /var/lib/lxc/101/rootfs\n'),
      rec('mounted', '101'),
      rec('lxc', 'web\0lxc.uts.name = web\nlxc.rootfs.path = dir:/srv/lxc/web\n'),
      rec('incus', 'app'),
      rec('done', 'ok'),
    ].join('');
    const { guests, access, completed } = parseGuestDiscovery(output, B);
    expect({ access, completed }).toEqual({ access: 'root', completed: true });
    expect(guests.map((found) => [guestLabel(found.guest), found.running, found.root])).toEqual([
      ['CT 101 (litellm)', true, { path: '/var/lib/lxc/101/rootfs' }],
      ['CT 102 (db)', false, { path: '/rpool/data/subvol-102-disk-0' }],
      ['LXC web', false, { path: '/srv/lxc/web' }],
      ['Incus app', false, { path: '/var/lib/incus/containers/app/rootfs' }],
    ]);
    expect(guests[1]!.guest.node).toBe('pve2');
  });

  it('makes a guest a container with no image, named for notes and findings', () => {
    const { guests } = parseGuestDiscovery(rec('storage', 'lvmthin: local-lvm\n\tthinpool data\n\tvgname pve\n') + rec('pve', '/etc/pve/lxc/103.conf\0hostname: vault\nrootfs: local-lvm:vm-103-disk-0\n'), B);
    const container = guestContainer(guests[0]!, null);
    expect(container).toMatchObject({ id: 'proxmox:103', name: 'CT 103 (vault)', image: '', running: false, guest: { platform: 'proxmox', id: '103', rootPath: null } });
    expect(guests[0]!.root).toEqual({ note: expect.stringContaining('never mounts') });
  });
});

describe('guest units', () => {
  let dir = '';
  afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

  it('finds the --config of a LiteLLM unit in the guest, and ignores a symlinked unit that would read the host', () => {
    dir = mkdtempSync(join(tmpdir(), 'guest-units-'));
    const units = join(dir, 'etc/systemd/system');
    mkdirSync(units, { recursive: true });
    writeFileSync(join(units, 'litellm.service'), '[Unit]\nDescription=LiteLLM\n[Service]\nWorkingDirectory=/opt/litellm\nExecStart=/opt/litellm/.venv/bin/litellm --config /opt/litellm/litellm.yaml\n');
    writeFileSync(join(units, 'other.service'), '[Service]\nExecStart=/usr/bin/sleep infinity\n');
    writeFileSync(join(dir, 'host.service'), '[Service]\nExecStart=/usr/bin/litellm --config /host/secret.yaml\n');
    symlinkSync(join(dir, 'host.service'), join(units, 'a-host.service'));
    const boundary = newBoundary();
    const output = execFileSync('sh', ['-s'], { input: guestUnitScript(boundary, [dir]), encoding: 'utf8' });
    expect(parseGuestUnits(output, boundary, 0)).toEqual({ configArg: '/opt/litellm/litellm.yaml', workingDir: '/opt/litellm', units: ['litellm.service'] });
  });
});
