/** Blast radius: the graph from hosts to flagged packages, laid out by elkjs; click or search a node for its evidence and why it is here. */
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type RefObject } from 'react';
import {
  Background,
  Controls,
  ReactFlow,
  getViewportForBounds,
  useReactFlow,
  useStore,
  type InternalNode,
  type NodeMouseHandler,
  type Rect,
  type Viewport,
} from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './graph.css';
import { foldCleanContainers, foldHolding, type BlastGraph } from '../../shared/present/index.js';
import { errorMessage } from '../app/error-message.js';
import { EmptyState } from '../components/EmptyState.js';
import { nodeTypes } from '../graph/BlastNodes.js';
import { hiddenByEdgeFilter, NOTHING_HIDDEN } from '../graph/edge-filter.js';
import { EdgeCanvas } from '../graph/EdgeCanvas.js';
import { GraphLegend, GraphMarkers, type EdgeFilterControls } from '../graph/GraphLegend.js';
import { edgeTypes } from '../graph/UpdatesEdge.js';
import type { BlastFlowEdge, BlastFlowNode } from '../graph/flow-types.js';
import { layoutGraph } from '../graph/layout.js';
import { quickLayout } from '../graph/quick-layout.js';
import { drawnKinds, type EdgeStyleKey } from '../graph/legend.js';
import { nodeKeyAction } from '../graph/node-keys.js';
import { containmentEdges, edgeSvgStyle, toFlowElements } from '../graph/to-flow.js';
import { useAppStore } from '../store/app-store.js';
import {
  useBlastGraph,
  useChainHighlight,
  useHiddenEdgeStyles,
  useReport,
  useSelectedNodeId,
  useStrandedNodesHidden,
  useUiEvents,
} from '../store/hooks.js';
import { EvidencePanel } from './EvidencePanel.js';
import { GraphSearch } from './GraphSearch.js';

/** A request from search to bring a node into focus; a new object each time, so picking the same node again still focuses it. */
interface FocusRequest {
  nodeId: string;
}

interface LaidOut {
  graph: BlastGraph;
  nodes: BlastFlowNode[];
  edges: BlastFlowEdge[];
  /** False while the nodes stand where quickLayout put them and elkjs is still at work. */
  final: boolean;
}

const NO_EDGES: BlastFlowEdge[] = [];

/**
 * From this many nodes a rough layout shows at once while elkjs works (seconds); smaller graphs wait
 * for it rather than jump (at 99 nodes: 0.7 s the first time, while elkjs's code warms up, 0.3 s after).
 */
const QUICK_LAYOUT_FROM = 300;
/**
 * Above this many nodes the rough column layout is the layout: elkjs's layered layout takes
 * minutes there even in its fast mode (24 s at 1,000 nodes, superlinear), and a picture that
 * rearranges itself minutes after it appeared is worse than a plain one.
 */
const ELK_MAX_NODES = 2000;

/** The column layout as the final one, for a graph too large for elkjs. */
function columnLayout(graph: BlastGraph): LaidOut {
  const { nodes, edges } = toFlowElements(graph);
  return { graph, nodes: quickLayout(nodes, containmentEdges(edges)), edges, final: true };
}

/** A graph this large is drawn for speed: its edges on one canvas (EdgeCanvas), only the nodes in view in the DOM. */
function isLarge(graph: Pick<BlastGraph, 'nodes'>): boolean {
  return graph.nodes.length >= QUICK_LAYOUT_FROM;
}

