import { describe, expect, it } from 'vitest';
import type { Edge, Node } from '@xyflow/react';
import { quickLayout } from './quick-layout.js';

const node = (id: string, height = 60): Node => ({ id, position: { x: 0, y: 0 }, data: {}, width: 200, height });
const edge = (source: string, target: string): Edge => ({ id: `${source}->${target}`, source, target });

describe('quickLayout', () => {
  it('puts each node one column right of its deepest parent, stacked in graph order', () => {
    const laid = quickLayout([node('host'), node('container'), node('env'), node('key'), node('other-host')], [
      edge('host', 'container'),
      edge('container', 'env'),
      edge('host', 'key'),
      edge('env', 'key'),
    ]);
    const at = new Map(laid.map((each) => [each.id, each.position]));
    expect(at.get('host')).toEqual({ x: 0, y: 0 });
    expect(at.get('other-host')).toEqual({ x: 0, y: 82 });
    expect(at.get('container')).toEqual({ x: 256, y: 0 });
    expect(at.get('env')!.x).toBe(512);
    // Reached from the host directly and through the environment: placed after the deeper one.
    expect(at.get('key')!.x).toBe(768);
  });

  it('places every node of a cycle and ignores edges to nodes it was not given', () => {
    const laid = quickLayout([node('a'), node('b'), node('c')], [edge('a', 'b'), edge('b', 'c'), edge('c', 'b'), edge('a', 'gone')]);
    expect(laid.map((each) => each.id)).toEqual(['a', 'b', 'c']);
    for (const each of laid) expect(Number.isFinite(each.position.x) && Number.isFinite(each.position.y)).toBe(true);
    expect(new Set(laid.map((each) => `${each.position.x},${each.position.y}`)).size).toBe(3);
  });
});
