import { expect, it } from 'vitest';
import { newBoundary } from './framing.js';
import { MAX_MATCHED_CHARS, parseIocScan } from './ioc-parser.js';

/** Output as the script frames it: `\n<boundary> <tag>\n<body>` per record. */
function output(boundary: string, records: Array<[string, string]>): string {
  return records.map(([tag, body]) => `\n${boundary} ${tag}\n${body}`).join('');
}

it('assembles hits from their records, stamps the container and drops a repeated hit', () => {
  const b = newBoundary();
  const text = output(b, [
    ['hit', 'litellm-sysmon-unit'],
    ['path', '/root/.config/systemd/user/sysmon.service'],
    ['unit', 'sysmon.service'],
    ['matched', 'Description=System Telemetry Service'],
    ['hit', 'litellm-sysmon-unit'],
    ['path', '/root/.config/systemd/user/sysmon.service'],
    ['unit', 'sysmon.service'],
    ['matched', 'Description=System Telemetry Service'],
    ['end', ''],
  ]);

  const scan = parseIocScan(text, b, { container: 'litellm' });

  expect(scan.completed).toBe(true);
  expect(scan.hits).toEqual([
    { ruleId: 'litellm-sysmon-unit', container: 'litellm', path: '/root/.config/systemd/user/sysmon.service', unit: 'sysmon.service', matched: 'Description=System Telemetry Service' },
  ]);
});

it('keeps a matched line that holds a fake record, newlines or shell syntax as data, bounded', () => {
  const b = newBoundary();
  const hostile = `$(reboot)\n${newBoundary()} hit\nfake-rule\n${'x'.repeat(500)}`;

  const scan = parseIocScan(output(b, [['hit', 'litellm-exfil-domain'], ['path', '/root/.bash_history'], ['matched', hostile], ['end', '']]), b, { container: null });

  expect(scan.hits).toHaveLength(1);
  expect(scan.hits[0]?.matched).toBe(hostile.slice(0, MAX_MATCHED_CHARS));
});

it('ignores a hit with a malformed rule id or a relative path, and reports a scan cut short', () => {
  const b = newBoundary();

  const scan = parseIocScan(output(b, [['hit', '../../etc'], ['path', '/x'], ['hit', 'good-rule'], ['path', 'relative/x'], ['matched', 'm']]), b, { container: null });

  expect(scan.hits).toEqual([{ ruleId: 'good-rule', container: null, matched: 'm' }]);
  expect(scan.completed).toBe(false);
});

it('collects missing tools, unreadable places, skipped links and big logs once each', () => {
  const b = newBoundary();

  const scan = parseIocScan(
    output(b, [
      ['missing-tool', 'grep'],
      ['missing-tool', 'grep'],
      ['unreadable', '/root'],
      ['unreadable', '/root'],
      ['skipped-link', '/home'],
      ['big', '/var/log/syslog\n/var/log/kern.log\n'],
      ['log-limit', ''],
      ['end', ''],
    ]),
    b,
    { container: null },
  );

  expect(scan).toMatchObject({
    missingTools: ['grep'],
    unreadable: ['/root'],
    skippedLinks: ['/home'],
    bigLogs: ['/var/log/syslog', '/var/log/kern.log'],
    logLimit: true,
    completed: true,
  });
});
