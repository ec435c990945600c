/** A compromised wheel or sdist in a pip/uv cache, which would reinstall silently. */
import { purgeCacheStep } from '../checklist/ioc-steps.js';
import { attachToPlace, type FindingKindSpec } from './kind-spec.js';

/** The cached-compromised-artifact kind. */
export const cachedCompromisedArtifact: FindingKindSpec<'cached-compromised-artifact'> = {
  label: 'Cached compromised artifact',
  facts: (finding) => [
    { label: 'Package', value: `${finding.package} ${finding.version}` },
    { label: 'File', value: finding.path },
  ],
  graph: { attached: attachToPlace },
  checklist: (findings) => findings.map(purgeCacheStep),
  ledger: null,
};
