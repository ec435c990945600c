import { describe, expect, it } from 'vitest';
import type { ArtifactKind, TextArtifact } from '../artifacts.js';
import { commandOf, gatewayServicesIn } from './gateway-units.js';

const file = (kind: ArtifactKind, path: string, text: string, user: string | null = null): TextArtifact => ({ kind, container: null, path, user, text, truncated: false });

const LITELLM_UNIT = `[Unit]
Description=LiteLLM proxy
After=network-online.target

[Service]
Type=simple
User=litellm
WorkingDirectory=/opt/litellm
EnvironmentFile=-/etc/litellm/litellm.env
Environment="PORT=4001" LITELLM_LOG=INFO
ExecStart=/opt/litellm/venv/bin/litellm --config config.yaml --host 0.0.0.0 --port 4100 \\
  --master_key sk-NOT-KEPT-1234
Restart=always

[Install]
WantedBy=multi-user.target
`;

describe('gatewayServicesIn', () => {
  it('reads a pip-installed LiteLLM unit: venv, config against WorkingDirectory, env file, port, and no other argument', () => {
    const [read] = gatewayServicesIn([
      file('systemd-unit', '/etc/systemd/system/litellm.service', LITELLM_UNIT),
      file('systemd-env-file', '/etc/litellm/litellm.env', 'OPENAI_API_KEY=sk-env-value\n'),
    ]);

    expect(read!.service).toEqual({
      gateway: 'litellm',
      unit: 'litellm.service',
      path: '/etc/systemd/system/litellm.service',
      scope: 'system',
      program: '/opt/litellm/venv/bin/litellm',
      arguments: ['--config', 'config.yaml', '--host', '0.0.0.0', '--port', '4100'],
      venv: '/opt/litellm/venv',
      configPaths: ['/opt/litellm/config.yaml'],
      workingDirectory: '/opt/litellm',
      environmentFiles: ['/etc/litellm/litellm.env'],
      ports: [4100],
      serviceUser: 'litellm',
    });
    expect(JSON.stringify(read!.service)).not.toContain('sk-NOT-KEPT');
    expect(read!.environment.get('OPENAI_API_KEY')).toBe('sk-env-value');
  });

  it('recognises python -m litellm and uvicorn serving the proxy app, under env and sh -c, and a user unit', () => {
    const services = gatewayServicesIn([
      file('systemd-unit', '/lib/systemd/system/gw-a.service', '[Service]\nExecStart=/usr/bin/env LITELLM_MODE=PRODUCTION /srv/gw/.venv/bin/python3.11 -m litellm --config=/srv/gw/cfg.yaml\n'),
      file('systemd-unit', '/etc/systemd/system/gw-b.service', '[Service]\nExecStart=/bin/sh -c \'cd /srv/b && exec /srv/b/venv/bin/uvicorn litellm.proxy.proxy_server:app --port 8080\'\n'),
      file('systemd-unit', '/home/ana/.config/systemd/user/gw-c.service', '[Service]\nExecStart=%h/.local/bin/litellm\n', 'ana'),
      file('systemd-unit', '/etc/systemd/system/web.service', '[Service]\nEnvironment=LITELLM_URL=http://gw:4000\nExecStart=/usr/bin/node /srv/web/server.js\n'),
    ]);

    expect(services.map(({ service }) => [service.unit, service.gateway, service.venv, service.configPaths, service.ports, service.scope, service.user ?? null])).toEqual([
      ['gw-a.service', 'litellm', '/srv/gw/.venv', ['/srv/gw/cfg.yaml'], [4000], 'system', null],
      ['gw-b.service', 'litellm', '/srv/b/venv', [], [8080], 'system', null],
      ['gw-c.service', 'litellm', null, [], [4000], 'user', 'ana'],
    ]);
  });

  it('applies drop-ins in order and lets an empty ExecStart= reset the command, as systemd does', () => {
    const services = gatewayServicesIn([
      file('systemd-unit', '/lib/systemd/system/proxy.service', '[Service]\nExecStart=/usr/bin/true\n'),
      file('systemd-unit', '/etc/systemd/system/proxy.service.d/20-port.conf', '[Service]\nExecStart=\nExecStart=/opt/p/venv/bin/litellm --port 4200\n'),
      file('systemd-unit', '/etc/systemd/system/proxy.service.d/10-first.conf', '[Service]\nExecStart=\nExecStart=/opt/p/venv/bin/litellm --port 4199\n'),
    ]);

    expect(services.map(({ service }) => [service.unit, service.path, service.ports])).toEqual([['proxy.service', '/lib/systemd/system/proxy.service', [4200]]]);
  });
});

describe('commandOf', () => {
  it("takes systemd's prefixes off", () => {
    expect(commandOf('-/opt/v/bin/litellm --port 1')).toEqual(['/opt/v/bin/litellm', '--port', '1']);
  });
});
