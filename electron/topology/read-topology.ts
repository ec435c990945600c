/** Reads where a host's services send requests, and what listens and talks on it. */
import type { Container, EndpointReference, GatewayConfig, ProxyRoute, SshTunnel, TcpConnection } from '../../shared/model.js';
import type { HostArtifacts } from '../collectors/artifacts.js';

/** One host's network facts, ready for the report. */
export interface HostTopology {
  addresses: string[];
  endpointReferences: EndpointReference[];
  tunnels: SshTunnel[];
  proxyRoutes: ProxyRoute[];
  connections: TcpConnection[];
  gatewayConfigs: GatewayConfig[];
}

/** Interprets a host's artifacts (and its containers' labels) into network facts. */
export function readTopology(artifacts: HostArtifacts, containers: readonly Container[]): HostTopology {
  void artifacts;
  void containers;
  throw new Error('readTopology: not implemented yet');
}
