import { describe, expect, it } from 'vitest';
import { sampleLabReport } from '../../shared/fixtures/sample-report.js';
import type { JournalEntry } from '../../shared/case/index.js';
import { createAppStore } from './app-store.js';
import { selectChecklistSteps } from './checklist-selectors.js';
import { selectJournalBurndown, selectJournalRows } from './journal-selectors.js';

function stateWith(entries: JournalEntry[], progressDone: string[] = []) {
  const store = createAppStore();
  const report = sampleLabReport();
  const at = '2026-03-25T10:00:00.000Z';
  store.getState().caseLoaded({ report, progress: Object.fromEntries(progressDone.map((id) => [id, { done: true, note: '', updatedAt: at, doneAt: at }])) });
  store.getState().journalLoaded({ entries, damaged: 0 });
  return store.getState();
}

describe('journal selectors', () => {
  it("names a step the entry does not title by the current plan's title", () => {
    const probe = stateWith([]);
    const step = selectChecklistSteps(probe)[0]!;

    const [row] = selectJournalRows(stateWith([{ seq: 1, at: '2026-03-25T10:00:00.000Z', kind: 'untick', stepId: step.id }]));

    expect(row).toMatchObject({ label: 'Unticked', text: step.title });
  });

  it("draws a burndown for every phase of the plan, coming down at the journal's tick", () => {
    const probe = stateWith([]);
    const step = selectChecklistSteps(probe)[0]!;
    const phases = [...new Set(selectChecklistSteps(probe).map((candidate) => candidate.phase))];
    const entries: JournalEntry[] = [
      { seq: 1, at: '2026-03-25T08:30:00.000Z', kind: 'export', format: 'json', fileName: 'a.json' },
      { seq: 2, at: '2026-03-25T10:00:00.000Z', kind: 'tick', stepId: step.id },
    ];

    const burndown = selectJournalBurndown(stateWith(entries, [step.id]));

    expect(burndown.phases.map((phase) => phase.phase)).toEqual(phases);
    const points = burndown.phases.find((phase) => phase.phase === step.phase)!.points;
    expect(points.at(-1)!.remaining).toBe(points[0]!.remaining - 1);
  });
});
