import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { caddyRoutes } from './caddyfile.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');

describe('caddyRoutes', () => {
  it('reads every reverse_proxy upstream with its site and matchers, skipping globals and snippets', () => {
    const routes = caddyRoutes(fixture('Caddyfile'), '/etc/caddy/Caddyfile');

    expect(routes.map((r) => [r.match, r.upstreamHost, r.upstreamPort])).toEqual([
      ['llm.lab.example, gw.lab.example', 'litellm', 4000],
      ['chat.lab.example @api', 'open-webui-a', 8080],
      ['chat.lab.example @api', 'open-webui-b', 8080],
      ['chat.lab.example /ollama/*', '192.168.1.20', 11434],
      ['chat.lab.example', 'tgi', 3000],
      ['chat.lab.example', 'api.example.com', 443],
      [':8081 /metrics', 'localhost', 9090],
    ]);
    expect(routes.every((r) => r.proxy === 'caddy' && r.container === null && r.path === '/etc/caddy/Caddyfile')).toBe(true);
  });

  it('reads a single-site Caddyfile written without braces', () => {
    const routes = caddyRoutes('llm.lan\n\nreverse_proxy 127.0.0.1:4000\n', '/srv/Caddyfile');
    expect(routes.map((r) => [r.match, r.upstreamHost, r.upstreamPort])).toEqual([['llm.lan', '127.0.0.1', 4000]]);
  });

  it('gives nothing for unbalanced or empty text instead of throwing', () => {
    expect(caddyRoutes('}\n}\n{', '/x')).toEqual([]);
    expect(caddyRoutes('', '/x')).toEqual([]);
  });
});
