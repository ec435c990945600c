import { describe, expect, it } from 'vitest';
import { SAMPLE, sampleReport } from '../fixtures/sample-report.js';
import { deepReport } from '../fixtures/deep-report.js';
import { buildInventory, environmentKey } from './inventory.js';

describe('buildInventory', () => {
  it('marks exactly the packages a finding names, and lists them first in their environment', () => {
    const gw = buildInventory(sampleReport()).find((host) => host.name === SAMPLE.gw)!;
    const litellmSite = gw.environments.find((environment) => environment.container === SAMPLE.litellmContainer)!;
    const debian = gw.environments.find((environment) => environment.container === null)!;

    expect(litellmSite.packages.map((pkg) => [pkg.name, pkg.findingIds.length > 0])).toEqual([
      ['litellm', true],
      ['httpx', false],
      ['openai', false],
    ]);
    expect(litellmSite).toMatchObject({ key: environmentKey(SAMPLE.gw, SAMPLE.litellmContainer, SAMPLE.litellmSite), packageCount: 3, flaggedCount: 1 });
    expect(debian.flaggedCount).toBe(0);
    expect(gw.findingCount).toBe(1);
  });

  it('does not flag the same package name in another environment of the same host', () => {
    const nodocker = buildInventory(sampleReport()).find((host) => host.name === SAMPLE.nodocker)!;

    expect(nodocker.environments.map((environment) => environment.flaggedCount)).toEqual([0, 1]);
  });

  it('keeps an unreachable host with its status and error', () => {
    expect(buildInventory(sampleReport()).find((host) => host.name === SAMPLE.unreachable)).toMatchObject({
      status: 'unreachable',
      error: SAMPLE.unreachableError,
      containers: [],
      environments: [],
    });
  });
});

describe('inventory depth', () => {
  it('marks a container an auto-updater watches with the updater that watches it', () => {
    const gw = buildInventory(deepReport()).find((host) => host.name === SAMPLE.gw)!;

    expect(gw.containers.map((container) => [container.name, container.watchedBy])).toEqual([
      ['litellm', []],
      ['open-webui', ['watchtower']],
      ['watchtower', []],
    ]);
  });

  it('counts the .pth files with an executable line per environment', () => {
    const report = deepReport();
    const site = report.hosts[0]!.pythonEnvironments.find((environment) => environment.container === SAMPLE.litellmContainer)!;
    site.pthFiles = [
      { path: `${site.path}/litellm_init.pth`, sha256: 'ab', owner: null, lines: [{ text: 'import os; exec(...)', executable: true }] },
      { path: `${site.path}/distutils-precedence.pth`, sha256: 'cd', owner: 'setuptools', lines: [{ text: '/opt/extra', executable: false }] },
    ];

    const environment = buildInventory(report)[0]!.environments.find((entry) => entry.container === SAMPLE.litellmContainer)!;

    expect([environment.pthFiles.length, environment.executablePthCount]).toEqual([2, 1]);
  });

  it('tells a host whose IOC search did not run from one where it matched nothing', () => {
    const report = deepReport();
    report.hosts[1]!.iocHits = [];

    const [gw, nodocker] = buildInventory(report);

    expect([gw!.iocHits, nodocker!.iocHits]).toEqual([null, []]);
  });
});
