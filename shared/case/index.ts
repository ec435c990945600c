/** The case room's public entry point: the ledger a case keeps across scans. */
export * from './ledger.js';
