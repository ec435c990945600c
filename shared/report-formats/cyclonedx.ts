/**
 * CycloneDX 1.6 JSON with VEX: every place that holds a package an advisory covers becomes a
 * component (`pkg:pypi/…`, its host, container and environment as properties; the container's
 * image as a `container` component `pkg:oci/…@sha256:…` that depends on it), and each place ×
 * advisory a vulnerability whose analysis is the place's exposure verdict:
 * exposed → `exploitable`; likely-exposed, unknown → `in_triage`; not-exposed → `not_affected`
 * (`code_not_present`: the place ran a clean version throughout the window). The verdict's reasons
 * are the analysis detail. The tool, the advisory snapshot and the IOC rules ride in the metadata.
 * A place the owner's suppression file accepts keeps its state (the evidence has not changed) and
 * gains the response `will_not_fix` with the reason first in the detail; an expired entry is said
 * in the detail and a property.
 */
import { suppressionState } from '../case/suppressions.js';
import { normalizePackageName } from '../domain/advisories/pep503.js';
import { fnv1a64 } from '../domain/fnv1a64.js';
import type { CompromisedPackageFinding, Container, ScanReport, Severity, Verdict } from '../model/index.js';
import { isFindingOfKind } from '../model/index.js';
import type { ReportRenderer } from './formats.js';
import { advisoryEntry, provenanceOf } from './provenance-of.js';
import { ociPurl, pypiPurl } from './purl.js';
import { registerProperties } from '../present/register-report.js';

/** The VEX analysis of each verdict: the state, and for not-exposed its justification. */
export const VEX_ANALYSIS = {
  exposed: { state: 'exploitable' },
  'likely-exposed': { state: 'in_triage' },
  unknown: { state: 'in_triage' },
  'not-exposed': { state: 'not_affected', justification: 'code_not_present' },
} as const satisfies Record<Verdict, { state: string; justification?: string }>;

/** CycloneDX rating severities by ours (the same words, `info` excepted). */
const RATING: Record<Severity, string> = { critical: 'critical', high: 'high', medium: 'medium', low: 'low', info: 'info' };

/** A place that holds a package an advisory covers, with its verdict. */
interface AffectedPlace {
  host: string;
  container: string | null;
  path: string;
  package: string;
  version: string;
  advisories: readonly string[];
  verdict: Verdict;
  reasons: readonly string[];
  /** The compromised-package finding of this place and package, when the installed version is affected. */
  finding: CompromisedPackageFinding | undefined;
}

interface Property {
  name: string;
  value: string;
}

