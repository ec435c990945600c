import { describe, expect, it } from 'vitest';
import { sanitizeUpdaterArgs, updaterOf, watchSetOf } from './auto-updaters.js';
import type { Container } from '../../model/index.js';

const container = (name: string, labels: Record<string, string> = {}, running = true): Container => ({
  id: name.padEnd(64, '0'),
  name,
  image: `example/${name}:latest`,
  imageDigest: null,
  running,
  labels,
});
const watchtower = (settings: Record<string, string> = {}, args: string[] = []): Container => ({
  ...container('watchtower'),
  image: 'containrrr/watchtower:1.7.1',
  autoUpdater: { updater: 'watchtower', settings, args },
});

describe('updater images', () => {
  it('recognises Watchtower and its forks, WUD, Diun and Ouroboros by repository, whatever the registry or tag', () => {
    expect(
      ['containrrr/watchtower', 'docker.io/nickfedor/watchtower:latest', 'ghcr.io/nicholas-fedor/watchtower:1.9', 'openserbia/watchtower@sha256:' + 'a'.repeat(64), 'getwud/wud:8', 'fmartinou/whats-up-docker', 'crazymax/diun:4', 'pyouroboros/ouroboros'].map(updaterOf),
    ).toEqual(['watchtower', 'watchtower', 'watchtower', 'watchtower', 'wud', 'wud', 'diun', 'ouroboros']);
    expect(updaterOf('ghcr.io/berriai/litellm:main-latest')).toBeNull();
  });
});

describe('Watchtower watch set', () => {
  const others = [container('litellm', { 'com.centurylinklabs.watchtower.enable': 'true' }), container('db', { 'com.centurylinklabs.watchtower.enable': 'false' }), container('web'), container('old', {}, false)];

  it('watches every running container except enable=false by default, itself included', () => {
    const self = watchtower();

    expect(watchSetOf(self, [self, ...others])).toMatchObject({ watches: ['watchtower', 'litellm', 'web'], updates: ['watchtower', 'litellm', 'web'], notifyOnly: false });
  });

  it('watches only enable=true containers with --label-enable or WATCHTOWER_LABEL_ENABLE=true', () => {
    expect(watchSetOf(watchtower({}, ['--label-enable']), others)?.watches).toEqual(['litellm']);
    expect(watchSetOf(watchtower({ WATCHTOWER_LABEL_ENABLE: 'true' }), others)?.watches).toEqual(['litellm']);
    expect(watchSetOf(watchtower({ WATCHTOWER_LABEL_ENABLE: 'false' }), others)?.watches).toEqual(['litellm', 'web']);
  });

  it('restricts the set to container names given as arguments, never to values of other flags', () => {
    const args = sanitizeUpdaterArgs('watchtower', ['--interval', '300', '--notification-url', 'smtp://x', '--cleanup', 'web', 'db']);

    expect(args).toEqual(['--interval', '300', '--notification-url', '--cleanup', 'web', 'db']);
    // db is named but labelled enable=false: every criterion must hold.
    expect(watchSetOf(watchtower({}, args), others)?.watches).toEqual(['web']);
  });

  it('records monitor-only (flag, variable or container label) as watched but not updated', () => {
    const labelled = [...others, container('gateway', { 'com.centurylinklabs.watchtower.monitor-only': 'true' })];

    expect(watchSetOf(watchtower({ WATCHTOWER_MONITOR_ONLY: 'true' }), others)).toMatchObject({ watches: ['litellm', 'web'], updates: [], notifyOnly: true });
    expect(watchSetOf(watchtower({}, ['-m']), others)?.notifyOnly).toBe(true);
    expect(watchSetOf(watchtower(), labelled)).toMatchObject({ watches: ['litellm', 'web', 'gateway'], updates: ['litellm', 'web'], notifyOnly: false });
  });

  it('keeps to its scope and skips --disable-containers, and watches stopped ones only with --include-stopped', () => {
    const scoped = [container('a', { 'com.centurylinklabs.watchtower.scope': 'prod' }), container('b')];

    expect(watchSetOf(watchtower({ WATCHTOWER_SCOPE: 'prod' }), scoped)?.watches).toEqual(['a']);
    expect(watchSetOf(watchtower({ WATCHTOWER_DISABLE_CONTAINERS: 'web,litellm' }), others)?.watches).toEqual([]);
    expect(watchSetOf(watchtower({}, ['--include-stopped']), others)?.watches).toEqual(['litellm', 'web', 'old']);
  });
});

describe('WUD, Diun and Ouroboros watch sets', () => {
  const host = [container('litellm'), container('db', { 'wud.watch': 'false', 'diun.enable': 'true', 'com.ouroboros.enable': 'false' })];

  it('WUD watches by default, honours wud.watch, and updates only with a docker trigger', () => {
    const wud = (settings: Record<string, string>, envNames: string[] = []): Container => ({ ...container('wud'), image: 'getwud/wud:8', envNames, autoUpdater: { updater: 'wud', settings, args: [] } });

    expect(watchSetOf(wud({}), host)).toMatchObject({ watches: ['litellm'], updates: [], notifyOnly: true });
    expect(watchSetOf(wud({}, ['WUD_TRIGGER_DOCKER_LOCAL_PRUNE']), host)).toMatchObject({ updates: ['litellm'], notifyOnly: false });
    expect(watchSetOf(wud({ WUD_TRIGGER_DOCKER_LOCAL_DRYRUN: 'true' }, ['WUD_TRIGGER_DOCKER_LOCAL_DRYRUN']), host)?.notifyOnly).toBe(true);
    expect(watchSetOf(wud({ WUD_WATCHER_LOCAL_WATCHBYDEFAULT: 'false' }), host)?.watches).toEqual([]);
  });

  it('Diun watches only diun.enable=true by default and never updates', () => {
    const diun = (settings: Record<string, string>): Container => ({ ...container('diun'), image: 'crazymax/diun:4', autoUpdater: { updater: 'diun', settings, args: [] } });

    expect(watchSetOf(diun({}), host)).toMatchObject({ watches: ['db'], updates: [], notifyOnly: true });
    expect(watchSetOf(diun({ DIUN_PROVIDERS_DOCKER_WATCHBYDEFAULT: 'true' }), host)?.watches).toEqual(['litellm', 'db']);
  });

  it('Ouroboros watches all running containers unless MONITOR, IGNORE or LABELS_ONLY narrow it', () => {
    const ouroboros = (settings: Record<string, string>): Container => ({ ...container('ouroboros'), image: 'pyouroboros/ouroboros', autoUpdater: { updater: 'ouroboros', settings, args: [] } });

    expect(watchSetOf(ouroboros({}), host)?.updates).toEqual(['litellm']);
    expect(watchSetOf(ouroboros({ MONITOR: 'db' }), host)?.watches).toEqual([]);
    expect(watchSetOf(ouroboros({ DRY_RUN: 'true' }), host)?.notifyOnly).toBe(true);
  });
});
