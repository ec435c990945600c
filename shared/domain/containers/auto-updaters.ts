/**
 * Auto-updaters that pull new images unattended (Watchtower and its forks, What's Up Docker, Diun,
 * Ouroboros): which image is which, which of their settings matter, and which containers each one
 * watches. The rules follow each project's documentation:
 * - Watchtower (containrrr.dev/watchtower "Arguments", "Container selection"; the nickfedor and
 *   openserbia forks keep them): all running containers by default; container names given as
 *   arguments restrict the set; `com.centurylinklabs.watchtower.enable=false` excludes;
 *   `--label-enable` / WATCHTOWER_LABEL_ENABLE keeps only `enable=true`; `--scope` keeps only the
 *   same `…watchtower.scope`; `--monitor-only` / WATCHTOWER_MONITOR_ONLY or the container label
 *   `…watchtower.monitor-only=true` means notify without updating.
 * - WUD (getwud docs "Docker Watchers"): WUD_WATCHER_<name>_WATCHBYDEFAULT defaults to true, the
 *   `wud.watch` label overrides it; it only updates through a `docker` or `dockercompose` trigger.
 * - Diun (crazy-max/diun, providers.docker.watchByDefault defaults to false; `diun.enable` label):
 *   it only notifies, never updates.
 * - Ouroboros (pyouroboros wiki "Usage"): all running containers; MONITOR restricts, IGNORE excludes,
 *   LABELS_ONLY keeps `com.ouroboros.enable=true`; DRY_RUN only notifies.
 * Pure: no Node imports.
 */
import type { AutoUpdaterConfig, Container } from '../../model/index.js';
import { imageRepository } from './image-reference.js';

/** The auto-updaters this module knows. */
export type UpdaterKind = 'watchtower' | 'wud' | 'diun' | 'ouroboros';

/** Repositories (registry host dropped) of each updater's published images. */
export const UPDATER_REPOSITORIES: Record<UpdaterKind, readonly string[]> = {
  // v2tec is Watchtower's original home; nicholas-fedor is where nickfedor publishes on ghcr.io.
  watchtower: [
    'containrrr/watchtower',
    'nickfedor/watchtower',
    'nicholas-fedor/watchtower',
    'openserbia/watchtower',
    'v2tec/watchtower',
  ],
  wud: ['fmartinou/whats-up-docker', 'getwud/wud'],
  diun: ['crazymax/diun', 'crazy-max/diun'],
  ouroboros: ['pyouroboros/ouroboros'],
};

/** Display names for evidence and titles. */
export const UPDATER_NAMES: Record<UpdaterKind, string> = {
  watchtower: 'Watchtower',
  wud: "What's Up Docker",
  diun: 'Diun',
  ouroboros: 'Ouroboros',
};

/** The updater an image reference is, or null. */
export function updaterOf(reference: string): UpdaterKind | null {
  const repository = imageRepository(reference);
  for (const [kind, repositories] of Object.entries(UPDATER_REPOSITORIES) as [UpdaterKind, readonly string[]][]) {
    if (repositories.includes(repository)) return kind;
  }
  return null;
}

const WATCHTOWER_SETTINGS = new Set([
  'WATCHTOWER_LABEL_ENABLE',
  'WATCHTOWER_MONITOR_ONLY',
  'WATCHTOWER_SCOPE',
  'WATCHTOWER_DISABLE_CONTAINERS',
  'WATCHTOWER_RUN_ONCE',
  'WATCHTOWER_INCLUDE_STOPPED',
  'WATCHTOWER_INCLUDE_RESTARTING',
  'WATCHTOWER_NO_PULL',
  'WATCHTOWER_POLL_INTERVAL',
  'WATCHTOWER_SCHEDULE',
  'WATCHTOWER_HTTP_API_UPDATE',
  'WATCHTOWER_HTTP_API_PERIODIC_POLLS',
]);
const OUROBOROS_SETTINGS = new Set(['MONITOR', 'IGNORE', 'LABELS_ONLY', 'DRY_RUN', 'RUN_ONCE', 'INTERVAL', 'CRON']);
const DIUN_SETTINGS = new Set(['DIUN_PROVIDERS_DOCKER', 'DIUN_PROVIDERS_DOCKER_WATCHBYDEFAULT', 'DIUN_PROVIDERS_DOCKER_WATCHSTOPPED']);

/**
 * True for an environment variable whose value decides what `kind` watches. An allowlist of flags
 * and container-name lists: tokens, URLs and passwords of the same tools are never among them.
 */
