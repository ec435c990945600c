/**
 * System containers on a host, found by their configs alone: Proxmox VE CTs (`/etc/pve/lxc/*.conf`,
 * `/etc/pve/nodes/<node>/lxc/*.conf`, their storages in `/etc/pve/storage.cfg`), plain LXC
 * (`/var/lib/lxc/<name>/config`) and Incus/LXD (`containers/<name>/rootfs`). Nothing is entered
 * (no `pct exec`, `lxc-attach` or `incus exec`: each starts a process in a suspect guest) and
 * nothing is mounted: each guest's root folder becomes one more target of the host-side read,
 * which reads it as files. A second short script reads the guest's own systemd units for a
 * gateway's `--config` (a pip-installed LiteLLM under systemd, as the Proxmox community script made).
 */
import type { Guest } from '../../shared/model/index.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { lxcRoot, parseLxcConfig, parsePveCtConfig, parseStorageCfg, pveCtRoot, type GuestRoot } from './lxc-parser.js';

/** Most guests read per host. */
export const MAX_GUESTS = 200;
/** Bytes read of any one config or unit file. */
const MAX_CONFIG_BYTES = 64 * 1024;
const LIMITS = { timeoutMs: 60_000, maxOutputBytes: 32 * 1024 * 1024 } as const;

/** Where Incus and LXD keep their containers' folders (each `containers/<name>/rootfs`). */
const INCUS_ROOTS = [
  { platform: 'incus', dir: '/var/lib/incus/containers' },
  { platform: 'lxd', dir: '/var/lib/lxd/containers' },
  { platform: 'lxd', dir: '/var/snap/lxd/common/lxd/containers' },
] as const;

/** A guest found on the host: its config's facts, whether it runs, and where its files are (or why not). */
export interface FoundGuest {
  guest: Guest;
  running: boolean;
  root: GuestRoot;
}

/** The privilege prelude every guest script shares: root, else `sudo -n`, else as the login (what it can read). */
function privileged(boundary: string, inner: string): string {
  const delimiter = `BLAST_RADIUS_${boundary}_EOF`;
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
if [ "$(id -u 2>/dev/null)" = 0 ]; then RUN=; emit access root
elif command -v sudo >/dev/null 2>&1 && sudo -n true >/dev/null 2>&1; then RUN='sudo -n'; emit access sudo
else RUN=; emit access login
fi
$RUN sh -s <<'${delimiter}'
B=${shellQuote(boundary)}
${SHELL_EMIT}
${inner}
emit done ok
${delimiter}
`;
}

/** The discovery script: every config named above, with each name NUL-terminated before its text. */
export function guestDiscoveryScript(boundary: string): string {
  const incus = INCUS_ROOTS.map(
    ({ platform, dir }) => `for d in ${shellQuote(dir)}/*; do
  [ -d "$d/rootfs" ] || continue
  emit_open ${platform}; printf '%s' "\${d##*/}"
done`,
  ).join('\n');
  return privileged(
    boundary,
    `[ -r /etc/pve/storage.cfg ] && { emit_open storage; head -c ${MAX_CONFIG_BYTES * 4} /etc/pve/storage.cfg; }
for f in /etc/pve/lxc/*.conf /etc/pve/nodes/*/lxc/*.conf; do
  [ -f "$f" ] || continue
  emit_open pve; printf '%s\\0' "$f"; head -c ${MAX_CONFIG_BYTES} "$f"
done
for d in /var/lib/lxc/*; do
  [ -d "$d" ] || continue
  n=\${d##*/}
  [ -f "$d/config" ] && { emit_open lxc; printf '%s\\0' "$n"; head -c ${MAX_CONFIG_BYTES} "$d/config"; }
  [ -n "$(ls -A "$d/rootfs" 2>/dev/null | head -n 1)" ] && { emit_open mounted; printf '%s' "$n"; }
  { [ -d "/sys/fs/cgroup/lxc.payload.$n" ] || [ -d "/sys/fs/cgroup/lxc/$n" ]; } && { emit_open running; printf '%s' "$n"; }
