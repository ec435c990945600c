/**
 * SARIF 2.1.0: one run, one result per finding. Each result's rule is its advisory for a
 * compromised package (`MAL-2026-2144`, linking its OSV record) and its kind for everything else
 * (`executable-pth`, `secret`…). Locations are `HOST/CONTAINER/PATH` (`_host` for the host itself:
 * a container name cannot start with `_`), every segment percent-encoded, with the host and
 * container as logical locations; a key's other places are related locations. The tool's
 * version is the driver's; the advisory snapshot and IOC rules are the run's properties; hosts
 * not fully read are tool notifications and make the invocation unsuccessful. A finding the
 * owner's suppression file accepts carries an external, accepted suppression with the reason as
 * its justification (SARIF §3.27.23: a viewer shows it as suppressed); one whose entry expired
 * carries an empty `suppressions` (known not to be suppressed) and the expired entry in its properties.
 */
import { suppressionState } from '../case/suppressions.js';
import { hostWasRead } from '../domain/host-status.js';
import { findingFacts, findingKindLabel } from '../kinds/registry.js';
import type { Finding, ScanReport, Severity } from '../model/index.js';
import { isFindingOfKind } from '../model/index.js';
import type { ReportRenderer } from './formats.js';
import { advisoryEntry, provenanceOf } from './provenance-of.js';

/** SARIF levels by severity: critical and high are errors, medium a warning, the rest notes. */
export const SARIF_LEVEL = { critical: 'error', high: 'error', medium: 'warning', low: 'note', info: 'note' } as const satisfies Record<Severity, string>;

/** GitHub code scanning's `security-severity` (a CVSS-like score) by severity. */
const SECURITY_SEVERITY: Record<Severity, string> = { critical: '9.5', high: '8.0', medium: '5.5', low: '3.0', info: '0.0' };

/** The segment that stands for "on the host itself" where a container name would be. */
export const HOST_SEGMENT = '_host';

interface Place {
  host: string;
  container: string | null;
  path?: string | undefined;
}

/** Renders the report as a SARIF 2.1.0 log, indented JSON. */
export function renderSarif(report: ScanReport): string {
  const provenance = provenanceOf(report);
  const rules: Record<string, unknown>[] = [];
  const ruleIndex = new Map<string, number>();
  const results = report.findings.map((finding) => {
    const ruleId = ruleIdOf(finding);
    if (!ruleIndex.has(ruleId)) {
      ruleIndex.set(ruleId, rules.length);
      rules.push(rule(report, finding, ruleId));
    }
    const [primary, ...related] = placesOf(finding);
    return {
      ruleId,
      ruleIndex: ruleIndex.get(ruleId)!,
      level: SARIF_LEVEL[finding.severity] ?? 'warning',
      message: { text: finding.title },
      locations: [location(primary!)],
      ...(related.length > 0 ? { relatedLocations: related.map((place, index) => ({ id: index + 1, ...location(place) })) } : {}),
      partialFingerprints: { 'blastRadiusFindingId/v1': finding.id },
      ...suppressionOnly(report, finding),
      properties: {
        kind: finding.kind,
        severity: finding.severity,
        host: finding.host,
        container: finding.container,
        evidence: finding.evidence,
        facts: findingFacts(finding).map((fact) => `${fact.label}: ${fact.value}`),
        ...(isFindingOfKind(finding, 'compromised-package') ? { advisories: finding.advisories, verdict: finding.verdict ?? 'exposed' } : {}),
        ...expiredSuppression(report, finding),
      },
    };
  });
  const notRead = report.hosts.filter((host) => host.status !== 'ok');
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: provenance.tool.name, version: provenance.tool.version, rules } },
        invocations: [
          {
            executionSuccessful: notRead.length === 0,
            endTimeUtc: report.scannedAt,
            toolExecutionNotifications: notRead.map((host) => ({
              level: hostWasRead(host.status) ? 'warning' : 'error',
              message: { text: `${host.name} (${host.address}) was not fully read: ${host.status}${host.error ? `: ${host.error}` : ''}` },
              locations: [location({ host: host.name, container: null })],
            })),
          },
        ],
        results,
        properties: {
          reportSchemaVersion: report.schemaVersion,
          advisories: provenance.advisories,
          iocRules: provenance.iocRules,
          ...(report.register ? { supplyChainRegister: report.register } : {}),
        },
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}

