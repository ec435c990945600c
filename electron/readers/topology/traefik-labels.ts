/** Reads Traefik's Docker-provider labels on a container into the routes that reach it. */
import type { Container, ProxyRoute } from '../../../shared/model/index.js';

/**
 * The routes a container's `traefik.<http|tcp>.routers.<name>.rule` labels declare. Traefik sends
 * them to the container itself, on the port of the router's service
 * (`…services.<s>.loadbalancer.server.port`), or of the only service the labels define, or of the
 * container's first port when none says (Traefik's own default).
 */
export function traefikRoutes(container: Container): ProxyRoute[] {
  const labels = lowerCaseKeys(container.labels ?? {});
  if (labels['traefik.enable'] === 'false') return [];
  const routes: ProxyRoute[] = [];
  for (const protocol of ['http', 'tcp'] as const) {
    const servicePorts = servicePortsOf(labels, protocol);
    for (const [router, rule] of routersOf(labels, protocol)) {
      const serviceName = labels[`traefik.${protocol}.routers.${router}.service`];
      const port =
        (serviceName ? servicePorts.get(serviceName.toLowerCase()) : servicePorts.size === 1 ? [...servicePorts.values()][0] : undefined) ??
        (serviceName === undefined ? firstContainerPort(container) : undefined);
      if (port === undefined) continue;
      routes.push({ proxy: 'traefik', container: container.name, match: rule, upstreamHost: container.name, upstreamPort: port });
    }
  }
  return routes;
}

function routersOf(labels: Record<string, string>, protocol: string): [string, string][] {
  const pattern = new RegExp(`^traefik\\.${protocol}\\.routers\\.([^.]+)\\.rule$`);
  return Object.entries(labels).flatMap(([key, value]): [string, string][] => {
    const match = pattern.exec(key);
    return match ? [[match[1] ?? '', value]] : [];
  });
}

function servicePortsOf(labels: Record<string, string>, protocol: string): Map<string, number> {
  const pattern = new RegExp(`^traefik\\.${protocol}\\.services\\.([^.]+)\\.loadbalancer\\.server\\.port$`);
  const ports = new Map<string, number>();
  for (const [key, value] of Object.entries(labels)) {
    const match = pattern.exec(key);
    const port = Number(value);
    if (match && Number.isInteger(port) && port > 0 && port < 65536) ports.set(match[1] ?? '', port);
  }
  return ports;
}

function firstContainerPort(container: Container): number | undefined {
  const first = container.ports?.[0]?.containerPort;
  const port = first ? parseInt(first, 10) : NaN;
  return Number.isInteger(port) && port > 0 ? port : undefined;
}

/** Traefik reads label keys case-insensitively (`loadBalancer` and `loadbalancer` are one key). */
function lowerCaseKeys(labels: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(labels).map(([key, value]) => [key.toLowerCase(), value]));
}
