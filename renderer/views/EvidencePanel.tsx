/** The side panel of the selected graph node: the findings behind its status, and what the scan saw. */
import { hostsOfNode, type BlastNode } from '../../shared/present/index.js';
import { findingFacts, findingKindLabel } from '../../shared/kinds/index.js';
import type { Finding, Verdict } from '../../shared/model/index.js';
import { CopyButton } from '../components/CopyButton.js';
import { RescanButton } from '../components/RescanButton.js';
import { useSelectedNodeDetails, useUiEvents } from '../store/hooks.js';
import { GatewayTrafficChart } from './GatewayTrafficChart.js';
import { ProviderKeys } from './ProviderKeys.js';
import { RemoveOrPatchPanel } from './RemoveOrPatchPanel.js';
import { WhyHere } from './WhyHere.js';

/** How each exposure verdict reads in the panel. */
const VERDICT_LABELS: Record<Verdict, string> = {
  exposed: 'Exposed',
  'likely-exposed': 'Likely exposed',
  unknown: 'Exposure unknown: assume exposed',
  'not-exposed': 'Not exposed',
};

const KIND_TITLES: Record<BlastNode['kind'], string> = {
  host: 'Host',
  container: 'Container',
  environment: 'Python environment',
  package: 'Package',
  key: 'Key (fingerprint only)',
  provider: 'Provider',
  endpoint: 'Gateway backend',
  tunnel: 'SSH tunnel',
  route: 'Reverse-proxy route',
  fold: 'Clean containers',
};

/** Renders nothing until a node is selected. */
export function EvidencePanel() {
  const details = useSelectedNodeDetails();
  const { nodeSelected } = useUiEvents();
  if (!details) return null;
  const { node, evidence, findings, ancestors } = details;
  // The findings below list their own evidence; the node's lines add only what they do not say.
  const findingLines = new Set(findings.flatMap((finding) => finding.evidence));
  const ownEvidence = evidence.filter((line) => !findingLines.has(line));
  return (
    <aside className="evidence-panel" data-testid="evidence-panel" aria-label={`Evidence for ${node.label}`}>
      <header className="evidence-header">
        <div>
          <p className="eyebrow">{KIND_TITLES[node.kind]}</p>
          <h2 data-testid="evidence-title">{node.label}</h2>
          {ancestors.length > 0 && (
            <p className="breadcrumb muted small" data-testid="evidence-path">
              {ancestors.map((ancestor) => ancestor.label).join(' › ')}
            </p>
          )}
          <span className={`badge status-${node.status}`} data-testid="evidence-status">
            {node.status}
            {node.severity && node.status !== 'clean' ? ` · ${node.severity}` : ''}
          </span>
          <RescanButton hosts={hostsOfNode(node, ancestors)} testId="evidence-rescan" />
        </div>
        <button type="button" className="link-button" data-testid="evidence-close" onClick={() => nodeSelected(null)} aria-label="Close evidence">
          Close
        </button>
      </header>

      <NodeIdentity node={node} />
      <WhyHere node={node} />
      {node.kind === 'provider' && <ProviderKeys node={node} />}

      {/* A provider has no findings of its own: its keys above are what it is about. */}
      {!(node.kind === 'provider' && findings.length === 0) && (
      <section>
        <h3>Findings</h3>
        {findings.length === 0 ? (
          <p className="muted small" data-testid="evidence-no-findings">
            No findings on this node or anything it holds.
          </p>
        ) : (
          findings.map((finding) => (
            <article className="finding" key={finding.id} data-testid={`evidence-finding-${finding.id}`}>
              <p className="eyebrow" data-testid="finding-kind">
                {findingKindLabel(finding.kind)}
              </p>
              <div className="finding-head">
                <span className={`badge severity-${finding.severity}`} data-testid="finding-severity">
                  {finding.severity}
                </span>
                <h4 data-testid="finding-title">{finding.title}</h4>
              </div>
              <FindingFacts finding={finding} />
              {finding.kind === 'gateway' && <GatewayTrafficChart findingId={finding.id} />}
              {finding.kind === 'gateway' && <RemoveOrPatchPanel componentId={finding.id} />}
              <ul className="evidence-lines" data-testid="finding-evidence">
                {finding.evidence.map((line, index) => (
                  <li key={index}>{line}</li>
                ))}
              </ul>
            </article>
          ))
        )}
      </section>
      )}

      {ownEvidence.length > 0 && (
        <section>
          <h3>What the scan saw</h3>
          <ul className="evidence-lines" data-testid="evidence-lines">
            {ownEvidence.map((line, index) => (
              <li key={index}>{line}</li>
            ))}
          </ul>
        </section>
      )}
    </aside>
  );
}

/**
 * The facts of the finding's kind (the same list the findings table and the reports show), and
 * the exposure verdict with its reasons when the finding carries one.
 */
export function FindingFacts({ finding }: { finding: Finding }) {
  const facts = findingFacts(finding);
  const shown = facts.slice(0, MAX_FACTS);
  return (
    <>
      {shown.length > 0 && (
        <ul className="evidence-lines finding-facts" data-testid="finding-facts">
          {shown.map((fact, index) => (
            <li key={index}>
              {fact.label}: <code>{fact.value}</code>
              {isCopyable(fact) && <CopyButton text={fact.value} what={fact.label.toLowerCase()} />}
            </li>
          ))}
          {facts.length > shown.length && <li className="muted">… and {facts.length - shown.length} more</li>}
        </ul>
      )}
      {finding.kind === 'compromised-package' && finding.verdict && (
        <div className="verdict" data-testid="finding-verdict" data-verdict={finding.verdict}>
          <span className={`badge verdict-${finding.verdict}`}>{VERDICT_LABELS[finding.verdict]}</span>
          <ul className="evidence-lines" data-testid="finding-verdict-reasons">
            {(finding.reasons ?? []).map((reason, index) => (
              <li key={index}>{reason}</li>
            ))}
          </ul>
        </div>
      )}
    </>
  );
}

/**
 * The values a responder pastes into a shell or a search: a key's fingerprint, an environment's
 * path, the files a key was seen in. Never a secret: the renderer only has fingerprints.
 */
function NodeIdentity({ node }: { node: BlastNode }) {
  const values: Array<{ label: string; value: string }> =
    node.kind === 'key'
      ? [{ label: 'Fingerprint', value: node.data.fingerprint }, ...node.data.locations.flatMap((location) => (location.path ? [{ label: 'Path', value: location.path }] : []))]
      : node.kind === 'environment'
        ? [{ label: 'Path', value: node.data.path }]
        : node.kind === 'route' && node.data.path
          ? [{ label: 'Path', value: node.data.path }]
          : [];
  if (values.length === 0) return null;
  return (
    <ul className="evidence-lines node-identity" data-testid="evidence-identity">
      {[...new Map(values.map((entry) => [`${entry.label}:${entry.value}`, entry])).values()].map((entry) => (
        <li key={`${entry.label}:${entry.value}`} className="copy-row">
          {entry.label}: <code>{entry.value}</code>
          <CopyButton text={entry.value} what={entry.label.toLowerCase()} testId={`copy-${entry.label.toLowerCase()}`} />
        </li>
      ))}
    </ul>
  );
}

/** True for a fact worth a copy button: a path or a fingerprint. */
function isCopyable(fact: { label: string; value: string }): boolean {
  return /^[/~]/.test(fact.value) || /fingerprint|path|file|command/i.test(fact.label);
}

// A tampered site-packages can list hundreds of files; the evidence panel is not the place for all
// (the reports list every one).
const MAX_FACTS = 12;
