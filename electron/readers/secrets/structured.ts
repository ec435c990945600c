/** Parsing YAML/JSON config files without ever letting their text reach an error message. */
import { parse } from 'yaml';

/** A plain object (not an array, not null). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * The document of a YAML or JSON file, or undefined when it does not parse. The parser's error
 * quotes the offending line, which may hold a secret, so it is dropped here, not rethrown.
 */
export function parseStructured(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    // Not JSON: YAML, with alias expansion capped against billion-laughs documents.
  }
  try {
    return parse(text, { maxAliasCount: 100, uniqueKeys: false, merge: true }) as unknown;
  } catch {
    return undefined;
  }
}

/** A scalar as the program would read it (YAML numbers and booleans become their text), or null. */
export function scalarText(value: unknown): string | null {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return null;
}

/** One string leaf of a document: its display path, its own key and the object holding it. */
export interface Leaf {
  path: string;
  key: string;
  value: string;
  parent: Record<string, unknown>;
}

/** How an array item is named in a path: its `model_name`/`name`/`title` when it has one, else its index. */
function itemLabel(item: unknown, index: number): string {
  if (isRecord(item)) {
    for (const field of ['model_name', 'name', 'title']) {
      const label = item[field];
      if (typeof label === 'string' && label) return label;
    }
  }
  return String(index);
}

/** Every scalar leaf under `node`, depth-first, with paths like `models[gpt-4o].apiKey`. */
export function stringLeaves(node: unknown, path: string, depth = 0): Leaf[] {
  if (depth > 20) return [];
  const leaves: Leaf[] = [];
  if (Array.isArray(node)) {
    node.forEach((item, index) => leaves.push(...stringLeaves(item, `${path}[${itemLabel(item, index)}]`, depth + 1)));
  } else if (isRecord(node)) {
    for (const [key, value] of Object.entries(node)) {
      const childPath = path ? `${path}.${key}` : key;
      const text = scalarText(value);
      if (text !== null) leaves.push({ path: childPath, key, value: text, parent: node });
      else leaves.push(...stringLeaves(value, childPath, depth + 1));
    }
  }
  return leaves;
}
