/** A container deployed from a mutable tag rather than a digest. */
import { deploymentContext, pinDigestSteps } from '../checklist/deployment-steps.js';
import { attachToPlace, type FindingKindSpec } from './kind-spec.js';

/** The mutable-image-tag kind. */
export const mutableImageTag: FindingKindSpec<'mutable-image-tag'> = {
  label: 'Mutable image tag',
  facts: (finding) => [{ label: 'Image', value: finding.image }],
  graph: { attached: attachToPlace },
  checklist: (findings, { report }) => pinDigestSteps(findings, deploymentContext(report)),
  ledger: null,
};