done
${incus}`,
  );
}

/** Reads the discovery script's output into guests, at most MAX_GUESTS; pure, for fixtures. */
export function parseGuestDiscovery(output: string, boundary: string): { guests: FoundGuest[]; access: string | null; completed: boolean } {
  const records = splitRecords(output, boundary);
  const bodies = (tag: string) => records.filter((record) => record.tag === tag).map((record) => record.body);
  const storages = parseStorageCfg(bodies('storage')[0] ?? '');
  const mounted = new Set(bodies('mounted'));
  const running = new Set(bodies('running'));
  const guests: FoundGuest[] = [];
  const pveIds = new Set<string>();
  for (const body of bodies('pve')) {
    const nul = body.indexOf('\0');
    if (nul === -1) continue;
    const path = body.slice(0, nul);
    const where = /^\/etc\/pve\/(?:lxc|nodes\/([A-Za-z0-9][A-Za-z0-9.-]{0,62})\/lxc)\/([0-9]{1,9})\.conf$/.exec(path);
    if (!where || pveIds.has(where[2]!)) continue;
    const vmid = where[2]!;
    pveIds.add(vmid);
    const config = parsePveCtConfig(body.slice(nul + 1));
    const isRunning = mounted.has(vmid) || running.has(vmid);
    guests.push({
      guest: {
        platform: 'proxmox',
        id: vmid,
        hostname: config.hostname,
        ...(where[1] ? { node: where[1] } : {}),
        rootfs: config.rootfs,
        rootPath: null,
        ...(config.unprivileged === undefined ? {} : { unprivileged: config.unprivileged }),
        mountPoints: config.mountPoints,
        lxcKeys: config.lxcKeys,
      },
      running: isRunning,
      root: pveCtRoot(vmid, config, storages, mounted.has(vmid)),
    });
  }
  for (const body of bodies('lxc')) {
    const nul = body.indexOf('\0');
    const name = body.slice(0, nul);
    // Proxmox writes /var/lib/lxc/<vmid>/config for each CT it starts: the CT is already listed.
    if (nul === -1 || !isGuestName(name) || pveIds.has(name)) continue;
    const config = parseLxcConfig(body.slice(nul + 1));
    guests.push({
      guest: { platform: 'lxc', id: name, hostname: config.utsName, rootfs: config.rootfsPath, rootPath: null },
      running: running.has(name),
      root: lxcRoot(name, config),
    });
  }
  for (const { platform, dir } of INCUS_ROOTS) {
    for (const name of bodies(platform)) {
      if (!isGuestName(name) || guests.some((found) => found.guest.platform === platform && found.guest.id === name)) continue;
      guests.push({ guest: { platform, id: name, hostname: null, rootfs: null, rootPath: null }, running: false, root: { path: `${dir}/${name}/rootfs` } });
    }
  }
  for (const found of guests) if ('path' in found.root) found.guest.rootPath = found.root.path;
  return { guests: guests.slice(0, MAX_GUESTS), access: bodies('access')[0]?.trim() ?? null, completed: records.some((record) => record.tag === 'done') };
}

function isGuestName(name: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/.test(name);
}

/** How notes and findings name a guest: `CT 101 (litellm)` for Proxmox, `LXC web`, `Incus app`. */
export function guestLabel(guest: Guest): string {
  const platform = { proxmox: 'CT', lxc: 'LXC', incus: 'Incus', lxd: 'LXD' }[guest.platform];
  return guest.hostname && guest.hostname !== guest.id ? `${platform} ${guest.id} (${guest.hostname})` : `${platform} ${guest.id}`;
}

/** What the guest's own systemd units say a gateway runs with: the `--config` its ExecStart names and its working folder. */
export interface GuestUnitHints {
  configArg: string | null;
  workingDir: string | null;
  units: string[];
}

/** One script for every readable guest root: the ExecStart and WorkingDirectory lines of its admin's units (`/etc/systemd/system`). */
export function guestUnitScript(boundary: string, roots: readonly string[]): string {
  const sections = roots.map(
    (root, index) => `for f in ${shellQuote(root)}/etc/systemd/system/*.service; do
  # A symlink in a guest's folder resolves on the host, not in the guest: not followed.
  [ -f "$f" ] && ! [ -L "$f" ] || continue
  emit_open u${index}; printf '%s\\0' "\${f##*/}"; head -c ${MAX_CONFIG_BYTES} "$f" | grep -E '^[[:space:]]*(ExecStart|WorkingDirectory)='
