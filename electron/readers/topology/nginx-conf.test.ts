import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseHostPort } from './host-port.js';
import { nginxRoutes, nginxUpstreams, parseNginx } from './nginx-conf.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('nginxRoutes', () => {
  it('reads proxy_pass per location, resolving upstream blocks and skipping sockets and variables', () => {
    const file = parseNginx(fixture('nginx-litellm.conf'), '/etc/nginx/conf.d/litellm.conf');
    const routes = nginxRoutes(file, nginxUpstreams([file]));

    expect(routes.map((r) => [r.match, r.upstreamHost, r.upstreamPort])).toEqual([
      ['llm.lab.example gw.lab.example /', '10.0.0.11', 4000],
      ['llm.lab.example gw.lab.example /', 'litellm-2', 4000],
      ['llm.lab.example gw.lab.example ~ ^/ollama/(.*)$', '127.0.0.1', 11434],
      ['llm.lab.example gw.lab.example /webui/ /webui/ws/', 'open-webui', 8080],
      ['llm.lab.example gw.lab.example /webui/', 'webui.internal', 443],
      ['8080 /tgi', 'tgi', 50051],
    ]);
    expect(routes.every((r) => r.proxy === 'nginx' && r.path === '/etc/nginx/conf.d/litellm.conf')).toBe(true);
  });

  it('resolves an upstream declared in another file, and reads stream proxies', () => {
    const upstreamFile = parseNginx('upstream gw { server 192.168.1.10:4000; }', '/etc/nginx/conf.d/upstreams.conf');
    const site = parseNginx('server { listen 80; server_name a.lan; location / { proxy_pass http://gw/v1; } }', '/etc/nginx/sites-enabled/a');
    const stream = parseNginx(fixture('nginx-stream.conf'), '/etc/nginx/stream.conf');
    const upstreams = nginxUpstreams([upstreamFile, site, stream]);

    expect(nginxRoutes(site, upstreams).map((r) => [r.match, r.upstreamHost, r.upstreamPort])).toEqual([['a.lan /', '192.168.1.10', 4000]]);
    expect(nginxRoutes(stream, upstreams).map((r) => [r.match, r.upstreamHost, r.upstreamPort])).toEqual([
      ['15432', 'db1.lan', 5432],
      ['16379', 'cache.lan', 6379],
    ]);
  });

  it('survives unbalanced braces', () => {
    const file = parseNginx('server { server_name x; location / { proxy_pass http://a:1;', '/x');
    expect(nginxRoutes(file, new Map()).map((r) => r.upstreamHost)).toEqual(['a']);
    expect(nginxRoutes(parseNginx('}}}{{', '/y'), new Map())).toEqual([]);
  });
});

describe('parseHostPort', () => {
  it('reads the upstream forms proxies write', () => {
    expect(parseHostPort('http://user:pw@host:8080/x')).toEqual({ host: 'host', port: 8080 });
    expect(parseHostPort('https://api.example.com')).toEqual({ host: 'api.example.com', port: 443 });
    expect(parseHostPort('[fd00::5]:4000')).toEqual({ host: 'fd00::5', port: 4000 });
    expect(parseHostPort('backend:8001-8006')).toEqual({ host: 'backend', port: 8001 });
    expect(parseHostPort('unix:/run/x.sock')).toBeNull();
    expect(parseHostPort('{env.UPSTREAM}')).toBeNull();
  });
});
