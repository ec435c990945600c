import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model/index.js';
import { traefikRoutes } from './traefik-labels.js';

const container = (name: string, labels: Record<string, string>, ports: Container['ports'] = []): Container => ({
  id: `${name}-id`,
  name,
  image: 'example/image:1',
  imageDigest: null,
  running: true,
  labels,
  ports,
});

describe('traefikRoutes', () => {
  it('routes a Host rule to the container on its service port', () => {
    const routes = traefikRoutes(
      container('litellm', {
        'traefik.enable': 'true',
        'traefik.http.routers.litellm.rule': 'Host(`llm.lab.example`)',
        'traefik.http.routers.litellm.entrypoints': 'websecure',
        'traefik.http.services.litellm.loadBalancer.server.port': '4000',
      }),
    );

    expect(routes).toEqual([
      { proxy: 'traefik', container: 'litellm', match: 'Host(`llm.lab.example`)', upstreamHost: 'litellm', upstreamPort: 4000 },
    ]);
  });

  it('follows each router to its named service when there are several', () => {
    const routes = traefikRoutes(
      container('app', {
        'traefik.http.routers.ui.rule': 'Host(`a.example`)',
        'traefik.http.routers.ui.service': 'ui-svc',
        'traefik.http.routers.api.rule': 'Host(`b.example`) && PathPrefix(`/v1`)',
        'traefik.http.routers.api.service': 'api-svc',
        'traefik.http.services.ui-svc.loadbalancer.server.port': '8000',
        'traefik.http.services.api-svc.loadbalancer.server.port': '9000',
      }),
    );

    expect(routes.map((r) => [r.match, r.upstreamPort])).toEqual([
      ['Host(`a.example`)', 8000],
      ['Host(`b.example`) && PathPrefix(`/v1`)', 9000],
    ]);
  });

  it('falls back to the first container port, and reads TCP routers', () => {
    const routes = traefikRoutes(
      container(
        'ollama',
        {
          'traefik.http.routers.ollama.rule': 'Host(`ollama.lan`)',
          'traefik.tcp.routers.pg.rule': 'HostSNI(`*`)',
          'traefik.tcp.services.pg.loadbalancer.server.port': '5432',
        },
        [{ containerPort: '11434/tcp', hostIp: '0.0.0.0', hostPort: '11434' }],
      ),
    );

    expect(routes.map((r) => [r.match, r.upstreamPort])).toEqual([
      ['Host(`ollama.lan`)', 11434],
      ['HostSNI(`*`)', 5432],
    ]);
  });

  it('gives nothing for disabled containers or unresolvable services', () => {
    expect(traefikRoutes(container('x', { 'traefik.enable': 'false', 'traefik.http.routers.x.rule': 'Host(`x`)' }, [{ containerPort: '80/tcp', hostIp: '', hostPort: '' }]))).toEqual([]);
    expect(traefikRoutes(container('y', { 'traefik.http.routers.y.rule': 'Host(`y`)', 'traefik.http.routers.y.service': 'api@file' }))).toEqual([]);
  });
});
