import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { Container } from '../../../shared/model/index.js';
import type { ArtifactKind, HostArtifacts, TextArtifact } from '../artifacts.js';
import { readTopology } from './read-topology.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const file = (kind: ArtifactKind, path: string, text: string, container: string | null = null): TextArtifact => ({
  kind,
  container,
  path,
  user: null,
  text,
  truncated: false,
});

const PASSWORD = 'sk-proj-PLANTEDpasswordAAAA1111';
const QUERY_KEY = 'sk-live-PLANTEDqueryBBBB2222';
const PLANTED_URL = `http://user:${PASSWORD}@litellm:4000/v1?key=${QUERY_KEY}`;

const litellm: Container = {
  id: 'c1',
  name: 'litellm',
  image: 'ghcr.io/berriai/litellm:main-v1.82.6',
  imageDigest: null,
  running: true,
  mounts: [{ type: 'bind', source: '/srv/ai/litellm', destination: '/app', readOnly: true }],
  labels: {
    'traefik.http.routers.llm.rule': 'Host(`llm.lab.example`)',
    'traefik.http.services.llm.loadbalancer.server.port': '4000',
  },
};
const webui: Container = {
  id: 'c2',
  name: 'ai-open-webui-1',
  image: 'ghcr.io/open-webui/open-webui:main',
  imageDigest: null,
  running: true,
  compose: {
    project: 'ai',
    service: 'open-webui',
    workingDir: '/srv/ai',
    configFiles: ['/srv/ai/compose.yaml'],
    image: null,
    imagePinnedByDigest: null,
    envFiles: ['./webui.env'],
  },
};

function hostArtifacts(): HostArtifacts {
  return {
    files: [
      file('proc-fib-trie', '/proc/net/fib_trie', fixture('fib_trie.txt')),
      file('proc-if-inet6', '/proc/net/if_inet6', fixture('if_inet6.txt')),
      file('proc-net-tcp', '/proc/net/tcp', fixture('proc-net-tcp.txt')),
      file('proc-net-tcp6', '/proc/1234/net/tcp6', fixture('proc-net-tcp6.txt'), 'ai-open-webui-1'),
      file('compose', '/srv/ai/compose.yaml', fixture('compose.yaml')),
      file('systemd-unit', '/etc/systemd/system/chat-app.service', fixture('chat-app.service')),
      file('systemd-env-file', '/etc/chat/chat.env', `OPENAI_BASE_URL=${PLANTED_URL}\n`),
      file('systemd-unit', '/etc/systemd/system/llm-tunnel.service', fixture('llm-tunnel.service')),
      file('caddyfile', '/etc/caddy/Caddyfile', fixture('Caddyfile')),
      file('nginx-conf', '/etc/nginx/conf.d/upstreams.conf', 'upstream gw { server 192.168.1.10:4000; }\n'),
      file('nginx-conf', '/etc/nginx/sites-enabled/gw', `server { server_name gw.lan; location / { proxy_pass ${PLANTED_URL.replace('litellm:4000', 'gw')}; } }\n`),
      file('litellm-config', '/srv/ai/litellm/config.yaml', fixture('litellm-config.yaml')),
      file('dotenv', '/srv/ai/.env', `LITELLM_URL=${PLANTED_URL}\n`),
      file('dotenv', '/srv/ai/webui.env', 'OLLAMA_BASE_URLS=http://ollama-a:11434;http://ollama-b:11434\n'),
      file('app-config', '/home/ana/.continue/config.json', fixture('continue-config.json')),
      file('crontab', '/etc/crontab', fixture('crontab.txt')),
    ],
    environments: [
      { container: 'ai-open-webui-1', variables: [['OPENAI_API_BASE_URL', PLANTED_URL], ['OPENAI_API_KEY', PASSWORD]] },
      { container: 'litellm', variables: [['OPENAI_API_KEY', 'sk-proj-FAKEcontainerKEY0001']] },
    ],
  };
}

