import { describe, expect, it } from 'vitest';
import type { ScanReport } from '../model/index.js';
import { LAB, SAMPLE, sampleLabReport, sampleReport } from '../fixtures/sample-report.js';
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

  it("lists a host whose latest scan failed, saying its inventory is the earlier read", () => {
    const report = sampleReport();
    Object.assign(report.hosts[0]!, {
      scannedAt: '2026-03-25T08:30:00.000Z',
      failedAttempt: { at: '2026-03-26T10:00:00.000Z', status: 'unreachable', error: 'connection timed out' },
    });

    const markdown = renderMarkdownReport(report);

    const section = markdown.slice(markdown.indexOf('## Hosts not fully scanned'));
    expect(section).toContain('- **gw** (root@127.0.0.7:22): ok\n  - the latest scan (2026-03-26T10:00:00.000Z) could not read it: unreachable — connection timed out; what is shown was read at 2026-03-25T08:30:00.000Z');
    expect(markdown).toContain('(1 fully scanned, 2 not fully scanned)');
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

describe('renderMarkdownReport topology sections', () => {
  /** The sample report with one finding of each topology kind, as buildReport writes them for a LiteLLM gateway on gw. */
  function topologyReport(): ScanReport {
    const report: ScanReport = sampleReport();
    const exposed = 'litellm 1.82.8 judged exposed (MAL-2026-2144)';
    report.findings.push(
      {
        id: 'secret:openai:3f9a1c0d5e7b:Qx4T',
        kind: 'secret',
        severity: 'critical',
        title: 'openai key openai:3f9a1c0d5e7b:Qx4T in 2 places on 2 hosts',
        host: 'gw',
        container: 'litellm',
        provider: 'openai',
        fingerprint: 'openai:3f9a1c0d5e7b:Qx4T',
        locations: [
          { host: 'gw', container: 'litellm', source: 'container-env', variable: 'OPENAI_API_KEY' },
          { host: 'nodocker', container: null, source: 'env-file', path: '/home/alice/project/.env', variable: 'OPENAI_API_KEY' },
        ],
        evidence: [`Container litellm on gw: environment variable OPENAI_API_KEY — place judged exposed: ${exposed}`],
      },
      {
        id: 'gateway:gw:container=litellm',
        kind: 'gateway',
        severity: 'critical',
        title: 'LiteLLM gateway container litellm on gw is exposed',
        host: 'gw',
        container: 'litellm',
        gateway: 'litellm',
        endpoints: ['litellm:4000', '10.88.0.7:4000'],
        backends: ['openai'],
        evidence: [],
      },
      {
        id: 'consumer:gw:container=open|webui->gw:container=litellm',
        kind: 'consumer',
        severity: 'high',
        title: 'Container open|webui on gw sends requests to the exposed LiteLLM gateway litellm on gw (shared-network)',
        host: 'gw',
        container: 'open|webui',
        consumer: 'open|webui',
        consumerHost: 'gw',
        gateway: 'litellm',
        gatewayHost: 'gw',
        via: 'shared-network',
        evidence: [],
      },
      {
        id: 'ssh-lateral:nodocker->gw:root:ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
        kind: 'ssh-lateral',
        severity: 'critical',
        title: 'Exposed host nodocker holds a key that logs into gw as root',
        host: 'nodocker',
        container: null,
        fromHost: 'nodocker',
        toHost: 'gw',
        keyFingerprint: 'ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8',
        toUser: 'root',
        evidence: ['gw is reachable from exposed host nodocker in 1 hop'],
      },
    );
    return report;
  }

  it('lists keys by fingerprint with every place, gateways, consumers and lateral movement', () => {
    const lines = renderMarkdownReport(topologyReport()).split('\n');

    expect(lines).toContain('| openai:3f9a1c0d5e7b:Qx4T | openai | critical | gw/litellm (OPENAI\\_API\\_KEY); nodocker (OPENAI\\_API\\_KEY) |');
    expect(lines).toContain('| litellm | gw | litellm | critical | litellm:4000, 10.88.0.7:4000 | openai |');
    expect(lines).toContain('| nodocker | gw | root | ssh:SHA256:nThbg6kXUpJWGl7E1IGOCspRomTxdCARLviKw6E5SY8 | critical |');
    expect(lines).toContain('- gw is reachable from exposed host nodocker in 1 hop');
    const headings = lines.filter((line) => line.startsWith('## '));
    expect(headings).toEqual(['## Hosts', '## Findings', '## Keys', '## Gateways', '## Gateway consumers', '## SSH lateral movement', '## Plan', '## Hosts not fully scanned']);
  });

  it('escapes a consumer name so it stays in its cell', () => {
    const row = renderMarkdownReport(topologyReport())
      .split('\n')
      .find((line) => line.startsWith('| open\\|'))!;

    expect(cells(row)).toEqual(['open\\|webui', 'gw', 'litellm', 'gw', 'shared-network', 'high']);
  });

  it('tabulates a gateway\'s logged clients over the window, after the topology sections', () => {
    const report = topologyReport();
    report.hosts.find((host) => host.name === 'gw')!.gatewayTraffic = [
      {
        container: 'litellm',
        window: { start: '2026-03-24T10:39:00Z', end: '2026-03-25T09:00:00Z' },
        clients: [
          {
            address: '172.20.0.3',
            requests: 42,
            first: '2026-03-24T10:41:07Z',
            last: '2026-03-24T16:02:11Z',
            hours: [{ hour: '2026-03-24T10:00:00Z', requests: 42 }],
            paths: ['/v1/chat/completions', '/v1/models'],
            statuses: [{ status: 200, requests: 42 }],
          },
        ],
      },
    ];

    const lines = renderMarkdownReport(report).split('\n');

    expect(lines).toContain('## Gateway traffic: litellm on gw');
    expect(lines).toContain('| 172.20.0.3 | 42 | 2026-03-24T10:41:07Z | 2026-03-24T16:02:11Z | /v1/chat/completions, /v1/models |');
    const headings = lines.filter((line) => line.startsWith('## '));
    expect(headings.indexOf('## Gateway traffic: litellm on gw')).toBe(headings.indexOf('## SSH lateral movement') + 1);
  });

  it('leaves the topology sections out when the scan found nothing for them', () => {
    const markdown = renderMarkdownReport(sampleReport());

    expect(markdown).not.toContain('## Keys');
    expect(markdown).not.toContain('## Gateways');
  });
});

describe('renderMarkdownReport plan section', () => {
  /** The lines of the Markdown report's "## Plan" section. */
  const planSection = (report: ScanReport): string[] => {
    const lines = renderMarkdownReport(report).split('\n');
    const start = lines.indexOf('## Plan');
    const end = lines.findIndex((line, index) => index > start && line.startsWith('## '));
    return lines.slice(start, end);
  };

  it('lists the plan phase by phase, numbered as the app numbers it, with what each step waits for and why', () => {
    const section = planSection(sampleLabReport());

    expect(section.filter((line) => line.startsWith('### '))).toEqual(['### Contain (3)', '### Eradicate (5)', '### Rotate (7)', '### Verify (2)', '### Recover (4)']);
    const isolate = section.indexOf('1. **Isolate gw and block egress to models.litellm.cloud and checkmarx.zone**');
    expect(isolate).toBeGreaterThan(section.indexOf('### Contain (3)'));
    expect(section[isolate + 1]).toBe('   - Where: gw');
    const rotate = section.findIndex((line) => line.startsWith('3. **Rotate the OpenAI key'));
    expect(section[rotate]).toContain('_(blocked)_');
    expect(section[rotate + 2]).toMatch(/^   - Waits for: Contain step 1 \(Isolate gw and block egress to models.litellm.cloud and checkmarx.zone\)\. A key is rotated once every place/);
    expect(section).toContain('   - gw · container litellm · container-env OPENAI\\_API\\_KEY: removed by Eradicate step 1 (Stop and remove container litellm on gw); do not put the new key here.');
  });

  it('uses the plan the report carries when it has one, escaped like every other value', () => {
    const report = sampleLabReport();
    report.plan = [{ id: 'x', phase: 'harden', title: '<b>pin</b> | it', detail: 'one\ntwo', places: [{ host: LAB.ollama, container: null }], blockedBy: [], state: 'open' }];

    const section = planSection(report);

    expect(section).toEqual([
      '## Plan',
      '',
      '1 step: contain, eradicate, rotate, verify, recover, harden, in that order. 0 wait for other steps; each says which, and why.',
      '',
      '### Harden (1)',
      '',
      '1. **\\<b\\>pin\\</b\\> \\| it**',
      '   - Where: ollama',
      '   - one',
      '   - two',
      '   - Step id: x',
      '',
    ]);
  });
});
