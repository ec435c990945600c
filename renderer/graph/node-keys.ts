/** The keyboard on the graph: what a key pressed on a focused node asks for. */

/** Open the node's evidence, close the panel, or nothing the graph handles. */
export type NodeKeyAction = { kind: 'open'; nodeId: string } | { kind: 'close' } | null;

/** Keys that open a focused node's evidence, like a click: a node is a button to the keyboard. */
const OPEN_KEYS = new Set(['Enter', ' ']);

/**
 * What a key pressed inside the canvas means: Enter or Space on a focused node (React Flow's
 * `.react-flow__node` wrapper, which carries the node's id in `data-id`) opens its evidence, Escape
 * there closes the panel; a key anywhere else (the pane, the zoom buttons) is left to React Flow.
 */
export function nodeKeyAction(key: string, target: { classList?: { contains(name: string): boolean }; getAttribute?(name: string): string | null } | null): NodeKeyAction {
  if (!target?.classList?.contains('react-flow__node')) return null;
  const nodeId = target.getAttribute?.('data-id');
  if (!nodeId) return null;
  if (OPEN_KEYS.has(key)) return { kind: 'open', nodeId };
  if (key === 'Escape') return { kind: 'close' };
  return null;
}
