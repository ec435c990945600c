/** "Why is this here": the chains from compromised nodes to the selected node, step by step, in the evidence panel. */
import type { BlastNode } from '../../shared/present/index.js';
import { NODE_KINDS } from '../graph/legend.js';
import { useSelectedNodeChains, useUiEvents } from '../store/hooks.js';

/** The selected node's chains, shortest first; each node on them selects that node. */
export function WhyHere({ node }: { node: BlastNode }) {
  const result = useSelectedNodeChains();
  const { nodeSelected } = useUiEvents();
  if (!result) return null;
  const { chains, more } = result;
  return (
    <section className="why-here" data-testid="evidence-why">
      <h3>Why is this here</h3>
      {chains.length === 0 ? (
        <p className="muted small" data-testid="evidence-why-none">
          {node.status === 'failed'
            ? 'The scan could not read this host: it is drawn so it is not mistaken for clean.'
            : 'No chain from flagged code reaches it: it is drawn as part of what the scan saw.'}
        </p>
      ) : (
        chains.map((chain, index) => (
          <ol className="chain" key={chain.nodeIds.join('>')} data-testid={`evidence-chain-${index}`}>
            <li data-testid="chain-source">
              <ChainNode node={chain.source} onPick={nodeSelected} />
              {chain.steps.length === 0 ? <span className="muted"> is where the flagged code is</span> : <span className="muted"> is compromised</span>}
            </li>
            {chain.steps.map((step) => (
              <li key={step.edge.id} data-testid="chain-step">
                <span className="muted">{step.relation}</span> <ChainNode node={step.to} onPick={nodeSelected} />
              </li>
            ))}
          </ol>
        ))
      )}
      {more > 0 && (
        <p className="muted small" data-testid="evidence-why-more">
          … and {more} more chain{more === 1 ? '' : 's'} of the same length or longer.
        </p>
      )}
    </section>
  );
}

function ChainNode({ node, onPick }: { node: BlastNode; onPick: (id: string) => void }) {
  return (
    <button type="button" className={`link-button chain-node status-${node.status}`} onClick={() => onPick(node.id)} title={`Show ${node.label}`}>
      <span className="chain-kind">{NODE_KINDS[node.kind].tag}</span> {node.label}
    </button>
  );
}
