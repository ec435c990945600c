import { describe, expect, it } from 'vitest';
import { generateChecklist } from '../checklist/checklist.js';
import type { HardeningPosture, HostInventory } from '../model/index.js';
import { findHardeningGaps } from './hardening-gap.js';

const host = (hardening: HardeningPosture[]): HostInventory => ({ name: 'lab1', address: 'root@lab1:22', status: 'ok', facts: null, containers: [], pythonEnvironments: [], hardening });

const loose: HardeningPosture = {
  container: null,
  environment: '/srv/chat/venv/lib/python3.11/site-packages',
  image: null,
  project: '/srv/chat',
  installer: 'pip',
  pinFiles: [{ path: '/srv/chat/requirements.txt', kind: 'requirements', hashes: false, loose: ['litellm>=1.80'] }],
  hashPinnedBuild: null,
  indexes: [{ url: 'https://pypi.org/simple', role: 'primary', public: true, source: 'index-url in /etc/pip.conf' }],
  upgrades: [{ source: '/etc/cron.d/chat', command: '0 3 * * * root /srv/chat/venv/bin/pip install -U litellm' }],
};

const locked: HardeningPosture = {
  ...loose,
  environment: '/opt/locked/.venv/lib/python3.12/site-packages',
  project: '/opt/locked',
  pinFiles: [{ path: '/opt/locked/uv.lock', kind: 'uv.lock', hashes: true, loose: [] }],
  installer: 'uv',
  indexes: [{ url: 'https://devpi.example/root/pypi/+simple/', role: 'primary', public: false, source: 'index-url in /etc/uv/uv.toml' }],
  upgrades: [],
};

describe('findHardeningGaps', () => {
  it('names no index gap for a virtualenv whose lockfile records hashes, even on public PyPI', () => {
    const lockedOnPypi: HardeningPosture = { ...locked, indexes: loose.indexes };
    expect(findHardeningGaps([host([lockedOnPypi])])).toEqual([]);
  });

  it('names every gap of an unhardened virtualenv as one low finding, and none for a locked one on a private index', () => {
    const findings = findHardeningGaps([host([loose, locked])]);
    expect(findings).toHaveLength(1);
    const [finding] = findings;
    expect(finding).toMatchObject({ id: 'hardening-gap:lab1:env=/srv/chat/venv/lib/python3.11/site-packages', kind: 'hardening-gap', severity: 'low', container: null, project: '/srv/chat' });
    expect(finding!.gaps).toEqual([
      { gap: 'no-hash-pins', detail: '/srv/chat/requirements.txt records no hashes, and pins loosely: litellm>=1.80', source: '/srv/chat/requirements.txt' },
      { gap: 'public-index', detail: 'pip installs from public PyPI, https://pypi.org/simple (index-url in /etc/pip.conf)', source: '/etc/pip.conf' },
      { gap: 'unattended-upgrade', detail: 'Runs unattended: 0 3 * * * root /srv/chat/venv/bin/pip install -U litellm', source: '/etc/cron.d/chat' },
    ]);
    expect(finding!.title).toBe('Virtualenv /srv/chat/venv on lab1 is not hardened: no hash-pinned requirements or lockfile, installs from public PyPI, upgraded unattended');
  });

  it('leaves hash pins of an image to the build-time-install kind and judges its index only when its history installs', () => {
    const image: HardeningPosture = { ...loose, container: 'gw', environment: null, image: 'gw:1', project: '/app', pinFiles: [], upgrades: [], hashPinnedBuild: false };
    expect(findHardeningGaps([host([image])])[0]!.gaps.map((gap) => gap.gap)).toEqual(['public-index']);
    expect(findHardeningGaps([host([{ ...image, hashPinnedBuild: null }])])).toEqual([]);
    // Every install step hash-checked: whatever the index serves, nothing else is accepted.
    expect(findHardeningGaps([host([{ ...image, hashPinnedBuild: true }])])).toEqual([]);
  });

  it('asks for one Harden step per gap and place', () => {
    const findings = findHardeningGaps([host([loose, locked])]);
    const steps = generateChecklist({ hosts: [], findings }).filter((step) => step.findingIds.includes(findings[0]!.id));
    expect(steps.map((step) => [step.phase, step.title])).toEqual([
      ['harden', 'Pin /srv/chat/venv on lab1 exactly, with hashes'],
      ['harden', 'Install /srv/chat/venv on lab1 through a private mirror or allowlist proxy'],
      ['harden', 'Stop unattended upgrades of /srv/chat/venv on lab1 (/etc/cron.d/chat)'],
    ]);
    expect(steps[0]!.detail).toContain('--require-hashes');
  });
});
