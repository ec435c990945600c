/**
 * The findings room's public entry point: what views need to attribute a gateway's logged
 * traffic (which gateways exist, their finding ids, who a logged client is). Producers and report
 * assembly are reached by the scan directly, not through here.
 */
export { gatewayFindingId, recogniseGateways, type Gateway } from './topology/gateways.js';
export { logClient, type LogClient } from './topology/log-clients.js';
