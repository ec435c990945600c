/** The React Flow shapes of the blast-radius graph: one node type per kind. */
import type { Edge, Node } from '@xyflow/react';
import type { BlastEdgeKind, BlastMark, BlastNode } from '../../shared/present/index.js';
import type { EdgeStyleKey } from './legend.js';

/** A graph node kind, which is also its React Flow node type. */
export type BlastKind = BlastNode['kind'];

/** What every blast node component renders. */
export type BlastNodeData = {
  label: string;
  status: BlastNode['status'];
  /** A second line: address, image, path or version. */
  detail: string;
  findingCount: number;
  /** Badges for what the node is: an auto-updater, a Docker socket holder, an IOC match. */
  marks: BlastMark[];
};

/** A React Flow node of one kind. */
export type BlastFlowNodeOf<K extends BlastKind> = Node<BlastNodeData, K>;
/** The union of node kinds the graph draws. */
export type BlastFlowNode = { [K in BlastKind]: BlastFlowNodeOf<K> }[BlastKind];
/** What an edge carries: its kind (containment, an auto-updater's reach, a key, traffic, a lateral path). */
export type BlastEdgeData = {
  kind: BlastEdgeKind;
  /** How it is drawn (its kind, or `compromised` for containment of flagged code): a key of EDGE_STYLES. */
  style: EdgeStyleKey;
  /** How far right of the container column an `updates` bracket runs, so an updater's brackets do not coincide. */
  offset?: number;
};
/** An edge of the graph. */
export type BlastFlowEdge = Edge<BlastEdgeData>;

/** The box each kind is drawn in; the layout uses the same sizes. */
export const NODE_SIZES: Record<BlastKind, { width: number; height: number }> = {
  host: { width: 230, height: 78 },
  container: { width: 230, height: 78 },
  environment: { width: 250, height: 78 },
  package: { width: 200, height: 78 },
  key: { width: 210, height: 64 },
  provider: { width: 150, height: 56 },
  endpoint: { width: 200, height: 64 },
  tunnel: { width: 220, height: 64 },
  route: { width: 200, height: 64 },
  fold: { width: 230, height: 64 },
};

/** The handle on a container's right side where `updates` edges end, so they bracket the container column. */
export const UPDATES_HANDLE = 'updates-in';
