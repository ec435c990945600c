/** An auto-updater (Watchtower, WUD, Diun, Ouroboros) that can pull new images unattended. */
import { deploymentContext, stopUpdaterSteps } from '../checklist/deployment-steps.js';
import { containerNodeId } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The auto-updater kind. */
export const autoUpdater: FindingKindSpec<'auto-updater'> = {
  label: 'Auto-updater',
  facts: (finding) => [
    { label: 'Updater', value: finding.updater },
    // The list is what it watches on the host now; an empty one is not "everything".
    { label: 'Watches', value: finding.watches.length > 0 ? finding.watches.join(', ') : 'no container right now' },
  ],
  graph: {
    attached: (finding, canvas) => {
      const target = canvas.place(finding.host, finding.container);
      canvas.attach(finding, target);
      canvas.addMark(target, 'updater');
      for (const watched of finding.watches) canvas.addUpdateEdge(target, containerNodeId(finding.host, watched), 'updates');
    },
  },
  checklist: (findings, { report }) => stopUpdaterSteps(findings, deploymentContext(report)),
  ledger: null,
};
