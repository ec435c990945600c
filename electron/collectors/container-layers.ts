/**
 * A container's overlay layers as the engine reports them (`GraphDriver` in `docker inspect`), and
 * what one layer hides of the layers below it. A stopped container's overlay is not mounted, but
 * its layers are plain folders on the host: read top first (UpperDir, then LowerDir left to
 * right), they give its files without starting it. Pure: the paths come from the engine's JSON,
 * hostile input, and are checked here before any script may quote them.
 */

/** Graph drivers whose Data names overlay folders (Docker's overlay2, Podman's and containerd's overlay). */
export const OVERLAY_DRIVERS: readonly string[] = ['overlay2', 'overlay'];

/** More layers than this (Docker caps images at 128) and the container is not read from the host. */
export const MAX_LAYERS = 128;

/** Longest layer path accepted (Linux's PATH_MAX). */
const MAX_LAYER_PATH = 4096;

/** A stopped container's layers, top first: its own changes (UpperDir), then its image's layers (LowerDir). */
export interface ContainerLayers {
  driver: string;
  /** Folders to read, top first; every one absolute, normalised and free of `..`. */
  dirs: string[];
}

/** Why a container's layers cannot be read from the host (a note says it; exec stays the way in). */
export type LayersRefusal = { refused: string };

/**
 * The layers `GraphDriver` names, or why they cannot be used: an unknown driver, a missing
 * UpperDir, a path that is relative, climbs with `..`, holds control characters or is too long,
 * or more than MAX_LAYERS layers.
 */
export function readLayers(graphDriver: unknown): ContainerLayers | LayersRefusal {
  if (!isObject(graphDriver)) return { refused: 'the engine reports no graph driver' };
  const driver = typeof graphDriver['Name'] === 'string' ? graphDriver['Name'] : '';
  if (!OVERLAY_DRIVERS.includes(driver)) return { refused: `graph driver ${safeName(driver)} is not one whose layers can be read` };
  const data = isObject(graphDriver['Data']) ? graphDriver['Data'] : {};
  const upper = data['UpperDir'];
  const lower = data['LowerDir'];
  if (typeof upper !== 'string' || upper === '') return { refused: 'the engine reports no UpperDir' };
  // LowerDir is colon-separated (overlay's own syntax), so no layer path can hold a colon.
  const candidates = [upper, ...(typeof lower === 'string' && lower !== '' ? lower.split(':') : [])];
  if (candidates.length > MAX_LAYERS) return { refused: `the engine reports ${candidates.length} layers (more than ${MAX_LAYERS})` };
  for (const dir of candidates) if (!isSafeLayerPath(dir)) return { refused: 'the engine reports a layer path that is not a plain absolute path' };
  return { driver, dirs: candidates };
}

/** True for an absolute path fit to be quoted into a script: no `.`/`..` components, empty ones, control characters or colons, bounded. */
export function isSafeLayerPath(value: string): boolean {
  if (!value.startsWith('/') || value.length > MAX_LAYER_PATH || value.includes(':')) return false;
  // eslint-disable-next-line no-control-regex
  if (/[\u0000-\u001f\u007f]/.test(value)) return false;
  const parts = value.split('/').slice(1);
  if (value !== '/' && parts.some((part) => part === '' || part === '.' || part === '..')) return false;
  return value !== '/';
}

/**
 * What one layer hides of the layers below it: overlay's whiteouts, character devices (0/0) named
 * as the deleted file or folder, each hiding that path and everything under it. Overlay's opaque
 * folders are an extended attribute a portable script cannot read, so a folder a layer replaced
 * whole still shows the lower layers' contents (more found, never less); AUFS-style `.wh.` files
 * are not whiteouts on overlay and are not honoured (a file in the image could otherwise hide
 * others from the scan).
 */
export interface LayerMask {
  /** Paths inside the container hidden with everything under them. */
  hidden: Set<string>;
}

/** The mask of one layer from its whiteouts (paths inside the container). */
export function layerMask(whiteouts: readonly string[]): LayerMask {
  return { hidden: new Set(whiteouts.filter((path) => path.startsWith('/') && path !== '/')) };
}

/** True when `path` (inside the container) is hidden by any of `masks` (those of the layers above the one it was read in). */
export function isHidden(path: string, masks: readonly LayerMask[]): boolean {
  for (const mask of masks) {
    if (mask.hidden.size === 0) continue;
    for (let at = path; at.length > 1; at = at.slice(0, Math.max(1, at.lastIndexOf('/')))) {
      if (mask.hidden.has(at)) return true;
      if (at.lastIndexOf('/') === 0) break;
    }
  }
  return false;
}

/**
 * Merges what each layer gave (top first) into one list: an item whose key a higher layer already
 * gave is that layer's (the file was replaced), and an item a higher layer's whiteouts hide is
 * dropped (the file was deleted).
 */
export function mergeByPath<T>(perLayer: readonly (readonly T[])[], masks: readonly LayerMask[], key: (item: T) => string, path: (item: T) => string | undefined): T[] {
  const seen = new Set<string>();
  const merged: T[] = [];
  for (const [index, items] of perLayer.entries()) {
    const above = masks.slice(0, index);
    for (const item of items) {
      const itemKey = key(item);
      if (seen.has(itemKey)) continue;
      const itemPath = path(item);
      if (itemPath !== undefined && isHidden(itemPath, above)) continue;
      seen.add(itemKey);
      merged.push(item);
    }
  }
  return merged;
}

function safeName(value: string): string {
  return /^[A-Za-z0-9_.-]{1,32}$/.test(value) ? value : value === '' ? '(none)' : '(unrecognised)';
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
