/** A file whose text matches published content signatures. */
import { isolateOnEvidenceSteps } from '../checklist/isolate-steps.js';
import { environmentNodeId } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The content-signature kind. */
export const contentSignature: FindingKindSpec<'content-signature'> = {
  label: 'Content signature',
  facts: (finding) => [
    { label: 'File', value: finding.path },
    { label: 'What', value: FILE_LABELS[finding.file] },
    { label: 'Signatures', value: finding.signatures.join(', ') },
    { label: 'sha256', value: finding.sha256 || 'not computed' },
    { label: 'Owner', value: finding.package ?? 'no distribution lists it' },
  ],
  graph: {
    attached: (finding, canvas) => {
      const holder = canvas.place(finding.host, finding.container);
      // A start-up hook sits at the top of its site folder; a package file below it: the folder is the environment.
      const target = canvas.firstDrawn([environmentNodeId(finding.host, finding.container, siteFolder(finding.path, finding.file))], holder);
      // Matching a payload means bad code runs there: the place is compromised like one with a flagged package.
      canvas.attach(finding, target, { compromises: finding.severity === 'critical' });
    },
  },
  // Payload text in a start-up hook or a flagged package means the attacker's code may run: cut the host off.
  checklist: (findings) => isolateOnEvidenceSteps(findings),
  ledger: null,
};

const FILE_LABELS = {
  pth: '.pth start-up file',
  sitecustomize: 'sitecustomize.py start-up hook',
  usercustomize: 'usercustomize.py start-up hook',
  'package-file': 'file of a flagged distribution',
} as const;

/** The site folder a matched file sits in: its parent for a start-up hook; for a package file, the folder above its package. */
function siteFolder(path: string, file: keyof typeof FILE_LABELS): string {
  const parent = path.slice(0, Math.max(0, path.lastIndexOf('/')));
  if (file !== 'package-file') return parent;
  const site = /^(.*\/(?:site|dist)-packages)\//.exec(path)?.[1];
  return site ?? parent;
}