done`,
  );
  return privileged(boundary, sections.join('\n'));
}

/** Reads the unit lines of guest `index`: a unit whose ExecStart runs a gateway (`litellm`) and names `--config`. */
export function parseGuestUnits(output: string, boundary: string, index: number): GuestUnitHints {
  const hints: GuestUnitHints = { configArg: null, workingDir: null, units: [] };
  for (const record of splitRecords(output, boundary)) {
    if (record.tag !== `u${index}`) continue;
    const nul = record.body.indexOf('\0');
    if (nul === -1) continue;
    const lines = record.body.slice(nul + 1).split('\n');
    const exec = lines.find((line) => /^\s*ExecStart=.*\blitellm\b/.test(line));
    if (!exec) continue;
    hints.units.push(record.body.slice(0, nul));
    const config = /--config[= ]\s*("([^"]+)"|'([^']+)'|(\S+))/.exec(exec);
    const workingDir = lines.map((line) => /^\s*WorkingDirectory=-?(\/\S*)\s*$/.exec(line)?.[1]).find((dir) => dir !== undefined) ?? null;
    if (config && hints.configArg === null) {
      hints.configArg = config[2] ?? config[3] ?? config[4] ?? null;
      hints.workingDir = workingDir;
    }
  }
  return hints;
}

/**
 * A guest as the host-side read and the report see a container: no image (image findings cannot
 * misfire on it), its label as its name, the gateway hints of its units as its working folder and
 * `--config`. The id is not an engine's: nothing ever passes it to a container engine.
 */
export function guestContainer(found: FoundGuest, hints: GuestUnitHints | null): InspectedContainer {
  return {
    id: `${found.guest.platform}:${found.guest.id}`,
    name: guestLabel(found.guest),
    image: '',
    imageDigest: null,
    running: found.running,
    guest: hints && hints.units.length > 0 ? { ...found.guest, gatewayUnits: hints.units } : found.guest,
    imageId: null,
    engineImageDigest: null,
    mergedDir: null,
    status: found.running ? 'running' : 'stopped',
    pid: null,
    created: null,
    labels: {},
    workingDir: hints?.workingDir ?? null,
    configArg: hints?.configArg ?? null,
  };
}

/** Lists the host's guests; the unit hints of those with a readable root. Throws only when the script cannot run. */
export async function collectGuests(runner: CommandRunner, signal?: AbortSignal): Promise<{ guests: FoundGuest[]; hints: Map<FoundGuest, GuestUnitHints>; access: string | null }> {
  const boundary = newBoundary();
  const result = await runner.runScript(guestDiscoveryScript(boundary), { ...LIMITS, signal });
  const { guests, access } = parseGuestDiscovery(decodeOutput(result.stdout), boundary);
  const hints = new Map<FoundGuest, GuestUnitHints>();
  const readable = guests.filter((found): found is FoundGuest & { root: { path: string } } => 'path' in found.root);
  if (readable.length === 0) return { guests, hints, access };
  const unitBoundary = newBoundary();
  const units = await runner.runScript(guestUnitScript(unitBoundary, readable.map((found) => found.root.path)), { ...LIMITS, signal });
  const text = decodeOutput(units.stdout);
  for (const [index, found] of readable.entries()) hints.set(found, parseGuestUnits(text, unitBoundary, index));
  return { guests, hints, access };
}