/** The graph view. */
export function GraphView() {
  const report = useReport();
  const graph = useBlastGraph();
  const selectedNodeId = useSelectedNodeId();
  // Hosts whose clean containers the user unfolded; host ids are stable across re-scans.
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(() => new Set());
  const shown = useMemo(() => foldCleanContainers(graph, expanded), [graph, expanded]);
  const drawn = useMemo(() => drawnKinds(shown), [shown]);
  const [focus, setFocus] = useState<FocusRequest | null>(null);
  const hiddenStyles = useHiddenEdgeStyles();
  const strandedHidden = useStrandedNodesHidden();
  const { edgeStyleToggled, edgeStylesAllShown, strandedNodesToggled } = useUiEvents();
  const filter = useMemo<EdgeFilterControls>(
    () => ({ hidden: hiddenStyles, strandedHidden, onToggle: edgeStyleToggled, onStrandedToggle: strandedNodesToggled, onShowAll: edgeStylesAllShown }),
    [hiddenStyles, strandedHidden, edgeStyleToggled, strandedNodesToggled, edgeStylesAllShown],
  );
  const expand = useCallback((host: string) => setExpanded((previous) => new Set(previous).add(host)), []);
  // Selecting a folded container (from search or a chain) unfolds its host so it can be shown.
  useEffect(() => {
    const fold = selectedNodeId ? foldHolding(shown, selectedNodeId) : null;
    if (fold) expand(fold.data.host);
  }, [selectedNodeId, shown, expand]);
  return (
    <section className="view view-graph" data-testid="view-graph">
      <header className="view-header">
        <h1>Blast radius</h1>
        <p className="muted">
          From each host to the flagged packages, keys and gateways it carries, and who uses them. Click or search a node to see its evidence and why it is
          here.
        </p>
        {report && <GraphSearch graph={graph} onFocus={(nodeId) => setFocus({ nodeId })} />}
        <GraphLegend drawn={drawn} filter={report ? filter : undefined} plain={isLarge(shown)} />
      </header>
      <GraphMarkers />
      {!report ? (
        <EmptyState testId="graph-empty" title="No scan yet" text="Scan your hosts to see what a compromised package reaches." />
      ) : (
        <GraphCanvas graph={shown} focus={focus} onExpand={expand} hiddenStyles={hiddenStyles} strandedHidden={strandedHidden} />
      )}
    </section>
  );
}

interface GraphCanvasProps {
  graph: BlastGraph;
  focus: FocusRequest | null;
  onExpand: (host: string) => void;
  /** Edge styles the user turned off. */
  hiddenStyles: ReadonlySet<EdgeStyleKey>;
  /** Whether nodes left without a shown edge are hidden too. */
  strandedHidden: boolean;
}

