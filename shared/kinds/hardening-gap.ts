/** An environment or image not hardened against a trojaned release: no hash pins, public PyPI, unattended upgrades. */
import { hardeningSteps } from '../checklist/hardening-steps.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The hardening-gap kind. Not drawn in the graph: it says how the next release could arrive, not what this one reached. */
export const hardeningGap: FindingKindSpec<'hardening-gap'> = {
  label: 'Hardening gap',
  facts: (finding) => [
    ...(finding.environment !== null ? [{ label: 'Environment', value: finding.environment }] : []),
    ...(finding.image !== null ? [{ label: 'Image', value: finding.image }] : []),
    { label: 'Project', value: finding.project ?? 'none found' },
    ...finding.gaps.map((gap) => ({ label: GAP_LABELS[gap.gap], value: gap.source ? `${gap.detail} (${gap.source})` : gap.detail })),
  ],
  graph: {},
  checklist: (findings) => hardeningSteps(findings),
  ledger: null,
};

const GAP_LABELS = {
  'no-hash-pins': 'Pins',
  'public-index': 'Index',
  'unattended-upgrade': 'Unattended upgrade',
} as const;
