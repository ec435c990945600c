/**
 * Search in the blast-radius graph by name, path or fingerprint: each node kind says which of its
 * fields a user would type (a host's name and address, a container's image, an environment's path,
 * a key's fingerprint and the files it was seen in). Pure; the graph view focuses what it finds.
 */
import type { BlastGraph, BlastNode } from './graph-model.js';

/** One node that matches a search, with the text it matched on (shown beside the label). */
export interface GraphSearchHit {
  node: BlastNode;
  /** The field that matched, as it reads: a path, a fingerprint, an image; the label itself when that matched. */
  matched: string;
}

/** The texts a user may search a node by, label first. Fingerprints only: the graph has no secret values. */
export function nodeSearchTexts(node: BlastNode): string[] {
  const texts = [node.label];
  switch (node.kind) {
    case 'host':
      texts.push(node.data.address, node.data.facts?.hostname ?? '', ...(node.data.addresses ?? []));
      break;
    case 'container':
      if (node.data) texts.push(node.data.image, node.data.id);
      break;
    case 'environment':
      texts.push(node.data.path);
      break;
    case 'package':
      texts.push(node.data.name);
      break;
    case 'key':
      texts.push(node.data.fingerprint, ...node.data.locations.flatMap((location) => [location.path ?? '', location.variable ?? '']));
      break;
    case 'provider':
      texts.push(node.data.provider);
      break;
    case 'endpoint':
      texts.push(node.data.url);
      break;
    case 'tunnel':
      texts.push(node.data.host);
      break;
    case 'route':
      texts.push(node.data.path ?? '', node.data.host);
      break;
    case 'fold':
      texts.push(...node.data.labels);
      break;
    default:
      return exhaustive(node);
  }
  return texts.filter((text) => text !== '');
}

/**
 * Nodes whose label, path, address or fingerprint contains `query` (case-insensitive), best first:
 * a label that starts with the query, then a label that contains it, then any other field; graph
 * order within each. An empty query finds nothing.
 */
export function searchGraphNodes(graph: Pick<BlastGraph, 'nodes'>, query: string, limit = 12): GraphSearchHit[] {
  const wanted = query.trim().toLowerCase();
  if (wanted === '') return [];
  const ranked: Array<GraphSearchHit & { rank: number }> = [];
  for (const node of graph.nodes) {
    const texts = nodeSearchTexts(node);
    const label = node.label.toLowerCase();
    if (label.startsWith(wanted)) ranked.push({ node, matched: node.label, rank: 0 });
    else if (label.includes(wanted)) ranked.push({ node, matched: node.label, rank: 1 });
    else {
      const matched = texts.find((text) => text.toLowerCase().includes(wanted));
      if (matched !== undefined) ranked.push({ node, matched, rank: 2 });
    }
  }
  // Array.prototype.sort is stable: graph order holds within a rank.
  return ranked
    .sort((a, b) => a.rank - b.rank)
    .slice(0, limit)
    .map(({ node, matched }) => ({ node, matched }));
}

function exhaustive(node: never): never {
  throw new Error(`unknown node kind: ${JSON.stringify(node)}`);
}
