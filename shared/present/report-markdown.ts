/**
 * Renders a scan report for people: a Markdown document (`blast-radius scan --markdown`, the
 * case export) and a fixed-width summary table for the CLI's stdout. Every value read off a host
 * (names, paths, images, error messages) is untrusted: it is escaped so it cannot break a table,
 * inject Markdown or HTML, or send control sequences to the terminal.
 */
import { REGISTER_COLUMNS, REGISTER_INTRODUCTION, registerCells } from './register-report.js';
import { suppressionNote } from '../case/suppressions.js';
import { reportPlan } from '../checklist/report-plan.js';
import { PLAN_PHASE_TITLES } from '../checklist/types.js';
import { hostWasRead } from '../domain/host-status.js';
import type { Finding, HostInventory, PlanStep, ScanReport, SecretLocation, Severity } from '../model/index.js';
import { PLAN_PHASES, SEVERITIES, compareSeverity, isFindingOfKind } from '../model/index.js';
import { findingFacts } from '../kinds/registry.js';
import { copyComparisonRows } from './copy-comparisons.js';

/** Renders the whole report as GitHub-flavoured Markdown. */
export function renderMarkdownReport(report: ScanReport): string {
  const out: string[] = [];
  // A host whose latest scan failed shows an earlier read: it may have changed since, so it is listed too.
  const incomplete = report.hosts.filter((host) => host.status !== 'ok' || host.failedAttempt !== undefined);

  out.push('# Blast Radius scan report', '');
  out.push(`- Scanned at: ${md(report.scannedAt)}`);
  out.push(`- Hosts: ${report.hosts.length} (${report.hosts.length - incomplete.length} fully scanned, ${incomplete.length} not fully scanned)`);
  out.push(`- Findings: ${report.findings.length}${report.findings.length > 0 ? ` (${severityCounts(report.findings)})` : ''}`);
  out.push(`- Report format: schemaVersion ${md(String(report.schemaVersion))}`);
  const provenance = report.provenance;
  out.push(`- Tool: ${provenance ? md(`${provenance.tool.name} ${provenance.tool.version}`) : 'unknown (the report predates provenance)'}`);
  if (provenance) {
    const rules = provenance.iocRules;
    out.push(`- IOC rules: ${md(`${rules.version}, ${rules.rules} rules (${rules.custom} custom), ${rules.fingerprint}`)}`);
    out.push(`- Advisories: ${provenance.advisories.length} records (listed under Provenance)`);
  }
  out.push('');

  out.push('## Hosts', '');
  if (report.hosts.length === 0) {
    out.push('No hosts were scanned.', '');
  } else {
    out.push('| Host | Address | Status | Containers | Environments | Packages | Findings |');
    out.push('| --- | --- | --- | ---: | ---: | ---: | ---: |');
    for (const host of report.hosts) {
      const counts = hostCounts(host, report.findings);
      out.push(
        `| ${[host.name, host.address, host.status, counts.containers, counts.environments, counts.packages, counts.findings].map(md).join(' | ')} |`,
      );
    }
    out.push('');
  }

  out.push('## Findings', '');
  if (report.findings.length === 0) out.push('No findings.', '');
  for (const severity of severitiesPresent(report.findings)) {
    const group = report.findings.filter((finding) => finding.severity === severity);
    out.push(`### ${capitalise(md(severity))} (${group.length})`, '');
    for (const finding of group) out.push(...renderFinding(finding, suppressionNote(report.suppressions, finding.id)));
  }

  out.push(...renderTopology(report.findings));
  out.push(...renderGatewayTraffic(report.hosts));
  out.push(
    ...section(
      '## Installed copies compared',
      [
        'Each distribution version whose files were hashed, its copies compared byte for byte with each other and with a known-good artifact when one was imported (installer-written files set aside). `artifact-mismatch` findings name the files that differ.',
        '',
      ],
      ['Package', 'Version', 'Copies compared', 'Known-good artifact', 'Where (variant)'],
      copyComparisonRows(report.copyComparisons ?? []).map((row) => [row.package, row.version, row.verdict, row.knownGood, row.copies]),
    ),
  );
  out.push(...renderPlan(report.plan ?? reportPlan(report)));
  out.push(...section('## Supply-chain register', [REGISTER_INTRODUCTION, ''], [...REGISTER_COLUMNS], (report.register ?? []).map(registerCells)));

  out.push('## Hosts not fully scanned', '');
  if (incomplete.length === 0) out.push('Every host was fully scanned.', '');
  for (const host of incomplete) {
    out.push(`- **${md(host.name)}** (${md(host.address)}): ${md(host.status)}${host.error ? ` — ${md(host.error)}` : ''}`);
    const failed = host.failedAttempt;
    if (failed) {
      out.push(`  - the latest scan (${md(failed.at)}) could not read it: ${md(failed.status)} — ${md(failed.error)}; what is shown was read at ${md(host.scannedAt ?? 'an earlier scan')}`);
    }
    for (const note of host.notes ?? []) out.push(`  - ${md(note.collector)}: ${md(note.message)}`);
  }
  if (incomplete.length > 0) {
    out.push('', 'A host that was not fully scanned is unknown, not clean: scan it again once it can be reached.', '');
  }
  out.push(
    ...section(
      '## Provenance',
      ['The advisory records this report was judged against, each with its own modified time.', ''],
      ['Advisory', 'Modified', 'Aliases'],
      (report.provenance?.advisories ?? []).map((entry) => [entry.id, entry.modified ?? '-', entry.aliases.join(', ')]),
    ),
  );
  return out.join('\n');
}

