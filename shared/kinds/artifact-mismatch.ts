/** An installed distribution whose files differ from a known-good artifact of its version, or from the other copies of its version. */
import { isCompromiseEvidence } from '../findings/artifact-mismatch.js';
import { environmentNodeId, packageNodeId } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The artifact-mismatch kind. */
export const artifactMismatch: FindingKindSpec<'artifact-mismatch'> = {
  label: 'Files differ from a reference',
  facts: (finding) => [
    { label: 'Package', value: `${finding.package} ${finding.version}` },
    { label: 'Python environment', value: finding.path },
    { label: finding.against === 'known-good' ? 'Known-good artifact' : 'Other copies', value: finding.reference },
    ...finding.files.map((file) => ({ label: file.difference, value: file.path })),
  ],
  graph: {
    attached: (finding, canvas) => {
      const holder = canvas.place(finding.host, finding.container);
      // On the package when the graph draws it (it is flagged), else its environment, else its place.
      const target = canvas.firstDrawn(
        [
          packageNodeId(finding.host, finding.container, finding.path, finding.package, finding.version),
          environmentNodeId(finding.host, finding.container, finding.path),
        ],
        holder,
      );
      // Files that are not the release's (isCompromiseEvidence) are compromised code, like a flagged package.
      canvas.attach(finding, target, { compromises: isCompromiseEvidence(finding) });
    },
  },
  checklist: null,
  ledger: null,
};