function GraphCanvas({ graph, focus, onExpand, hiddenStyles, strandedHidden }: GraphCanvasProps) {
  // Past ELK_MAX_NODES the column layout is the layout and takes milliseconds: done in the first
  // render, so the graph is drawn at once rather than after a "laying out" frame.
  const columns = useMemo(() => (graph.nodes.length > ELK_MAX_NODES ? columnLayout(graph) : null), [graph]);
  const [elkLaidOut, setLaidOut] = useState<LaidOut | null>(null);
  const laidOut = columns ?? elkLaidOut;
  const selectedNodeId = useSelectedNodeId();
  const highlight = useChainHighlight();
  const { nodeSelected } = useUiEvents();
  const canvas = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (columns) {
      performance.mark('graph-layout-done', { detail: { nodes: columns.nodes.length } });
      return;
    }
    let current = true;
    const { nodes, edges } = toFlowElements(graph);
    const ranking = containmentEdges(edges);
    if (nodes.length >= QUICK_LAYOUT_FROM) setLaidOut({ graph, nodes: quickLayout(nodes, ranking), edges, final: false });
    layoutGraph(nodes, ranking).then(
      (positioned) => {
        if (current) {
          setLaidOut({ graph, nodes: positioned, edges, final: true });
          performance.mark('graph-layout-done', { detail: { nodes: positioned.length } });
        }
      },
      (error: unknown) => useAppStore.getState().errorRaised(errorMessage(error, 'Laying out the graph failed')),
    );
    return () => {
      current = false;
    };
  }, [graph, columns]);

  const large = isLarge(graph);
  // Filtered edges (and stranded nodes) are hidden where they stand: the layout stays, so turning a style back on restores the same picture.
  const filtered = useMemo(() => (laidOut ? hiddenByEdgeFilter(laidOut.edges, hiddenStyles, strandedHidden) : NOTHING_HIDDEN), [laidOut, hiddenStyles, strandedHidden]);
  // The chain to the selected node stands out and the rest steps back; untouched nodes keep their identity.
  const nodes = useMemo(
    () =>
      laidOut?.nodes.map((node) => {
        const selected = node.id === selectedNodeId;
        const className = highlight ? (highlight.nodeIds.has(node.id) ? 'on-chain' : 'off-chain') : undefined;
        const hidden = filtered.nodeIds.has(node.id);
        return selected || className || hidden ? { ...node, selected, className, hidden } : node;
      }) ?? [],
    [laidOut, selectedNodeId, highlight, filtered],
  );
  const edges = useMemo(
    () =>
      // A large graph's edges are not React Flow's to draw (canvasEdges below).
      large ? NO_EDGES : (laidOut?.edges.map((edge) => {
        const hidden = filtered.edgeIds.has(edge.id);
        if (!highlight) return hidden ? { ...edge, hidden } : edge;
        return highlight.edgeIds.has(edge.id)
          ? { ...edge, hidden, className: `${edge.className ?? ''} on-chain`, style: edgeSvgStyle(edge.data!.style, 2), zIndex: 1 }
          : { ...edge, hidden, className: `${edge.className ?? ''} off-chain` };
      }) ?? []),
    [large, laidOut, highlight, filtered],
  );
  // A large graph's edges go to the canvas layer, which draws the shown ones and the highlight itself.
  const canvasEdges = useMemo(() => (large && laidOut ? laidOut.edges.filter((edge) => !filtered.edgeIds.has(edge.id)) : NO_EDGES), [large, laidOut, filtered]);
  const foldHosts = useMemo(() => new Map(graph.nodes.flatMap((node) => (node.kind === 'fold' ? [[node.id, node.data.host] as const] : []))), [graph]);
  // A fold opens rather than being selected: its containers are the evidence.
  const nodeOpened = (nodeId: string) => {
    const host = foldHosts.get(nodeId);
    if (host !== undefined) onExpand(host);
    else nodeSelected(nodeId);
  };
  const onNodeClick: NodeMouseHandler<BlastFlowNode> = (_event, node) => nodeOpened(node.id);
  // Tab reaches each node (React Flow makes them focusable); Enter or Space opens it like a click.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = nodeKeyAction(event.key, event.target instanceof Element ? event.target : null);
    if (!action) return;
    event.preventDefault();
    if (action.kind === 'open') nodeOpened(action.nodeId);
    else nodeSelected(null);
    // React Flow blurs a selected node on Escape, in the next frame; focus it again after that, so
    // the keyboard stays where it was and Enter opens it again.
    const node = event.target;
    if (action.kind === 'close' && node instanceof HTMLElement) requestAnimationFrame(() => node.focus({ preventScroll: true }));
  };

  const ready = laidOut !== null && laidOut.final && laidOut.graph === graph;
  return (
    <div className="graph-layout">
      <div
        className="graph-canvas"
        ref={canvas}
        data-testid="graph-canvas"
        data-layout-ready={ready ? 'true' : 'false'}
        // How many nodes the graph has, drawn or not: with culling the DOM holds only those in view.
        data-node-count={laidOut?.nodes.length ?? 0}
        // What the edge filter hides, so a test can tell a filtered edge from one culled out of view.
        data-hidden-edges={filtered.edgeIds.size}
        data-hidden-nodes={filtered.nodeIds.size}
      >
        {!laidOut ? (
          <p className="muted loading">Laying out the graph…</p>
        ) : laidOut.nodes.length === 0 ? (
          <EmptyState testId="graph-nothing" title="Nothing to draw" text="The last scan found no hosts." />
        ) : (
          <ReactFlow<BlastFlowNode, BlastFlowEdge>
            // A new layout is a new picture: remount so fitView frames it.
            key={`${laidOut.final ? 'laid' : 'quick'}|${laidOut.nodes.map((node) => node.id).join('|')}`}
            nodes={nodes}
            edges={edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodeClick={onNodeClick}
            onKeyDown={onKeyDown}
            onPaneClick={() => nodeSelected(null)}
            nodesDraggable={false}
            nodesConnectable={false}
            // A large graph keeps only what is in view in the DOM, so thousands of nodes stay cheap to
            // pan and zoom; a small one is all there (no visibility checks on every frame).
            onlyRenderVisibleElements={large}
            minZoom={0.2}
          >
            {large && <EdgeCanvas nodes={laidOut.nodes} edges={canvasEdges} highlighted={highlight?.edgeIds ?? null} />}
            <FollowSelection selectedNodeId={selectedNodeId} focus={focus} />
            <ZoomDetail canvas={canvas} />
            <Background gap={24} size={1} />
            <Controls showInteractive={false} />
          </ReactFlow>
        )}
      </div>
      <EvidencePanel />
    </div>
  );
}

/**
 * Below this zoom a fit stops shrinking the graph (a bigger one is panned instead): node labels in
 * the overview are drawn at 12 px ÷ zoom, and at this zoom two such lines still fill a node's box.
 */
const OVERVIEW_MIN_ZOOM = 0.45;
/** From this zoom up, nodes show their kind, status, marks and detail line at 11 px or more on screen. */
const FULL_DETAIL_ZOOM = 1;
const FIT_MAX_ZOOM = 1.1;
const FIT_PADDING = 0.06;
/** The zoom a search focuses its node at (at least): full detail. */
const FOCUS_ZOOM = FULL_DETAIL_ZOOM;

