/**
 * RECORD verification (and the per-file hashes the comparisons by content need) for every
 * container the host-side read reached, in one script on the host: running ones through their
 * `/proc/PID/root`, stopped ones through their overlay layers, system containers (Proxmox CTs,
 * LXC, Incus) through their root folder, never started, never entered. A
 * stopped container's files are spread over its layers (a package reinstalled at start-up sits in
 * its upper layer over the image's copy), so each layer is hashed on its own against the topmost
 * RECORD and the readings are merged here: a file is the topmost layer's that holds it, and one a
 * higher layer deletes (a whiteout) is gone.
 */
import type { PythonEnvironment } from '../../shared/model/index.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { isHidden, isSafeLayerPath, type LayerMask } from './container-layers.js';
import type { InspectedContainer } from './docker-parser.js';
import { decodeOutput, newBoundary, SHELL_EMIT } from './framing.js';
import { MAX_HOST_READ_BYTES } from './host-side-read.js';
import { blindSpot, stderrSuffix, type CollectorIssue } from './notes.js';
import { applyRecordReadings, RECORD_SCAN_LIMITS, recordScanCalls, recordScanPrelude, recordTargets, type RecordSelector, type RecordTarget } from './record-collector.js';
import { parseRecordScansByPlace, type RecordReading, type RecordScan } from './record-parser.js';

/** The batched script's time, whatever the number of containers. */
const MAX_BATCH_MS = 30 * 60_000;

/** One container read from the host, with the environments that read found in it. */
export interface ContainerRecordPlace {
  container: InspectedContainer;
  via: 'proc-root' | 'layers' | 'guest-root';
  /** `/proc/PID/root`, a system container's root folder, or its layers top first (checked by hostReadTargets or guestReadTarget before they got here). */
  roots: readonly string[];
  /** For layers: what each layer deletes of those below it, in the roots' order. */
  masks: readonly LayerMask[];
  environments: readonly PythonEnvironment[];
}

/**
 * The one script: as root, or through `sudo -n` (the host-side read needed one of them), a
 * `place` record per container and layer, then the verification of its targets under that root.
 * A `/proc/PID/root` that has become the host's own root (the pid was reused) is skipped, and so is
 * a guest's root folder that is the host's own (a symlink or a bind to /). A guest's folder and a
 * layer are plain folders the container's content writes, not a process root the kernel confines,
 * so they are read with `GUARD` set (guarded): nothing is read through a symlink or a `..` that
 * leads out of them. For
 * layers, `toprecord` finds a distribution's RECORD in the topmost layer holding it, stopping at
 * a layer that deletes it.
 */
