/** The checklist room's public entry point: the remediation plan, its groups and its progress. */
export * from './checklist.js';
