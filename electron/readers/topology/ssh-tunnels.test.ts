import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { ArtifactKind, TextArtifact } from '../artifacts.js';
import { parseForward, tunnelsInFile } from './ssh-tunnels.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url), 'utf8');
const file = (kind: ArtifactKind, path: string, text: string): TextArtifact => ({ kind, container: null, path, user: null, text, truncated: false });

describe('tunnelsInFile', () => {
  it('reads every -L of an autossh ExecStart split over continuation lines', () => {
    const tunnels = tunnelsInFile(file('systemd-unit', '/etc/systemd/system/llm-tunnel.service', fixture('llm-tunnel.service')));

    expect(tunnels.map(({ command, ...rest }) => rest)).toEqual([
      {
        source: 'systemd',
        path: '/etc/systemd/system/llm-tunnel.service',
        unit: 'llm-tunnel.service',
        localAddress: '127.0.0.1',
        localPort: 4000,
        remoteHost: 'localhost',
        remotePort: 4000,
        sshDestination: 'tunnel@gpu.lab.example',
      },
      {
        source: 'systemd',
        path: '/etc/systemd/system/llm-tunnel.service',
        unit: 'llm-tunnel.service',
        localAddress: '127.0.0.1',
        localPort: 14000,
        remoteHost: '10.0.0.5',
        remotePort: 11434,
        sshDestination: 'tunnel@gpu.lab.example',
      },
    ]);
    expect(tunnels[0]?.command).toMatch(/^autossh -M 0 -N -o 'ServerAliveInterval 30' .* tunnel@gpu\.lab\.example$/);
  });

  it('reads crontab lines: -g binds every interface, joined -NL, IPv6 binds, LocalForward options, no sshpass password', () => {
    const tunnels = tunnelsInFile(file('crontab', '/var/spool/cron/crontabs/ops', fixture('crontab.txt')));

    expect(tunnels.map((t) => [t.source, t.localAddress, t.localPort, t.remoteHost, t.remotePort, t.sshDestination])).toEqual([
      ['cron', '0.0.0.0', 8080, 'intranet', 80, 'jump'],
      ['cron', '::1', 5432, 'db.internal', 5432, 'ops@bastion'],
      ['cron', '127.0.0.1', 6379, 'cache', 6379, 'ops@bastion'],
    ]);
    expect(JSON.stringify(tunnels)).not.toContain('hunter2');
  });

  it('reads scripts, treating autossh -M as taking a port and leaving the remote command out', () => {
    const tunnels = tunnelsInFile(file('script', '/usr/local/bin/tunnel.sh', fixture('tunnel.sh')));

    expect(tunnels).toEqual([
      {
        source: 'script',
        path: '/usr/local/bin/tunnel.sh',
        localAddress: '0.0.0.0',
        localPort: 4001,
        remoteHost: 'litellm',
        remotePort: 4000,
        sshDestination: 'gw',
        command: 'autossh -M 20000 -f -N -o StrictHostKeyChecking=accept-new -L *:4001:litellm:4000 gw',
      },
    ]);
  });

  it('ignores ssh without forwards and other file kinds', () => {
    expect(tunnelsInFile(file('script', '/x.sh', 'ssh backup@nas rsync --server .\n'))).toEqual([]);
    expect(tunnelsInFile(file('dotenv', '/x/.env', 'CMD=ssh -L 1:a:2 h\n'))).toEqual([]);
  });

  it('drops a password written into an ssh:// destination', () => {
    const [tunnel] = tunnelsInFile(file('script', '/t.sh', 'ssh -N -L 4000:litellm:4000 ssh://ops:S3cretPass@gw.lan:2222\n'));
    expect(tunnel?.sshDestination).toBe('ssh://ops@gw.lan:2222');
    expect(JSON.stringify(tunnel)).not.toContain('S3cretPass');
  });
});

describe('parseForward', () => {
  it('refuses Unix socket forwards and bad ports', () => {
    expect(parseForward('/run/app.sock:localhost:80', '127.0.0.1')).toBeNull();
    expect(parseForward('99999:a:80', '127.0.0.1')).toBeNull();
    expect(parseForward('8080:[fd00::5]:80', '127.0.0.1')).toEqual({ localAddress: '127.0.0.1', localPort: 8080, remoteHost: 'fd00::5', remotePort: 80 });
  });
});
