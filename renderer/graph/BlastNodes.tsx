/** The memoised React Flow node components, one per kind, and the module-level nodeTypes map. */
import { memo } from 'react';
import { Handle, Position, type NodeProps, type NodeTypes } from '@xyflow/react';
import type { BlastMark } from '../../shared/present/index.js';
import { UPDATES_HANDLE, type BlastFlowNodeOf, type BlastKind, type BlastNodeData } from './flow-types.js';
import { NODE_KINDS } from './legend.js';
import './blast-nodes.css';

const STATUS_LABELS: Record<BlastNodeData['status'], string> = {
  compromised: 'compromised',
  reached: 'reached',
  clean: 'clean',
  failed: 'scan failed',
};

/** What each mark's badge says on hover. */
const MARK_TITLES: Record<BlastMark, string> = {
  updater: 'Auto-updater: re-pulls the containers its dashed edges point to',
  socket: 'Mounts the Docker socket (or the host root): it can drive the engine and so the host',
  ioc: 'An indicator of compromise matched here',
};

function NodeBox({ kind, data, selected }: { kind: BlastKind; data: BlastNodeData; selected: boolean }) {
  return (
    <div
      className={`blast-node kind-${kind} status-${data.status}${selected ? ' selected' : ''}`}
      data-testid={`graph-node-${kind}-${data.label}`}
      data-status={data.status}
      title={`${NODE_KINDS[kind].tag} ${data.label}: ${STATUS_LABELS[data.status]}${data.detail ? `\n${data.detail}` : ''}`}
    >
      <Handle type="target" position={Position.Left} isConnectable={false} />
      <div className="blast-node-top">
        <span className="blast-node-kind">{NODE_KINDS[kind].tag}</span>
        {data.status !== 'clean' && <span className="blast-node-status">{STATUS_LABELS[data.status]}</span>}
      </div>
      <div className="blast-node-title">
        <span className="blast-node-label">{data.label}</span>
        {data.marks.length > 0 && (
          <span className="blast-node-marks">
            {data.marks.map((mark) => (
              <span key={mark} className={`blast-mark mark-${mark}`} data-testid={`graph-mark-${mark}-${data.label}`} title={MARK_TITLES[mark]}>
                {mark}
              </span>
            ))}
          </span>
        )}
      </div>
      {data.detail && <div className="blast-node-detail">{data.detail}</div>}
      <Handle type="source" position={Position.Right} isConnectable={false} />
      {kind === 'container' && (
        // An updater's edge enters on the right, beside the one it leaves by: a bracket within the container column.
        <Handle type="target" id={UPDATES_HANDLE} position={Position.Right} isConnectable={false} />
      )}
    </div>
  );
}

/** A host node. */
export const HostNode = memo(function HostNode({ data, selected }: NodeProps<BlastFlowNodeOf<'host'>>) {
  return <NodeBox kind="host" data={data} selected={selected} />;
});

/** A container node. */
export const ContainerNode = memo(function ContainerNode({ data, selected }: NodeProps<BlastFlowNodeOf<'container'>>) {
  return <NodeBox kind="container" data={data} selected={selected} />;
});

/** A Python environment node. */
export const EnvironmentNode = memo(function EnvironmentNode({ data, selected }: NodeProps<BlastFlowNodeOf<'environment'>>) {
  return <NodeBox kind="environment" data={data} selected={selected} />;
});

/** A package node. */
export const PackageNode = memo(function PackageNode({ data, selected }: NodeProps<BlastFlowNodeOf<'package'>>) {
  return <NodeBox kind="package" data={data} selected={selected} />;
});

/** A secret, by provider and short fingerprint: never a value. */
export const KeyNode = memo(function KeyNode({ data, selected }: NodeProps<BlastFlowNodeOf<'key'>>) {
  return <NodeBox kind="key" data={data} selected={selected} />;
});

/** A provider keys authenticate to and gateways route to. */
export const ProviderNode = memo(function ProviderNode({ data, selected }: NodeProps<BlastFlowNodeOf<'provider'>>) {
  return <NodeBox kind="provider" data={data} selected={selected} />;
});

/** A gateway backend on no scanned host. */
export const EndpointNode = memo(function EndpointNode({ data, selected }: NodeProps<BlastFlowNodeOf<'endpoint'>>) {
  return <NodeBox kind="endpoint" data={data} selected={selected} />;
});

/** An SSH forward a consumer reaches its gateway through. */
export const TunnelNode = memo(function TunnelNode({ data, selected }: NodeProps<BlastFlowNodeOf<'tunnel'>>) {
  return <NodeBox kind="tunnel" data={data} selected={selected} />;
});

/** A reverse-proxy route a consumer reaches its gateway through. */
export const RouteNode = memo(function RouteNode({ data, selected }: NodeProps<BlastFlowNodeOf<'route'>>) {
  return <NodeBox kind="route" data={data} selected={selected} />;
});

/** Clean containers of a host folded into a count; clicking it shows them. */
export const FoldNode = memo(function FoldNode({ data, selected }: NodeProps<BlastFlowNodeOf<'fold'>>) {
  return <NodeBox kind="fold" data={data} selected={selected} />;
});

/** React Flow's node types, declared once at module level so React Flow never sees a new object. */
export const nodeTypes = {
  host: HostNode,
  container: ContainerNode,
  environment: EnvironmentNode,
  package: PackageNode,
  key: KeyNode,
  provider: ProviderNode,
  endpoint: EndpointNode,
  tunnel: TunnelNode,
  route: RouteNode,
  fold: FoldNode,
} satisfies Record<BlastKind, unknown> satisfies NodeTypes;