export function containerRecordsScript(
  boundary: string,
  places: readonly { via: ContainerRecordPlace['via']; roots: readonly string[]; targets: readonly RecordTarget[] }[],
): string {
  const delimiter = `BLAST_RADIUS_${boundary}_EOF`;
  const sections: string[] = [];
  for (const [index, place] of places.entries()) {
    if (place.targets.length === 0) continue;
    if (place.via === 'proc-root') {
      const root = place.roots[0]!;
      if (!/^\/proc\/[0-9]+\/root$/.test(root)) throw new Error('unsafe root for a host-side read');
      sections.push(`emit place c${index}.l0
LAYERED=
if [ -d ${shellQuote(`${root}/`)} ] && ! [ ${shellQuote(`${root}/`)} -ef / ]; then
${recordScanCalls(root, place.targets)}
fi`);
      continue;
    }
    if (place.via === 'guest-root') {
      const root = place.roots[0]!;
      if (!isSafeLayerPath(root)) throw new Error('unsafe root for a host-side read');
      const quoted = shellQuote(`${root}/`);
      sections.push(`emit place c${index}.l0
LAYERED=
if [ -d ${quoted} ] && ! [ ${quoted} -ef / ]; then
${guarded(root, recordScanCalls(root, place.targets))}
fi`);
      continue;
    }
    const layers = place.roots.map((root) => shellQuote(root)).join(' ');
    sections.push(`LAYERED=1
toprecord() {
  for L in ${layers}; do
    if [ -c "$L$1" ] || [ -c "$L$1/RECORD" ]; then return 0; fi
    if [ -f "$L$1/RECORD" ] && [ ! -L "$L$1/RECORD" ]; then printf '%s' "$L$1/RECORD"; return 0; fi
  done
}
${place.roots.map((root, layer) => `emit place c${index}.l${layer}\n${guarded(root, recordScanCalls(root, place.targets))}`).join('\n')}`);
  }
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
if [ "$(id -u 2>/dev/null)" = 0 ]; then RUN=; else RUN='sudo -n'; fi
$RUN sh -s <<'${delimiter}'
${recordScanPrelude(boundary)}
${sections.join('\n')}
emit end ""
${delimiter}
emit rc "$?"
`;
}

/**
 * `calls` run with GUARD set against `root`'s physical path, so nothing is read through a symlink
 * or a `..` that leads out of it: for a folder the container's content writes (a guest's root, an
 * image or container layer), not a process root the kernel confines. A root that is no folder, or
 * resolves to the host's own `/`, reads nothing.
 */
function guarded(root: string, calls: string): string {
  return `if RR=$(cd ${shellQuote(`${root}/`)} 2>/dev/null && pwd -P) && [ -n "$RR" ] && [ "$RR" != / ]; then
GUARD=1
${calls}
GUARD=
fi`;
}

/**
 * One distribution's readings from each layer (top first; undefined where the layer gave none)
 * merged into what the container holds: each path from the topmost layer that holds it, unless a
 * layer above deletes it (`masks`, paths inside the container; `site` is the site folder there).
 * A RECORD path no layer holds is missing. Pure.
 */
export function mergeLayerReadings(perLayer: readonly (RecordReading | undefined)[], masks: readonly LayerMask[], site: string): RecordReading {
  const first = perLayer.find((reading) => reading !== undefined);
  const merged: RecordReading & { hashes: Map<string, string>; missing: Set<string>; firstLines: Map<string, string>; present: string[] } = {
    distInfo: first?.distInfo ?? '',
    recordText: perLayer.find((reading) => reading?.recordText != null)?.recordText ?? null,
    hashes: new Map(),
    missing: new Set(),
    firstLines: new Map(),
    present: [],
    incomplete: perLayer.some((reading) => reading?.incomplete === true),
    hashCapped: perLayer.some((reading) => reading?.hashCapped === true),
  };
  const presentIn = perLayer.map((reading) => new Set(reading?.present ?? []));
  const paths = new Set<string>();
  for (const reading of perLayer) {
    if (!reading) continue;
    for (const path of [...reading.hashes.keys(), ...reading.missing, ...reading.present]) paths.add(path);
  }
  for (const path of [...paths].sort()) {
    let found = false;
    for (const [layer, reading] of perLayer.entries()) {
      // Deleted by a layer above: gone, whatever the layers below hold.
      if (isHidden(`${site}/${path}`, masks.slice(0, layer))) break;
      if (!reading || reading.siteAbsent) continue;
      const hash = reading.hashes.get(path);
      const present = presentIn[layer]!.has(path);
      if (hash === undefined && !present) continue;
      found = true;
      if (hash !== undefined) merged.hashes.set(path, hash);
      if (present) merged.present.push(path);
      const firstLine = reading.firstLines.get(path);
      if (firstLine !== undefined) merged.firstLines.set(path, firstLine);
      break;
    }
    if (!found && perLayer.some((reading) => reading?.missing.has(path))) merged.missing.add(path);
  }
  return merged;
}

/**
 * Verifies the selected distributions of every container in `places` in one round trip (none when
 * nothing is selected), storing the outcome on each package's `record` and `files`. Returns each
 * place's notes (in the places' order) for distributions that could not be verified. Throws only
 * for cancellation or a failed channel.
 */
export async function verifyContainerRecordsOnHost(
  runner: CommandRunner,
  places: readonly ContainerRecordPlace[],
  select: RecordSelector,
  signal?: AbortSignal,
): Promise<CollectorIssue[][]> {
  const planned = places.map((place) => ({ ...place, targets: recordTargets(place.environments, select) }));
  const roots = planned.filter((place) => place.targets.length > 0).reduce((sum, place) => sum + place.roots.length, 0);
  const issues: CollectorIssue[][] = places.map(() => []);
  if (roots === 0) return issues;
  const boundary = newBoundary();
  const result = await runner.runScript(containerRecordsScript(boundary, planned), {
    timeoutMs: Math.min(MAX_BATCH_MS, RECORD_SCAN_LIMITS.timeoutMs * roots),
    maxOutputBytes: Math.min(MAX_HOST_READ_BYTES, RECORD_SCAN_LIMITS.maxOutputBytes * roots),
    signal,
  });
  const parsed = parseRecordScansByPlace(decodeOutput(result.stdout), boundary);
  for (const [index, place] of planned.entries()) {
    if (place.targets.length === 0) continue;
    const where = `container ${place.container.name || place.container.id.slice(0, 12)}`;
    if (parsed.cannotHash) {
      issues[index]!.push(blindSpot('python', `${where}: RECORDs of ${place.targets.length} distributions not verified: no sha256sum, openssl or awk on the host`));
      continue;
    }
    const scans = place.roots.map((_, layer) => parsed.places.get(`c${index}.l${layer}`));
    const ran = scans.every((scan): scan is RecordScan => scan !== undefined && scan.completed);
    const readings = ran ? readingsOf(place, scans) : [];
    const unread = applyRecordReadings(place.environments, place.targets, readings);
    if (unread > 0 && ran && place.via !== 'layers' && readings.length === 0) {
      // The script skipped the root: the container stopped since it was read, or its pid now names a host
      // process, or the guest's folder is gone or now leads to the host's own root.
      issues[index]!.push(blindSpot('python', `${where}: ${place.roots[0]} could no longer be read from the host; ${unread} distributions not verified`));
    } else if (unread > 0) {
      const why = result.truncated ? 'its output passed the size limit' : `exit ${result.exitCode ?? 'signal'}${stderrSuffix(result.stderr)}`;
      issues[index]!.push(blindSpot('python', `${where}: RECORD verification from the host ended early (${why}); ${unread} distributions not verified`));
    }
  }
  return issues;
}

/** The container's readings: its one root's (a process root, a guest's folder), or each distribution's layers merged. */
function readingsOf(place: ContainerRecordPlace & { targets: RecordTarget[] }, scans: readonly RecordScan[]): RecordReading[] {
  if (place.via !== 'layers') return scans[0]!.readings;
  return place.targets.map((target) => ({
    ...mergeLayerReadings(
      scans.map((scan) => scan.readings.find((reading) => reading.distInfo === target.distInfo)),
      place.masks,
      target.site,
    ),
    distInfo: target.distInfo,
  }));
}