export function isUpdaterSetting(kind: UpdaterKind, name: string): boolean {
  switch (kind) {
    case 'watchtower':
      return WATCHTOWER_SETTINGS.has(name);
    case 'wud':
      return /^WUD_WATCHER_[A-Z0-9]+_(?:WATCHBYDEFAULT|WATCHALL)$/.test(name) || /^WUD_TRIGGER_DOCKER(?:COMPOSE)?_[A-Z0-9]+_(?:DRYRUN|AUTO)$/.test(name);
    case 'diun':
      return DIUN_SETTINGS.has(name);
    case 'ouroboros':
      return OUROBOROS_SETTINGS.has(name);
  }
}

// Watchtower's boolean flags (pkg/flags): they take no value, so the word after them is a container name.
const WATCHTOWER_BOOLEAN_FLAGS = new Set([
  'cleanup', 'remove-volumes', 'label-enable', 'debug', 'trace', 'monitor-only', 'run-once', 'include-restarting',
  'include-stopped', 'revive-stopped', 'enable-lifecycle-hooks', 'rolling-restart', 'no-pull', 'no-restart',
  'no-startup-message', 'tlsverify', 'http-api-update', 'http-api-metrics', 'http-api-periodic-polls',
  'label-take-precedence', 'notification-report', 'notification-skip-title', 'notification-log-stdout',
  'notification-email-server-tls-skip-verify', 'notification-gotify-tls-skip-verify', 'health-check', 'help',
]);
const WATCHTOWER_BOOLEAN_SHORT = new Set(['c', 'd', 'm', 'R', 'S', 'v', 'h']);
// Flags whose values are names, intervals or scopes, never secrets: kept with their value.
const WATCHTOWER_KEEP_VALUE = new Set(['scope', 'disable-containers', 'x', 'interval', 'i', 'schedule', 's']);

/**
 * Reduces an updater's command-line arguments to flags and container names: the value of any flag
 * not known to be harmless (notification URLs, API tokens) is dropped, never stored.
 */
export function sanitizeUpdaterArgs(kind: UpdaterKind, args: readonly string[]): string[] {
  if (kind !== 'watchtower') return args.filter((arg) => arg.startsWith('-')).map((arg) => arg.split('=')[0]!);
  const kept: string[] = [];
  for (let index = 0; index < args.length; index++) {
    const arg = args[index]!;
    if (arg === '--') {
      kept.push(...args.slice(index + 1));
      break;
    }
    if (!arg.startsWith('-') || arg === '-') {
      kept.push(arg);
      continue;
    }
    const long = arg.startsWith('--');
    const body = arg.slice(long ? 2 : 1);
    const eq = body.indexOf('=');
    const name = eq === -1 ? body : body.slice(0, eq);
    const flag = `${long ? '--' : '-'}${name}`;
    if (eq !== -1) {
      kept.push(WATCHTOWER_KEEP_VALUE.has(name) ? arg : flag);
      continue;
    }
    // A cluster of short flags (`-cR`) takes a value only when its last letter does.
    const takesValue = long ? !WATCHTOWER_BOOLEAN_FLAGS.has(name) : !WATCHTOWER_BOOLEAN_SHORT.has(name.slice(-1));
    kept.push(flag);
    if (takesValue && index + 1 < args.length) {
      index++;
      if (WATCHTOWER_KEEP_VALUE.has(long ? name : name.slice(-1))) kept.push(args[index]!);
    }
  }
  return kept;
}

/** What an updater does with the containers it watches. */
export interface WatchSet {
  kind: UpdaterKind;
  /** Names of the containers it watches (updates or only notifies about). */
  watches: string[];
  /** Of those, the ones it would replace with a newly pulled image. */
  updates: string[];
  /** True when it never replaces anything (monitor-only, dry run, no update trigger, or a notifier like Diun). */
  notifyOnly: boolean;
  /** Facts and assumptions behind the set, one a line. */
  reasons: string[];
}

const TRUE_VALUES = new Set(['1', 't', 'T', 'true', 'TRUE', 'True', 'yes', 'on']);
const FALSE_VALUES = new Set(['0', 'f', 'F', 'false', 'FALSE', 'False', 'no', 'off']);

function isTrue(value: string | undefined): boolean {
  return value !== undefined && TRUE_VALUES.has(value.trim());
}

function isFalse(value: string | undefined): boolean {
  return value !== undefined && FALSE_VALUES.has(value.trim());
}

