import { describe, expect, it } from 'vitest';
import { parseContainerInspect, type InspectedContainer } from './docker-parser.js';
import { gatewayDatabases, isPostgresImage, parseDatabaseUrl } from './litellm-database.js';

/** Containers as `docker inspect` describes them (only the fields these functions read). */
function inspected(entries: { id: string; name: string; image: string; env?: string[]; networks: Record<string, string[]>; running?: boolean }[]): InspectedContainer[] {
  const json = entries.map((entry) => ({
    Id: entry.id.repeat(64).slice(0, 64),
    Name: `/${entry.name}`,
    State: { Status: entry.running === false ? 'exited' : 'running', Running: entry.running !== false, Pid: 100 },
    Config: { Image: entry.image, Env: entry.env ?? [] },
    NetworkSettings: { Networks: Object.fromEntries(Object.entries(entry.networks).map(([name, aliases]) => [name, { Aliases: aliases, DNSNames: null, IPAddress: '' }])) },
  }));
  return parseContainerInspect(JSON.stringify(json)).containers;
}

const URL_ENV = 'DATABASE_URL=postgresql://litellm:s3cr%40t-pass@db:5432/litellm';

describe('parseDatabaseUrl', () => {
  it('reads host, port, database, user and the percent-decoded password', () => {
    expect(parseDatabaseUrl('postgresql://litellm:s3cr%40t-pass@db:5432/litellm')).toEqual({
      host: 'db', port: 5432, database: 'litellm', user: 'litellm', password: 's3cr@t-pass', schema: null,
    });
  });

  it("defaults the port, keeps Prisma's ?schema= and accepts postgres://", () => {
    expect(parseDatabaseUrl('postgres://u@litellm-db/keys?schema=proxy')).toMatchObject({ host: 'litellm-db', port: 5432, database: 'keys', password: null, schema: 'proxy' });
  });

  it('refuses other schemes and names that are not plain', () => {
    expect(parseDatabaseUrl('mysql://u:p@db/litellm')).toBeNull();
    expect(parseDatabaseUrl('postgresql://u:p@db/')).toBeNull();
    expect(parseDatabaseUrl("postgresql://u:p@db/lite'llm")).toBeNull();
  });
});

describe('isPostgresImage', () => {
  it('knows postgres images by repository, whatever the registry and tag', () => {
    for (const image of ['postgres:16', 'docker.io/library/postgres:16-alpine', 'bitnami/postgresql:17', 'pgvector/pgvector:pg16', 'timescale/timescaledb:latest-pg16', 'postgis/postgis:16-3.4']) {
      expect(isPostgresImage(image), image).toBe(true);
    }
    for (const image of ['ghcr.io/berriai/litellm:main-latest', 'redis:7', 'mysql:8', 'pgadmin4/pgadmin']) expect(isPostgresImage(image), image).toBe(false);
  });
});

describe('gatewayDatabases', () => {
  it('matches the URL host to a postgres container by its alias on a shared network', () => {
    const containers = inspected([
      { id: 'a', name: 'litellm', image: 'ghcr.io/berriai/litellm:main-latest', env: [URL_ENV], networks: { 'ai-gateway_default': ['litellm'] } },
      { id: 'b', name: 'ai-gateway-db-1', image: 'postgres:16', networks: { 'ai-gateway_default': ['ai-gateway-db-1', 'db'] } },
    ]);
    const found = gatewayDatabases([containers[0]!], containers);
    expect(found.map((entry) => [entry.gateway.name, entry.database.name, entry.label])).toEqual([['litellm', 'ai-gateway-db-1', 'postgresql://db:5432/litellm']]);
  });

  it('leaves out a database on another network, on the default bridge, stopped, or not postgres', () => {
    const containers = inspected([
      { id: 'a', name: 'litellm', image: 'litellm/litellm', env: [URL_ENV], networks: { front: [], bridge: [] } },
      { id: 'b', name: 'db', image: 'postgres:16', networks: { back: ['db'] } },
      { id: 'c', name: 'db', image: 'postgres:16', networks: { bridge: [] } },
      { id: 'd', name: 'db', image: 'postgres:16', networks: { front: ['db'] }, running: false },
      { id: 'e', name: 'db', image: 'redis:7', networks: { front: ['db'] } },
    ]);
    expect(gatewayDatabases([containers[0]!], containers)).toEqual([]);
  });

  it('does not reach for a database the URL does not name inside Docker (a managed service)', () => {
    const containers = inspected([
      { id: 'a', name: 'litellm', image: 'litellm/litellm', env: ['DATABASE_URL=postgresql://u:p@db.example.com:5432/litellm'], networks: { net: [] } },
      { id: 'b', name: 'db', image: 'postgres:16', networks: { net: ['db'] } },
    ]);
    expect(gatewayDatabases([containers[0]!], containers)).toEqual([]);
  });
});
