import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import { VIEWS } from '../store/ui-slice.js';
import { Nav } from './Nav.js';

describe('Nav', () => {
  it('offers one button per view, in view order, labelled from the view table', () => {
    const html = renderToStaticMarkup(<Nav />);

    const buttons = [...html.matchAll(/data-testid="nav-([a-z-]+)"[^>]*><span>([^<]+)<\/span>/g)].map(([, view, label]) => [view, label]);

    expect(buttons).toEqual([
      ['hosts', 'Hosts'],
      ['inventory', 'Inventory'],
      ['findings', 'Findings'],
      ['graph', 'Blast radius'],
      ['gateways', 'Gateway map'],
      ['register', 'Supply chain'],
      ['checklist', 'Checklist'],
      ['journal', 'Journal'],
      ['cases', 'Cases'],
    ]);
    expect(buttons.map(([view]) => view)).toEqual([...VIEWS]);
  });
});
