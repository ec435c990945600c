import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

describe('parseArgs', () => {
  it('collects repeated hosts and every option of a full scan command line', () => {
    const args = parseArgs(['scan', '--ssh-config', 'lab.conf', '--host', 'gw', '--host=nas', '--json', 'r.json', '--markdown', 'r.md', '--concurrency', '8', '--accept-new', '--fail-on', 'HIGH']);

    expect(args).toEqual({
      command: 'scan', sshConfig: 'lab.conf', hosts: ['gw', 'nas'], all: false, local: false, json: 'r.json',
      markdown: 'r.md', concurrency: 8, acceptNew: true, failOn: 'high', advisories: null, iocRules: null, verifyAllRecords: false,
    });
  });

  it('takes extra IOC rules and the full RECORD verification', () => {
    expect(parseArgs(['scan', '--all', '--ioc-rules', 'rules.d', '--verify-all-records'])).toMatchObject({ iocRules: 'rules.d', verifyAllRecords: true });
  });

  it('refuses a scan with nothing to scan', () => {
    expect(() => parseArgs(['scan', '--json', 'x.json'])).toThrow('nothing to scan');
  });

  it('refuses an unknown severity naming the accepted ones', () => {
    expect(() => parseArgs(['scan', '--all', '--fail-on', 'urgent'])).toThrow(/critical, high, medium, low, info/);
  });

  it('refuses a value-taking option at the end of the line', () => {
    expect(() => parseArgs(['scan', '--all', '--json'])).toThrow(new UsageError('--json needs a value'));
  });

  it('refuses a concurrency that is not a positive whole number', () => {
    expect(() => parseArgs(['scan', '--all', '--concurrency', '0'])).toThrow(UsageError);
    expect(() => parseArgs(['scan', '--all', '--concurrency', 'many'])).toThrow(UsageError);
  });

  it('refuses unknown commands and options', () => {
    expect(() => parseArgs(['audit'])).toThrow('unknown command');
    expect(() => parseArgs(['scan', '--all', '--fast'])).toThrow('unknown option "--fast"');
  });

  it('shows help when asked or given nothing', () => {
    expect(parseArgs([])).toEqual({ command: 'help' });
    expect(parseArgs(['scan', '--help'])).toEqual({ command: 'help' });
  });
});
