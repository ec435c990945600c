/** The case room's public entry point: the ledger a case keeps across scans, the owner's remove-or-patch decisions and the journal's entries. */
export * from './ledger.js';
export * from './decisions.js';
export * from './journal-entries.js';
export * from './suppressions.js';
export * from './register-annotations.js';
