/** The React Flow shapes of the blast-radius graph: one node type per kind. */
import type { Edge, Node } from '@xyflow/react';
import type { BlastNode } from '../../shared/graph.js';

/** A graph node kind, which is also its React Flow node type. */
export type BlastKind = BlastNode['kind'];

/** What every blast node component renders. */
export type BlastNodeData = {
  label: string;
  status: BlastNode['status'];
  /** A second line: address, image, path or version. */
  detail: string;
  findingCount: number;
};

/** A React Flow node of one kind. */
export type BlastFlowNodeOf<K extends BlastKind> = Node<BlastNodeData, K>;
/** The union of node kinds the graph draws. */
export type BlastFlowNode = { [K in BlastKind]: BlastFlowNodeOf<K> }[BlastKind];
/** An edge of the graph. */
export type BlastFlowEdge = Edge;

/** The box each kind is drawn in; the layout uses the same sizes. */
export const NODE_SIZES: Record<BlastKind, { width: number; height: number }> = {
  host: { width: 230, height: 78 },
  container: { width: 230, height: 78 },
  environment: { width: 250, height: 78 },
  package: { width: 200, height: 78 },
};
