/** The side panel of the selected graph node: the findings behind its status, and what the scan saw. */
import type { ReactNode } from 'react';
import { describeLocation, type BlastNode } from '../../shared/present/index.js';
import type { Finding, Verdict } from '../../shared/model/index.js';
import { useSelectedNodeDetails, useUiEvents } from '../store/hooks.js';
import { FINDING_KIND_LABELS } from '../app/format.js';
import { GatewayTrafficChart } from './GatewayTrafficChart.js';

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
        </div>
        <button type="button" className="link-button" data-testid="evidence-close" onClick={() => nodeSelected(null)} aria-label="Close evidence">
          Close
        </button>
      </header>

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
                {FINDING_KIND_LABELS[finding.kind] ?? finding.kind}
              </p>
              <div className="finding-head">
                <span className={`badge severity-${finding.severity}`} data-testid="finding-severity">
                  {finding.severity}
                </span>
                <h4 data-testid="finding-title">{finding.title}</h4>
              </div>
              <FindingFacts finding={finding} />
              {finding.kind === 'gateway' && <GatewayTrafficChart findingId={finding.id} />}
              <ul className="evidence-lines" data-testid="finding-evidence">
                {finding.evidence.map((line, index) => (
                  <li key={index}>{line}</li>
                ))}
              </ul>
            </article>
          ))
        )}
      </section>

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

/** The fields only one kind of finding has, above the evidence lines every finding shares. */
export function FindingFacts({ finding }: { finding: Finding }) {
  switch (finding.kind) {
    case 'compromised-package':
      return (
        <>
          <p className="advisories" data-testid="finding-advisories">
            {finding.advisories.map((advisory) => (
              <code key={advisory}>{advisory}</code>
            ))}
          </p>
          {finding.verdict && (
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
    case 'auto-updater':
      return (
        <Facts testId="finding-watches">
          <Fact name="Updater" value={finding.updater} />
          <Fact name="Watches" value={finding.watches.length > 0 ? finding.watches.join(', ') : 'no container right now'} />
        </Facts>
      );
    case 'build-time-install':
      return (
        <Facts testId="finding-command">
          <Fact name="Image" value={finding.image} />
          <Fact name="Install step" value={finding.command} />
        </Facts>
      );
    case 'mutable-image-tag':
      return (
        <Facts testId="finding-image">
          <Fact name="Image" value={finding.image} />
        </Facts>
      );
    case 'ioc':
      return (
        <Facts testId="finding-ioc">
          <Fact name="Rule" value={finding.ruleKind ? `${finding.rule} (${finding.ruleKind})` : finding.rule} />
          {finding.path !== undefined && <Fact name="Path" value={finding.path} />}
          {finding.unit !== undefined && <Fact name="Unit" value={finding.unit} />}
          <Fact name="Source" value={finding.source} />
        </Facts>
      );
    case 'record-mismatch':
      return (
        <Facts testId="finding-files">
          <Fact name="Package" value={`${finding.package} ${finding.version} in ${finding.path}`} />
          {finding.files.slice(0, MAX_FILES).map((file) => (
            <Fact key={`${file.problem}:${file.path}`} name={file.problem} value={file.path} />
          ))}
          {finding.files.length > MAX_FILES && <li className="muted">… and {finding.files.length - MAX_FILES} more files</li>}
        </Facts>
      );
    case 'executable-pth':
      return (
        <Facts testId="finding-pth">
          <Fact name="File" value={finding.path} />
          <Fact name="sha256" value={finding.sha256 || 'not computed'} />
          <Fact name="Owner" value={finding.package ?? 'no distribution lists it'} />
        </Facts>
      );
    case 'cached-compromised-artifact':
      return (
        <Facts testId="finding-cached">
          <Fact name="Artifact" value={`${finding.package} ${finding.version} at ${finding.path}`} />
        </Facts>
      );
    case 'secret':
      return (
        <Facts testId="finding-secret">
          <Fact name="Provider" value={finding.provider} />
          <Fact name="Fingerprint" value={finding.fingerprint} />
          {finding.locations.map((location, index) => (
            <Fact key={index} name={index === 0 ? 'Seen at' : 'and at'} value={describeLocation(location)} />
          ))}
        </Facts>
      );
    case 'gateway':
      return (
        <Facts testId="finding-gateway">
          <Fact name="Gateway" value={finding.service ? `${finding.gateway} (${finding.service})` : finding.gateway} />
          <Fact name="Endpoints" value={finding.endpoints.join(', ') || 'none seen'} />
          <Fact name="Backends" value={finding.backends.join(', ') || 'none seen'} />
        </Facts>
      );
    case 'consumer':
      return (
        <Facts testId="finding-consumer">
          <Fact name="Consumer" value={`${finding.consumer} on ${finding.consumerHost}`} />
          <Fact name="Gateway" value={`${finding.gateway} on ${finding.gatewayHost}`} />
          <Fact name="Via" value={finding.via} />
        </Facts>
      );
    case 'ssh-lateral':
      return (
        <Facts testId="finding-lateral">
          <Fact name="From" value={finding.fromHost} />
          <Fact name="To" value={`${finding.toUser}@${finding.toHost}`} />
          <Fact name="Key" value={finding.keyFingerprint} />
        </Facts>
      );
    default:
      // A socket mount says all it knows in its evidence; kinds from newer reports do too.
      return null;
  }
}

// A tampered site-packages can list hundreds of files; the evidence panel is not the place for all.
const MAX_FILES = 8;

function Facts({ testId, children }: { testId: string; children: ReactNode }) {
  return (
    <ul className="evidence-lines finding-facts" data-testid={testId}>
      {children}
    </ul>
  );
}

function Fact({ name, value }: { name: string; value: string }) {
  return (
    <li>
      {name}: <code>{value}</code>
    </li>
  );
}
