/**
 * Lays the blast-radius graph out left to right with elkjs (layered). Pure: nodes in, positioned
 * nodes out. In the app elkjs runs in a Web Worker, so a large graph's layout (seconds at a few
 * thousand nodes) never freezes the page; where there are no workers (unit tests) it runs in-line.
 */
import type { ELK as ElkEngine } from 'elkjs/lib/elk-api.js';
import type { Edge, Node } from '@xyflow/react';

const LAYOUT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.layered.spacing.nodeNodeBetweenLayers': '56',
  'elk.spacing.nodeNode': '22',
  'elk.layered.nodePlacement.strategy': 'NETWORK_SIMPLEX',
  'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES',
};

/**
 * From this many nodes elkjs trades polish for time: Brandes-Köpf placement instead of network
 * simplex, longest-path layering, one pass of crossing reduction and no greedy switch. Measured on
 * a 1,000-node synthetic graph (npm run bench:graph's, under load): 105 s with LAYOUT_OPTIONS, 24 s
 * with these.
 */
export const FAST_LAYOUT_FROM = 300;

const FAST_LAYOUT_OPTIONS = {
  ...LAYOUT_OPTIONS,
  'elk.layered.nodePlacement.strategy': 'BRANDES_KOEPF',
  'elk.layered.layering.strategy': 'LONGEST_PATH',
  'elk.layered.thoroughness': '1',
  'elk.layered.crossingMinimization.greedySwitch.type': 'OFF',
};

const DEFAULT_SIZE = { width: 200, height: 60 };

let engine: Promise<ElkEngine> | null = null;

/**
 * The one elkjs engine: its worker build on a Worker when the page has workers, else the bundled
 * in-line build. Both are imported on first use, so neither weighs on the graph view's own chunk.
 */
function elk(): Promise<ElkEngine> {
  engine ??=
    typeof Worker === 'undefined'
      ? import('elkjs/lib/elk.bundled.js').then(({ default: ELK }) => new ELK())
      : Promise.all([import('elkjs/lib/elk-api.js'), import('elkjs/lib/elk-worker.min.js?url')]).then(
          ([{ default: ELK }, { default: workerUrl }]) => new ELK({ workerFactory: () => new Worker(workerUrl) }),
        );
  return engine;
}

/**
 * Returns copies of `nodes` with positions from a layered, left-to-right layout of `nodes` and
 * `edges`; each node's `width`/`height` (or a default) is the box it is laid out as. Edges whose
 * ends are not among the nodes are ignored.
 */
export async function layoutGraph<N extends Node>(nodes: readonly N[], edges: readonly Edge[]): Promise<N[]> {
  if (nodes.length === 0) return [];
  const ids = new Set(nodes.map((node) => node.id));
  const result = await (await elk()).layout({
    id: 'root',
    layoutOptions: nodes.length >= FAST_LAYOUT_FROM ? FAST_LAYOUT_OPTIONS : LAYOUT_OPTIONS,
    children: nodes.map((node) => ({
      id: node.id,
      width: node.width ?? node.measured?.width ?? DEFAULT_SIZE.width,
      height: node.height ?? node.measured?.height ?? DEFAULT_SIZE.height,
    })),
    edges: edges
      .filter((edge) => ids.has(edge.source) && ids.has(edge.target))
      .map((edge) => ({ id: edge.id, sources: [edge.source], targets: [edge.target] })),
  });
  const positions = new Map((result.children ?? []).map((child) => [child.id, { x: child.x ?? 0, y: child.y ?? 0 }]));
  return nodes.map((node) => ({ ...node, position: positions.get(node.id) ?? { x: 0, y: 0 } }));
}
