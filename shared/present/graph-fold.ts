/**
 * Folding for the overview: a host's clean containers that nothing but the host links to (no
 * finding, no mark, no key, no traffic, nothing drawn inside) are drawn as one "N clean
 * containers" node, so a homelab host with thirty idle containers does not push what matters off
 * the screen. Pure: the full graph in, the graph to draw out; hosts in `expanded` are left unfolded.
 */
import { plural } from './graph-canvas.js';
import type { BlastEdge, BlastGraph, BlastNode, FoldNode } from './graph-model.js';

/** Fewer clean containers than this on a host are drawn as they are: folding one or two saves nothing. */
export const FOLD_MIN = 3;

/** The node id of a host's folded clean containers. */
export function foldNodeId(hostId: string): string {
  return `fold:${hostId}`;
}

/** The graph with each host's foldable clean containers (at least FOLD_MIN) folded into one node, except hosts in `expanded`. */
export function foldCleanContainers(graph: BlastGraph, expanded: ReadonlySet<string> = new Set()): BlastGraph {
  const linked = new Set<string>();
  const parentOf = new Map<string, string>();
  for (const edge of graph.edges) {
    if (edge.kind === 'contains') {
      parentOf.set(edge.target, edge.source);
      linked.add(edge.source); // it holds something drawn
    } else {
      linked.add(edge.source);
      linked.add(edge.target);
    }
  }
  const byId = new Map(graph.nodes.map((node) => [node.id, node]));
  const foldable = new Map<string, BlastNode[]>();
  for (const node of graph.nodes) {
    if (node.kind !== 'container' || node.status !== 'clean' || node.marks.length > 0 || node.findingIds.length > 0 || linked.has(node.id)) continue;
    const host = parentOf.get(node.id);
    if (host === undefined || byId.get(host)?.kind !== 'host' || expanded.has(host)) continue;
    foldable.set(host, [...(foldable.get(host) ?? []), node]);
  }
  const folded = new Set<string>();
  const folds: FoldNode[] = [];
  const foldEdges: BlastEdge[] = [];
  for (const [host, nodes] of foldable) {
    if (nodes.length < FOLD_MIN) continue;
    for (const node of nodes) folded.add(node.id);
    const id = foldNodeId(host);
    const labels = nodes.map((node) => node.label);
    folds.push({
      id,
      kind: 'fold',
      label: plural(nodes.length, 'clean container'),
      sublabel: labels.join(', '),
      status: 'clean',
      findingIds: [],
      marks: [],
      evidence: [`Nothing found in or linked to: ${labels.join(', ')}`, 'Click the node to show them one by one.'],
      data: { host, nodeIds: nodes.map((node) => node.id), labels },
    });
    foldEdges.push({ id: `${host}->${id}`, source: host, target: id, kind: 'contains' });
  }
  if (folded.size === 0) return graph;
  // Each fold takes the place of its host's first folded container, so the layout order holds.
  const nodes: BlastNode[] = [];
  for (const node of graph.nodes) {
    if (!folded.has(node.id)) nodes.push(node);
    else {
      const fold = folds.find((candidate) => candidate.data.nodeIds[0] === node.id);
      if (fold) nodes.push(fold);
    }
  }
  const edges = graph.edges.filter((edge) => !folded.has(edge.target) && !folded.has(edge.source));
  return { nodes, edges: [...edges, ...foldEdges], findings: graph.findings };
}

/** The fold that hides `nodeId` in `shown`, if any (so selecting a folded node can expand it). */
export function foldHolding(shown: Pick<BlastGraph, 'nodes'>, nodeId: string): FoldNode | null {
  for (const node of shown.nodes) if (node.kind === 'fold' && node.data.nodeIds.includes(nodeId)) return node;
  return null;
}
