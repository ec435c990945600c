/** A private SSH key on one host whose public half logs into another. */
import { recordAuthorizedKey } from '../case/ledger-entries.js';
import { sshLateralSteps } from '../checklist/key-steps.js';
import { attachToPlace, type FindingKindSpec } from './kind-spec.js';

/** The ssh-lateral kind. */
export const sshLateral: FindingKindSpec<'ssh-lateral'> = {
  label: 'SSH lateral path',
  facts: (finding) => [
    { label: 'From', value: finding.fromHost },
    { label: 'To', value: `${finding.toUser}@${finding.toHost}` },
    { label: 'Key', value: finding.keyFingerprint },
  ],
  graph: {
    attached: attachToPlace,
    lateral: (finding, canvas) =>
      canvas.addEdge('lateral', canvas.place(finding.fromHost, null), canvas.place(finding.toHost, null), `ssh as ${finding.toUser}`),
  },
  checklist: (findings, { report }) => sshLateralSteps(findings, report),
  ledger: recordAuthorizedKey,
};
