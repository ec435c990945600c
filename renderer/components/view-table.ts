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

/**
 * A view loaded when first opened, or earlier by preloadViews: one import either way, so a view
 * preloaded while the app was idle opens without a fetch. A preload that fails is forgotten, so
 * opening the view fetches it again (and its failure, if any, is the one the view shows).
 */
function lazyView(load: () => Promise<ComponentType>): { component: ComponentType; preload: () => void } {
  let loading: Promise<{ default: ComponentType }> | null = null;
  const start = () =>
    (loading ??= load().then(
      (component) => ({ default: component }),
      (error: unknown) => {
        loading = null;
        throw error;
      },
    ));
  return { component: lazy(start), preload: () => void start().catch(() => undefined) };
}

// The first view comes with the app; every other one loads when first opened (or when the app is
// idle), so the app shows its hosts without first fetching charts (recharts), the graph (React
// Flow) or elkjs.
const LAZY_VIEWS = {
  inventory: lazyView(() => import('../views/InventoryView.js').then((module) => module.InventoryView)),
  findings: lazyView(() => import('../views/FindingsView.js').then((module) => module.FindingsView)),
  // The graph view carries React Flow and elkjs (most of the bundle).
  graph: lazyView(() => import('../views/GraphView.js').then((module) => module.GraphView)),
  // The gateway map shares the graph's evidence panel (and its charts).
  gateways: lazyView(() => import('../views/GatewayMapView.js').then((module) => module.GatewayMapView)),
  register: lazyView(() => import('../views/RegisterView.js').then((module) => module.RegisterView)),
  checklist: lazyView(() => import('../views/ChecklistView.js').then((module) => module.ChecklistView)),
  cases: lazyView(() => import('../views/CasesView.js').then((module) => module.CasesView)),
  // The journal draws its burndown with recharts.
  journal: lazyView(() => import('../views/JournalView.js').then((module) => module.JournalView)),
} satisfies Partial<Record<View, unknown>>;

/** Fetches every lazily loaded view (the browser host serves them over HTTP: the graph's took 90 ms to arrive after its click). */
export function preloadViews(): void {
  for (const view of Object.values(LAZY_VIEWS)) view.preload();
}

/** The views by id; the nav lists them in `VIEWS` order. */
export const VIEW_TABLE = {
  hosts: { label: 'Hosts', component: HostsView },
  inventory: { label: 'Inventory', component: LAZY_VIEWS.inventory.component, loading: 'Loading the inventory…' },
  findings: { label: 'Findings', component: LAZY_VIEWS.findings.component, loading: 'Loading the findings…' },
  graph: { label: 'Blast radius', component: LAZY_VIEWS.graph.component, loading: 'Loading the graph…' },
  gateways: { label: 'Gateway map', component: LAZY_VIEWS.gateways.component, loading: 'Loading the gateway map…' },
  register: { label: 'Supply chain', component: LAZY_VIEWS.register.component, loading: 'Loading the supply-chain register…' },
  checklist: { label: 'Checklist', component: LAZY_VIEWS.checklist.component, loading: 'Loading the checklist…' },
  cases: { label: 'Cases', component: LAZY_VIEWS.cases.component, loading: 'Loading the cases…' },
  journal: { label: 'Journal', component: LAZY_VIEWS.journal.component, loading: 'Loading the journal…' },
} satisfies Record<View, ViewSpec>;
