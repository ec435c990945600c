import { describe, expect, it } from 'vitest';
import { parseArgs, UsageError } from './args.js';

describe('parseArgs', () => {
  it('collects repeated hosts and every option of a full scan command line', () => {
    const args = parseArgs(['scan', '--ssh-config', 'lab.conf', '--host', 'gw', '--host=nas', '--json', 'r.json', '--markdown', 'r.md', '--concurrency', '8', '--accept-new', '--fail-on', 'HIGH']);

    expect(args).toEqual({
      command: 'scan', sshConfig: 'lab.conf', hosts: ['gw', 'nas'], all: false, local: false,
      outputs: [{ format: 'json', target: 'r.json' }, { format: 'markdown', target: 'r.md' }], quiet: false, concurrency: 8, acceptNew: true, failOn: 'high', advisories: null, iocRules: null, verifyAllRecords: false, knownGood: [], windows: {},
      hostDeadlineSeconds: 300, decisions: [], checkRevoked: false, chromium: null, suppressions: null,
    });
  });

  it('takes pdf as a format to a file or stdout, printed with the Chromium --chromium names', () => {
    expect(parseArgs(['scan', '--all', '-o', 'PDF=r.pdf', '--chromium', '/opt/chrome/chrome'])).toMatchObject({ outputs: [{ format: 'pdf', target: 'r.pdf' }], chromium: '/opt/chrome/chrome' });
    expect(parseArgs(['scan', '--all', '--format', 'pdf'])).toMatchObject({ outputs: [{ format: 'pdf', target: '-' }], chromium: null });
    expect(() => parseArgs(['scan', '--all', '--chromium='])).toThrow('--chromium needs a value, not an empty one');
  });

  it('takes a suppression file with --suppressions, and refuses it empty', () => {
    expect(parseArgs(['scan', '--all', '--suppressions', 'accepted.yaml'])).toMatchObject({ suppressions: 'accepted.yaml' });
    expect(() => parseArgs(['scan', '--all', '--suppressions='])).toThrow('--suppressions needs a value, not an empty one');
  });

  it('checks revocation only when asked, with --check-revoked', () => {
    expect(parseArgs(['scan', '--all', '--check-revoked'])).toMatchObject({ checkRevoked: true });
    expect(parseArgs(['scan', '--all'])).toMatchObject({ checkRevoked: false });
    expect(() => parseArgs(['scan', '--all', '--check-revoked=yes'])).toThrow('takes no value');
  });

  it('takes extra IOC rules and the full RECORD verification', () => {
    expect(parseArgs(['scan', '--all', '--ioc-rules', 'rules.d', '--verify-all-records'])).toMatchObject({ iocRules: 'rules.d', verifyAllRecords: true });
  });

  it('takes known-good artifacts, repeatable, in the order given', () => {
    expect(parseArgs(['scan', '--all', '--known-good', 'litellm-1.82.8-py3-none-any.whl', '--known-good=requests.json'])).toMatchObject({
      knownGood: ['litellm-1.82.8-py3-none-any.whl', 'requests.json'],
    });
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

  it('gives each host 300 s unless --host-deadline says otherwise', () => {
    expect(parseArgs(['scan', '--all', '--host-deadline', '20'])).toMatchObject({ hostDeadlineSeconds: 20 });
    expect(parseArgs(['scan', '--all', '--host-deadline=3600'])).toMatchObject({ hostDeadlineSeconds: 3600 });
  });

  it('refuses a host deadline that is not a whole number of seconds from 1 to a day', () => {
    for (const value of ['0', '-5', '2.5', '1e3', 'soon', '86401']) {
      expect(() => parseArgs(['scan', '--all', '--host-deadline', value])).toThrow(/--host-deadline must be a whole number of seconds from 1 to 86400/);
    }
  });

  it('refuses unknown commands and options', () => {
    expect(() => parseArgs(['audit'])).toThrow('unknown command');
    expect(() => parseArgs(['scan', '--all', '--fast'])).toThrow('unknown option "--fast"');
  });

  it('shows help when asked or given nothing', () => {
    expect(parseArgs([])).toEqual({ command: 'help' });
    expect(parseArgs(['scan', '--help'])).toEqual({ command: 'help' });
  });

  it('narrows a known compromise window given as ID=START..END', () => {
    const args = parseArgs(['scan', '--all', '--window', 'litellm-2026-03-24=2026-03-24T10:39:00Z..2026-03-24T11:19:00.000Z']);

    expect(args).toMatchObject({ windows: { 'litellm-2026-03-24': { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' } } });
  });

  it('refuses a window with an unknown id, unparseable times or an end before its start', () => {
    expect(() => parseArgs(['scan', '--all', '--window', 'nope=2026-03-24T10:39:00Z..2026-03-24T11:19:00Z'])).toThrow(/unknown window "nope"/);
    expect(() => parseArgs(['scan', '--all', '--window', 'litellm-2026-03-24=yesterday..today'])).toThrow(/ISO 8601/);
    expect(() => parseArgs(['scan', '--all', '--window', 'litellm-2026-03-24=2026-03-24T12:00:00Z..2026-03-24T11:00:00Z'])).toThrow(/start must come before/);
    expect(() => parseArgs(['scan', '--all', '--window', 'litellm-2026-03-24'])).toThrow(/ID=START..END/);
  });

  it('takes remove-or-patch decisions by gateway place, repeatable, and refuses anything else', () => {
    expect(parseArgs(['scan', '--all', '--decide', 'gw/litellm=patch', '--decide=nas/ai-gateway=remove'])).toMatchObject({
      decisions: [
        { place: 'gw/litellm', decision: 'patch' },
        { place: 'nas/ai-gateway', decision: 'remove' },
      ],
    });
    expect(parseArgs(['scan', '--all'])).toMatchObject({ decisions: [] });
    for (const value of ['gw/litellm=upgrade', 'litellm=patch', 'gw/=patch', '/litellm=remove', 'gw/litellm']) {
      expect(() => parseArgs(['scan', '--all', '--decide', value]), value).toThrow(/--decide wants HOST\/NAME=remove\|patch/);
    }
  });

  it('takes repeatable -o FORMAT=FILE and --format for stdout, in the order given, --json and --markdown as aliases', () => {
    const args = parseArgs(['scan', '--all', '-o', 'sarif=r.sarif', '--output=cyclonedx=r.cdx.json', '--json', 'r.json', '-o', 'html=-', '--markdown=r.md', '-o', 'JSONL=r.jsonl']);

    expect(args).toMatchObject({
      outputs: [
        { format: 'sarif', target: 'r.sarif' },
        { format: 'cyclonedx', target: 'r.cdx.json' },
        { format: 'json', target: 'r.json' },
        { format: 'html', target: '-' },
        { format: 'markdown', target: 'r.md' },
        { format: 'jsonl', target: 'r.jsonl' },
      ],
    });
    expect(parseArgs(['scan', '--all', '--format', 'sarif'])).toMatchObject({ outputs: [{ format: 'sarif', target: '-' }] });
    expect(parseArgs(['scan', '--all', '--json', '-'])).toMatchObject({ outputs: [{ format: 'json', target: '-' }] });
  });

  it('refuses an unknown format, -o without FORMAT=FILE, and two reports for stdout', () => {
    expect(() => parseArgs(['scan', '--all', '--format', 'docx'])).toThrow(/--format: unknown format "docx" \(formats: json, jsonl, markdown, html, cyclonedx, sarif, pdf\)/);
    expect(() => parseArgs(['scan', '--all', '-o', 'xml=r.xml'])).toThrow(/-o: unknown format "xml"/);
    for (const value of ['sarif', 'sarif=', '=r.sarif']) expect(() => parseArgs(['scan', '--all', '-o', value]), value).toThrow(/-o wants FORMAT=FILE/);
    expect(() => parseArgs(['scan', '--all', '--format', 'json', '-o', 'sarif=-'])).toThrow('only one report can go to stdout, not json and sarif');
  });

  it('refuses an empty value such as --json= rather than writing nowhere', () => {
    for (const flag of ['--json', '--markdown', '--output', '--format', '--ssh-config', '--host']) {
      expect(() => parseArgs(['scan', '--all', `${flag}=`]), flag).toThrow(new UsageError(`${flag} needs a value, not an empty one`));
    }
  });

  it('refuses a value that is the next option, a forgotten value', () => {
    expect(() => parseArgs(['scan', '--json', '--all'])).toThrow(new UsageError('--json needs a value'));
    expect(() => parseArgs(['scan', '--all', '-o', '-q'])).toThrow(new UsageError('-o needs a value'));
  });

  it('takes --quiet and -q, and prints the version with -V or --version', () => {
    expect(parseArgs(['scan', '--all', '--quiet'])).toMatchObject({ quiet: true });
    expect(parseArgs(['scan', '--all', '-q'])).toMatchObject({ quiet: true });
    expect(parseArgs(['scan', '--all'])).toMatchObject({ quiet: false });
    expect(parseArgs(['-V'])).toEqual({ command: 'version' });
    expect(parseArgs(['--version'])).toEqual({ command: 'version' });
    expect(() => parseArgs(['scan', '--all', '-x'])).toThrow('unknown option "-x"');
    expect(() => parseArgs(['scan', '--all', 'extra'])).toThrow('unexpected argument "extra"');
  });
});