/** SARIF `suppressions` of a result: an accepted external one while an entry suppresses it, none (an empty list) once it expired. */
function suppressionOnly(report: ScanReport, finding: Finding): { suppressions?: Array<Record<string, unknown>> } {
  const found = suppressionState(report.suppressions, finding.id);
  if (!found) return {};
  if (found.state === 'expired') return { suppressions: [] };
  const { by, value, reason, expires } = found.applied;
  return { suppressions: [{ kind: 'external', status: 'accepted', justification: reason, properties: { by, value, expires } }] };
}

/** The expired entry of a result no longer suppressed, for its properties. */
function expiredSuppression(report: ScanReport, finding: Finding): { suppressionExpired?: Record<string, unknown> } {
  const found = suppressionState(report.suppressions, finding.id);
  if (found?.state !== 'expired') return {};
  const { by, value, reason, expires } = found.applied;
  return { suppressionExpired: { by, value, reason, expires } };
}

/** The SARIF format. */
export const sarifRenderer: ReportRenderer = { label: 'SARIF 2.1.0', extension: 'sarif', mediaType: 'application/sarif+json', render: renderSarif };

/** The advisory for a compromised package, the kind for every other finding. */
function ruleIdOf(finding: Finding): string {
  if (isFindingOfKind(finding, 'compromised-package') && finding.advisories[0]) return finding.advisories[0];
  return finding.kind;
}

function rule(report: ScanReport, finding: Finding, ruleId: string): Record<string, unknown> {
  const properties = { tags: ['security', finding.kind], 'security-severity': SECURITY_SEVERITY[finding.severity] ?? '5.5' };
  if (ruleId !== finding.kind && isFindingOfKind(finding, 'compromised-package')) {
    const modified = advisoryEntry(report, ruleId)?.modified;
    return {
      id: ruleId,
      name: 'CompromisedPackage',
      shortDescription: { text: `${findingKindLabel(finding.kind)}: ${ruleId}` },
      fullDescription: { text: `Installed ${finding.package} matches advisory ${finding.advisories.join(', ')}${modified ? ` (record modified ${modified})` : ''}.` },
      helpUri: `https://osv.dev/vulnerability/${encodeURIComponent(ruleId)}`,
      defaultConfiguration: { level: SARIF_LEVEL[finding.severity] ?? 'warning' },
      properties: { ...properties, advisories: finding.advisories, ...(modified ? { modified } : {}) },
    };
  }
  return {
    id: ruleId,
    shortDescription: { text: findingKindLabel(finding.kind) },
    defaultConfiguration: { level: SARIF_LEVEL[finding.severity] ?? 'warning' },
    properties,
  };
}

/** Where a finding is: its own place first; a key's every place it was seen; the path when the kind has one. */
function placesOf(finding: Finding): Place[] {
  if (isFindingOfKind(finding, 'secret') && finding.locations.length > 0) {
    return finding.locations.map((place) => ({ host: place.host, container: place.container, path: place.path }));
  }
  const path = 'path' in finding && typeof finding.path === 'string' ? finding.path : undefined;
  return [{ host: finding.host, container: finding.container, path }];
}

/** `HOST/CONTAINER/PATH` as a relative URI (each segment percent-encoded), with the host and container as logical locations. */
function location(place: Place): Record<string, unknown> {
  const segments = [place.host, place.container ?? HOST_SEGMENT, ...(place.path ?? '').split('/').filter((segment) => segment.length > 0)];
  const fullyQualifiedName = place.container === null ? place.host : `${place.host}/${place.container}`;
  return {
    physicalLocation: { artifactLocation: { uri: segments.map(encodeSegment).join('/') } },
    logicalLocations: [{ name: place.container ?? place.host, fullyQualifiedName, kind: place.container === null ? 'host' : 'container' }],
  };
}

/** A URI path segment: percent-encoded, and `.` or `..` (which a reader would resolve away) with their dots encoded too. */
function encodeSegment(segment: string): string {
  return /^\.+$/.test(segment) ? segment.replace(/\./g, '%2E') : encodeURIComponent(segment);
}
