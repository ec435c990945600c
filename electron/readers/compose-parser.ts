/**
 * Reads how a compose file declares one service: its `image:` as written (tag or digest) and its
 * `env_file` paths. The compose labels Docker Compose puts on every container it creates
 * (`com.docker.compose.project`, `.project.config_files`, `.project.working_dir`, `.service`) say
 * which files and which service. Pure: the YAML is data, parsed with alias expansion capped.
 */
import { parse } from 'yaml';
import { isPinnedReference } from '../../shared/domain/containers/image-reference.js';
import type { ComposeService } from '../../shared/model/index.js';
import { describeParseError, redactText } from './secrets/redact-text.js';

/** The compose facts a container's labels carry, or null when it was not made by Compose. */
export interface ComposeLabels {
  project: string;
  service: string | null;
  workingDir: string | null;
  configFiles: string[];
}

/** Most bytes of one compose file read from the host. */
export const MAX_COMPOSE_BYTES = 256 * 1024;

/** The compose labels of a container; config files are kept only when they are sane absolute paths. */
export function composeLabels(labels: Readonly<Record<string, string>>): ComposeLabels | null {
  const project = labels['com.docker.compose.project'];
  if (!project) return null;
  const configFiles = (labels['com.docker.compose.project.config_files'] ?? '')
    .split(',')
    .map((file) => file.trim())
    .filter(isSafePath);
  return {
    project,
    service: labels['com.docker.compose.service'] || null,
    workingDir: labels['com.docker.compose.project.working_dir'] || null,
    configFiles,
  };
}

/** True for a path fit to be read by a script: absolute, bounded, no control characters. */
export function isSafePath(path: string): boolean {
  // eslint-disable-next-line no-control-regex
  return path.startsWith('/') && path.length <= 4096 && !/[\u0000-\u001f\u007f]/.test(path);
}

/**
 * The service as the compose files declare it: later files override earlier ones, as
 * `docker compose -f a -f b` merges them. `files` maps a path to its text, or to null when it
 * could not be read.
 */
export function composeService(labels: ComposeLabels, files: ReadonlyMap<string, string | null>): ComposeService {
  const result: ComposeService = {
    project: labels.project,
    service: labels.service,
    workingDir: labels.workingDir,
    configFiles: labels.configFiles,
    image: null,
    imagePinnedByDigest: null,
    envFiles: [],
  };
  const problems: string[] = [];
  let read = 0;
  for (const path of labels.configFiles) {
    const text = files.get(path);
    if (text === undefined || text === null) {
      problems.push(`${path} could not be read`);
      continue;
    }
    read++;
    let document: unknown;
    try {
      document = parse(text, { maxAliasCount: 100, uniqueKeys: false, merge: true });
    } catch (error) {
      // The yaml library quotes the offending source lines: keep only its summary, never the file's text.
      problems.push(`${path} is not valid YAML (${describeParseError(error)})`);
      continue;
    }
    const service = labels.service ? serviceIn(document, labels.service) : null;
    if (!service) continue;
    if (typeof service['image'] === 'string') result.image = service['image'];
    const envFiles = envFilesOf(service['env_file']);
    if (envFiles) result.envFiles = envFiles;
  }
  if (read > 0) result.imagePinnedByDigest = result.image === null ? null : isPinnedReference(result.image);
  if (labels.configFiles.length === 0) problems.push('no readable config_files label');
  else if (read > 0 && result.image === null) problems.push(`service ${labels.service ?? '?'} has no image: in its compose files (built locally?)`);
  // Paths and service names come from the host's labels: shown, so redacted and bounded like any remote text.
  if (problems.length > 0) result.problem = redactText(problems.join('; '));
  return result;
}

function serviceIn(document: unknown, name: string): Record<string, unknown> | null {
  if (!isObject(document)) return null;
  const services = document['services'];
  if (!isObject(services)) return null;
  const service = services[name];
  return isObject(service) ? service : null;
}

/** `env_file` is a string, a list of strings, or a list of `{ path, required }` (Compose spec). */
function envFilesOf(value: unknown): string[] | null {
  if (value === undefined) return null;
  const entries = Array.isArray(value) ? value : [value];
  return entries
    .map((entry) => (typeof entry === 'string' ? entry : isObject(entry) && typeof entry['path'] === 'string' ? entry['path'] : null))
    .filter((entry): entry is string => entry !== null);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
