/**
 * The legend of the blast-radius graph, generated from the legend registry for what the graph
 * draws, and the arrowheads edges use. Given filter controls, each edge entry is also the switch
 * that shows or hides that style's edges: one list says what a line means and lets it go.
 */
import { memo } from 'react';
import { EDGE_STYLES, NODE_KINDS, NODE_STATUSES, markerId, plainLook, type DrawnKinds, type EdgeStyleKey } from './legend.js';
import { edgeSvgStyle } from './to-flow.js';

/** The edge filter's state and the events the legend's switches raise. */
export interface EdgeFilterControls {
  /** Edge styles turned off. */
  hidden: ReadonlySet<EdgeStyleKey>;
  /** Whether nodes left without a shown edge are hidden too. */
  strandedHidden: boolean;
  onToggle(style: EdgeStyleKey): void;
  onStrandedToggle(): void;
  onShowAll(): void;
}

/**
 * One entry per node status, node kind and edge style the graph draws; nothing for what it does
 * not. With `filter`, edge entries are switches; `plain` shows edges as a large graph draws them.
 */
export const GraphLegend = memo(function GraphLegend({ drawn, filter, plain = false }: { drawn: DrawnKinds; filter?: EdgeFilterControls; plain?: boolean }) {
  // Only styles the graph draws can be hidden; one hidden earlier and not drawn now (a re-scan) has no switch and counts for nothing.
  const hiddenDrawn = filter ? drawn.edgeStyles.filter((style) => filter.hidden.has(style)).length : 0;
  return (
    <ul className="legend" aria-label="Legend" data-testid="graph-legend">
      {drawn.statuses.map((status) => (
        <li key={status} data-testid={`legend-status-${status}`}>
          <span className={`swatch status-${status}`} /> {NODE_STATUSES[status].legend}
        </li>
      ))}
      {drawn.nodeKinds.map((kind) => (
        <li key={kind} data-testid={`legend-node-${kind}`}>
          <span className={`legend-node kind-${kind}`} /> {NODE_KINDS[kind].legend}
        </li>
      ))}
      {drawn.edgeStyles.map((style) =>
        filter ? (
          <li key={style} data-testid={`legend-edge-${style}`} className={filter.hidden.has(style) ? 'edge-off' : undefined}>
            <label className="legend-switch" title={filter.hidden.has(style) ? 'Show these edges' : 'Hide these edges'}>
              <input type="checkbox" checked={!filter.hidden.has(style)} onChange={() => filter.onToggle(style)} data-testid={`edge-filter-${style}`} />
              <EdgeSwatch style={style} plain={plain} /> {EDGE_STYLES[style].legend}
            </label>
          </li>
        ) : (
          <li key={style} data-testid={`legend-edge-${style}`}>
            <EdgeSwatch style={style} plain={plain} /> {EDGE_STYLES[style].legend}
          </li>
        ),
      )}
      {filter && hiddenDrawn > 0 && (
        <li className="legend-filter-options">
          <label className="legend-switch">
            <input type="checkbox" checked={filter.strandedHidden} onChange={filter.onStrandedToggle} data-testid="edge-filter-stranded" />
            also hide nodes left without a shown edge
          </label>
          <button type="button" className="link-button" onClick={filter.onShowAll} data-testid="edge-filter-show-all">
            Show all edges ({hiddenDrawn} {hiddenDrawn === 1 ? 'kind' : 'kinds'} hidden)
          </button>
        </li>
      )}
    </ul>
  );
});

/** A short line as the canvas draws the style: in full, or `plain` as a large graph draws it. */
function EdgeSwatch({ style, plain }: { style: EdgeStyleKey; plain: boolean }) {
  if (plain) {
    const look = plainLook(style);
    return (
      <svg className="legend-edge" width="30" height="10" aria-hidden="true">
        <line x1="1" y1="5" x2="29" y2="5" style={{ stroke: look.stroke, strokeWidth: look.width, opacity: look.opacity }} />
      </svg>
    );
  }
  return (
    <svg className="legend-edge" width="30" height="10" aria-hidden="true">
      <line x1="1" y1="5" x2={EDGE_STYLES[style].arrow ? 24 : 29} y2="5" style={edgeSvgStyle(style)} markerEnd={EDGE_STYLES[style].arrow ? `url(#${markerId(style)})` : undefined} />
    </svg>
  );
}

/** One arrowhead per edge style, filled with the style's stroke (a CSS variable, so it follows the theme). */
export const GraphMarkers = memo(function GraphMarkers() {
  return (
    <svg className="graph-markers" width="0" height="0" aria-hidden="true" style={{ position: 'absolute' }}>
      <defs>
        {(Object.keys(EDGE_STYLES) as EdgeStyleKey[])
          .filter((style) => EDGE_STYLES[style].arrow)
          .map((style) => (
            <marker key={style} id={markerId(style)} viewBox="-10 -10 20 20" markerWidth="22" markerHeight="22" markerUnits="userSpaceOnUse" orient="auto-start-reverse" refX="0" refY="0">
              <polyline points="-5,-4 0,0 -5,4 -5,-4" strokeLinecap="round" strokeLinejoin="round" style={{ stroke: EDGE_STYLES[style].stroke, fill: EDGE_STYLES[style].stroke, strokeWidth: 1 }} />
            </marker>
          ))}
      </defs>
    </svg>
  );
});
