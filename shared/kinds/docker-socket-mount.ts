/** A container that mounts the container engine's socket, and so controls the host. */
import { deploymentContext, socketReviewSteps } from '../checklist/deployment-steps.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The docker-socket-mount kind. */
export const dockerSocketMount: FindingKindSpec<'docker-socket-mount'> = {
  label: 'Docker socket mount',
  // The mount says all it knows in its evidence lines.
  facts: () => [],
  graph: {
    attached: (finding, canvas) => {
      const target = canvas.place(finding.host, finding.container);
      canvas.attach(finding, target);
      canvas.addMark(target, 'socket');
    },
  },
  checklist: (findings, { report }) => socketReviewSteps(findings, deploymentContext(report)),
  ledger: null,
};