/** Renders the report as a CycloneDX 1.6 BOM with VEX, indented JSON. */
export function renderCycloneDx(report: ScanReport): string {
  const provenance = provenanceOf(report);
  const places = affectedPlaces(report);
  const components: Record<string, unknown>[] = [];
  const dependencies = new Map<string, string[]>();
  const refs = new Map<AffectedPlace, string>();

  for (const place of places) {
    const ref = `pypi:${normalizePackageName(place.package)}@${place.version} in ${placeName(place)}:${place.path}`;
    if (!refs.has(place) && !components.some((component) => component['bom-ref'] === ref)) {
      components.push({
        type: 'library',
        'bom-ref': ref,
        name: place.package,
        version: place.version,
        purl: pypiPurl(place.package, place.version),
        properties: locationProperties(place.host, place.container, place.path),
      });
    }
    refs.set(place, ref);
    if (place.container !== null) {
      const imageRef = `image of ${place.host}/${place.container}`;
      const container = containerOf(report, place.host, place.container);
      if (!dependencies.has(imageRef)) {
        dependencies.set(imageRef, []);
        components.push({
          type: 'container',
          'bom-ref': imageRef,
          name: container?.image ?? place.container,
          ...(container?.imageDigest ? { version: container.imageDigest } : {}),
          ...(container ? { purl: ociPurl(container.image, container.imageDigest) } : {}),
          properties: locationProperties(place.host, place.container, null),
        });
      }
      const dependsOn = dependencies.get(imageRef)!;
      if (!dependsOn.includes(ref)) dependsOn.push(ref);
    }
  }

  // The supply-chain register: each AI component an application, its provenance and the owner's trust as properties.
  for (const row of report.register ?? []) {
    components.push({ type: 'application', 'bom-ref': `register:${row.id}`, name: `${row.kind}: ${row.name}`, ...(row.version !== null ? { version: row.version } : {}), properties: registerProperties(row) });
  }

  const vulnerabilities = places.map((place, index) => vulnerability(report, place, refs.get(place)!, index));
  const bom = {
    $schema: 'http://cyclonedx.org/schema/bom-1.6.schema.json',
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: serialNumber(report),
    version: 1,
    metadata: {
      timestamp: report.scannedAt,
      tools: { components: [{ type: 'application', name: provenance.tool.name, version: provenance.tool.version }] },
      properties: [
        { name: 'blast-radius:report-schema-version', value: String(report.schemaVersion) },
        { name: 'blast-radius:ioc-rules:version', value: provenance.iocRules.version },
        { name: 'blast-radius:ioc-rules:rules', value: String(provenance.iocRules.rules) },
        { name: 'blast-radius:ioc-rules:custom', value: String(provenance.iocRules.custom) },
        { name: 'blast-radius:ioc-rules:fingerprint', value: provenance.iocRules.fingerprint },
        // One property per advisory record in effect: `ID modified` (CycloneDX allows a name to repeat).
        ...provenance.advisories.map((entry) => ({ name: 'blast-radius:advisory', value: `${entry.id} ${entry.modified ?? 'no-modified-date'}` })),
      ],
    },
    components,
    dependencies: [...dependencies].map(([ref, dependsOn]) => ({ ref, dependsOn })),
    vulnerabilities,
  };
  return `${JSON.stringify(bom, null, 2)}\n`;
}

/** The CycloneDX format. */
export const cycloneDxRenderer: ReportRenderer = {
  label: 'CycloneDX 1.6 (VEX)',
  extension: 'cdx.json',
  mediaType: 'application/vnd.cyclonedx+json',
  render: renderCycloneDx,
};

/**
 * Every place × advisory with its verdict: the report's exposures, and any compromised-package
 * finding without one (a report of an earlier version: assume exposed, as the format says).
 */
function affectedPlaces(report: ScanReport): AffectedPlace[] {
  const findings = report.findings.filter((finding) => isFindingOfKind(finding, 'compromised-package'));
  const key = (place: { host: string; container: string | null; path: string; package: string }, advisory: string) =>
    JSON.stringify([place.host, place.container, place.path, normalizePackageName(place.package), advisory]);
  const findingFor = (place: { host: string; container: string | null; path: string; package: string }, advisories: readonly string[]) =>
    findings.find((finding) => finding.advisories.some((id) => advisories.includes(id)) && key(finding, '') === key(place, ''));

  const places: AffectedPlace[] = (report.exposures ?? []).map((exposure) => ({
    host: exposure.host,
    container: exposure.container,
    path: exposure.path,
    package: exposure.package,
    version: exposure.installedVersion,
    advisories: exposure.advisories,
    verdict: exposure.verdict,
    reasons: exposure.reasons,
    finding: findingFor(exposure, exposure.advisories),
  }));
  const covered = new Set(places.flatMap((place) => place.advisories.map((id) => key(place, id))));
  for (const finding of findings) {
    if (finding.advisories.some((id) => covered.has(key(finding, id)))) continue;
    places.push({ ...finding, verdict: finding.verdict ?? 'exposed', reasons: finding.reasons ?? [], finding });
  }
  return places;
}