function nameList(value: string | undefined): string[] {
  return (value ?? '').split(/[\s,]+/).map((name) => name.replace(/^\//, '')).filter(Boolean);
}

/**
 * The containers `updater` watches among `containers` (the same host's, itself included), following
 * the project's documented selection rules; null when `updater` is not an auto-updater.
 */
export function watchSetOf(updater: Container, containers: readonly Container[]): WatchSet | null {
  const config: AutoUpdaterConfig | undefined = updater.autoUpdater;
  const kind = (config?.updater as UpdaterKind | undefined) ?? updaterOf(updater.image);
  if (!kind || !(kind in UPDATER_NAMES)) return null;
  const settings = config?.settings ?? {};
  const args = config?.args ?? [];
  switch (kind) {
    case 'watchtower':
      return watchtowerSet(settings, args, containers);
    case 'wud':
      return wudSet(settings, updater.envNames ?? [], containers);
    case 'diun':
      return diunSet(settings, containers);
    case 'ouroboros':
      return ouroborosSet(settings, containers);
  }
}

function watchtowerSet(settings: Record<string, string>, args: readonly string[], containers: readonly Container[]): WatchSet {
  const reasons: string[] = [];
  const flags = new Set(args.filter((arg) => arg.startsWith('-')));
  const names = args.filter((arg, index) => !arg.startsWith('-') && !WATCHTOWER_KEEP_VALUE.has((args[index - 1] ?? '').replace(/^-+/, '')));
  const valueAfter = (...flagNames: string[]): string | undefined => {
    for (const [index, arg] of args.entries()) {
      for (const flag of flagNames) {
        if (arg === flag) return args[index + 1];
        if (arg.startsWith(`${flag}=`)) return arg.slice(flag.length + 1);
      }
    }
    return undefined;
  };
  const labelEnable = flags.has('--label-enable') || isTrue(settings['WATCHTOWER_LABEL_ENABLE']);
  const monitorOnly = flags.has('--monitor-only') || flags.has('-m') || isTrue(settings['WATCHTOWER_MONITOR_ONLY']);
  const includeStopped = flags.has('--include-stopped') || flags.has('-S') || isTrue(settings['WATCHTOWER_INCLUDE_STOPPED']);
  const scope = valueAfter('--scope') ?? settings['WATCHTOWER_SCOPE'];
  const disabled = new Set([...nameList(valueAfter('--disable-containers', '-x')), ...nameList(settings['WATCHTOWER_DISABLE_CONTAINERS'])]);

  reasons.push(
    names.length > 0
      ? `Restricted to the containers named in its arguments: ${names.join(', ')}`
      : labelEnable
        ? 'Label mode (--label-enable / WATCHTOWER_LABEL_ENABLE): only containers labelled com.centurylinklabs.watchtower.enable=true'
        : 'No container names and no label mode: it watches every running container not labelled com.centurylinklabs.watchtower.enable=false',
  );
  if (scope) reasons.push(`Scope ${scope}: only containers labelled com.centurylinklabs.watchtower.scope=${scope}`);
  if (disabled.size > 0) reasons.push(`Excluded by --disable-containers: ${[...disabled].join(', ')}`);
  if (includeStopped) reasons.push('Also watches stopped containers (--include-stopped)');
  if (monitorOnly) reasons.push('Monitor-only (--monitor-only / WATCHTOWER_MONITOR_ONLY): it notifies but never updates');

  const watched = containers.filter((container) => {
    const labels = container.labels ?? {};
    const enable = labels['com.centurylinklabs.watchtower.enable'];
    if (!container.running && !includeStopped) return false;
    if (names.length > 0 && !names.includes(container.name)) return false;
    if (disabled.has(container.name)) return false;
    if (labelEnable ? !isTrue(enable) : isFalse(enable)) return false;
    if (scope && labels['com.centurylinklabs.watchtower.scope'] !== scope) return false;
    return true;
  });
  const labelledMonitorOnly = watched.filter((container) => isTrue(container.labels?.['com.centurylinklabs.watchtower.monitor-only']));
  if (labelledMonitorOnly.length > 0 && !monitorOnly) {
    reasons.push(`Monitor-only by label com.centurylinklabs.watchtower.monitor-only=true (notified, not updated): ${labelledMonitorOnly.map((c) => c.name).join(', ')}`);
  }
  const updates = monitorOnly ? [] : watched.filter((container) => !labelledMonitorOnly.includes(container)).map((c) => c.name);
  return { kind: 'watchtower', watches: watched.map((c) => c.name), updates, notifyOnly: updates.length === 0, reasons };
}

function wudSet(settings: Record<string, string>, envNames: readonly string[], containers: readonly Container[]): WatchSet {
  const reasons: string[] = [];
  const byDefault = !Object.entries(settings).some(([name, value]) => /_WATCHBYDEFAULT$/.test(name) && isFalse(value));
  const watchAll = Object.entries(settings).some(([name, value]) => /_WATCHALL$/.test(name) && isTrue(value));
  reasons.push(
    byDefault
      ? 'WATCHBYDEFAULT is true (the default): every container not labelled wud.watch=false'
      : 'WATCHBYDEFAULT=false: only containers labelled wud.watch=true',
  );
  // A docker or dockercompose trigger is what makes WUD replace containers; other triggers only notify.
  const triggers = new Set(
    envNames.map((name) => /^WUD_TRIGGER_(DOCKER(?:COMPOSE)?)_([A-Z0-9]+)_/.exec(name)).filter((m): m is RegExpExecArray => m !== null).map((m) => `${m[1]}_${m[2]}`),
  );
  const acting = [...triggers].filter(
    (trigger) => !isTrue(settings[`WUD_TRIGGER_${trigger}_DRYRUN`]) && !isFalse(settings[`WUD_TRIGGER_${trigger}_AUTO`]),
  );
  reasons.push(
    acting.length > 0
      ? `Update trigger configured: ${acting.map((t) => `WUD_TRIGGER_${t}`).join(', ')}`
      : 'No docker or dockercompose update trigger in its environment: it notifies but does not update',
  );
  const watched = containers.filter((container) => {
    if (!container.running && !watchAll) return false;
    const label = container.labels?.['wud.watch'];
    return label === undefined ? byDefault : isTrue(label);
  });
  const updates = acting.length > 0 ? watched.map((c) => c.name) : [];
  return { kind: 'wud', watches: watched.map((c) => c.name), updates, notifyOnly: updates.length === 0, reasons };
}

function diunSet(settings: Record<string, string>, containers: readonly Container[]): WatchSet {
  const byDefault = isTrue(settings['DIUN_PROVIDERS_DOCKER_WATCHBYDEFAULT']);
  const watchStopped = isTrue(settings['DIUN_PROVIDERS_DOCKER_WATCHSTOPPED']);
  const reasons = [
    byDefault
      ? 'DIUN_PROVIDERS_DOCKER_WATCHBYDEFAULT=true: every container not labelled diun.enable=false'
      : 'watchByDefault is false (the default): only containers labelled diun.enable=true (a diun.yml file, not read, may say otherwise)',
    'Diun only notifies of new images; it never updates containers',
  ];
  const watched = containers.filter((container) => {
    if (!container.running && !watchStopped) return false;
    const label = container.labels?.['diun.enable'];
    return label === undefined ? byDefault : isTrue(label);
  });
  return { kind: 'diun', watches: watched.map((c) => c.name), updates: [], notifyOnly: true, reasons };
}

function ouroborosSet(settings: Record<string, string>, containers: readonly Container[]): WatchSet {
  const monitor = nameList(settings['MONITOR']);
  const ignore = new Set(nameList(settings['IGNORE']));
  const labelsOnly = isTrue(settings['LABELS_ONLY']);
  const dryRun = isTrue(settings['DRY_RUN']);
  const reasons = [
    monitor.length > 0 ? `MONITOR restricts it to: ${monitor.join(', ')}` : 'No MONITOR list: every running container',
    ...(labelsOnly ? ['LABELS_ONLY=true: only containers labelled com.ouroboros.enable=true'] : []),
    ...(ignore.size > 0 ? [`IGNORE excludes: ${[...ignore].join(', ')}`] : []),
    ...(dryRun ? ['DRY_RUN=true: it notifies but never updates'] : []),
  ];
  const watched = containers.filter((container) => {
    if (!container.running) return false;
    if (monitor.length > 0 && !monitor.includes(container.name)) return false;
    if (ignore.has(container.name)) return false;
    const label = container.labels?.['com.ouroboros.enable'];
    return labelsOnly ? isTrue(label) : !isFalse(label);
  });
  const updates = dryRun ? [] : watched.map((c) => c.name);
  return { kind: 'ouroboros', watches: watched.map((c) => c.name), updates, notifyOnly: updates.length === 0, reasons };
}
