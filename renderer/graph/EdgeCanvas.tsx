/**
 * The edges of a large graph, drawn on one canvas under React Flow's nodes instead of one SVG path
 * each. Measured at 5,000 nodes and 10,000 edges in software rendering: with SVG edges (even plain
 * ones, and culled to those crossing the view) every pan or zoom step re-rasterised about 1,600
 * long paths and restyled as many DOM elements (dashed ones took 30 s a step, solid ones 0.3 s);
 * here a frame strokes each style's edges in view as one path, and only the nodes in view are in
 * the DOM. Edges are drawn in their plain look (legend.ts plainLook), which the legend then shows.
 */
import { memo, useEffect, useRef } from 'react';
import { useStore } from '@xyflow/react';
import type { BlastFlowEdge, BlastFlowNode } from './flow-types.js';
import { EDGE_STYLES, plainLook, type EdgeStyleKey } from './legend.js';
import { edgeGeometry, type EdgeGeometry } from './edge-geometry.js';
import { useColourScheme, type ColourScheme } from '../app/use-colour-scheme.js';

/** What the canvas draws: the laid-out nodes, the edges (hidden ones left out) and the chain to stand out, if any. */
export interface EdgeCanvasProps {
  nodes: readonly BlastFlowNode[];
  edges: readonly BlastFlowEdge[];
  /** Edges on the selected node's chain: drawn on top, heavier; the rest step back. Null when nothing is highlighted. */
  highlighted: ReadonlySet<string> | null;
}

/** The edge layer; a child of <ReactFlow>, so it follows the viewport's pan and zoom. */
export const EdgeCanvas = memo(function EdgeCanvas({ nodes, edges, highlighted }: EdgeCanvasProps) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const transform = useStore((state) => state.transform);
  const width = useStore((state) => state.width);
  const height = useStore((state) => state.height);
  const geometry = useRef<{ edges: readonly BlastFlowEdge[]; nodes: readonly BlastFlowNode[]; lines: EdgeGeometry[] } | null>(null);
  if (!geometry.current || geometry.current.edges !== edges || geometry.current.nodes !== nodes) {
    geometry.current = { edges, nodes, lines: edgeGeometry(nodes, edges) };
  }
  const lines = geometry.current.lines;
  const scheme = useColourScheme();
  // Resolved once per scheme: reading computed style on every frame forced the browser to restyle
  // the thousands of nodes React had just added (409 ms of a 5,000-node first render).
  const colours = useRef<{ scheme: ColourScheme; strokes: Record<EdgeStyleKey, string> } | null>(null);

  useEffect(() => {
    const element = canvas.current;
    const context = element?.getContext('2d');
    if (!element || !context || width === 0 || height === 0) return;
    const ratio = window.devicePixelRatio || 1;
    if (element.width !== Math.round(width * ratio) || element.height !== Math.round(height * ratio)) {
      element.width = Math.round(width * ratio);
      element.height = Math.round(height * ratio);
    }
    const [x, y, zoom] = transform;
    context.setTransform(ratio, 0, 0, ratio, 0, 0);
    context.clearRect(0, 0, width, height);
    context.setTransform(ratio * zoom, 0, 0, ratio * zoom, ratio * x, ratio * y);
    // The view in graph coordinates: an edge whose box misses it is not stroked at all.
    const view = { left: -x / zoom, top: -y / zoom, right: (width - x) / zoom, bottom: (height - y) / zoom };
    if (colours.current?.scheme !== scheme) colours.current = { scheme, strokes: resolveColours(element) };
    const strokes = colours.current.strokes;
    const passes: Array<{ on: boolean | null; alpha: number; extra: number }> = highlighted
      ? [
          { on: false, alpha: 0.2, extra: 0 },
          { on: true, alpha: 1, extra: 2 },
        ]
      : [{ on: null, alpha: 1, extra: 0 }];
    for (const pass of passes) {
      for (const style of Object.keys(EDGE_STYLES) as EdgeStyleKey[]) {
        context.beginPath();
        let any = false;
        for (const line of lines) {
          if (line.style !== style) continue;
          if (pass.on !== null && highlighted!.has(line.id) !== pass.on) continue;
          if (line.right < view.left || line.left > view.right || line.bottom < view.top || line.top > view.bottom) continue;
          context.moveTo(line.points[0]!, line.points[1]!);
          if (line.curve) context.bezierCurveTo(line.points[2]!, line.points[3]!, line.points[4]!, line.points[5]!, line.points[6]!, line.points[7]!);
          else for (let index = 2; index < line.points.length; index += 2) context.lineTo(line.points[index]!, line.points[index + 1]!);
          any = true;
        }
        if (!any) continue;
        const look = plainLook(style);
        context.globalAlpha = pass.alpha * look.opacity;
        context.strokeStyle = strokes[style];
        // At least a screen pixel wide, however far out the zoom.
        context.lineWidth = Math.max(look.width + pass.extra, 1 / zoom);
        context.stroke();
      }
    }
    context.globalAlpha = 1;
  }, [lines, highlighted, transform, width, height, scheme]);

  return <canvas ref={canvas} className="graph-edge-canvas" data-testid="graph-edge-canvas" data-edge-count={lines.length} style={{ width, height }} aria-hidden="true" />;
});

/** Each style's stroke as the canvas needs it: the registry names theme variables, which a canvas cannot read, so they are resolved here (again when the colour scheme changes). */
function resolveColours(element: Element): Record<EdgeStyleKey, string> {
  const computed = getComputedStyle(element);
  const colours = {} as Record<EdgeStyleKey, string>;
  for (const style of Object.keys(EDGE_STYLES) as EdgeStyleKey[]) {
    const stroke = EDGE_STYLES[style].stroke;
    const variable = /^var\((--[\w-]+)\)$/.exec(stroke);
    colours[style] = variable ? computed.getPropertyValue(variable[1]!).trim() || computed.color : stroke;
  }
  return colours;
}
