/** How a place a secret was seen reads in the graph, the evidence panel, the checklist and the reports. */
import type { SecretLocation } from '../model/index.js';

/** `gw · container litellm · container-env OPENAI_API_KEY`: where a key was seen, never what it is. */
export function describeLocation(location: SecretLocation): string {
  return [
    location.host,
    location.container === null ? 'host' : `container ${location.container}`,
    [location.source, location.path, location.variable].filter(Boolean).join(' '),
  ].join(' · ');
}
