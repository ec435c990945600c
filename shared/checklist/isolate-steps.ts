/**
 * Containment for a host whose evidence of compromise is not a flagged package: an indicator of
 * compromise, or a start-up file Python runs that is known-bad or unrecognised. Such a host counts
 * as exposed (exposed-places.ts), so the rotation of every key it held waits for a step that cuts
 * it off; without one the plan would let a new key be placed where the attacker's code may run.
 * The step has the same id as the package isolate step, so a host with both gets one step, the
 * package's, with every finding behind it.
 */
import type { ContentSignatureFinding, ExecutablePthFinding, IocFinding } from '../model/index.js';
import { reachesSeverity } from '../model/index.js';
import type { ChecklistStep } from './types.js';
import { lines, part, plural, unique } from './text.js';

/** Findings that are evidence the attacker's code is on a host. */
type EvidenceFinding = IocFinding | ExecutablePthFinding | ContentSignatureFinding;

/** One isolate step per host with an IOC, an executable .pth or a content signature match at high or critical. */
export function isolateOnEvidenceSteps(findings: readonly EvidenceFinding[]): ChecklistStep[] {
  const serious = findings.filter((finding) => reachesSeverity(finding.severity, 'high'));
  return unique(serious.map((finding) => finding.host)).map((host): ChecklistStep => {
    const onHost = serious.filter((finding) => finding.host === host);
    const where = unique(onHost.map((finding) => (finding.container === null ? host : `container ${finding.container}`)));
    const evidence = unique(onHost.map(describe));
    return {
      id: `contain:isolate-host:${part(host)}`,
      phase: 'contain',
      title: `Isolate ${host}`,
      detail: lines(
        `${plural(evidence.length, 'sign')} of compromise on ${host} (${where.join(', ')}): ${evidence.slice(0, 3).join('; ')}${evidence.length > 3 ? `; and ${evidence.length - 3} more` : ''}.`,
        `The attacker's code may still run there. Cut it off the network (firewall rule, separate VLAN or unplug) but leave it powered: its logs and /tmp are evidence.`,
        `Assume it is exposed until the evidence says otherwise; "probably not" is not the standard.`,
      ),
      host,
      container: null,
      findingIds: onHost.map((finding) => finding.id),
      verification: 'manual',
      contains: { host, container: null },
    };
  });
}

function describe(finding: EvidenceFinding): string {
  if (finding.kind === 'ioc') return `${finding.rule}${finding.path ? ` at ${finding.path}` : finding.unit ? ` (${finding.unit})` : ''}`;
  if (finding.kind === 'content-signature') return `payload text (${finding.signatures[0]}) in ${finding.path}`;
  return `start-up file ${finding.path}`;
}
