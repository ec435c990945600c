/**
 * The present room's public entry point: what the views and reports draw from a report (the
 * blast graph and each node's evidence, the inventory, the compromise-window timeline, gateway
 * traffic per client, the gateway map, the sorted findings list, the incident summary with a verdict per host).
 */
export * from './graph.js';
export * from './graph-chains.js';
export * from './graph-search.js';
export * from './graph-fold.js';
export * from './inventory.js';
export * from './timeline.js';
export * from './traffic.js';
export * from './findings-list.js';
export * from './incident-summary.js';
export * from './ai-components.js';
export * from './gateway-map.js';
export * from './node-hosts.js';
export * from './journal-burndown.js';
export * from './journal-timeline.js';
export * from './supply-chain-register.js';
export * from './register-report.js';
