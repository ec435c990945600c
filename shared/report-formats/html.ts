/**
 * A self-contained HTML report: one file, no script, nothing loaded from anywhere (a CSP meta tag
 * forbids it, and the page links to nothing it would fetch), with a print stylesheet so the
 * browser's Print gives paper (or PDF) without clipped tables. Every value read off a host is
 * hostile: each goes through `escapeHtml`, attributes included.
 */
import { reportPlan } from '../checklist/report-plan.js';
import { PLAN_PHASE_TITLES } from '../checklist/types.js';
import { hostWasRead } from '../domain/host-status.js';
import { suppressionNote } from '../case/suppressions.js';
import { findingFacts, findingKindLabel } from '../kinds/registry.js';
import type { Finding, HostInventory, PlanStep, ScanReport } from '../model/index.js';
import { PLAN_PHASES, SEVERITIES } from '../model/index.js';
import type { ReportRenderer } from './formats.js';
import { iocRulesLine, provenanceOf, toolLine } from './provenance-of.js';
import { REGISTER_COLUMNS, REGISTER_INTRODUCTION, registerCells } from '../present/register-report.js';

/** Escapes text for HTML content and quoted attributes; control characters show as `\uXXXX` rather than vanish. */
export function escapeHtml(value: string): string {
  return value
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;')
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}

const h = escapeHtml;

/** The page's one policy: no fetch of any kind, inline styles only. */
const CSP = "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'";

const STYLE = `
:root { color-scheme: light; --line: #d0d4da; --muted: #5b6470; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #16191d; margin: 2rem auto; max-width: 72rem; padding: 0 1.5rem; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; } h2 { font-size: 1.25rem; border-bottom: 1px solid var(--line); padding-bottom: .2rem; margin-top: 2rem; }
h3 { font-size: 1.05rem; margin: 1.2rem 0 .4rem; }
table { border-collapse: collapse; width: 100%; margin: .5rem 0 1rem; }
th, td { border: 1px solid var(--line); padding: .3rem .5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
th { background: #f3f5f7; }
code, .mono { font-family: ui-monospace, "SFMono-Regular", Menlo, Consolas, monospace; font-size: .9em; overflow-wrap: anywhere; }
.meta { color: var(--muted); margin: 0 0 1rem; }
.finding { border: 1px solid var(--line); border-left-width: 6px; border-radius: 4px; padding: .5rem .8rem; margin: .6rem 0; }
.sev-critical { border-left-color: #a4161a; } .sev-high { border-left-color: #d9480f; } .sev-medium { border-left-color: #e8a700; }
.sev-low { border-left-color: #1c7ed6; } .sev-info { border-left-color: #868e96; }
.badge { display: inline-block; font-size: .75rem; font-weight: 600; text-transform: uppercase; padding: 0 .4rem; border-radius: 3px; background: #eef0f3; margin-right: .4rem; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .15rem .8rem; margin: .4rem 0; } dt { color: var(--muted); } dd { margin: 0; overflow-wrap: anywhere; }
ul.evidence { margin: .3rem 0; padding-left: 1.2rem; overflow-wrap: anywhere; } .step { margin: .4rem 0 .8rem; } .step .detail { white-space: pre-wrap; overflow-wrap: anywhere; }
.warning { background: #fff4e6; border: 1px solid #ffc078; padding: .5rem .8rem; border-radius: 4px; }
@media print {
  @page { size: A4; margin: 14mm 12mm; }
  body { margin: 0; max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; } h3 { break-after: avoid; }
  .finding, .step, tr { break-inside: avoid; }
  thead { display: table-header-group; }
  th { background: none; }
  a { color: inherit; text-decoration: none; }
}
`;

