/** The providers area's public entry point: where each provider's keys are revoked, and how to check that they were. */
export * from './provider-consoles.js';
export * from './revocation-endpoints.js';
