/**
 * "Why is this here": the chains from the compromised nodes of the blast-radius graph to any
 * node, step by step. A chain follows each edge the way compromise spreads along it, which is not
 * always the way the edge is drawn: flagged code reaches what holds it (up the containment tree),
 * a place gives away the keys it holds, a key its provider, a gateway its backends and the
 * consumers that send it requests (against the `consumes` arrow), an auto-updater the containers
 * it re-pulls, and a host's private SSH key the hosts that accept it. Containment is never
 * followed downwards: a reached host does not make its other containers reached.
 */
import type { BlastEdge, BlastEdgeKind, BlastGraph, BlastNode } from './graph-model.js';

/** One step of a chain: compromise goes from `from` to `to` over `edge`, in words `relation`. */
export interface ChainStep {
  from: BlastNode;
  to: BlastNode;
  edge: BlastEdge;
  /** How the step reads between the two labels: `is inside`, `holds`, `receives requests from`… */
  relation: string;
}

/** A chain from one compromised node to the node asked about; no steps when it is that node. */
export interface CompromiseChain {
  source: BlastNode;
  steps: ChainStep[];
  /** Every node on the chain, source first. */
  nodeIds: string[];
  /** Every edge on the chain, in order. */
  edgeIds: string[];
}

/** The chains that explain why a node is in the graph. */
export interface NodeChains {
  /** Shortest chains first, at most the limit asked for. */
  chains: CompromiseChain[];
  /** How many more shortest chains exist beyond `chains` (counted up to a cap, so "at least"). */
  more: number;
}

/** Which way compromise moves along each edge kind, and how the step reads. */
const SPREAD: { [K in BlastEdgeKind]: { along: 'forward' | 'backward'; relation: (edge: BlastEdge) => string } } = {
  contains: { along: 'backward', relation: () => 'is inside' },
  holds: { along: 'forward', relation: () => 'holds' },
  authenticates: { along: 'forward', relation: () => 'authenticates to' },
  routes: { along: 'forward', relation: () => 'routes requests to' },
  consumes: { along: 'backward', relation: (edge) => `receives requests from${edge.label ? ` (${edge.label})` : ''}` },
  updates: { along: 'forward', relation: (edge) => (edge.label === 'notifies' ? 'watches' : 're-pulls') },
  lateral: { along: 'forward', relation: (edge) => `has an SSH key that logs in to${edge.label ? ` (${edge.label})` : ''}` },
};

/** Default number of chains listed; the rest are counted. */
export const DEFAULT_CHAIN_LIMIT = 5;
// Counting every shortest chain can explode on a dense graph; past this, "more" is a lower bound.
const COUNT_CAP = 200;

interface Hop {
  to: string;
  edge: BlastEdge;
}

/**
 * The shortest chains from each compromised node (status `compromised`) that reaches `targetId`,
 * shortest first and at most `limit` of them. A compromised target gets its own zero-step chain
 * first. Unknown ids and unreachable nodes get no chains. Cycles (a lateral path back to its
 * source, a gateway consumed by its own host) are harmless: every step of a shortest chain moves
 * strictly closer to the target.
 */
export function chainsToNode(graph: Pick<BlastGraph, 'nodes' | 'edges'>, targetId: string, limit = DEFAULT_CHAIN_LIMIT): NodeChains {
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  if (!byId.has(targetId)) return { chains: [], more: 0 };

  // Spread edges out of each node, and into each node for the walk back from the target.
  const out = new Map<string, Hop[]>();
  const into = new Map<string, string[]>();
  for (const edge of graph.edges) {
    if (!byId.has(edge.source) || !byId.has(edge.target) || edge.source === edge.target) continue;
    const forward = SPREAD[edge.kind].along === 'forward';
    const from = forward ? edge.source : edge.target;
    const to = forward ? edge.target : edge.source;
    push(out, from, { to, edge });
    push(into, to, from);
  }

  // Hops from every node to the target, breadth first backwards: one walk for all sources.
  const distance = new Map<string, number>([[targetId, 0]]);
  const queue = [targetId];
  for (let index = 0; index < queue.length; index++) {
    const id = queue[index]!;
    for (const previous of into.get(id) ?? []) {
      if (distance.has(previous)) continue;
      distance.set(previous, distance.get(id)! + 1);
      queue.push(previous);
    }
  }

  const sources = graph.nodes
    .filter((node) => node.status === 'compromised' && distance.has(node.id))
    .sort((a, b) => distance.get(a.id)! - distance.get(b.id)!);
  const chains: CompromiseChain[] = [];
  let counted = 0;
  for (const source of sources) {
    const budget = { left: COUNT_CAP - counted };
    if (budget.left <= 0) break;
    for (const path of shortestPaths(source.id, targetId, out, distance, budget)) {
      counted++;
      if (chains.length < limit) chains.push(toChain(source, path, byId));
    }
  }
  return { chains, more: counted - chains.length };
}

/** Every shortest path of hops from `from` to `to`, while the budget lasts (each path spends one). */
function shortestPaths(from: string, to: string, out: ReadonlyMap<string, Hop[]>, distance: ReadonlyMap<string, number>, budget: { left: number }): Hop[][] {
  if (from === to) {
    budget.left--;
    return [[]];
  }
  const paths: Hop[][] = [];
  const here = distance.get(from)!;
  for (const hop of out.get(from) ?? []) {
    if (budget.left <= 0) break;
    if (distance.get(hop.to) !== here - 1) continue;
    for (const rest of shortestPaths(hop.to, to, out, distance, budget)) paths.push([hop, ...rest]);
  }
  return paths;
}

function toChain(source: BlastNode, path: readonly Hop[], byId: ReadonlyMap<string, BlastNode>): CompromiseChain {
  const steps: ChainStep[] = [];
  let from = source;
  for (const hop of path) {
    const to = byId.get(hop.to)!;
    steps.push({ from, to, edge: hop.edge, relation: SPREAD[hop.edge.kind].relation(hop.edge) });
    from = to;
  }
  return { source, steps, nodeIds: [source.id, ...steps.map((step) => step.to.id)], edgeIds: steps.map((step) => step.edge.id) };
}

function push<V>(map: Map<string, V[]>, key: string, value: V): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
