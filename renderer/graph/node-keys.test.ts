import { describe, expect, it } from 'vitest';
import { nodeKeyAction } from './node-keys.js';

/** A stand-in for an element: its classes and attributes. */
const element = (classes: string[], attributes: Record<string, string> = {}) => ({
  classList: { contains: (name: string) => classes.includes(name) },
  getAttribute: (name: string) => attributes[name] ?? null,
});

describe('nodeKeyAction', () => {
  const node = element(['react-flow__node', 'react-flow__node-package', 'selectable'], { 'data-id': 'pkg:gw:litellm' });

  it('opens the evidence of a focused node on Enter and on Space', () => {
    expect(nodeKeyAction('Enter', node)).toEqual({ kind: 'open', nodeId: 'pkg:gw:litellm' });
    expect(nodeKeyAction(' ', node)).toEqual({ kind: 'open', nodeId: 'pkg:gw:litellm' });
  });

  it('closes the panel on Escape from a node', () => {
    expect(nodeKeyAction('Escape', node)).toEqual({ kind: 'close' });
  });

  it('leaves other keys, and keys pressed outside a node, to React Flow', () => {
    expect(nodeKeyAction('a', node)).toBeNull();
    expect(nodeKeyAction('Enter', element(['react-flow__controls-button']))).toBeNull();
    expect(nodeKeyAction('Enter', element(['react-flow__node']))).toBeNull();
    expect(nodeKeyAction('Enter', null)).toBeNull();
  });
});
