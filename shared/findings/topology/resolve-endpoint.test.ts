import { describe, expect, it } from 'vitest';
import type { HostInventory } from '../../model/index.js';
import { resolveEndpoint, sshDestinationHost, urlHostPort } from './resolve-endpoint.js';

/** Two hosts: a (Docker: web and api on one network, api publishing 8080 → 80) and b, which forwards 9000 to a's 8080. */
function hosts(): HostInventory[] {
  return [
    {
      name: 'a',
      address: 'root@192.0.2.10:22',
      status: 'ok',
      facts: { hostname: 'a.lab.example', os: 'Debian', kernel: '6.1' },
      addresses: ['192.0.2.10', 'fd00::10'],
      containers: [
        { id: '1'.repeat(64), name: 'web', image: 'nginx:1.27', imageDigest: null, running: true, networks: [{ name: 'app', ipAddress: '172.18.0.2', ipv6Address: null, aliases: ['web'] }] },
        {
          id: '2'.repeat(64),
          name: 'api',
          image: 'example/api:3',
          imageDigest: null,
          running: true,
          networks: [{ name: 'app', ipAddress: '172.18.0.3', ipv6Address: null, aliases: ['api', 'backend'] }],
          ports: [{ containerPort: '80/tcp', hostIp: '0.0.0.0', hostPort: '8080' }],
        },
      ],
      pythonEnvironments: [],
    },
    {
      name: 'b',
      address: 'local',
      status: 'ok',
      facts: null,
      containers: [],
      pythonEnvironments: [],
      tunnels: [{ source: 'script', path: '/usr/local/bin/fwd', localAddress: '127.0.0.1', localPort: 9000, remoteHost: 'localhost', remotePort: 8080, sshDestination: 'ops@a.lab.example', command: 'ssh -N -L 9000:localhost:8080 ops@a.lab.example' }],
    },
  ];
}

describe('resolveEndpoint', () => {
  it('resolves a network alias to the container at a port it listens on', () => {
    expect(resolveEndpoint('a', 'web', 'backend', 80, hosts())).toMatchObject({ host: 'a', container: 'api', port: 80, via: 'shared-network' });
  });

  it('does not resolve an alias at a port the container is not known to listen on', () => {
    expect(resolveEndpoint('a', 'web', 'backend', 8443, hosts())).toBeNull();
  });

  it('resolves a host by hostname, address (IPv6 too) or alias to the container publishing the port', () => {
    for (const name of ['a.lab.example', '192.0.2.10', '[fd00::10]', 'a']) {
      expect([name, resolveEndpoint('b', null, name, 8080, hosts())]).toMatchObject([name, { host: 'a', container: 'api', port: 80, via: 'host-port' }]);
    }
  });

  it('resolves a port nothing publishes on a scanned host to that host as a service', () => {
    expect(resolveEndpoint('b', null, '192.0.2.10', 5432, hosts())).toMatchObject({ host: 'a', container: null, port: 5432, via: 'host-service' });
  });

  it('follows a local forward to the far host and resolves the remote end there', () => {
    const resolved = resolveEndpoint('b', null, 'localhost', 9000, hosts());

    expect(resolved).toMatchObject({ host: 'a', container: 'api', port: 80, via: 'ssh-tunnel' });
    expect(resolved?.tunnel?.host).toBe('b');
    expect(resolved?.path).toHaveLength(2);
  });

  it('reads a container\'s localhost as the container itself, never the host\'s tunnels', () => {
    expect(resolveEndpoint('a', 'web', '127.0.0.1', 8080, hosts())).toMatchObject({ host: 'a', container: 'web', via: 'same-place' });
  });

  it('gives a loopback address to the one scanned host that lists it as its own, and otherwise to the asker', () => {
    const lab = hosts();
    lab[0]!.addresses = ['127.77.1.2'];
    lab[1]!.addresses = ['127.0.0.1', '127.77.1.3'];
    expect(resolveEndpoint('b', null, '127.77.1.2', 8080, lab)).toMatchObject({ host: 'a', container: 'api', via: 'host-port' });
    expect(resolveEndpoint('b', null, '127.77.1.3', 9000, lab)).toMatchObject({ host: 'a', via: 'ssh-tunnel' });
    // 127.0.0.1 is every host's own, and an address no host lists is the asker's loopback.
    expect(resolveEndpoint('b', null, '127.0.0.1', 8080, lab)).toMatchObject({ host: 'b', via: 'same-place' });
    expect(resolveEndpoint('b', null, '127.9.9.9', 8080, lab)).toMatchObject({ host: 'b', via: 'same-place' });
  });

  it('leaves hosts that were not scanned unresolved', () => {
    expect(resolveEndpoint('b', null, '192.0.2.99', 8080, hosts())).toBeNull();
  });
});