/**
 * Keeps the graph framed and the selection in sight. On first show and whenever the canvas
 * changes size (the evidence panel opening or closing) the whole graph is fitted again, never
 * below the zoom where labels stop being legible (a taller graph then starts at its top, centred
 * across); if that would leave the selected node out, it is centred instead. Selecting a node that
 * is out of sight (from the "why" chain, say) centres it; one in sight stays put, as clicking
 * should not move what was clicked. A search focus centres its node and zooms to full detail.
 */
function FollowSelection({ selectedNodeId, focus }: { selectedNodeId: string | null; focus: FocusRequest | null }) {
  const { getInternalNode, getNodes, getNodesBounds, getViewport, setCenter, setViewport } = useReactFlow();
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const last = useRef<{ width: number; height: number; focus: FocusRequest | null } | null>(null);
  useEffect(() => {
    // Nodes carry their size, so bounds are known before React Flow measures them.
    if (width === 0 || height === 0) return;
    const previous = last.current;
    last.current = { width, height, focus };
    const duration = previous ? 250 : 0;
    const node = selectedNodeId ? getInternalNode(selectedNodeId) : undefined;
    const centre = (zoom: number) => {
      const { x, y } = node!.internals.positionAbsolute;
      void setCenter(x + (node!.measured.width ?? node!.width ?? 0) / 2, y + (node!.measured.height ?? node!.height ?? 0) / 2, { zoom, duration });
    };
    const resized = !previous || previous.width !== width || previous.height !== height;
    // A node search focused stays focused while the panel opens beside it.
    if (node && focus && focus.nodeId === node.id && (focus !== previous?.focus || resized)) {
      centre(Math.max(getViewport().zoom, FOCUS_ZOOM));
      return;
    }
    if (resized) {
      const fit = fitViewport(getNodesBounds(getNodes()), width, height);
      if (!node || inView(node, fit, width, height)) void setViewport(fit, { duration });
      else centre(fit.zoom);
      return;
    }
    if (node && !inView(node, getViewport(), width, height)) centre(Math.max(getViewport().zoom, OVERVIEW_MIN_ZOOM));
  }, [selectedNodeId, focus, width, height, getInternalNode, getNodes, getNodesBounds, getViewport, setCenter, setViewport]);
  return null;
}

/** The whole graph at the largest zoom up to FIT_MAX_ZOOM that shows it, or its top at OVERVIEW_MIN_ZOOM when none does legibly. */
function fitViewport(bounds: Rect, width: number, height: number): Viewport {
  if (zoomToFit(bounds, width, height, FIT_PADDING) >= OVERVIEW_MIN_ZOOM) {
    return getViewportForBounds(bounds, width, height, OVERVIEW_MIN_ZOOM, FIT_MAX_ZOOM, FIT_PADDING);
  }
  const zoom = OVERVIEW_MIN_ZOOM;
  return { x: Math.max(width * FIT_PADDING, (width - bounds.width * zoom) / 2) - bounds.x * zoom, y: height * FIT_PADDING - bounds.y * zoom, zoom };
}

/** True when the whole of `node` lies inside the canvas under `view`. */
function inView(node: InternalNode, view: Viewport, width: number, height: number): boolean {
  const { x, y } = node.internals.positionAbsolute;
  const left = x * view.zoom + view.x;
  const top = y * view.zoom + view.y;
  const right = left + (node.measured.width ?? node.width ?? 0) * view.zoom;
  const bottom = top + (node.measured.height ?? node.height ?? 0) * view.zoom;
  return left >= 0 && top >= 0 && right <= width && bottom <= height;
}

/** The zoom at which `bounds` just fits a `width` × `height` canvas with `padding` (a fraction) around it. */
function zoomToFit(bounds: { width: number; height: number }, width: number, height: number, padding: number): number {
  return Math.min(width / (bounds.width * (1 + 2 * padding)), height / (bounds.height * (1 + 2 * padding)));
}

/**
 * Level of detail: below FULL_DETAIL_ZOOM the nodes show only their label, sized so it reads at
 * 12 px on screen or more; the zoom is floored to steps of 0.05 so panning never restyles nodes.
 */
function ZoomDetail({ canvas }: { canvas: RefObject<HTMLDivElement | null> }) {
  const zoom = useStore((state) => Math.max(0.05, Math.floor(state.transform[2] * 20) / 20));
  useLayoutEffect(() => {
    const element = canvas.current;
    if (!element) return;
    element.dataset['detail'] = zoom >= FULL_DETAIL_ZOOM ? 'full' : 'overview';
    element.style.setProperty('--overview-label-size', `${Math.max(13, 12 / zoom).toFixed(2)}px`);
  }, [zoom, canvas]);
  return null;
}
