import { renderToStaticMarkup } from 'react-dom/server';
import { describe, expect, it, vi } from 'vitest';
import type { CaseDecisions } from '../../shared/case/index.js';
import { LAB, LAB_FINDING_IDS, sampleLabReport } from '../../shared/fixtures/sample-report.js';
import { aiComponents } from '../../shared/present/index.js';
import { CommandsContext } from '../app/commands-context.js';
import type { Commands } from '../app/commands.js';
import { RemoveOrPatchPanel } from './RemoveOrPatchPanel.js';

// Server rendering reads the store's initial state, so the component comes in through the hook.
const given = vi.hoisted(() => ({ decisions: null as CaseDecisions | null }));
vi.mock('../store/hooks.js', async (importOriginal) => ({
  ...(await importOriginal<typeof import('../store/hooks.js')>()),
  useAiComponent: (id: string) => aiComponents(sampleLabReport(), given.decisions).find((component) => component.id === id) ?? null,
  useIsDecisionSaving: () => false,
}));

const noCommands = new Proxy({} as Commands, { get: () => async () => undefined });

function render(decisions: CaseDecisions | null): string {
  given.decisions = decisions;
  return renderToStaticMarkup(
    <CommandsContext.Provider value={noCommands}>
      <RemoveOrPatchPanel componentId={LAB_FINDING_IDS.gateway} />
    </CommandsContext.Provider>,
  );
}

describe('RemoveOrPatchPanel', () => {
  it("shows the lab gateway's consumers with their way around it, its keys, its backends, the prompts it sees and its verdict", () => {
    const html = render(null);

    expect(html).toContain(`data-testid="remove-or-patch-${LAB_FINDING_IDS.gateway}"`);
    expect(html.match(/data-testid="rop-consumer-/g)).toHaveLength(3);
    expect(html).toContain('Point open-webui at http://ollama:11434 directly for llama3.');
    expect(html.match(/data-testid="rop-key"/g)).toHaveLength(2);
    expect(html).toContain(LAB.anthropicKey);
    expect(html.match(/data-testid="rop-backend"/g)).toHaveLength(3);
    expect(html).toContain('Every prompt and response of every consumer (3 found)');
    expect(html).toContain('data-verdict="exposed"');
    expect(html).toContain('data-testid="rop-undecided"');
    expect(html).toContain('data-testid="rop-remove"');
    expect(html).toContain('data-testid="rop-patch"');
  });

  it('shows the recorded decision and its reason', () => {
    const html = render({ [LAB_FINDING_IDS.gateway]: { decision: 'remove', reason: 'used by everything', decidedAt: '2026-03-26T09:00:00.000Z' } });

    expect(html).toContain('data-testid="rop-recorded" data-decision="remove"');
    expect(html).toContain('used by everything');
    expect(html).not.toContain('data-testid="rop-undecided"');
  });

  it('renders nothing for a component the report does not have', () => {
    given.decisions = null;
    const html = renderToStaticMarkup(
      <CommandsContext.Provider value={noCommands}>
        <RemoveOrPatchPanel componentId="gateway:elsewhere/x" />
      </CommandsContext.Provider>,
    );

    expect(html).toBe('');
  });
});