describe('urlHostPort and sshDestinationHost', () => {
  it('reads host and port from URLs, with the scheme port when none is written', () => {
    expect(urlHostPort('https://user:pw@llm.lab.example/v1')).toEqual({ host: 'llm.lab.example', port: 443 });
    expect(urlHostPort('http://[fd00::10]:4000/v1')).toEqual({ host: 'fd00::10', port: 4000 });
    expect(urlHostPort('not a url')).toBeNull();
  });

  it('takes the host out of ssh destinations', () => {
    expect(['alice@gw', 'ssh://alice@gw:2222', 'gw', 'root@[fd00::10]:22'].map(sshDestinationHost)).toEqual(['gw', 'gw', 'gw', 'fd00::10']);
  });
});

describe('resolveEndpoint in a Kubernetes cluster', () => {
  const pod = (namespace: string, name: string, services: { name: string; port: number; targetPort: number }[] = []): HostInventory['containers'][number] => ({
    id: `${namespace}-${name}`,
    name: `${namespace}/${name}-0/${name}`,
    image: `example/${name}:1`,
    imageDigest: null,
    running: true,
    kubernetes: { namespace, pod: `${name}-0`, container: name, node: 'node1', owner: null, privileged: false, hostPID: false, hostNetwork: false, serviceAccount: null, services },
  });
  const cluster: HostInventory[] = [
    {
      name: 'k3s',
      address: 'root@192.0.2.20:22',
      status: 'ok',
      facts: null,
      containers: [pod('ai', 'gateway', [{ name: 'gateway', port: 80, targetPort: 4000 }]), pod('ai', 'chat'), pod('apps', 'bot')],
      pythonEnvironments: [],
      kubernetes: { kubectl: 'kubectl', kubeconfig: null, pods: 3, workloads: [], services: [], secrets: 0 },
    },
  ];

  it('lands a Service name on the pod container its port forwards to, at the container port', () => {
    const short = resolveEndpoint('k3s', 'ai/chat-0/chat', 'gateway', 80, cluster);
    const qualified = resolveEndpoint('k3s', 'apps/bot-0/bot', 'gateway.ai.svc.cluster.local', 80, cluster);

    expect(short).toMatchObject({ host: 'k3s', container: 'ai/gateway-0/gateway', port: 4000, via: 'shared-network' });
    expect(qualified).toMatchObject({ container: 'ai/gateway-0/gateway', port: 4000 });
    expect(resolveEndpoint('k3s', 'apps/bot-0/bot', 'gateway.ai', 80, cluster)).toMatchObject({ container: 'ai/gateway-0/gateway' });
  });

  it('does not land a short name asked from another namespace, a port the Service does not have, or a name asked off the cluster', () => {
    expect(resolveEndpoint('k3s', 'apps/bot-0/bot', 'gateway', 80, cluster)?.container ?? null).toBeNull();
    expect(resolveEndpoint('k3s', 'ai/chat-0/chat', 'gateway', 4000, cluster)?.container ?? null).toBeNull();
    expect(resolveEndpoint('k3s', null, 'gateway.ai', 80, cluster)?.container ?? null).toBeNull();
    // The node (an ingress controller's view) reaches it by the full cluster name.
    expect(resolveEndpoint('k3s', null, 'gateway.ai.svc.cluster.local', 80, cluster)).toMatchObject({ container: 'ai/gateway-0/gateway', port: 4000 });
  });
});
