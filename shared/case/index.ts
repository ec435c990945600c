/** The case room's public entry point: the ledger a case keeps across scans, and the owner's remove-or-patch decisions. */
export * from './ledger.js';
export * from './decisions.js';
export * from './suppressions.js';
