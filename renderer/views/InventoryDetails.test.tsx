import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { InventoryContainer } from '../../shared/present/index.js';
import { ContainerDetails } from './InventoryDetails.js';

const ct = (guest: NonNullable<InventoryContainer['guest']>): InventoryContainer =>
  ({ id: `proxmox:${guest.id}`, key: `pve/CT ${guest.id}`, name: `CT ${guest.id}`, image: '', imageDigest: null, running: true, readVia: 'guest-root', guest, watchedBy: [], riskyMountCount: 0 }) satisfies InventoryContainer;

describe('ContainerDetails of a system container', () => {
  it('says what the CT is and where its files were read, never an empty image', () => {
    const html = renderToStaticMarkup(
      <ContainerDetails container={ct({ platform: 'proxmox', id: '101', hostname: 'litellm', rootfs: 'local-zfs:subvol-101-disk-0', rootPath: '/var/lib/lxc/101/rootfs', unprivileged: true, gatewayUnits: ['litellm.service'] })} />,
    );
    const text = html.replace(/<[^>]+>/g, '');
    expect(text).toContain('proxmox 101 (litellm), root file system local-zfs:subvol-101-disk-0, read as files from /var/lib/lxc/101/rootfs, unprivileged, gateway units: litellm.service');
    expect(text).toContain('no image (a system container)');
    expect(text).toContain('root folder (never entered)');
  });

  it('says a CT on a block volume was not read', () => {
    const text = renderToStaticMarkup(<ContainerDetails container={ct({ platform: 'proxmox', id: '103', hostname: 'vault', rootfs: 'local-lvm:vm-103-disk-0', rootPath: null })} />).replace(/<[^>]+>/g, '');
    expect(text).toContain('root file system local-lvm:vm-103-disk-0, not read (see the host notes)');
  });
});
