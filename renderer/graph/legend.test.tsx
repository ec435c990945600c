import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { sampleLabReport, sampleReport, sampleWatchtower } from '../../shared/fixtures/sample-report.js';
import { buildBlastGraph, type BlastGraph } from '../../shared/present/index.js';
import { GraphLegend } from './GraphLegend.js';
import { EDGE_STYLES, drawnKinds, plainLook, type EdgeStyleKey } from './legend.js';
import { toFlowElements } from './to-flow.js';

/** The lab (keys, gateway routes, consumers, tunnel, lateral path) with an auto-updater on gw. */
function everyKind(): BlastGraph {
  const report = sampleLabReport();
  report.hosts[0]!.containers.push(sampleWatchtower());
  return buildBlastGraph(report);
}

/** What the canvas actually draws: node types, edge style keys and node statuses of the React Flow elements. */
function drawnOnCanvas(graph: BlastGraph) {
  const { nodes, edges } = toFlowElements(graph);
  return {
    nodeKinds: [...new Set(nodes.map((node) => node.type))],
    edgeStyles: [...new Set(edges.map((edge) => edge.data!.style))],
    statuses: [...new Set(nodes.map((node) => node.data.status))],
  };
}

describe('the graph legend', () => {
  it('has an entry for every node kind, node status and edge style the canvas draws', () => {
    for (const graph of [everyKind(), buildBlastGraph(sampleReport())]) {
      const markup = renderToStaticMarkup(<GraphLegend drawn={drawnKinds(graph)} />);
      const drawn = drawnOnCanvas(graph);

      for (const kind of drawn.nodeKinds) expect(markup, `node kind ${kind}`).toContain(`data-testid="legend-node-${kind}"`);
      for (const style of drawn.edgeStyles) expect(markup, `edge style ${style}`).toContain(`data-testid="legend-edge-${style}"`);
      for (const status of drawn.statuses) expect(markup, `status ${status}`).toContain(`data-testid="legend-status-${status}"`);
    }
  });

  it('lists the routing, key-to-provider, consuming, lateral and compromise edges of the lab', () => {
    const markup = renderToStaticMarkup(<GraphLegend drawn={drawnKinds(everyKind())} />);

    for (const style of ['compromised', 'holds', 'authenticates', 'routes', 'consumes', 'lateral', 'updates'] satisfies EdgeStyleKey[]) {
      expect(markup).toContain(`data-testid="legend-edge-${style}"`);
    }
  });

  it('lists nothing the graph does not draw', () => {
    const markup = renderToStaticMarkup(<GraphLegend drawn={drawnKinds(buildBlastGraph(sampleReport()))} />);

    expect(markup).not.toContain('legend-node-key');
    expect(markup).not.toContain('legend-edge-lateral');
    expect(markup).not.toContain('legend-edge-routes');
  });

  it('draws no two edge styles alike, and the compromise edge unlike the SSH lateral edge', () => {
    const looks = Object.values(EDGE_STYLES).map((look) => `${look.stroke}|${'dash' in look ? look.dash : 'solid'}|${look.width}`);

    expect(new Set(looks).size).toBe(looks.length);
    expect(EDGE_STYLES.compromised.stroke).not.toBe(EDGE_STYLES.lateral.stroke);
    expect('dash' in EDGE_STYLES.compromised).toBe(false);
    expect('dash' in EDGE_STYLES.lateral).toBe(true);
  });

  it('makes each drawn edge style a switch, off for the styles turned off, with a way back for all', () => {
    const drawn = drawnKinds(everyKind());
    const filter = { hidden: new Set<EdgeStyleKey>(['holds']), strandedHidden: false, onToggle: () => {}, onStrandedToggle: () => {}, onShowAll: () => {} };

    const markup = renderToStaticMarkup(<GraphLegend drawn={drawn} filter={filter} />);
    const switches = [...markup.matchAll(/<input [^>]*data-testid="edge-filter-([a-z]+)"[^>]*>/g)]
      .filter((match) => match[1] !== 'stranded')
      .map((match) => [match[1], / checked=""/.test(match[0])]);

    expect(switches).toEqual(drawn.edgeStyles.map((style) => [style, style !== 'holds']));
    expect(markup).toContain('data-testid="edge-filter-stranded"');
    expect(markup).toContain('data-testid="edge-filter-show-all"');
  });

  it('offers no switches without filter controls, and no way back while every style is on', () => {
    const drawn = drawnKinds(everyKind());
    const filter = { hidden: new Set<EdgeStyleKey>(), strandedHidden: false, onToggle: () => {}, onStrandedToggle: () => {}, onShowAll: () => {} };

    expect(renderToStaticMarkup(<GraphLegend drawn={drawn} />)).not.toContain('type="checkbox"');
    const markup = renderToStaticMarkup(<GraphLegend drawn={drawn} filter={filter} />);
    expect(markup).not.toContain('edge-filter-show-all');
    expect(markup).not.toContain('edge-filter-stranded');
  });

  it('shows a large graph’s edges as its canvas draws them: no dashes, no arrowheads, dashed styles fainter', () => {
    const markup = renderToStaticMarkup(<GraphLegend drawn={drawnKinds(everyKind())} plain />);

    expect(markup).not.toContain('stroke-dasharray');
    expect(markup).not.toContain('marker-end');
    // A dashed style can share its colour with a solid one (a key's provider edge and its holder's): fainter, it is still told apart.
    for (const style of Object.keys(EDGE_STYLES) as EdgeStyleKey[]) {
      expect(plainLook(style).opacity < 1, style).toBe('dash' in EDGE_STYLES[style]);
    }
  });

  it('draws each edge in the stroke its legend entry shows', () => {
    const { edges } = toFlowElements(everyKind());

    for (const edge of edges) expect(edge.style?.stroke, edge.id).toBe(EDGE_STYLES[edge.data!.style].stroke);
  });
});
