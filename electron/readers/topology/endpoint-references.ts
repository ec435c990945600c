/**
 * Finds where services on a host send requests: URLs in container environments, env files,
 * systemd units, compose files, shell rc files and AI apps' configs. Every URL is cleaned by
 * endpoint-url before it is kept, so no user, password, query or token-like path leaves here.
 */
import { parse } from 'yaml';
import type { EndpointReference } from '../../../shared/model/index.js';
import type { EnvironmentArtifact, TextArtifact } from '../artifacts.js';
import { composeServiceEnvironment, parseDotenv, parseShellAssignments, parseSystemdEnvironment, type EnvAssignment } from '../env-assignments.js';
import { endpointsInText, hostPortEndpoint, type CleanEndpoint } from './endpoint-url.js';

/** Most references kept from one file or environment. */
export const MAX_REFERENCES_PER_SOURCE = 500;

/** What a file's references need from the rest of the host. */
export interface ReferenceContext {
  /** The unit that names this file in `EnvironmentFile=`, when one does. */
  unitOfEnvFile?: (path: string, container: string | null) => string | undefined;
  /** The container whose compose service loads this file as its `env_file`, when one does. */
  containerOfEnvFile?: (path: string) => string | null;
  /** The container created from a compose file's service, when one runs. */
  containerOfService?: (composePath: string, service: string) => string | null;
}

/** The references in a running container's environment. */
export function referencesInEnvironment(environment: EnvironmentArtifact): EndpointReference[] {
  return fromAssignments(environment.variables, { container: environment.container, source: 'container-env' });
}

/** The references in one file; kinds that hold no consumer settings (gateway configs, keys, sockets) give none. */
export function referencesInFile(file: TextArtifact, context: ReferenceContext = {}): EndpointReference[] {
  const base = { container: file.container, path: file.path };
  switch (file.kind) {
    case 'dotenv': {
      // A compose `env_file` becomes its container's environment; other dotenv files stay the host's.
      const container = (file.container === null ? context.containerOfEnvFile?.(file.path) : null) ?? file.container;
      return fromAssignments(pairs(parseDotenv(file.text)), { ...base, container, source: 'env-file' });
    }
    case 'systemd-env-file': {
      const unit = context.unitOfEnvFile?.(file.path, file.container);
      return fromAssignments(pairs(parseDotenv(file.text)), { ...base, source: 'env-file', ...(unit ? { unit } : {}) });
    }
    case 'shell-rc':
      return fromAssignments(pairs(parseShellAssignments(file.text)), { ...base, source: 'shell-rc' });
    case 'systemd-unit':
      return fromAssignments(pairs(parseSystemdEnvironment(file.text)), { ...base, source: 'systemd', unit: baseName(file.path) });
    case 'compose':
      return fromCompose(file, context);
    case 'app-config':
      return fromAppConfig(file);
    default:
      return [];
  }
}

type ReferenceBase = Pick<EndpointReference, 'container' | 'source' | 'path' | 'unit'>;

/** Assignments as `[name, value]`, the form container environments come in. */
function pairs(assignments: readonly EnvAssignment[]): [string, string][] {
  return assignments.map(({ variable, value }) => [variable, value]);
}

function fromAssignments(assignments: readonly (readonly [string, string])[], base: ReferenceBase): EndpointReference[] {
  const references: EndpointReference[] = [];
  for (const [variable, value] of assignments) {
    if (references.length >= MAX_REFERENCES_PER_SOURCE) break;
    for (const endpoint of endpointsOfValue(variable, value)) references.push(reference(base, variable, endpoint));
  }
  return references;
}

function endpointsOfValue(variable: string, value: string): CleanEndpoint[] {
  const urls = endpointsInText(value);
  if (urls.length > 0) return urls;
  const bare = hostPortEndpoint(variable, value);
  return bare ? [bare] : [];
}

function reference(base: ReferenceBase, variable: string, endpoint: CleanEndpoint): EndpointReference {
  const { path, unit, ...rest } = base;
  return {
    ...rest,
    ...(unit ? { unit } : {}),
    ...(path ? { path } : {}),
    variable,
    url: endpoint.url,
    targetHost: endpoint.host,
    targetPort: endpoint.port,
  };
}

/** Each service's `environment:` (a list of `NAME=value` or a map), attributed to its running container when known. */
function fromCompose(file: TextArtifact, context: ReferenceContext): EndpointReference[] {
  const document = parseYaml(file.text);
  const services = isRecord(document) && isRecord(document['services']) ? document['services'] : {};
  const references: EndpointReference[] = [];
  for (const [service, definition] of Object.entries(services)) {
    if (!isRecord(definition)) continue;
    const container = context.containerOfService?.(file.path, service) ?? file.container;
    const base: ReferenceBase = { container, source: 'compose', path: file.path };
    references.push(...fromAssignments(pairs(composeServiceEnvironment(definition['environment'])), base));
  }
  return references.slice(0, MAX_REFERENCES_PER_SOURCE);
}

/**
 * URL-valued settings of an AI app's config (Continue `apiBase`, aider `openai-api-base`…), with
 * the setting's path as the variable. YAML parses JSON too; anything else (TOML, INI) is read
 * line by line as `key = value` / `key: value`.
 */
function fromAppConfig(file: TextArtifact): EndpointReference[] {
  const base: ReferenceBase = { container: file.container, source: 'app-config', path: file.path };
  const document = parseYaml(file.text);
  if (isRecord(document) || Array.isArray(document)) {
    const assignments: [string, string][] = [];
    walkStrings(document, '', assignments, 0);
    return fromAssignments(assignments, base);
  }
  const assignments: [string, string][] = [];
  for (const line of file.text.split('\n')) {
    const match = /^\s*["']?([A-Za-z0-9_.-]+)["']?\s*[:=]\s*(.+)$/.exec(line);
    if (match) assignments.push([match[1] ?? '', (match[2] ?? '').replace(/^["']|["'],?\s*$/g, '')]);
  }
  return fromAssignments(assignments, base);
}

/** Every string leaf of a parsed config, with a dotted path (`models[0].apiBase`). Bounded in depth and count. */
function walkStrings(node: unknown, path: string, out: [string, string][], depth: number): void {
  if (depth > 12 || out.length >= MAX_REFERENCES_PER_SOURCE * 4) return;
  if (typeof node === 'string') {
    out.push([path || '(root)', node]);
  } else if (Array.isArray(node)) {
    node.forEach((item, index) => walkStrings(item, `${path}[${index}]`, out, depth + 1));
  } else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) walkStrings(value, path ? `${path}.${key}` : key, out, depth + 1);
  }
}

function parseYaml(text: string): unknown {
  try {
    return parse(text, { maxAliasCount: 100, uniqueKeys: false, merge: true });
  } catch {
    return undefined;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

