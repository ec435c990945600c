/**
 * The charts' colours, as references to the palette in renderer/theme.css: recharts writes them
 * into SVG attributes and inline styles, where `var()` resolves like in CSS, so the charts follow
 * the light or dark theme without reading the OS preference themselves.
 */

/** Colours of the chart furniture (grid, axes, labels, tooltip) and the fixed series. */
export const CHART_COLOURS = {
  grid: 'var(--chart-grid)',
  axis: 'var(--chart-axis)',
  tick: 'var(--chart-tick)',
  label: 'var(--chart-label)',
  cursor: 'var(--chart-cursor)',
  done: 'var(--chart-done)',
  open: 'var(--chart-open)',
  window: 'var(--chart-window)',
  windowLabel: 'var(--compromised)',
  imageBuilt: 'var(--event-built)',
  created: 'var(--event-created)',
  started: 'var(--event-started)',
  other: 'var(--series-other)',
} as const;

/** Series colours, distinct enough side by side, in order of use. */
export const SERIES_COLOURS = [
  'var(--series-1)',
  'var(--series-2)',
  'var(--series-3)',
  'var(--series-4)',
  'var(--series-5)',
  'var(--series-6)',
  'var(--series-7)',
  'var(--series-8)',
] as const;

/** The tick text of an axis: small, in the palette's tick colour (or the label colour for category names). */
export const axisTick = (fontSize: number, colour: string = CHART_COLOURS.tick) => ({ fontSize, fill: colour });

/** recharts' default tooltip box is white: the surface and text of the theme instead. */
export const TOOLTIP_STYLE = {
  contentStyle: { background: 'var(--surface)', border: '1px solid var(--border-strong)', borderRadius: 8, color: 'var(--text)' },
  labelStyle: { color: 'var(--text)' },
  cursor: { fill: CHART_COLOURS.cursor },
} as const;
