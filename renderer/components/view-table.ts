/**
 * Every view of the app, one entry per view id: its nav label and the component that draws it.
 * App and Nav both read this table, so a view id without an entry is a compile error instead of
 * a view that silently shows another one.
 */
import { lazy, type ComponentType } from 'react';
import type { View } from '../store/ui-slice.js';
import { HostsView } from '../views/HostsView.js';

/** How one view is shown. */
export interface ViewSpec {
  /** The nav button's text. */
  label: string;
  /** The component that draws the view. */
  component: ComponentType;
  /** What shows while a lazily loaded component arrives; views loaded with the app have none. */
  loading?: string;
}

// The first view comes with the app; every other one loads when first opened, so the app shows
// its hosts without first fetching charts (recharts), the graph (React Flow) or elkjs.
const InventoryView = lazy(() => import('../views/InventoryView.js').then((module) => ({ default: module.InventoryView })));
const FindingsView = lazy(() => import('../views/FindingsView.js').then((module) => ({ default: module.FindingsView })));
const ChecklistView = lazy(() => import('../views/ChecklistView.js').then((module) => ({ default: module.ChecklistView })));
// The graph view carries elkjs and React Flow (most of the bundle); load it when first opened.
const GraphView = lazy(() => import('../views/GraphView.js').then((module) => ({ default: module.GraphView })));
// The gateway map shares the graph's evidence panel (and its charts): loaded with it, when first opened.
const CasesView = lazy(() => import('../views/CasesView.js').then((module) => ({ default: module.CasesView })));
// The journal draws its burndown with recharts: loaded when first opened.
const JournalView = lazy(() => import('../views/JournalView.js').then((module) => ({ default: module.JournalView })));
const RegisterView = lazy(() => import('../views/RegisterView.js').then((module) => ({ default: module.RegisterView })));
const GatewayMapView = lazy(() => import('../views/GatewayMapView.js').then((module) => ({ default: module.GatewayMapView })));

/** The views by id; the nav lists them in `VIEWS` order. */
export const VIEW_TABLE = {
  hosts: { label: 'Hosts', component: HostsView },
  inventory: { label: 'Inventory', component: InventoryView, loading: 'Loading the inventory…' },
  findings: { label: 'Findings', component: FindingsView, loading: 'Loading the findings…' },
  graph: { label: 'Blast radius', component: GraphView, loading: 'Loading the graph…' },
  gateways: { label: 'Gateway map', component: GatewayMapView, loading: 'Loading the gateway map…' },
  register: { label: 'Supply chain', component: RegisterView, loading: 'Loading the supply-chain register…' },
  checklist: { label: 'Checklist', component: ChecklistView, loading: 'Loading the checklist…' },
  cases: { label: 'Cases', component: CasesView, loading: 'Loading the cases…' },
  journal: { label: 'Journal', component: JournalView, loading: 'Loading the journal…' },
} satisfies Record<View, ViewSpec>;
