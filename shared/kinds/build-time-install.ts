/** An image whose history installs Python packages from a live index without hash pinning. */
import { requireHashesSteps } from '../checklist/hardening-steps.js';
import { attachToPlace, type FindingKindSpec } from './kind-spec.js';

/** The build-time-install kind. */
export const buildTimeInstall: FindingKindSpec<'build-time-install'> = {
  label: 'Build-time install',
  facts: (finding) => [
    { label: 'Image', value: finding.image },
    { label: 'Install step', value: finding.command },
  ],
  graph: { attached: attachToPlace },
  checklist: (findings) => requireHashesSteps(findings),
  ledger: null,
};
