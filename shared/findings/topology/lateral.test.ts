import { describe, expect, it } from 'vitest';
import { knownBenignPth } from '../../fixtures/benign-pth.js';
import type { ExposureVerdict, Finding, HostInventory } from '../../model/index.js';
import { exposedPlaces } from './exposed-places.js';
import { findSshLateral } from './lateral.js';

const DEPLOY = 'SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8';
const BACKUP = 'SHA256:2Vy8Hk0GfR7dWq1pLzJ3sXcT5uE9oN4mB6aK8iQ0wYs';

function host(name: string, extra: Partial<HostInventory>): HostInventory {
  return { name, address: `root@${name}:22`, status: 'ok', facts: null, containers: [], pythonEnvironments: [], ...extra };
}

/** nodocker holds the deploy key that logs into gw; gw holds the backup key that logs into db; db's own key logs into itself only. */
function chain(): HostInventory[] {
  return [
    host('nodocker', { secrets: [{ fingerprint: `ssh:${DEPLOY}`, provider: 'ssh', container: null, source: 'ssh-key', path: '/home/alice/.ssh/id_ed25519' }] }),
    host('gw', {
      authorizedKeys: [{ user: 'deploy', path: '/home/deploy/.ssh/authorized_keys', fingerprint: DEPLOY, keyType: 'ssh-ed25519', comment: 'alice@nodocker' }],
      secrets: [{ fingerprint: `ssh:${BACKUP}`, provider: 'ssh', container: 'backup', source: 'ssh-key', path: '/root/.ssh/id_rsa' }],
    }),
    host('db', {
      authorizedKeys: [
        { user: 'backup', path: '/home/backup/.ssh/authorized_keys', fingerprint: BACKUP, keyType: 'ssh-rsa' },
        // Near miss: an API key whose fingerprint text happens to look alike is not an ssh key.
        { user: 'root', path: '/root/.ssh/authorized_keys', fingerprint: 'SHA256:unrelatedunrelatedunrelatedunrelatedunrelat', keyType: 'ssh-ed25519' },
      ],
      secrets: [{ fingerprint: 'openai:SHA256:unrelat', provider: 'openai', container: null, source: 'env-file', path: '/etc/app.env' }],
    }),
  ];
}

const NODOCKER_EXPOSED: ExposureVerdict = {
  host: 'nodocker',
  container: null,
  path: '/home/alice/.local/lib/python3.11/site-packages',
  package: 'litellm',
  installedVersion: '1.82.7',
  advisories: ['MAL-2026-2144'],
  verdict: 'exposed',
  reasons: [],
  window: null,
};

describe('findSshLateral', () => {
  it('links a private key on one host to the account its public half opens on another', () => {
    const findings = findSshLateral(chain(), exposedPlaces([], []));

    expect(findings.map(({ fromHost, toHost, toUser, keyFingerprint, severity }) => ({ fromHost, toHost, toUser, keyFingerprint, severity }))).toEqual([
      { fromHost: 'gw', toHost: 'db', toUser: 'backup', keyFingerprint: `ssh:${BACKUP}`, severity: 'medium' },
      { fromHost: 'nodocker', toHost: 'gw', toUser: 'deploy', keyFingerprint: `ssh:${DEPLOY}`, severity: 'medium' },
    ]);
    expect(findings[1]!.id).toBe(`ssh-lateral:nodocker->gw:deploy:ssh:${DEPLOY}`);
    expect(findings[0]!.container).toBe('backup');
  });

  it('is critical from an exposed host and lists every host reachable from it with the hops it takes', () => {
    const findings = findSshLateral(chain(), exposedPlaces([], [NODOCKER_EXPOSED]));
    const fromNodocker = findings.find((finding) => finding.fromHost === 'nodocker')!;
    const fromGw = findings.find((finding) => finding.fromHost === 'gw')!;

    expect(fromNodocker.severity).toBe('critical');
    expect(fromNodocker.evidence).toEqual([
      '/home/deploy/.ssh/authorized_keys on gw allows ssh-ed25519 SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 (alice@nodocker) to log in as deploy',
      `Private key ssh:${DEPLOY} in host nodocker: /home/alice/.ssh/id_ed25519`,
      'nodocker is judged exposed: litellm 1.82.7 judged exposed (MAL-2026-2144)',
      'gw is reachable from exposed host nodocker in 1 hop',
    ]);
    expect(fromGw.severity).toBe('medium');
    expect(fromGw.evidence).toContain('db is reachable from exposed host nodocker in 2 hops');
  });

  it('keeps a lateral path medium when its host has only a known-benign .pth finding', () => {
    const benignPth = knownBenignPth('nodocker');

    const fromNodocker = findSshLateral(chain(), exposedPlaces([benignPth], [])).find((finding) => finding.fromHost === 'nodocker')!;

    expect(fromNodocker.severity).toBe('medium');
    expect(fromNodocker.evidence.join('\n')).not.toContain('judged exposed');
  });

  it('finds nothing for a key that only opens its own host', () => {
    const hosts = [host('solo', {
      secrets: [{ fingerprint: `ssh:${DEPLOY}`, provider: 'ssh', container: null, source: 'ssh-key', path: '/root/.ssh/id_ed25519' }],
      authorizedKeys: [{ user: 'root', path: '/root/.ssh/authorized_keys', fingerprint: DEPLOY, keyType: 'ssh-ed25519' }],
    })];

    expect(findSshLateral(hosts, exposedPlaces([], []))).toEqual([]);
  });
});
