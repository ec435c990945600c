import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

describe('collector and import command lines', () => {
  it('parses collector, which takes nothing', () => {
    expect(parseArgs(['collector'])).toEqual({ command: 'collector' });
    expect(() => parseArgs(['collector', '--all'])).toThrow(UsageError);
  });

  it('parses import with its files, a host name, report options and a case', () => {
    const args = parseArgs(['import', 'a.brc', '--host', 'web-1', '-o', 'json=out.json', '--fail-on', 'high', '--data-dir', '/data', '--case', 'abc']);
    expect(args).toMatchObject({ command: 'import', files: ['a.brc'], hosts: ['web-1'], outputs: [{ format: 'json', target: 'out.json' }], failOn: 'high', dataDir: '/data', caseId: 'abc' });
  });

  it('takes files wherever they are given, and not the values of options', () => {
    expect(parseArgs(['import', '--json', 'r.json', 'a.brc', 'b.brc'])).toMatchObject({ files: ['a.brc', 'b.brc'], outputs: [{ format: 'json', target: 'r.json' }] });
  });

  it('refuses what only means something over SSH, no file, and a case without its data folder', () => {
    expect(() => parseArgs(['import', 'a.brc', '--all'])).toThrow(/for scans over SSH/);
    expect(() => parseArgs(['import', 'a.brc', '--ssh-config', 'x'])).toThrow(UsageError);
    expect(() => parseArgs(['import'])).toThrow(/nothing to import/);
    expect(() => parseArgs(['import', 'a.brc', '--case', 'abc'])).toThrow(/go together/);
    expect(() => parseArgs(['import', 'a.brc', '--host', 'a', '--host', 'b'])).toThrow(UsageError);
  });
});
