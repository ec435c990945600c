/** A distribution whose installed files differ from its RECORD. */
import { environmentNodeId, packageNodeId } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The record-mismatch kind. */
export const recordMismatch: FindingKindSpec<'record-mismatch'> = {
  label: 'Files differ from RECORD',
  facts: (finding) => [
    { label: 'Package', value: `${finding.package} ${finding.version}` },
    { label: 'Python environment', value: finding.path },
    ...finding.files.map((file) => ({ label: file.problem, value: file.path })),
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
      canvas.attach(finding, target);
    },
  },
  checklist: null,
  ledger: null,
};
