/** The providers area's public entry point: where each provider's keys are revoked. */
export * from './provider-consoles.js';
