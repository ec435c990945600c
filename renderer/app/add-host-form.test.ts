import { describe, expect, it } from 'vitest';
import type { HostEntry } from '../../shared/ipc/index.js';
import { EMPTY_ADD_HOST_FORM, validateAddHost } from './add-host-form.js';

const existing: HostEntry[] = [{ name: 'This machine', address: 'local', source: 'local' }, { name: 'gw', address: 'root@10.0.0.1:22', source: 'ssh-config' }];

describe('validateAddHost', () => {
  it('builds a request with a numeric port and leaves empty optional fields out', () => {
    const result = validateAddHost({ ...EMPTY_ADD_HOST_FORM, name: ' nas ', hostName: '10.0.0.5', port: '2222' }, existing);

    expect(result).toEqual({ ok: true, request: { name: 'nas', hostName: '10.0.0.5', port: 2222 } });
  });

  it('keeps user and identity file when given', () => {
    const result = validateAddHost({ name: 'nas', hostName: 'nas.lan', user: 'alice', port: '', identityFile: '~/.ssh/id_ed25519' }, existing);

    expect(result).toEqual({ ok: true, request: { name: 'nas', hostName: 'nas.lan', user: 'alice', identityFile: '~/.ssh/id_ed25519' } });
  });

  it('asks for a name and a hostname when both are empty', () => {
    const result = validateAddHost(EMPTY_ADD_HOST_FORM, existing);

    expect(result).toEqual({ ok: false, errors: { name: 'A name is required', hostName: 'A hostname or IP address is required' } });
  });

  it('refuses a name with spaces or wildcards using the contract schema message', () => {
    const result = validateAddHost({ ...EMPTY_ADD_HOST_FORM, name: 'my host*', hostName: 'h' }, existing);

    expect(result.ok).toBe(false);
    expect(!result.ok && result.errors.name).toMatch(/no spaces or wildcards/);
  });

  it('refuses a port that is not a whole number from 1 to 65535', () => {
    for (const port of ['abc', '0', '70000', '22.5']) {
      const result = validateAddHost({ ...EMPTY_ADD_HOST_FORM, name: 'nas', hostName: 'h', port }, existing);
      expect(!result.ok && result.errors.port, `port ${port}`).toBe('The port is a number from 1 to 65535');
    }
  });

  it('refuses a name that an existing host already has', () => {
    const result = validateAddHost({ ...EMPTY_ADD_HOST_FORM, name: 'gw', hostName: '10.0.0.9' }, existing);

    expect(result).toEqual({ ok: false, errors: { name: 'A host named gw already exists' } });
  });
});
