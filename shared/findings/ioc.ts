/**
 * Turns IOC hits (what the collector found where) into `ioc` findings, one per host, container,
 * rule and place. The rule supplies severity, title and source; a hit of a rule the builder does
 * not know (an extra rules folder used for the scan but not for this report) still becomes a
 * finding, as high severity, rather than disappearing.
 */
import type { HostInventory, IocFinding, IocHit } from '../model/index.js';
import { compareSeverity } from '../model/index.js';
import { describeSource, type IocRule } from '../domain/iocs/rules.js';

/** Most characters of a matched line quoted in evidence (the collector already cuts at 200 bytes). */
const MAX_MATCHED_CHARS = 200;

/** The stable id of an IOC finding: the same rule matching the same place on a re-scan keeps it. */
export function iocFindingId(host: string, container: string | null, ruleId: string, path?: string, unit?: string): string {
  // Same prefixes as compromised-package ids: a container named "host" stays apart from the host.
  const place = container === null ? 'host' : `container=${container}`;
  return `ioc:${host}:${place}:${ruleId}:${path ?? ''}${unit !== undefined ? `#${unit}` : ''}`;
}

/** One finding per (host, container, rule, path/unit) of every host's IOC hits, most severe first. */
export function findIocs(hosts: readonly HostInventory[], rules: readonly IocRule[]): IocFinding[] {
  const rulesById = new Map(rules.map((rule) => [rule.id, rule]));
  const byId = new Map<string, IocFinding>();
  for (const host of hosts) {
    for (const hit of host.iocHits ?? []) {
      const finding = iocFinding(host.name, hit, rulesById.get(hit.ruleId));
      if (!byId.has(finding.id)) byId.set(finding.id, finding);
    }
  }
  return [...byId.values()].sort(
    (a, b) =>
      compareSeverity(a.severity, b.severity) ||
      compareText(a.host, b.host) ||
      compareText(a.container ?? '', b.container ?? '') ||
      compareText(a.id, b.id),
  );
}

function iocFinding(host: string, hit: IocHit, rule: IocRule | undefined): IocFinding {
  const where = hit.container === null ? `on ${host}` : `in container ${hit.container} on ${host}`;
  const place = hit.path ?? hit.unit ?? 'the host';
  const matched = hit.matched.length > MAX_MATCHED_CHARS ? `${hit.matched.slice(0, MAX_MATCHED_CHARS)}…` : hit.matched;
  const source = rule ? describeSource(rule.source) : 'unknown: the rule is not in the rules this report was built with';
  const finding: IocFinding = {
    id: iocFindingId(host, hit.container, hit.ruleId, hit.path, hit.unit),
    kind: 'ioc',
    severity: rule?.severity ?? 'high',
    title: `${rule?.title ?? `IOC rule ${hit.ruleId} matched`} ${where}`,
    host,
    container: hit.container,
    rule: hit.ruleId,
    source,
    evidence: [
      `${foundWhat(rule)} at ${place}${hit.unit !== undefined && hit.path !== undefined ? ` (unit ${hit.unit})` : ''}: ${matched === '' ? '(no text)' : matched}`,
      rule ? `Rule ${rule.id} (${rule.compromise}, ${rule.kind})` : `Rule ${hit.ruleId}`,
      `Source: ${source}`,
      ...(rule?.source.kind === 'secondary' ? ['Seen only in third-party write-ups: treat as a lead, confirm by looking at the file'] : []),
      ...(rule?.note ? [rule.note] : []),
    ],
  };
  if (hit.path !== undefined) finding.path = hit.path;
  if (hit.unit !== undefined) finding.unit = hit.unit;
  if (rule) {
    finding.ruleKind = rule.kind;
    finding.compromise = rule.compromise;
  }
  return finding;
}

function foundWhat(rule: IocRule | undefined): string {
  // A hit of a rule the report builder was not given says only that something matched.
  if (rule === undefined) return 'Matched';
  switch (rule.kind) {
    case 'file':
      return 'File present';
    case 'systemd-unit':
      return 'Unit file present';
    case 'file-hash':
      return 'File with a known-bad sha256';
    case 'log-string':
      return 'String found';
    case 'domain':
      return `${rule.domain} named`;
    case 'kubernetes-workload':
      return 'Kubernetes workload present';
    default:
      return unknownRuleKind(rule);
  }
}

/** Fails to compile when a rule kind is added without its wording above. */
function unknownRuleKind(rule: never): never {
  throw new Error(`unknown IOC rule kind in ${JSON.stringify(rule)}`);
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