/** Renders one row per host as a plain-text fixed-width table, for the CLI's stdout. */
export function renderSummaryTable(report: Pick<ScanReport, 'hosts' | 'findings'>): string {
  const header = ['HOST', 'STATUS', 'CONTAINERS', 'ENVS', 'PACKAGES', 'FINDINGS', 'WORST'];
  // Counts are right-aligned so their digits line up; text columns are left-aligned.
  const numeric = [false, false, true, true, true, true, false];
  const rows = report.hosts.map((host) => {
    const counts = hostCounts(host, report.findings);
    return [
      host.name,
      host.status,
      counts.containers,
      counts.environments,
      counts.packages,
      counts.findings,
      worstSeverity(report.findings.filter((finding) => finding.host === host.name)) ?? '-',
    ].map(plain);
  });
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const line = (cells: readonly string[]): string =>
    cells
      .map((cell, column) => (numeric[column] ? cell.padStart(widths[column] ?? 0) : cell.padEnd(widths[column] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/**
 * The plan, phase by phase, numbered within each phase as the app numbers it: each step with the
 * places it concerns, what it waits for and why, and its detail. The same plan the app shows.
 */
function renderPlan(plan: readonly PlanStep[]): string[] {
  const out = ['## Plan', ''];
  if (plan.length === 0) return [...out, 'Nothing to do: no finding calls for a step.', ''];
  const labels = new Map<string, string>();
  for (const phase of PLAN_PHASES) {
    plan.filter((step) => step.phase === phase).forEach((step, index) => labels.set(step.id, `${PLAN_PHASE_TITLES[phase]} step ${index + 1}`));
  }
  const blocked = plan.filter((step) => step.state === 'blocked').length;
  out.push(
    `${plan.length} step${plan.length === 1 ? '' : 's'}: contain, eradicate, rotate, verify, recover, harden, in that order. ${blocked} wait${blocked === 1 ? 's' : ''} for other steps; each says which, and why.`,
    '',
  );
  for (const phase of PLAN_PHASES) {
    const steps = plan.filter((step) => step.phase === phase);
    if (steps.length === 0) continue;
    out.push(`### ${PLAN_PHASE_TITLES[phase]} (${steps.length})`, '');
    steps.forEach((step, index) => {
      const state = step.state === 'open' ? '' : ` _(${step.state})_`;
      out.push(`${index + 1}. **${md(step.title)}**${state}`);
      out.push(`   - Where: ${step.places.map((place) => md(place.container === null ? place.host : `${place.host} · container ${place.container}`)).join(', ')}`);
      if (step.blockedBy.length > 0) {
        const names = step.blockedBy.map((id) => {
          const title = plan.find((candidate) => candidate.id === id)?.title;
          return md(title ? `${labels.get(id) ?? id} (${title})` : id);
        });
        out.push(`   - Waits for: ${names.join('; ')}${step.blockedReason ? `. ${md(step.blockedReason)}` : ''}`);
      }
      for (const line of step.detail.split('\n').filter((text) => text.trim().length > 0)) out.push(`   - ${md(line.replace(/^- /, ''))}`);
      out.push(`   - Step id: ${md(step.id)}`);
    });
    out.push('');
  }
  return out;
}

/** Escapes a value for inline Markdown: table pipes, emphasis, links, HTML; newlines become `<br>`. */
export function escapeMarkdown(value: string): string {
  return value
    .replace(/[\\`*_[\]<>|~#]/g, (char) => `\\${char}`)
    .replace(/&/g, '&amp;')
    .replace(/\r\n|\r|\n/g, '<br>')
    // Other control characters render as nothing and hide what a value really is: show them.
    .replace(/[\u0000-\u0008\u000b-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`)
    .replace(/\t/g, ' ');
}

function renderFinding(finding: Finding, suppression: string | null): string[] {
  const out = [`#### ${md(finding.title)}`, ''];
  // The owner's acceptance first: a reader must not take a suppressed finding for an open one, nor miss that one came back.
  if (suppression) out.push(`- **${md(capitalised(suppression))}**`);
  out.push(`- Host: ${md(finding.host)}`);
  out.push(`- Container: ${finding.container === null ? 'none (on the host itself)' : md(finding.container)}`);
  out.push(...kindDetails(finding));
  out.push(`- Finding id: ${md(finding.id)}`);
  if (finding.evidence.length > 0) {
    out.push('- Evidence:');
    for (const line of finding.evidence) out.push(`  - ${md(line)}`);
  }
  out.push('');
  return out;
}

/** The fields particular to the finding's kind, one bullet a fact (the same facts the evidence panel shows). */
function kindDetails(finding: Finding): string[] {
  return findingFacts(finding).map((fact) => `- ${md(fact.label)}: ${md(fact.value)}`);
}

/**
 * The topology at a glance: every key by fingerprint (never a value: the report holds none), the
 * gateways, who consumes them, and where SSH keys lead. A section appears only when the scan found
 * something for it, so a report without these findings reads as before.
 */
function renderTopology(findings: readonly Finding[]): string[] {
  const secrets = findings.filter((finding) => isFindingOfKind(finding, 'secret'));
  const gateways = findings.filter((finding) => isFindingOfKind(finding, 'gateway'));
  const consumers = findings.filter((finding) => isFindingOfKind(finding, 'consumer'));
  const lateral = findings.filter((finding) => isFindingOfKind(finding, 'ssh-lateral'));
  const reach = [...new Set(lateral.flatMap((finding) => finding.evidence.filter((line) => line.includes(' is reachable from exposed host '))))];
  return [
    ...section(
      '## Keys',
      ['Fingerprints only: rotate each key, then replace it in every place listed.', ''],
      ['Fingerprint', 'Provider', 'Severity', 'Places'],
      secrets.map((finding) => [finding.fingerprint, finding.provider, finding.severity, finding.locations.map(placeOf).join('; ')]),
    ),
    ...section(
      '## Gateways',
      [],
      ['Gateway', 'Host', 'Kind', 'Severity', 'Endpoints', 'Backends'],
      gateways.map((finding) => [finding.container ?? finding.service ?? finding.gateway, finding.host, finding.gateway, finding.severity, finding.endpoints.join(', '), finding.backends.join(', ')]),
    ),
    ...section(
      '## Gateway consumers',
      [],
      ['Consumer', 'Consumer host', 'Gateway', 'Gateway host', 'Via', 'Severity'],
      consumers.map((finding) => [finding.consumer, finding.consumerHost, finding.gateway, finding.gatewayHost, finding.via, finding.severity]),
    ),
    ...section(
      '## SSH lateral movement',
      [],
      ['From', 'To', 'Account', 'Key', 'Severity'],
      lateral.map((finding) => [finding.fromHost, finding.toHost, finding.toUser, finding.keyFingerprint, finding.severity]),
    ),
    ...(reach.length > 0 ? [...reach.map((line) => `- ${md(line)}`), ''] : []),
  ];
}

/** Who the gateways' own access logs say sent requests over the window: one table per gateway, by client address. */
function renderGatewayTraffic(hosts: readonly HostInventory[]): string[] {
  return hosts.flatMap((host) =>
    (host.gatewayTraffic ?? []).flatMap((traffic) =>
      section(
        `## Gateway traffic: ${md(traffic.container ?? `service ${traffic.unit ?? 'unknown'}`)} on ${md(host.name)}${traffic.source === 'gateway-db' ? ' (request log in its database)' : ''}`,
        [
          `From ${traffic.source === 'gateway-db' ? "the request log in the gateway's database" : traffic.container === null ? 'its journal' : 'its log'} between ${md(traffic.window.start)} and ${md(traffic.window.end)}${traffic.truncated ? ' (only the newest part of the log was read)' : ''}; the consumers above name who each address is.`,
          '',
        ],
        ['Client address', 'Requests', 'First', 'Last', traffic.source === 'gateway-db' ? 'Models' : 'Paths'],
        traffic.clients.map((client) => [
          client.address,
          String(client.requests),
          client.first,
          client.last,
          traffic.source === 'gateway-db' ? (client.models ?? []).map((model) => `${model.model} × ${model.requests}`).join(', ') : client.paths.join(', '),
        ]),
      ),
    ),
  );
}

/** A heading, an introduction and a GFM table whose every cell is escaped; nothing when there are no rows. */
function section(heading: string, introduction: readonly string[], header: readonly string[], rows: readonly string[][]): string[] {
  if (rows.length === 0) return [];
  return [
    heading,
    '',
    ...introduction,
    `| ${header.join(' | ')} |`,
    `| ${header.map(() => '---').join(' | ')} |`,
    ...rows.map((row) => `| ${row.map(md).join(' | ')} |`),
    '',
  ];
}

function placeOf(location: SecretLocation): string {
  const where = location.container === null ? location.host : `${location.host}/${location.container}`;
  const what = location.variable ?? location.path;
  return what !== undefined ? `${where} (${what})` : where;
}

interface HostCounts {
  containers: string;
  environments: string;
  packages: string;
  findings: string;
}

function hostCounts(host: HostInventory, findings: readonly Finding[]): HostCounts {
  // A host that was never read has no counts: "0 containers" would claim it was looked at.
  if (!hostWasRead(host.status)) return { containers: '-', environments: '-', packages: '-', findings: '-' };
  return {
    containers: String(host.containers.length),
    environments: String(host.pythonEnvironments.length),
    packages: String(host.pythonEnvironments.reduce((sum, environment) => sum + environment.packages.length, 0)),
    findings: String(findings.filter((finding) => finding.host === host.name).length),
  };
}

function severitiesPresent(findings: readonly Finding[]): Severity[] {
  const present = new Set(findings.map((finding) => finding.severity));
  // Known severities in order, then any a newer report might carry, so none is dropped.
  return [...SEVERITIES.filter((severity) => present.has(severity)), ...[...present].filter((severity) => !SEVERITIES.includes(severity))];
}

function severityCounts(findings: readonly Finding[]): string {
  return severitiesPresent(findings)
    .map((severity) => `${findings.filter((finding) => finding.severity === severity).length} ${md(severity)}`)
    .join(', ');
}

function worstSeverity(findings: readonly Finding[]): Severity | null {
  return findings.map((finding) => finding.severity).sort(compareSeverity)[0] ?? null;
}

function md(value: string): string {
  return escapeMarkdown(value);
}

/** Makes a remote value safe for a terminal and one table cell: no control sequences, bounded width. */
function plain(value: string): string {
  const visible = value
    .replace(/\r\n|\r|\n/g, '\\n')
    .replace(/\t/g, '\\t')
    .replace(/[\u0000-\u001f\u007f-\u009f]/g, (char) => `\\x${char.charCodeAt(0).toString(16).padStart(2, '0')}`);
  return visible.length > MAX_CELL ? `${visible.slice(0, MAX_CELL - 1)}…` : visible;
}

const MAX_CELL = 40;

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
