/**
 * The hosts a re-scan must read to refresh what one graph node shows: the host itself, the host a
 * container, environment or package sits on, every host a key was seen on, the host a tunnel or
 * route is declared on. Providers and outside endpoints are on no scanned host.
 */
import type { BlastNode } from './graph-model.js';

/** Hosts to re-scan for a node, in first-seen order; `ancestors` is the node's path from its host down. */
export function hostsOfNode(node: BlastNode, ancestors: readonly BlastNode[]): string[] {
  switch (node.kind) {
    case 'host':
      return [node.data.name];
    case 'container':
    case 'environment':
    case 'package': {
      const host = ancestors.find((ancestor) => ancestor.kind === 'host');
      return host && host.kind === 'host' ? [host.data.name] : [];
    }
    case 'key':
      return [...new Set(node.data.locations.map((location) => location.host))];
    case 'tunnel':
    case 'route':
      return [node.data.host];
    case 'fold': {
      const host = ancestors.find((ancestor) => ancestor.kind === 'host');
      return host && host.kind === 'host' ? [host.data.name] : [];
    }
    case 'provider':
    case 'endpoint':
      return [];
    default: {
      const unknown: never = node;
      return unknown;
    }
  }
}
