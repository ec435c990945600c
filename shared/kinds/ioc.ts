/** An indicator-of-compromise rule matched on a host or in a container. */
import { iocCleanupSteps } from '../checklist/ioc-steps.js';
import { isolateOnEvidenceSteps } from '../checklist/isolate-steps.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The ioc kind. */
export const ioc: FindingKindSpec<'ioc'> = {
  label: 'Indicator of compromise',
  facts: (finding) => [
    { label: 'Rule', value: finding.ruleKind ? `${finding.rule} (${finding.ruleKind})` : finding.rule },
    ...(finding.path ? [{ label: 'Path', value: finding.path }] : []),
    ...(finding.unit ? [{ label: 'Unit', value: finding.unit }] : []),
    { label: 'Source', value: finding.source },
  ],
  graph: {
    attached: (finding, canvas) => {
      const target = canvas.place(finding.host, finding.container);
      canvas.attach(finding, target);
      canvas.addMark(target, 'ioc');
    },
  },
  // The host is cut off before anything is cleaned or rotated; then what the payload left is removed.
  checklist: (findings) => [...isolateOnEvidenceSteps(findings), ...iocCleanupSteps(findings)],
  ledger: null,
};
