import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, test } from 'vitest';
import { adoptKnownHosts, sharedKnownHostsFile } from './known-hosts-store.js';

describe('the shared known_hosts store', () => {
  test('lives under XDG_STATE_HOME, or ~/.local/state without it', () => {
    expect(sharedKnownHostsFile({ XDG_STATE_HOME: '/x/state' })).toBe('/x/state/blast-radius/known_hosts');
    expect(sharedKnownHostsFile({})).toMatch(/\/\.local\/state\/blast-radius\/known_hosts$/);
  });

  test('adopts the lines an older case folder kept that it lacks, once, leaving the old file as it was', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'known-store-'));
    const legacy = path.join(dir, 'case', 'known_hosts');
    const shared = path.join(dir, 'state', 'blast-radius', 'known_hosts');
    await mkdir(path.dirname(legacy), { recursive: true });
    await writeFile(legacy, 'gw ssh-ed25519 AAAAgw\n[nas]:2222 ssh-ed25519 AAAAnas\n');

    expect(await adoptKnownHosts(legacy, shared)).toBe(2);
    expect(await adoptKnownHosts(legacy, shared)).toBe(0);
    await writeFile(shared, `${await readFile(shared, 'utf8')}cli ssh-ed25519 AAAAcli`);
    await writeFile(legacy, 'gw ssh-ed25519 AAAAgw\nnew ssh-ed25519 AAAAnew\n');
    expect(await adoptKnownHosts(legacy, shared)).toBe(1);

    expect(await readFile(shared, 'utf8')).toBe('gw ssh-ed25519 AAAAgw\n[nas]:2222 ssh-ed25519 AAAAnas\ncli ssh-ed25519 AAAAcli\nnew ssh-ed25519 AAAAnew\n');
    expect(await readFile(legacy, 'utf8')).toBe('gw ssh-ed25519 AAAAgw\nnew ssh-ed25519 AAAAnew\n');
    expect(await adoptKnownHosts(path.join(dir, 'none'), shared)).toBe(0);
  });
});
