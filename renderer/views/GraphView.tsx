/** Blast radius: the graph from hosts to flagged packages, laid out by elkjs; click a node for its evidence. */
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import { Background, Controls, ReactFlow, useReactFlow, useStore, type NodeMouseHandler } from '@xyflow/react';
import '@xyflow/react/dist/style.css';
import './graph.css';
import type { BlastGraph } from '../../shared/present/index.js';
import { errorMessage } from '../app/error-message.js';
import { EmptyState } from '../components/EmptyState.js';
import { nodeTypes } from '../graph/BlastNodes.js';
import { edgeTypes } from '../graph/UpdatesEdge.js';
import type { BlastFlowEdge, BlastFlowNode } from '../graph/flow-types.js';
import { layoutGraph } from '../graph/layout.js';
import { nodeKeyAction } from '../graph/node-keys.js';
import { containmentEdges, toFlowElements } from '../graph/to-flow.js';
import { useAppStore } from '../store/app-store.js';
import { useBlastGraph, useReport, useSelectedNodeId, useUiEvents } from '../store/hooks.js';
import { EvidencePanel } from './EvidencePanel.js';

interface LaidOut {
  graph: BlastGraph;
  nodes: BlastFlowNode[];
  edges: BlastFlowEdge[];
}

/** The graph view. */
export function GraphView() {
  const report = useReport();
  const graph = useBlastGraph();
  return (
    <section className="view view-graph" data-testid="view-graph">
      <header className="view-header">
        <h1>Blast radius</h1>
        <p className="muted">From each host to the flagged packages, keys and gateways it carries, and who uses them. Click a node to see the evidence.</p>
        <Legend />
      </header>
      {!report ? (
        <EmptyState testId="graph-empty" title="No scan yet" text="Scan your hosts to see what a compromised package reaches." />
      ) : (
        <GraphCanvas graph={graph} />
      )}
    </section>
  );
}

function GraphCanvas({ graph }: { graph: BlastGraph }) {
  const [laidOut, setLaidOut] = useState<LaidOut | null>(null);
  const selectedNodeId = useSelectedNodeId();
  const { nodeSelected } = useUiEvents();

  useEffect(() => {
    let current = true;
    const { nodes, edges } = toFlowElements(graph);
    layoutGraph(nodes, containmentEdges(edges)).then(
      (positioned) => {
        if (current) setLaidOut({ graph, nodes: positioned, edges });
      },
      (error: unknown) => useAppStore.getState().errorRaised(errorMessage(error, 'Laying out the graph failed')),
    );
    return () => {
      current = false;
    };
  }, [graph]);

  const nodes = useMemo(
    () => laidOut?.nodes.map((node) => (node.id === selectedNodeId ? { ...node, selected: true } : node)) ?? [],
    [laidOut, selectedNodeId],
  );
  const onNodeClick: NodeMouseHandler<BlastFlowNode> = (_event, node) => nodeSelected(node.id);
  // Tab reaches each node (React Flow makes them focusable); Enter or Space opens its evidence like a click.
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>) => {
    const action = nodeKeyAction(event.key, event.target instanceof Element ? event.target : null);
    if (!action) return;
    event.preventDefault();
    nodeSelected(action.kind === 'open' ? action.nodeId : null);
    // React Flow blurs a selected node on Escape, in the next frame; focus it again after that, so
    // the keyboard stays where it was and Enter opens it again.
    const node = event.target;
    if (action.kind === 'close' && node instanceof HTMLElement) requestAnimationFrame(() => node.focus({ preventScroll: true }));
  };

  const ready = laidOut !== null && laidOut.graph === graph;
  return (
    <div className="graph-layout">
      <div className="graph-canvas" data-testid="graph-canvas" data-layout-ready={ready ? 'true' : 'false'}>
        {!laidOut ? (
          <p className="muted loading">Laying out the graph…</p>
        ) : laidOut.nodes.length === 0 ? (
          <EmptyState testId="graph-nothing" title="Nothing to draw" text="The last scan found no hosts." />
        ) : (
          <ReactFlow<BlastFlowNode, BlastFlowEdge>
            // A new layout is a new picture: remount so fitView frames it.
            key={laidOut.nodes.map((node) => node.id).join('|')}
            nodes={nodes}
            edges={laidOut.edges}
            nodeTypes={nodeTypes}
            edgeTypes={edgeTypes}
            onNodeClick={onNodeClick}
            onKeyDown={onKeyDown}
            onPaneClick={() => nodeSelected(null)}
            nodesDraggable={false}
            nodesConnectable={false}
            fitView
            fitViewOptions={FIT_VIEW_OPTIONS}
            minZoom={0.2}
          >
            <RefitOnResize selectedNodeId={selectedNodeId} />
            <Background gap={24} size={1} />
            <Controls showInteractive={false} />
          </ReactFlow>
        )}
      </div>
      <EvidencePanel />
    </div>
  );
}

const FIT_VIEW_OPTIONS = { padding: 0.12, maxZoom: 1.1 };

/**
 * The evidence panel narrows or widens the canvas. When it opens, keep the view if the selected
 * node is still in it (moving what the user just clicked is disorienting), else bring it in at the
 * same zoom; when it closes, frame the whole graph again.
 */
function RefitOnResize({ selectedNodeId }: { selectedNodeId: string | null }) {
  const { fitView, getZoom, getInternalNode, getViewport, setCenter } = useReactFlow();
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const first = useRef(true);
  const selected = useRef(selectedNodeId);
  selected.current = selectedNodeId;
  useEffect(() => {
    if (first.current) {
      // The initial fit is React Flow's own (fitView prop).
      first.current = false;
      return;
    }
    const node = selected.current ? getInternalNode(selected.current) : undefined;
    if (node) {
      const { x, y } = node.internals.positionAbsolute;
      const view = getViewport();
      const left = x * view.zoom + view.x;
      const top = y * view.zoom + view.y;
      const inView =
        left >= 0 && top >= 0 && left + (node.measured.width ?? 0) * view.zoom <= width && top + (node.measured.height ?? 0) * view.zoom <= height;
      if (inView) return;
      void setCenter(x + (node.measured.width ?? 0) / 2, y + (node.measured.height ?? 0) / 2, { zoom: getZoom(), duration: 200 });
    } else {
      void fitView({ ...FIT_VIEW_OPTIONS, duration: 200 });
    }
  }, [width, height, fitView, getZoom, getInternalNode, getViewport, setCenter]);
  return null;
}

function Legend() {
  return (
    <ul className="legend" aria-label="Legend">
      <li>
        <span className="swatch status-compromised" /> compromised
      </li>
      <li>
        <span className="swatch status-reached" /> reached
      </li>
      <li>
        <span className="swatch status-clean" /> clean
      </li>
      <li>
        <span className="swatch status-failed" /> scan failed
      </li>
      <li>
        <span className="swatch-edge-updates" /> auto-updater re-pulls
      </li>
      <li>
        <span className="swatch-edge-holds" /> holds a key
      </li>
      <li>
        <span className="swatch-edge-consumes" /> sends requests to a gateway
      </li>
      <li>
        <span className="swatch-edge-lateral" /> SSH key logs in
      </li>
    </ul>
  );
}
