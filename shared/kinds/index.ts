/** The kinds room's public entry point: each finding kind's label and facts, and the registry of their parts. */
export * from './registry.js';
