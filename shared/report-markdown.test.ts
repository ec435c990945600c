import { describe, expect, it } from 'vitest';
import type { ScanReport } from './model.js';
import { SAMPLE, sampleReport } from './fixtures/sample-report.js';
import { escapeMarkdown, renderMarkdownReport, renderSummaryTable } from './report-markdown.js';

/** The cells of a GFM table row, split on pipes that are not backslash-escaped. */
function cells(row: string): string[] {
  return row
    .replace(/^\|\s?|\s?\|$/g, '')
    .split(/(?<!\\)\|/)
    .map((cell) => cell.trim());
}

describe('renderMarkdownReport', () => {
  it('starts with the title and the scan time', () => {
    const report = sampleReport();

    const markdown = renderMarkdownReport(report);

    expect(markdown.split('\n').slice(0, 3)).toEqual(['# Blast Radius scan report', '', `- Scanned at: ${SAMPLE.scannedAt}`]);
  });

  it('tabulates every host with its address, status and counts, and no counts for a host never read', () => {
    const report = sampleReport();

    const rows = renderMarkdownReport(report)
      .split('\n')
      .filter((line) => line.startsWith('| '))
      .map(cells);

    expect(rows).toEqual([
      ['Host', 'Address', 'Status', 'Containers', 'Environments', 'Packages', 'Findings'],
      ['---', '---', '---', '---:', '---:', '---:', '---:'],
      ['gw', 'root@127.0.0.7:22', 'ok', '2', '3', '8', '1'],
      ['nodocker', 'alice@127.0.0.8:22', 'ok', '0', '2', '3', '1'],
      ['unreachable', 'root@127.0.0.9:22', 'unreachable', '-', '-', '-', '-'],
    ]);
  });

  it('escapes a | in a container name so the finding cannot break out of its line or a table', () => {
    const report = sampleReport();
    report.findings[0]!.container = 'lite|llm';
    report.hosts[0]!.name = 'gw|dmz';

    const markdown = renderMarkdownReport(report);

    expect(markdown).toContain('- Container: lite\\|llm');
    const gwRow = markdown.split('\n').find((line) => line.startsWith('| gw'))!;
    expect(cells(gwRow)).toHaveLength(7);
    expect(cells(gwRow)[0]).toBe('gw\\|dmz');
  });

  it('renders a newline in a path as <br> so the table and the list stay whole', () => {
    const report = sampleReport();
    report.findings[1]!.path = '/home/alice/evil\n| injected | row |';
    report.hosts[2]!.address = 'root@127.0.0.9:22\n# Not a heading';

    const markdown = renderMarkdownReport(report);

    expect(markdown).toContain('- Python environment: /home/alice/evil<br>\\| injected \\| row \\|');
    expect(markdown).not.toMatch(/^# Not a heading/m);
    const unreachableRow = markdown.split('\n').find((line) => line.startsWith('| unreachable'))!;
    expect(cells(unreachableRow)[1]).toBe('root@127.0.0.9:22<br>\\# Not a heading');
  });

  it('groups findings by severity, most severe first, with their evidence as bullets', () => {
    const report = sampleReport();
    report.findings[1]!.severity = 'low';

    const markdown = renderMarkdownReport(report);

    const critical = markdown.indexOf('### Critical (1)');
    const low = markdown.indexOf('### Low (1)');
    expect(critical).toBeGreaterThan(-1);
    expect(low).toBeGreaterThan(critical);
    expect(markdown).toContain('#### litellm 1.82.8 (malicious code, MAL-2026-2144) in container litellm on gw');
    expect(markdown).toContain(`  - Version 1.82.8 read from ${SAMPLE.litellmSite}/litellm-1.82.8.dist-info`);
    expect(markdown).toContain('- Advisories: MAL-2026-2144, PYSEC-2026-2, GHSA-5mg7-485q-xm76');
  });

  it('lists the hosts that were not fully scanned with their errors', () => {
    const report = sampleReport();

    const markdown = renderMarkdownReport(report);

    const section = markdown.slice(markdown.indexOf('## Hosts not fully scanned'));
    expect(section).toContain(`- **unreachable** (root@127.0.0.9:22): unreachable — ${SAMPLE.unreachableError}`);
    expect(section).not.toContain('**gw**');
  });

  it('says so when there are no findings and every host was scanned', () => {
    const report = sampleReport();
    report.findings = [];
    report.hosts = report.hosts.slice(0, 2);

    const markdown = renderMarkdownReport(report);

    expect(markdown).toContain('No findings.');
    expect(markdown).toContain('Every host was fully scanned.');
  });
});

describe('escapeMarkdown', () => {
  it('neutralises emphasis, links, HTML and control characters', () => {
    expect(escapeMarkdown('*a* _b_ [c](d) <img src=x> &lt; \u001b[31m')).toBe(
      '\\*a\\* \\_b\\_ \\[c\\](d) \\<img src=x\\> &amp;lt; \\u001b\\[31m',
    );
  });
});

describe('renderSummaryTable', () => {
  it('prints one aligned row per host with status, counts, findings and worst severity', () => {
    const report = sampleReport();

    const table = renderSummaryTable(report);

    expect(table).toBe(
      [
        'HOST         STATUS       CONTAINERS  ENVS  PACKAGES  FINDINGS  WORST',
        'gw           ok                    2     3         8         1  critical',
        'nodocker     ok                    0     2         3         1  critical',
        'unreachable  unreachable           -     -         -         -  -',
        '',
      ].join('\n'),
    );
  });

  it('keeps a hostile host name on one line with no terminal escape sequences', () => {
    const report = sampleReport();
    report.hosts[0]!.name = 'gw\n\u001b[2Jowned';
    report.findings = [];

    const table = renderSummaryTable(report);

    expect(table.split('\n')).toHaveLength(5);
    expect(table).not.toContain('\u001b');
    expect(table).toContain('gw\\n\\x1b[2Jowned');
  });

  it('shortens a very long host name so the columns stay readable', () => {
    const report = sampleReport();
    report.hosts[1]!.name = 'n'.repeat(100);

    const header = renderSummaryTable(report).split('\n')[0]!;

    expect(header.indexOf('STATUS')).toBe(42);
  });
});

describe('renderMarkdownReport and unknown finding kinds', () => {
  it('renders a finding of a kind from a newer version by its common fields', () => {
    const report = sampleReport() as unknown as ScanReport;
    const future = { id: 'future-1', kind: 'exposed-docker-api', severity: 'high', title: 'Docker API on tcp/2375 without TLS', host: 'gw', container: null, evidence: ['dockerd -H tcp://0.0.0.0:2375'] };
    report.findings = [future as unknown as ScanReport['findings'][number]];

    const markdown = renderMarkdownReport(report);

    expect(markdown).toContain('Docker API on tcp/2375 without TLS');
    expect(markdown).toContain('dockerd -H tcp://0.0.0.0:2375');
  });
});
