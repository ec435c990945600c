/**
 * The present room's public entry point: the blast graph built from a report and the evidence
 * behind each of its nodes.
 */
export * from './graph.js';
