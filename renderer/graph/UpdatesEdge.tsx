/** The edge from an auto-updater to a container it re-pulls: a dashed, labelled bracket beside the container column. */
import { memo } from 'react';
import { BaseEdge, getSmoothStepPath, type EdgeProps, type EdgeTypes } from '@xyflow/react';
import type { BlastFlowEdge } from './flow-types.js';

/** Both ends sit on the right of containers in one column, so a step path makes a bracket `offset` wide. */
export const UpdatesEdge = memo(function UpdatesEdge(props: EdgeProps<BlastFlowEdge>) {
  const { sourceX, sourceY, targetX, targetY, sourcePosition, targetPosition, label, labelStyle, style, data, markerEnd } = props;
  const offset = data?.offset ?? 14;
  const [path] = getSmoothStepPath({ sourceX, sourceY, sourcePosition, targetX, targetY, targetPosition, offset, borderRadius: 6 });
  // On the bracket's vertical run, not at the ends' midpoint, which lies under the containers.
  return (
    <BaseEdge
      path={path}
      markerEnd={markerEnd}
      style={style}
      labelStyle={labelStyle}
      label={label}
      labelX={Math.max(sourceX, targetX) + offset}
      labelY={(sourceY + targetY) / 2}
      labelBgPadding={[3, 1]}
      labelBgBorderRadius={3}
    />
  );
});

/** React Flow's edge types, declared once at module level like nodeTypes. */
export const edgeTypes = { updates: UpdatesEdge } satisfies EdgeTypes;