/** Renders the whole report as one HTML document. */
export function renderHtmlReport(report: ScanReport): string {
  const provenance = provenanceOf(report);
  const incomplete = report.hosts.filter((host) => host.status !== 'ok' || host.failedAttempt !== undefined);
  const body = [
    `<h1>Blast Radius scan report</h1>`,
    `<p class="meta">Scanned at ${h(report.scannedAt)} · ${report.hosts.length} host${report.hosts.length === 1 ? '' : 's'} (${incomplete.length} not fully read) · ${report.findings.length} finding${report.findings.length === 1 ? '' : 's'} · ${h(toolLine(report))}</p>`,
    incomplete.length > 0
      ? `<p class="warning">${incomplete.length} host${incomplete.length === 1 ? ' was' : 's were'} not fully read: unknown, not clean. See <em>Hosts not fully read</em>.</p>`
      : '',
    hostsSection(report),
    findingsSection(report.findings, report.suppressions),
    planSection(report.plan ?? reportPlan(report)),
    report.register && report.register.length > 0
      ? `<h2>Supply-chain register</h2>\n<p>${h(REGISTER_INTRODUCTION)}</p>\n${table([...REGISTER_COLUMNS], report.register.map(registerCells), '')}`
      : '',
    incompleteSection(incomplete),
    `<h2>Provenance</h2>`,
    `<dl><dt>Tool</dt><dd>${h(toolLine(report))}</dd><dt>IOC rules</dt><dd class="mono">${h(iocRulesLine(report))}</dd><dt>Report format</dt><dd>schemaVersion ${h(String(report.schemaVersion))}</dd></dl>`,
    table(
      ['Advisory', 'Modified', 'Aliases'],
      provenance.advisories.map((entry) => [entry.id, entry.modified ?? '—', entry.aliases.join(', ')]),
      'No advisory snapshot: the report predates it.',
    ),
  ];
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="${CSP}">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="${h(toolLine(report))}">
<title>Blast Radius scan report ${h(report.scannedAt)}</title>
<style>${STYLE}</style>
</head>
<body>
${body.filter((part) => part.length > 0).join('\n')}
</body>
</html>
`;
}

/** The HTML format. */
export const htmlRenderer: ReportRenderer = { label: 'HTML (printable)', extension: 'html', mediaType: 'text/html', render: renderHtmlReport };

function hostsSection(report: ScanReport): string {
  const rows = report.hosts.map((host) => {
    const read = hostWasRead(host.status);
    const findings = report.findings.filter((finding) => finding.host === host.name).length;
    return [host.name, host.address, host.status, read ? String(host.containers.length) : '—', read ? String(host.pythonEnvironments.length) : '—', read ? String(findings) : '—'];
  });
  return `<h2>Hosts</h2>\n${table(['Host', 'Address', 'Status', 'Containers', 'Environments', 'Findings'], rows, 'No hosts were scanned.')}`;
}

function findingsSection(findings: readonly Finding[], suppressions: ScanReport['suppressions']): string {
  if (findings.length === 0) return '<h2>Findings</h2>\n<p>No findings.</p>';
  const present = new Set(findings.map((finding) => finding.severity));
  const order = [...SEVERITIES.filter((severity) => present.has(severity)), ...[...present].filter((severity) => !SEVERITIES.includes(severity))];
  const groups = order.map((severity) => {
    const group = findings.filter((finding) => finding.severity === severity);
    return `<h3>${h(capitalise(severity))} (${group.length})</h3>\n${group.map((finding) => findingBlock(finding, suppressionNote(suppressions, finding.id))).join('\n')}`;
  });
  return `<h2>Findings</h2>\n${groups.join('\n')}`;
}

function findingBlock(finding: Finding, suppression: string | null): string {
  const facts = [
    ...(suppression ? [['Suppression', suppression]] : []),
    ['Kind', findingKindLabel(finding.kind)],
    ['Host', finding.host],
    ['Container', finding.container ?? 'none (on the host itself)'],
    ...findingFacts(finding).map((fact) => [fact.label, fact.value]),
    ['Finding id', finding.id],
  ];
  const evidence = finding.evidence.length > 0 ? `<ul class="evidence">${finding.evidence.map((line) => `<li>${h(line)}</li>`).join('')}</ul>` : '';
  return `<section class="finding sev-${h(finding.severity)}"><div><span class="badge">${h(finding.severity)}</span><strong>${h(finding.title)}</strong></div>
<dl>${facts.map(([label, value]) => `<dt>${h(label!)}</dt><dd>${h(value!)}</dd>`).join('')}</dl>${evidence}</section>`;
}

function planSection(plan: readonly PlanStep[]): string {
  if (plan.length === 0) return '<h2>Plan</h2>\n<p>Nothing to do: no finding calls for a step.</p>';
  const titles = new Map(plan.map((step) => [step.id, step.title]));
  const phases = PLAN_PHASES.flatMap((phase) => {
    const steps = plan.filter((step) => step.phase === phase);
    if (steps.length === 0) return [];
    const items = steps.map((step) => {
      const where = step.places.map((place) => (place.container === null ? place.host : `${place.host} · container ${place.container}`)).join(', ');
      const waits = step.blockedBy.length > 0 ? `<div>Waits for: ${h(step.blockedBy.map((id) => titles.get(id) ?? id).join('; '))}${step.blockedReason ? `. ${h(step.blockedReason)}` : ''}</div>` : '';
      return `<li class="step"><strong>${h(step.title)}</strong>${step.state === 'open' ? '' : ` <em>(${h(step.state)})</em>`}<div>Where: ${h(where)}</div>${waits}<div class="detail">${h(step.detail)}</div></li>`;
    });
    return [`<h3>${h(PLAN_PHASE_TITLES[phase])} (${steps.length})</h3>\n<ol>${items.join('\n')}</ol>`];
  });
  return `<h2>Plan</h2>\n${phases.join('\n')}`;
}

function incompleteSection(incomplete: readonly HostInventory[]): string {
  if (incomplete.length === 0) return '<h2>Hosts not fully read</h2>\n<p>Every host was fully read.</p>';
  const items = incomplete.map((host) => {
    const notes = (host.notes ?? []).map((note) => `<li>${h(note.collector)}: ${h(note.message)}</li>`).join('');
    const failed = host.failedAttempt ? `<li>The latest scan (${h(host.failedAttempt.at)}) could not read it: ${h(host.failedAttempt.status)} — ${h(host.failedAttempt.error)}</li>` : '';
    return `<li><strong>${h(host.name)}</strong> (${h(host.address)}): ${h(host.status)}${host.error ? ` — ${h(host.error)}` : ''}<ul>${failed}${notes}</ul></li>`;
  });
  return `<h2>Hosts not fully read</h2>\n<ul>${items.join('\n')}</ul>\n<p>A host that was not fully read is unknown, not clean: scan it again once it can be reached.</p>`;
}

function table(header: readonly string[], rows: readonly string[][], empty: string): string {
  if (rows.length === 0) return `<p>${h(empty)}</p>`;
  return `<table><thead><tr>${header.map((cell) => `<th>${h(cell)}</th>`).join('')}</tr></thead><tbody>${rows
    .map((row) => `<tr>${row.map((cell) => `<td>${h(cell)}</td>`).join('')}</tr>`)
    .join('')}</tbody></table>`;
}

function capitalise(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}
