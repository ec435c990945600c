import { renderToStaticMarkup } from 'react-dom/server';
import { prerender } from 'react-dom/static';
import { describe, expect, it, vi } from 'vitest';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import type { View } from '../store/ui-slice.js';
import { App } from './App.js';

// Server rendering reads the store's initial state, so the picked view comes in through the hook.
const picked = vi.hoisted(() => ({ view: 'hosts' as View }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useReady: () => true,
  useView: () => picked.view,
}));

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });

const app = (
  <CommandsContext.Provider value={noCommands}>
    <App />
  </CommandsContext.Provider>
);

/** The markup at first paint: lazily loaded views still show their placeholder. */
function renderAt(view: View): string {
  picked.view = view;
  return renderToStaticMarkup(app);
}

/** The markup once every lazily loaded view has arrived. */
async function renderLoadedAt(view: View): Promise<string> {
  picked.view = view;
  const { prelude } = await prerender(app);
  return new Response(prelude).text();
}

/** The `view-…` test ids in the markup: which views were drawn. */
const drawnViews = (html: string) => [...html.matchAll(/data-testid="view-([a-z-]+)"/g)].map(([, view]) => view);

describe('App', () => {
  it.each(['hosts', 'inventory', 'findings', 'checklist'] as const)('draws the %s view, and only it, when it is picked', async (view) => {
    expect(drawnViews(await renderLoadedAt(view))).toEqual([view]);
  });

  it('draws the hosts view, the first one, without waiting for any code', () => {
    expect(drawnViews(renderAt('hosts'))).toEqual(['hosts']);
  });

  it('shows the graph view’s placeholder while its lazily loaded code arrives', () => {
    const html = renderAt('graph');

    expect(html).toContain('Loading the graph…');
    expect(drawnViews(html)).toEqual([]);
  });
});
