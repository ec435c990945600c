/**
 * Finds the LiteLLM database of a gateway container: its `DATABASE_URL` (from inspect's Config.Env,
 * values kept in the main process) names a host, port, database and user; the host is matched to a
 * running PostgreSQL container on a network the gateway shares, by container name or alias. Pure:
 * the password is parsed here but only ever leaves through the psql script's standard input.
 */
import { imageRepository } from '../../shared/domain/containers/image-reference.js';
import type { InspectedContainer } from './docker-parser.js';
import { environmentOf } from './docker-parser.js';

/** Where a gateway's `DATABASE_URL` points; `password` never goes into a report, note or argv. */
export interface DatabaseTarget {
  host: string;
  port: number;
  database: string;
  user: string | null;
  password: string | null;
  /** Prisma's `?schema=` (LiteLLM's tables live there instead of `public`), when set. */
  schema: string | null;
}

/** A gateway container and the database container that holds its virtual keys. */
export interface GatewayDatabase {
  gateway: InspectedContainer;
  database: InspectedContainer;
  target: DatabaseTarget;
  /** The URL without user, password or query, for the report: `postgresql://db:5432/litellm`. */
  label: string;
}

/** A PostgreSQL role, database or schema name safe to pass as one argv word or an identifier. */
const SAFE_NAME = /^[A-Za-z_][A-Za-z0-9_$.-]{0,62}$/;

/** Parses a `postgres://` / `postgresql://` URL; null for any other scheme, a missing host or database, or unsafe names. */
export function parseDatabaseUrl(value: string): DatabaseTarget | null {
  let url: URL;
  try {
    url = new URL(value.trim());
  } catch {
    return null;
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') return null;
  const host = decode(url.hostname).replace(/^\[|\]$/g, '');
  const database = decode(url.pathname.replace(/^\//, ''));
  const user = url.username ? decode(url.username) : null;
  const schema = url.searchParams.get('schema');
  const port = url.port ? Number(url.port) : 5432;
  if (!host || !/^[A-Za-z0-9.-]+$/.test(host) || !SAFE_NAME.test(database) || !Number.isInteger(port) || port < 1 || port > 65535) return null;
  if ((user !== null && !SAFE_NAME.test(user)) || (schema !== null && !/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(schema))) return null;
  return { host, port, database, user, password: url.password ? decode(url.password) : null, schema };
}

/** True for the images PostgreSQL runs from: postgres (any registry or owner, bitnami/postgresql too), pgvector, timescale, postgis. */
export function isPostgresImage(reference: string): boolean {
  const repository = imageRepository(reference);
  const last = repository.slice(repository.lastIndexOf('/') + 1);
  const owner = repository.includes('/') ? repository.slice(0, repository.indexOf('/')) : '';
  return last.startsWith('postgres') || (['pgvector', 'timescale', 'postgis', 'supabase'].includes(owner) && /postgres|pg|timescale|postgis/.test(last));
}

/**
 * The gateway containers whose `DATABASE_URL` names a running PostgreSQL container reachable on a
 * shared network (its name or an alias there), each with that container. A URL naming no such
 * container (a managed database, another host) is left out: it cannot be read through `docker exec`.
 */
export function gatewayDatabases(gateways: readonly InspectedContainer[], containers: readonly InspectedContainer[]): GatewayDatabase[] {
  const found: GatewayDatabase[] = [];
  for (const gateway of gateways) {
    if (!gateway.running) continue;
    const url = environmentOf(gateway).find(([name]) => name === 'DATABASE_URL')?.[1];
    const target = url ? parseDatabaseUrl(url) : null;
    if (!target) continue;
    const database = containers.find((candidate) => candidate.id !== gateway.id && candidate.running && isPostgresImage(candidate.image) && reachableAs(gateway, candidate, target.host));
    if (database) found.push({ gateway, database, target, label: `postgresql://${target.host}:${target.port}/${target.database}` });
  }
  return found;
}

/** Whether `host` names `database` on a network both containers are attached to. */
function reachableAs(gateway: InspectedContainer, database: InspectedContainer, host: string): boolean {
  const wanted = host.toLowerCase();
  // Docker's default `bridge` network has no name resolution between containers.
  const shared = (database.networks ?? []).filter((network) => network.name !== 'bridge' && (gateway.networks ?? []).some((own) => own.name === network.name));
  return shared.some((network) => [database.name, ...network.aliases].some((name) => name.toLowerCase() === wanted));
}

function decode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}
