import { describe, expect, it } from 'vitest';
import type { ConsumerFinding, ExposureVerdict, HostInventory } from '../../model/index.js';
import { findConsumers, routeHostnames } from './consumers.js';
import { exposedPlaces } from './exposed-places.js';
import { findGateways, recogniseGateways } from './gateways.js';

/**
 * A three-host lab as the collectors describe it: gw runs LiteLLM in Docker (published on 4000)
 * next to open-webui and a RAG app on the compose network, plus an unrelated container on another
 * network; host ollama calls gw's address and, through Caddy on gw, llm.lab.example; nodocker
 * reaches gw through a systemd ssh tunnel. Each host also holds near misses.
 */
function lab(): HostInventory[] {
  return [
    {
      name: 'gw',
      address: 'root@10.20.0.7:22',
      status: 'ok',
      facts: { hostname: 'gw', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-31-amd64' },
      addresses: ['10.20.0.7', '127.0.0.1', '172.17.0.1', '172.18.0.1'],
      containers: [
        {
          id: 'dc45343dedbeb9cb65b4e8965ebec8f7757cc66d5c5a67e88933856f3d9ccb13',
          name: 'litellm',
          image: 'ghcr.io/berriai/litellm:main-latest',
          imageDigest: 'sha256:acfd6767b74fa45ddcc34a293b21c78314ef45d1f5a6d5ff18194f69ea42a735',
          running: true,
          networks: [{ name: 'ai_default', ipAddress: '172.18.0.3', ipv6Address: null, aliases: ['litellm', 'dc45343dedbe'] }],
          ports: [{ containerPort: '4000/tcp', hostIp: '0.0.0.0', hostPort: '4000' }],
        },
        {
          id: 'bdd64d6668ae95e9887a63aa4df909e406f989ecf807f6521e5830dfc1e59c2f',
          name: 'open-webui',
          image: 'ghcr.io/open-webui/open-webui:main',
          imageDigest: null,
          running: true,
          networks: [{ name: 'ai_default', ipAddress: '172.18.0.4', ipv6Address: null, aliases: ['open-webui', 'bdd64d6668ae'] }],
          ports: [{ containerPort: '8080/tcp', hostIp: '0.0.0.0', hostPort: '3000' }],
        },
        {
          id: '7c1d9f4e3a8b6c0d2e4f6a8b0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a5a0e2b',
          name: 'ragapp',
          image: 'ragapp/ragapp:0.1.4',
          imageDigest: null,
          running: true,
          networks: [{ name: 'ai_default', ipAddress: '172.18.0.5', ipv6Address: null, aliases: ['ragapp'] }],
        },
        {
          id: '0c2d4e6f8a0b2c4d6e8f0a2b4c6d8e0f2a5a0e2b7c1d9f4e3a8b6c0d2e4f6a8b',
          name: 'billing',
          image: 'ghcr.io/example/billing:2.3',
          imageDigest: null,
          running: true,
          networks: [{ name: 'billing_net', ipAddress: '172.19.0.2', ipv6Address: null, aliases: ['billing'] }],
        },
      ],
      pythonEnvironments: [],
      gatewayConfigs: [
        {
          gateway: 'litellm',
          container: 'litellm',
          path: '/app/config.yaml',
          models: [{ name: 'gpt-4o', provider: 'openai', keyVariable: 'OPENAI_API_KEY' }],
        },
      ],
      endpointReferences: [
        { container: 'open-webui', source: 'container-env', variable: 'OPENAI_API_BASE_URL', url: 'http://litellm:4000/v1', targetHost: 'litellm', targetPort: 4000 },
        // The gateway's own health check: a self-reference, not a client.
        { container: 'litellm', source: 'container-env', variable: 'LITELLM_PROXY_BASE_URL', url: 'http://localhost:4000', targetHost: 'localhost', targetPort: 4000 },
        // Near miss: billing names litellm, but is on no network with it.
        { container: 'billing', source: 'container-env', variable: 'LLM_URL', url: 'http://litellm:4000', targetHost: 'litellm', targetPort: 4000 },
      ],
      proxyRoutes: [
        { proxy: 'caddy', container: null, path: '/etc/caddy/Caddyfile', match: 'llm.lab.example', upstreamHost: '127.0.0.1', upstreamPort: 4000 },
        { proxy: 'caddy', container: null, path: '/etc/caddy/Caddyfile', match: 'chat.lab.example', upstreamHost: '127.0.0.1', upstreamPort: 3000 },
      ],
      connections: [
        { container: 'litellm', localAddress: '172.18.0.3', localPort: 4000, remoteAddress: '172.18.0.5', remotePort: 51734, state: 'ESTABLISHED' },
        { container: null, localAddress: '10.20.0.7', localPort: 4000, remoteAddress: '10.20.0.9', remotePort: 40112, state: 'ESTABLISHED' },
        // docker-proxy relaying a client shows the bridge gateway as the peer: nobody to name.
        { container: 'litellm', localAddress: '172.18.0.3', localPort: 4000, remoteAddress: '172.18.0.1', remotePort: 40990, state: 'ESTABLISHED' },
        // Near misses: the gateway's own call out to a provider, and a listener.
        { container: 'litellm', localAddress: '172.18.0.3', localPort: 44120, remoteAddress: '162.159.140.245', remotePort: 443, state: 'ESTABLISHED' },
        { container: null, localAddress: '0.0.0.0', localPort: 4000, remoteAddress: '0.0.0.0', remotePort: 0, state: 'LISTEN' },
      ],
    },
    {
      name: 'ollama',
      address: 'root@10.20.0.9:22',
      status: 'ok',
      facts: { hostname: 'ollama', os: 'Ubuntu 24.04.2 LTS', kernel: '6.8.0-57-generic' },
      addresses: ['10.20.0.9', '127.0.0.1'],
      containers: [],
      pythonEnvironments: [],
      endpointReferences: [
        { container: null, source: 'env-file', path: '/etc/default/chat-bridge', variable: 'OPENAI_BASE_URL', url: 'http://10.20.0.7:4000/v1', targetHost: '10.20.0.7', targetPort: 4000 },
        {
          container: null,
          unit: 'notebook.service',
          source: 'systemd',
          path: '/etc/systemd/system/notebook.service',
          variable: 'OPENAI_BASE_URL',
          url: 'https://llm.lab.example/v1',
          targetHost: 'llm.lab.example',
          targetPort: 443,
        },
        // Near misses: the same port on a host that was not scanned, and gw on a port nothing publishes.
        { container: null, source: 'env-file', path: '/etc/default/chat-bridge', variable: 'FALLBACK_URL', url: 'http://10.20.0.99:4000/v1', targetHost: '10.20.0.99', targetPort: 4000 },
        { container: null, source: 'env-file', path: '/etc/default/chat-bridge', variable: 'METRICS_URL', url: 'http://10.20.0.7:4001/metrics', targetHost: '10.20.0.7', targetPort: 4001 },
        // Near miss: a route on gw that leads to open-webui, not to the gateway.
        { container: null, source: 'app-config', path: '/opt/dash/config.toml', variable: 'chat_url', url: 'https://chat.lab.example', targetHost: 'chat.lab.example', targetPort: 443 },
      ],
    },
    {
      name: 'nodocker',
      address: 'alice@10.20.0.8:22',
      status: 'ok',
      facts: { hostname: 'nodocker', os: 'Debian GNU/Linux 12 (bookworm)', kernel: '6.1.0-31-amd64' },
      addresses: ['10.20.0.8', '127.0.0.1'],
      containers: [],
      pythonEnvironments: [],
      tunnels: [
        {
          source: 'systemd',
          path: '/etc/systemd/system/gw-tunnel.service',
          unit: 'gw-tunnel.service',
          localAddress: '127.0.0.1',
          localPort: 14000,
          remoteHost: 'localhost',
          remotePort: 4000,
          sshDestination: 'alice@gw',
          command: 'ssh -N -L 14000:localhost:4000 alice@gw',
        },
        // Near misses: a tunnel to a database host that was not scanned, and one to gw on a port nothing publishes.
        {
          source: 'cron',
          path: '/var/spool/cron/crontabs/alice',
          localAddress: '127.0.0.1',
          localPort: 15432,
          remoteHost: 'localhost',
          remotePort: 5432,
          sshDestination: 'alice@db.lab.example',
          command: 'autossh -M 0 -N -L 15432:localhost:5432 alice@db.lab.example',
        },
        {
          source: 'script',
          path: '/home/alice/bin/grafana-tunnel.sh',
          localAddress: '127.0.0.1',
          localPort: 13000,
          remoteHost: 'localhost',
          remotePort: 3001,
          sshDestination: 'gw',
          command: 'ssh -f -N -L 13000:localhost:3001 gw',
        },
      ],
      endpointReferences: [
        { container: null, source: 'shell-rc', path: '/home/alice/.bashrc', variable: 'OPENAI_BASE_URL', url: 'http://localhost:14000/v1', targetHost: 'localhost', targetPort: 14000 },
        { container: null, source: 'shell-rc', path: '/home/alice/.bashrc', variable: 'DATABASE_URL', url: 'postgres://localhost:15432/app', targetHost: 'localhost', targetPort: 15432 },
      ],
    },
  ];
}

/** litellm 1.82.8 in the litellm container, as assessExposures judges it. */
const LITELLM_EXPOSED: ExposureVerdict = {
  host: 'gw',
  container: 'litellm',
  path: '/usr/lib/python3.13/site-packages',
  package: 'litellm',
  installedVersion: '1.82.8',
  advisories: ['MAL-2026-2144', 'PYSEC-2026-2'],
  verdict: 'exposed',
  reasons: ['litellm 1.82.8 in container litellm is a release MAL-2026-2144 names: the compromised code is installed'],
  window: null,
};

function consumersOf(hosts: HostInventory[], exposures: ExposureVerdict[] = []): ConsumerFinding[] {
  return findConsumers(hosts, recogniseGateways(hosts), exposedPlaces([], exposures));
}

function byConsumer(findings: readonly ConsumerFinding[]): Record<string, { via: string; gateway: string; evidence: string[] }> {
  return Object.fromEntries(findings.map((finding) => [`${finding.consumerHost}/${finding.consumer}`, { via: finding.via, gateway: `${finding.gatewayHost}/${finding.gateway}`, evidence: finding.evidence }]));
}

describe('findConsumers', () => {
  it('names the virtual key a consumer presents when its fingerprint is one the gateway database lists', () => {
    const hosts = lab();
    const gw = hosts[0]!;
    gw.gatewayConfigs!.push({
      gateway: 'litellm',
      container: 'litellm',
      path: 'postgresql://db:5432/litellm',
      models: [],
      virtualKeys: [
        { fingerprint: 'litellm:7d2c90a1b3e4:Qx9w', alias: 'open-webui', models: ['gpt-4o', 'claude'] },
        { fingerprint: 'litellm:5e6f7a8b9c0d:zzzz', alias: 'nobody', models: [] },
      ],
    });
    gw.secrets = [
      // Classified by its variable as an OpenAI key: the same value, so the same digest and last 4.
      { fingerprint: 'openai:7d2c90a1b3e4:Qx9w', provider: 'openai', container: 'open-webui', source: 'container-env', variable: 'OPENAI_API_KEY' },
      // Near miss: ragapp holds a key the gateway does not list.
      { fingerprint: 'litellm:aaaaaaaaaaaa:Qx9w', provider: 'litellm', container: 'ragapp', source: 'container-env', variable: 'OPENAI_API_KEY' },
    ];
    hosts[1]!.secrets = [
      { fingerprint: 'litellm:5e6f7a8b9c0d:zzzz', provider: 'litellm', container: null, source: 'env-file', path: '/etc/default/chat-bridge', variable: 'OPENAI_API_KEY' },
      // Near miss: the same key in a file no evidence of this consumer came from.
      { fingerprint: 'litellm:5e6f7a8b9c0d:zzzz', provider: 'litellm', container: null, source: 'shell-rc', path: '/root/.bashrc', variable: 'OPENAI_API_KEY' },
    ];

    const consumers = byConsumer(consumersOf(hosts));

    expect(consumers['gw/open-webui']?.evidence).toContain('Presents virtual key open-webui (gpt-4o, claude): openai:7d2c90a1b3e4:Qx9w in OPENAI_API_KEY (container-env)');
    expect(consumers['gw/ragapp']?.evidence.some((line) => line.startsWith('Presents'))).toBe(false);
    expect(consumers['ollama/ollama']?.evidence.filter((line) => line.startsWith('Presents'))).toEqual([
      'Presents virtual key nobody (every model): litellm:5e6f7a8b9c0d:zzzz in OPENAI_API_KEY in /etc/default/chat-bridge (env-file)',
    ]);
  });

  it('finds every client of the gateway in the lab, and only those', () => {
    const findings = consumersOf(lab());

    expect(Object.keys(byConsumer(findings)).sort()).toEqual(['gw/open-webui', 'gw/ragapp', 'nodocker/gw-tunnel.service', 'ollama/notebook.service', 'ollama/ollama']);
    expect(findings.every((finding) => finding.gatewayHost === 'gw' && finding.gateway === 'litellm')).toBe(true);
  });

  it('reaches open-webui over the compose network it shares with litellm', () => {
    const consumer = byConsumer(consumersOf(lab()))['gw/open-webui'];

    expect(consumer).toEqual({
      via: 'shared-network',
      gateway: 'gw/litellm',
      evidence: [
        'OPENAI_API_BASE_URL (container-env) = http://litellm:4000/v1: litellm:4000 is container litellm on network ai_default, which open-webui shares (host gw)',
      ],
    });
  });

  it('reaches host ollama through the port gw publishes, and merges the live connection from its address', () => {
    const consumer = byConsumer(consumersOf(lab()))['ollama/ollama'];

    expect(consumer).toEqual({
      via: 'host-port',
      gateway: 'gw/litellm',
      evidence: [
        'OPENAI_BASE_URL in /etc/default/chat-bridge (env-file) = http://10.20.0.7:4000/v1: 10.20.0.7:4000 is host gw, which publishes 0.0.0.0:4000 to container litellm port 4000/tcp',
        "ESTABLISHED 10.20.0.9:40112 → 10.20.0.7:4000 in host gw's namespace: peer is host ollama",
      ],
    });
  });

  it('credits the live connection from a host to the unit there that goes to the published port, not to the host as a second consumer', () => {
    const hosts = lab();
    const ollama = hosts.find((host) => host.name === 'ollama')!;
    ollama.endpointReferences = ollama.endpointReferences!.map((reference) =>
      reference.path === '/etc/default/chat-bridge' ? { ...reference, unit: 'chat-bridge.service' } : reference,
    );

    const consumers = byConsumer(consumersOf(hosts));

    expect(consumers['ollama/ollama']).toBeUndefined();
    expect(consumers['ollama/chat-bridge.service']?.evidence).toContain("ESTABLISHED 10.20.0.9:40112 → 10.20.0.7:4000 in host gw's namespace: peer is host ollama");
    expect(consumers['ollama/notebook.service']?.evidence.join('\n')).not.toContain('ESTABLISHED');
  });

  it('names the tunnel unit as the consumer on nodocker, with the shell variable that uses it', () => {
    const consumer = byConsumer(consumersOf(lab()))['nodocker/gw-tunnel.service'];

    expect(consumer?.via).toBe('ssh-tunnel');
    expect(consumer?.evidence).toEqual([
      'OPENAI_BASE_URL in /home/alice/.bashrc (shell-rc) = http://localhost:14000/v1: 127.0.0.1:14000 on nodocker is an ssh -L forward to localhost:4000 via alice@gw (host gw), from unit gw-tunnel.service; localhost:4000 is host gw, which publishes 0.0.0.0:4000 to container litellm port 4000/tcp',
      'Tunnel ssh -N -L 14000:localhost:4000 alice@gw (systemd /etc/systemd/system/gw-tunnel.service): 127.0.0.1:14000 on nodocker is an ssh -L forward to localhost:4000 via alice@gw (host gw), from unit gw-tunnel.service; localhost:4000 is host gw, which publishes 0.0.0.0:4000 to container litellm port 4000/tcp',
    ]);
  });

  it('reaches the notebook unit through the Caddy site that proxies to the gateway', () => {
    const consumer = byConsumer(consumersOf(lab()))['ollama/notebook.service'];

    expect(consumer?.via).toBe('proxy-route');
    expect(consumer?.evidence).toEqual([
      'OPENAI_BASE_URL in /etc/systemd/system/notebook.service (systemd, unit notebook.service) = https://llm.lab.example/v1: caddy route llm.lab.example on gw (/etc/caddy/Caddyfile) forwards to 127.0.0.1:4000; 127.0.0.1:4000 is host gw, which publishes 0.0.0.0:4000 to container litellm port 4000/tcp',
    ]);
  });

  it('names ragapp from the live connection its address holds to litellm', () => {
    const consumer = byConsumer(consumersOf(lab()))['gw/ragapp'];

    expect(consumer).toEqual({
      via: 'live-connection',
      gateway: 'gw/litellm',
      evidence: ["ESTABLISHED 172.18.0.5:51734 → 172.18.0.3:4000 in container litellm's namespace: peer is container ragapp on gw (network ai_default)"],
    });
  });

  it('is info while the gateway is not judged exposed, and high with stable ids once it is', () => {
    const clean = consumersOf(lab());
    const exposed = consumersOf(lab(), [LITELLM_EXPOSED]);

    expect(new Set(clean.map((finding) => finding.severity))).toEqual(new Set(['info']));
    expect(new Set(exposed.map((finding) => finding.severity))).toEqual(new Set(['high']));
    expect(exposed.map((finding) => finding.id).sort()).toEqual(clean.map((finding) => finding.id).sort());
    expect(exposed.find((finding) => finding.consumer === 'open-webui')?.id).toBe('consumer:gw:container=open-webui->gw:container=litellm');
  });

  it('finds no consumer when the only link is a name on a network the caller is not on', () => {
    const hosts = lab();
    hosts[0]!.containers[1]!.networks = [{ name: 'webui_net', ipAddress: '172.20.0.2', ipv6Address: null, aliases: ['open-webui'] }];

    expect(consumersOf(hosts).map((finding) => finding.consumer)).not.toContain('open-webui');
  });

  it('finds no consumer through a tunnel whose far end is another port', () => {
    const hosts = lab();
    hosts[2]!.tunnels![0]!.remotePort = 4001;

    expect(consumersOf(hosts).filter((finding) => finding.consumerHost === 'nodocker')).toEqual([]);
  });

  it('follows a tunnel whose destination is an address, and a forward listening on all addresses', () => {
    const hosts = lab();
    Object.assign(hosts[2]!.tunnels![0]!, { sshDestination: 'ssh://alice@10.20.0.7:22', localAddress: '0.0.0.0', remoteHost: '127.0.0.1' });

    expect(byConsumer(consumersOf(hosts))['nodocker/gw-tunnel.service']?.via).toBe('ssh-tunnel');
  });

  it('does not reach a port bound to gw\'s loopback from another host, but does through the tunnel and the proxy on gw', () => {
    const hosts = lab();
    hosts[0]!.containers[0]!.ports = [{ containerPort: '4000/tcp', hostIp: '127.0.0.1', hostPort: '4000' }];

    const consumers = byConsumer(consumersOf(hosts));

    // The tunnel and Caddy both ask gw's own loopback, where the port answers.
    expect(consumers['nodocker/gw-tunnel.service']?.via).toBe('ssh-tunnel');
    expect(consumers['ollama/notebook.service']?.via).toBe('proxy-route');
    // Only the live connection is left to show ollama as a client; its configured URL no longer resolves.
    expect(consumers['ollama/ollama']?.via).toBe('live-connection');
  });
});

/** gw's LiteLLM log over a window: open-webui, ollama's address, billing (found no other way), a stranger and the bridge gateway. */
function withTraffic(hosts: HostInventory[]): HostInventory[] {
  const client = (address: string, requests: number, first: string, last: string) => ({
    address,
    requests,
    first,
    last,
    hours: [{ hour: `${first.slice(0, 13)}:00:00Z`, requests }],
    paths: ['/v1/chat/completions'],
    statuses: [{ status: 200, requests }],
  });
  hosts[0]!.gatewayTraffic = [
    {
      container: 'litellm',
      window: { start: '2026-03-24T10:39:00.000Z', end: '2026-04-02T08:00:00.000Z' },
      clients: [
        client('172.18.0.4', 12, '2026-03-24T10:41:07.552Z', '2026-03-24T15:02:00.000Z'),
        client('10.20.0.9', 5, '2026-03-24T11:02:30.000Z', '2026-03-24T11:20:16.000Z'),
        client('172.19.0.2', 2, '2026-03-24T12:00:00.000Z', '2026-03-24T12:00:09.000Z'),
        client('10.0.0.7', 1, '2026-03-24T13:00:00.000Z', '2026-03-24T13:00:00.000Z'),
        client('172.18.0.1', 3, '2026-03-24T14:00:00.000Z', '2026-03-24T14:10:00.000Z'),
      ],
    },
  ];
  return hosts;
}

describe('gateway logs', () => {
  const WINDOW = "in the gateway's log from 2026-03-24T10:39:00Z to 2026-04-02T08:00:00Z";

  it('adds the logged requests to the consumer the client already is, keeping how it was found', () => {
    const consumer = byConsumer(consumersOf(withTraffic(lab())))['gw/open-webui'];

    expect(consumer?.via).toBe('shared-network');
    expect(consumer?.evidence).toContain(
      `12 requests between 2026-03-24T10:41:07.552Z and 2026-03-24T15:02:00Z from 172.18.0.4 ${WINDOW}: container open-webui on gw (network ai_default)`,
    );
  });

  it("backs every consumer found on another host with that host's logged requests", () => {
    const consumers = byConsumer(consumersOf(withTraffic(lab())));
    const line = `5 requests between 2026-03-24T11:02:30Z and 2026-03-24T11:20:16Z from 10.20.0.9 ${WINDOW}: host ollama`;

    expect(consumers['ollama/ollama']?.evidence).toContain(line);
    expect(consumers['ollama/notebook.service']?.evidence).toContain(line);
    expect(consumers['ollama/ollama']?.via).toBe('host-port');
  });

  it('makes a consumer of a container that only the log shows sending requests', () => {
    const findings = consumersOf(withTraffic(lab()));
    const billing = findings.find((finding) => finding.consumer === 'billing');

    expect(billing).toMatchObject({ via: 'gateway-log', consumerHost: 'gw', container: 'billing', gateway: 'litellm', title: 'Container billing on gw sends requests to LiteLLM gateway litellm on gw (gateway-log)' });
    expect(billing?.evidence).toEqual([`2 requests between 2026-03-24T12:00:00Z and 2026-03-24T12:00:09Z from 172.19.0.2 ${WINDOW}: container billing on gw (network billing_net)`]);
    expect(Object.keys(byConsumer(consumersOf(lab())))).not.toContain('gw/billing');
  });

  it("lists the log's totals and the clients no scanned place accounts for in the gateway finding", () => {
    const hosts = withTraffic(lab());
    const [gateway] = findGateways(hosts, exposedPlaces([], []));

    expect(gateway?.evidence.slice(-3)).toEqual([
      `23 requests from 5 clients ${WINDOW}`,
      '1 request at 2026-03-24T13:00:00Z from 10.0.0.7, not a scanned place',
      '3 requests between 2026-03-24T14:00:00Z and 2026-03-24T14:10:00Z from 172.18.0.1, host gw itself (clients forwarded through a published port show so)',
    ]);
    expect(consumersOf(hosts).map((finding) => finding.consumer)).not.toContain('gw');
  });
});

describe('routeHostnames', () => {
  it('reads Traefik Host rules, nginx server_name lists and Caddy site addresses', () => {
    expect(routeHostnames('Host(`llm.lab.example`) || Host(`ai.lab.example`) && PathPrefix(`/v1`)')).toEqual(['llm.lab.example', 'ai.lab.example']);
    expect(routeHostnames('server_name llm.lab.example llm; location /v1/')).toEqual(['llm.lab.example', 'llm']);
    expect(routeHostnames('https://llm.lab.example:8443, ai.lab.example')).toEqual(['llm.lab.example', 'ai.lab.example']);
  });
});
