import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { HostInventory } from '../../shared/model/index.js';
import type { HostVerdictEntry } from '../../shared/present/index.js';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import { HostsView } from './HostsView.js';

// Server rendering reads the store's initial state, so the case and the scan come in through the hooks.
const given = vi.hoisted(() => ({ caseHosts: {} as Record<string, unknown>, verdicts: {} as Record<string, unknown>, running: false, caseOnly: [] as string[] }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useHostRows: () => [
    { name: 'gw', address: 'root@gw:22', source: 'ssh-config' },
    { name: 'ollama', address: 'root@ollama:22', source: 'ssh-config' },
    ...given.caseOnly.map((name) => ({ name, address: 'offline collection', source: 'case-only' })),
  ],
  useCaseHost: (name: string) => given.caseHosts[name] ?? null,
  useHostVerdict: (name: string) => given.verdicts[name] ?? null,
  useScanControls: () => ({ running: given.running, canStart: !given.running, canCancel: given.running, outcome: null, source: 'ssh' }),
}));

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });
const read = (name: string, extra: Partial<HostInventory> = {}): HostInventory => ({
  name,
  address: `root@${name}:22`,
  status: 'ok',
  facts: null,
  containers: [],
  pythonEnvironments: [],
  scannedAt: '2026-03-25T08:30:00.000Z',
  ...extra,
});

function render(caseHosts: Record<string, HostInventory>, running = false, verdicts: Record<string, HostVerdictEntry> = {}, caseOnly: string[] = []): string {
  given.caseHosts = caseHosts;
  given.caseOnly = caseOnly;
  given.verdicts = verdicts;
  given.running = running;
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <HostsView />
    </CommandsContext.Provider>,
  );
}

describe('HostsView case cells', () => {
  it('offers a re-scan on every host row and a removal only on hosts the case holds', () => {
    const html = render({ gw: read('gw') });

    expect(html).toContain('data-testid="host-rescan-gw"');
    expect(html).toContain('data-testid="host-rescan-ollama"');
    expect(html).toContain('data-testid="host-remove-gw"');
    expect(html).not.toContain('data-testid="host-remove-ollama"');
    expect(html).toMatch(/data-testid="host-case-ollama" data-status="none"/);
  });

  it('says when a later attempt failed and that what is shown was read before', () => {
    const html = render({ gw: read('gw', { failedAttempt: { at: '2026-03-26T10:00:00.000Z', status: 'unreachable', error: 'timed out' } }) });

    expect(html).toContain('data-testid="host-failed-attempt-gw"');
    expect(html).toContain('failed (unreachable): showing what was read before');
  });

  it('disables both actions while a scan runs', () => {
    const html = render({ gw: read('gw') }, true);

    expect(html).toMatch(/<button[^>]*data-testid="host-rescan-gw"[^>]*disabled=""/);
    expect(html).toMatch(/<button[^>]*data-testid="host-remove-gw"[^>]*disabled=""/);
  });

  it('shows the host\'s verdict in the case instead of its scan status, with the status where it is not ok', () => {
    const html = render({ gw: read('gw', { status: 'partial' }) }, false, {
      gw: { host: 'gw', verdict: 'compromised', reasons: ['litellm 1.82.8 (malicious code, MAL-2026-2144) in container litellm on gw'], status: 'partial', failedAttempt: false },
    });

    expect(html).toMatch(/data-testid="host-verdict-gw" data-verdict="compromised" title="litellm 1.82.8 \(malicious code[^"]*">Compromised</);
    expect(html).toContain('partial, read');
    expect(html).not.toContain('phase-done');
  });
});

describe('HostsView offline hosts and import', () => {
  it('lists a host only the case knows with no checkbox to tick and no scan to repeat, but a removal', () => {
    const html = render({ 'nas-offsite': read('nas-offsite', { address: 'offline collection' }) }, false, {}, ['nas-offsite']);

    expect(html).toMatch(/<input[^>]*data-testid="host-check-nas-offsite"[^>]*disabled=""/);
    expect(html).toMatch(/data-testid="host-source-nas-offsite"[^>]*>case only</);
    expect(html).not.toContain('data-testid="host-rescan-nas-offsite"');
    expect(html).toContain('data-testid="host-remove-nas-offsite"');
    expect(html).toContain('data-testid="host-rescan-gw"');
  });

  it('offers the import with a hint that says one path per line, on the machine running Blast Radius', () => {
    const idle = render({});

    expect(idle).toMatch(/data-testid="import-collection-hint"[^>]*>[^<]*<code>blast-radius collector<\/code>[^<]*on\s+the machine running Blast Radius, one per line/);
    // Nothing typed yet: nothing to import.
    expect(idle).toMatch(/<button[^>]*disabled=""[^>]*data-testid="import-collection-button"[^>]*>Import collection…</);
  });
});