function vulnerability(report: ScanReport, place: AffectedPlace, ref: string, index: number): Record<string, unknown> {
  const [primary = 'unknown', ...aliases] = place.advisories;
  const analysis = VEX_ANALYSIS[place.verdict];
  const modified = advisoryEntry(report, primary)?.modified;
  const suppression = place.finding ? suppressionState(report.suppressions, place.finding.id) : null;
  const detail = place.reasons.length > 0 ? place.reasons.join('\n') : 'No evidence either way: assume exposed until a scan shows otherwise.';
  return {
    'bom-ref': `vulnerability-${index + 1}`,
    id: primary,
    source: osvSource(primary),
    ...(aliases.length > 0 ? { references: aliases.map((id) => ({ id, source: osvSource(id) })) } : {}),
    ...(place.finding ? { ratings: [{ source: { name: 'blast-radius' }, severity: RATING[place.finding.severity], method: 'other' }] } : {}),
    ...(modified ? { updated: modified } : {}),
    analysis: {
      state: analysis.state,
      ...('justification' in analysis ? { justification: analysis.justification } : {}),
      ...(suppression?.state === 'suppressed' ? { response: ['will_not_fix'] } : {}),
      detail: suppression ? `${suppressionDetail(suppression)}\n${detail}` : detail,
    },
    affects: [{ ref, versions: [{ version: place.version, status: place.finding ? 'affected' : 'unaffected' }] }],
    properties: [
      { name: 'blast-radius:verdict', value: place.verdict },
      ...(suppression ? [{ name: suppression.state === 'suppressed' ? 'blast-radius:suppressed' : 'blast-radius:suppression-expired', value: suppressionDetail(suppression) }] : []),
      ...locationProperties(place.host, place.container, place.path),
    ],
  };
}

/** The owner's acceptance in words: `Suppressed by the owner: REASON (until DATE).` or `Suppression expired on DATE: REASON.` */
function suppressionDetail({ state, applied }: NonNullable<ReturnType<typeof suppressionState>>): string {
  return state === 'suppressed'
    ? `Suppressed by the owner: ${applied.reason}${applied.expires ? ` (until ${applied.expires})` : ''}.`
    : `Suppression expired on ${applied.expires ?? '?'}: ${applied.reason}.`;
}

/** OSV as the source of an advisory id, linking its record. */
function osvSource(id: string): { name: string; url: string } {
  return { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` };
}

function locationProperties(host: string, container: string | null, path: string | null): Property[] {
  return [
    { name: 'blast-radius:host', value: host },
    ...(container !== null ? [{ name: 'blast-radius:container', value: container }] : []),
    ...(path !== null ? [{ name: 'blast-radius:path', value: path }] : []),
  ];
}

function placeName(place: { host: string; container: string | null }): string {
  return place.container === null ? place.host : `${place.host}/${place.container}`;
}

function containerOf(report: ScanReport, host: string, name: string): Container | undefined {
  return report.hosts.find((candidate) => candidate.name === host)?.containers.find((container) => container.name === name);
}

/**
 * A serial number derived from the report (its scan time, hosts and findings), so exporting the
 * same report twice gives the same BOM and two reports two BOMs. Shaped as an RFC 4122 UUID
 * (version 8, the RFC 9562 custom layout).
 */
function serialNumber(report: ScanReport): string {
  const seed = JSON.stringify([report.scannedAt, report.hosts.map((host) => [host.name, host.status]), report.findings.map((finding) => finding.id)]);
  const hex = (fnv1a64(seed) + fnv1a64(`${seed}\u0000`)).slice(0, 32).split('');
  hex[12] = '8';
  hex[16] = ((parseInt(hex[16]!, 16) & 0x3) | 0x8).toString(16);
  const text = hex.join('');
  return `urn:uuid:${text.slice(0, 8)}-${text.slice(8, 12)}-${text.slice(12, 16)}-${text.slice(16, 20)}-${text.slice(20, 32)}`;
}

