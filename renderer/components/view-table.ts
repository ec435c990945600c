/**
 * Every view of the app, one entry per view id: its nav label and the component that draws it.
 * App and Nav both read this table, so a view id without an entry is a compile error instead of
 * a view that silently shows another one.
 */
import { lazy, type ComponentType } from 'react';
import type { View } from '../store/ui-slice.js';
import { ChecklistView } from '../views/ChecklistView.js';
import { FindingsView } from '../views/FindingsView.js';
import { HostsView } from '../views/HostsView.js';
import { InventoryView } from '../views/InventoryView.js';

/** How one view is shown. */
export interface ViewSpec {
  /** The nav button's text. */
  label: string;
  /** The component that draws the view. */
  component: ComponentType;
  /** What shows while a lazily loaded component arrives; views loaded with the app have none. */
  loading?: string;
}

// The graph view carries elkjs and React Flow (most of the bundle); load it when first opened.
const GraphView = lazy(() => import('../views/GraphView.js').then((module) => ({ default: module.GraphView })));
// The gateway map shares the graph's evidence panel (and its charts): loaded with it, when first opened.
const GatewayMapView = lazy(() => import('../views/GatewayMapView.js').then((module) => ({ default: module.GatewayMapView })));

/** The views by id; the nav lists them in `VIEWS` order. */
export const VIEW_TABLE = {
  hosts: { label: 'Hosts', component: HostsView },
  inventory: { label: 'Inventory', component: InventoryView },
  findings: { label: 'Findings', component: FindingsView },
  graph: { label: 'Blast radius', component: GraphView, loading: 'Loading the graph…' },
  gateways: { label: 'Gateway map', component: GatewayMapView, loading: 'Loading the gateway map…' },
  checklist: { label: 'Checklist', component: ChecklistView },
} satisfies Record<View, ViewSpec>;
