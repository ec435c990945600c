/** A key (by fingerprint, never a value) and every place it was seen. */
import { recordSecret } from '../case/ledger-entries.js';
import { keySteps } from '../checklist/key-steps.js';
import { keyCompromiseStarts } from '../checklist/windows.js';
import type { SecretFinding } from '../model/index.js';
import { describeLocation } from '../present/describe-location.js';
import { plural, type GraphCanvas } from '../present/graph-canvas.js';
import { keyNodeId, shortFingerprint, type KeyNode } from '../present/graph-model.js';
import type { FindingKindSpec } from './kind-spec.js';

/** The secret kind. */
export const secret: FindingKindSpec<'secret'> = {
  label: 'Exposed key',
  facts: (finding) => [
    { label: 'Provider', value: finding.provider },
    { label: 'Fingerprint', value: finding.fingerprint },
    { label: 'Locations', value: finding.locations.map(describeLocation).join('; ') || 'no place listed' },
  ],
  // A secret is about its key node, not the place it was first seen.
  graph: { keys: drawKey },
  checklist: (findings, { report, ledger }) => {
    const seen = new Map((ledger?.secrets ?? []).map((item) => [item.fingerprint, item]));
    const compromiseStartOf = keyCompromiseStarts(report);
    return findings.flatMap((finding) => keySteps(finding, seen.get(finding.fingerprint) ?? null, compromiseStartOf(finding)));
  },
  ledger: recordSecret,
};

/** One key node, a `holds` edge from every place it was seen and an `authenticates` edge to its provider. */
function drawKey(finding: SecretFinding, canvas: GraphCanvas): void {
  const id = keyNodeId(finding.fingerprint);
  if (!canvas.nodes.has(id)) canvas.nodes.set(id, keyNode(id, finding));
  canvas.attach(finding, id);
  const locations = finding.locations.length > 0 ? finding.locations : [{ host: finding.host, container: finding.container, source: 'app-config' as const }];
  for (const location of locations) {
    const holder = canvas.place(location.host, location.container);
    canvas.addEdge('holds', holder, id);
    // Listed where it was seen, so clicking a container shows its keys; a key does not make its holder reached.
    canvas.list(finding, holder);
  }
  if (canvas.isProvider(finding.provider)) canvas.addEdge('authenticates', id, canvas.ensureProvider(finding.provider));
}

function keyNode(id: string, finding: SecretFinding): KeyNode {
  const hosts = [...new Set(finding.locations.map((location) => location.host))];
  return {
    id,
    kind: 'key',
    label: `${finding.provider} ${shortFingerprint(finding.fingerprint)}`,
    sublabel: `${plural(finding.locations.length, 'location')} on ${hosts.join(', ') || finding.host}`,
    status: 'clean',
    findingIds: [],
    marks: [],
    evidence: [
      `Provider: ${finding.provider}`,
      `Fingerprint: ${finding.fingerprint}`,
      ...finding.locations.map((location) => `Seen at ${describeLocation(location)}`),
    ],
    data: { fingerprint: finding.fingerprint, provider: finding.provider, locations: finding.locations },
  };
}
