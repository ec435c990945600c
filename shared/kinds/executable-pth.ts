/** A `.pth` file with a line Python executes at every start. */
import { isolateOnEvidenceSteps } from '../checklist/isolate-steps.js';
import { environmentNodeId } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The executable-pth kind. */
export const executablePth: FindingKindSpec<'executable-pth'> = {
  label: 'Executable .pth file',
  facts: (finding) => [
    { label: 'File', value: finding.path },
    { label: 'sha256', value: finding.sha256 || 'not computed' },
    { label: 'Owner', value: finding.package ?? 'no distribution lists it' },
  ],
  graph: {
    attached: (finding, canvas) => {
      const holder = canvas.place(finding.host, finding.container);
      // A .pth file sits at the top of its site folder, so its folder is the environment.
      const folder = finding.path.slice(0, Math.max(0, finding.path.lastIndexOf('/')));
      const target = canvas.firstDrawn([environmentNodeId(finding.host, finding.container, folder)], holder);
      // A critical one runs bad code at every Python start: where it sits is compromised like a flagged package.
      canvas.attach(finding, target, { compromises: finding.severity === 'critical' });
    },
  },
  // A known-bad or unrecognised start-up file means code ran at every Python start: the host is cut off like one with a flagged package.
  checklist: (findings) => isolateOnEvidenceSteps(findings),
  ledger: null,
};
