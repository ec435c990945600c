/**
 * The report formats' public entry point: one renderer per format (JSON, JSON lines, Markdown,
 * HTML, CycloneDX with VEX, SARIF), pure, used by the CLI and the app alike.
 */
export * from './formats.js';
export * from './registry.js';
export { escapeHtml } from './html.js';
export { VEX_ANALYSIS } from './cyclonedx.js';
export { pypiPurl, ociPurl } from './purl.js';
export * from './case-export.js';
export * from './pdf.js';
