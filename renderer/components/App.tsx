/** The app shell: left nav, error banner, the current view, and any prompt the backend is waiting on. */
import { Suspense, lazy, useEffect } from 'react';
import { useReady, useView } from '../store/hooks.js';
import { ErrorBanner } from './ErrorBanner.js';
import { Nav } from './Nav.js';
import { PromptDialog } from './PromptDialog.js';
import { HostsView } from '../views/HostsView.js';
import { InventoryView } from '../views/InventoryView.js';
import { ChecklistView } from '../views/ChecklistView.js';
import { FindingsView } from '../views/FindingsView.js';

// The graph view carries elkjs and React Flow (most of the bundle); load it when first opened.
const GraphView = lazy(() => import('../views/GraphView.js').then((module) => ({ default: module.GraphView })));

/** The whole UI. */
export function App() {
  const view = useView();
  const ready = useReady();

  // Set after the commit that rendered the loaded state, so tests waiting on it see real data.
  useEffect(() => {
    if (ready) document.body.dataset['appReady'] = 'true';
  }, [ready]);

  return (
    <div className="shell">
      <Nav />
      <main className="content" aria-busy={!ready}>
        <ErrorBanner />
        {!ready ? (
          <p className="loading" data-testid="app-loading">
            Loading the case…
          </p>
        ) : view === 'hosts' ? (
          <HostsView />
        ) : view === 'inventory' ? (
          <InventoryView />
        ) : view === 'findings' ? (
          <FindingsView />
        ) : view === 'graph' ? (
          <Suspense fallback={<p className="loading">Loading the graph…</p>}>
            <GraphView />
          </Suspense>
        ) : (
          <ChecklistView />
        )}
      </main>
      <PromptDialog />
    </div>
  );
}