describe('readTopology', () => {
  it('composes addresses, sockets, references, tunnels, routes and gateway configs of one host', () => {
    const topology = readTopology(hostArtifacts(), [litellm, webui]);

    expect(topology.addresses).toEqual(['127.0.0.1', '127.77.1.2', '192.168.1.10', '172.17.0.1', 'fd00::2', '::1', 'fe80::fc:ff:fe00:1']);
    expect(topology.connections.filter((c) => c.container === 'ai-open-webui-1')).toHaveLength(3);
    expect(topology.connections.filter((c) => c.container === null)).toHaveLength(4);
    expect(topology.tunnels.map((t) => `${t.source}:${t.localPort}->${t.remoteHost}:${t.remotePort}`)).toEqual([
      'systemd:4000->localhost:4000',
      'systemd:14000->10.0.0.5:11434',
      'cron:8080->intranet:80',
      'cron:5432->db.internal:5432',
      'cron:6379->cache:6379',
    ]);
    expect(topology.proxyRoutes.filter((r) => r.proxy === 'traefik')).toEqual([
      { proxy: 'traefik', container: 'litellm', match: 'Host(`llm.lab.example`)', upstreamHost: 'litellm', upstreamPort: 4000 },
    ]);
    expect(topology.proxyRoutes.filter((r) => r.proxy === 'nginx').map((r) => [r.match, r.upstreamHost, r.upstreamPort])).toEqual([
      ['gw.lan /', '192.168.1.10', 4000],
    ]);
    expect(topology.proxyRoutes.filter((r) => r.proxy === 'caddy')).toHaveLength(7);
  });

  it('attributes references to their container, unit and file', () => {
    const { endpointReferences } = readTopology(hostArtifacts(), [litellm, webui]);

    expect(endpointReferences).toContainEqual({
      container: 'ai-open-webui-1',
      source: 'container-env',
      variable: 'OPENAI_API_BASE_URL',
      url: 'http://litellm:4000/v1',
      targetHost: 'litellm',
      targetPort: 4000,
    });
    expect(endpointReferences).toContainEqual(
      expect.objectContaining({ container: 'ai-open-webui-1', source: 'compose', variable: 'OLLAMA_BASE_URL', targetHost: 'ollama' }),
    );
    expect(endpointReferences).toContainEqual(
      expect.objectContaining({ source: 'env-file', unit: 'chat-app.service', path: '/etc/chat/chat.env', targetHost: 'litellm', targetPort: 4000 }),
    );
    expect(endpointReferences.filter((r) => r.path === '/srv/ai/webui.env').map((r) => [r.container, r.targetHost])).toEqual([
      ['ai-open-webui-1', 'ollama-a'],
      ['ai-open-webui-1', 'ollama-b'],
    ]);
    expect(endpointReferences.find((r) => r.path === '/srv/ai/.env')?.container).toBeNull();
    // The gateway's own backends are routes of its config, not consumers' references.
    expect(endpointReferences.some((r) => r.targetHost === 'gpu-box.lan')).toBe(false);
  });

  it('ties a host config file to the container that mounts it and resolves its keys there', () => {
    const seen: string[] = [];
    const { gatewayConfigs } = readTopology(hostArtifacts(), [litellm, webui], {
      fingerprint: (provider, value) => {
        seen.push(provider);
        return `${provider}:000000000000:${value.slice(-4)}`;
      },
    });

    expect(gatewayConfigs).toHaveLength(1);
    expect(gatewayConfigs[0]?.container).toBe('litellm');
    expect(gatewayConfigs[0]?.models.find((m) => m.name === 'gpt-4o')).toEqual({
      name: 'gpt-4o',
      provider: 'openai',
      keyVariable: 'OPENAI_API_KEY',
      keyFingerprint: 'openai:000000000000:0001',
    });
    expect(seen).toContain('groq');
  });

  it('never lets a planted password or query string into the result', () => {
    const json = JSON.stringify(readTopology(hostArtifacts(), [litellm, webui], { fingerprint: () => 'x:000000000000:xxxx' }));

    expect(json).not.toContain(PASSWORD);
    expect(json).not.toContain(QUERY_KEY);
    expect(json).not.toContain('key=');
    expect(json).not.toContain('hunter2');
    expect(json).not.toContain('dbpassword9090');
  });

  it('skips malformed files and still reads the rest', () => {
    const artifacts: HostArtifacts = {
      files: [
        file('litellm-config', '/bad/config.yaml', 'model_list: [\n  {'),
        file('compose', '/bad/compose.yaml', '\u0000\u0001: ['),
        file('nginx-conf', '/bad/nginx.conf', '}}}{{{;;;'),
        file('caddyfile', '/bad/Caddyfile', '{{{{'),
        file('proc-net-tcp', '/proc/net/tcp', 'not a socket table'),
        file('proc-fib-trie', '/proc/net/fib_trie', fixture('fib_trie.txt')),
      ],
      environments: [],
    };
    const badContainer = { ...webui, labels: { 'traefik.http.routers.x.rule': 'Host(`x`)' }, compose: undefined, ports: undefined };

    const topology = readTopology(artifacts, [badContainer]);

    expect(topology.addresses).toContain('192.168.1.10');
    expect(topology.gatewayConfigs).toEqual([]);
    expect(topology.proxyRoutes).toEqual([]);
  });
});
