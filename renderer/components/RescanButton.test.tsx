import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import { RescanButton } from './RescanButton.js';

const given = vi.hoisted(() => ({ running: false }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useHosts: () => [
    { name: 'gw', address: 'root@gw:22', source: 'ssh-config' },
    { name: 'ollama', address: 'root@ollama:22', source: 'ssh-config' },
  ],
  useScanControls: () => ({ running: given.running, canStart: !given.running, canCancel: given.running, outcome: null }),
}));

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });

function render(hosts: string[], running = false): string {
  given.running = running;
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <RescanButton hosts={hosts} testId="r" />
    </CommandsContext.Provider>,
  );
}

describe('RescanButton', () => {
  it('names every host it re-scans', () => {
    const html = render(['gw', 'ollama']);
    expect(html).toContain('data-testid="r-button"');
    expect(html).toContain('Re-scan gw, ollama');
    expect(html).not.toContain('disabled');
  });

  it('re-scans only the hosts in the host list and names the others', () => {
    const html = render(['gw', 'nas']);
    expect(html).toContain('Re-scan gw<');
    expect(html).toContain('(nas not in the host list)');
  });

  it('is disabled while a scan runs', () => {
    expect(render(['gw'], true)).toMatch(/<button[^>]*disabled=""/);
  });

  it('draws nothing for a node on no scanned host', () => {
    expect(render([])).toBe('');
  });

  it('offers no button when none of the hosts can be scanned', () => {
    const html = render(['nas']);
    expect(html).not.toContain('r-button');
    expect(html).toContain('nas not in the host list');
  });
});
