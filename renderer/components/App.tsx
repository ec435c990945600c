/** The app shell: left nav, error banner, the incident summary, the current view, and any prompt the backend is waiting on. */
import { Suspense, useEffect } from 'react';
import { useNavFolded, useReady, useView } from '../store/hooks.js';
import { ErrorBanner } from './ErrorBanner.js';
import { IncidentSummary } from './IncidentSummary.js';
import { Nav } from './Nav.js';
import { PromptDialog } from './PromptDialog.js';
import { VIEW_TABLE, preloadViews, type ViewSpec } from './view-table.js';

/** The whole UI. */
export function App() {
  const view = useView();
  const ready = useReady();
  const navFolded = useNavFolded();
  const { component: ViewComponent, loading }: ViewSpec = VIEW_TABLE[view];

  // Set after the commit that rendered the loaded state, so tests waiting on it see real data.
  useEffect(() => {
    if (!ready) return;
    document.body.dataset['appReady'] = 'true';
    // The other views arrive while the user reads the first, so opening one does not wait on a fetch.
    const idle = requestIdleCallback(preloadViews);
    return () => cancelIdleCallback(idle);
  }, [ready]);

  return (
    <div className={navFolded ? 'shell nav-folded' : 'shell'}>
      <Nav />
      <main className="content" aria-busy={!ready}>
        <ErrorBanner />
        {ready && <IncidentSummary />}
        {!ready ? (
          <p className="loading" data-testid="app-loading">
            Loading the case…
          </p>
        ) : loading === undefined ? (
          <ViewComponent />
        ) : (
          <Suspense fallback={<p className="loading">{loading}</p>}>
            <ViewComponent />
          </Suspense>
        )}
      </main>
      <PromptDialog />
    </div>
  );
}
