import { describe, expect, it } from 'vitest';
import type { CaseLibraryState, CaseSummary, StepProgress } from '../../shared/ipc/index.js';
import { sampleReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from '../store/app-store.js';
import { selectActiveCases, selectArchivedCases, selectOpenCase } from '../store/cases-selectors.js';
import { createCommands } from './commands.js';
import { createFakeApi } from '../test-support/fake-api.js';

const summary = (id: string, name: string, extra: Partial<CaseSummary> = {}): CaseSummary => ({
  id,
  name,
  createdAt: '2026-03-25T09:00:00.000Z',
  openedAt: null,
  archivedAt: null,
  ...extra,
});
const tick: StepProgress = { done: true, note: 'done', updatedAt: '2026-03-25T10:00:00.000Z', doneAt: '2026-03-25T10:00:00.000Z' };

/** A store showing case A (its report, a tick, a picked host, a finished scan) and a fake backend holding A and B. */
function caseAOpen() {
  const store = createAppStore();
  const a = summary('c-a', 'Incident A', { openedAt: '2026-03-25T09:00:00.000Z' });
  const b = summary('c-b', 'Incident B');
  const library = (openCaseId: string | null, cases = [a, b]): CaseLibraryState => ({ openCaseId, cases });
  store.getState().casesLoaded(library('c-a'));
  store.getState().caseLoaded({ report: sampleReport(), progress: { 'step-a': tick }, windowOverrides: {} });
  store.getState().hostsLoaded([{ name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
  store.getState().hostToggled('gw');
  store.getState().scanRequested(['gw']);
  store.getState().scanFinished({ scanId: 's1', report: sampleReport(), cancelled: false });
  return { store, a, b, library };
}

describe('case commands', () => {
  it('opening another case drops everything of the previous one and loads the new case and its hosts', async () => {
    const { store, library } = caseAOpen();
    const fake = createFakeApi({
      'cases:open': () => ({ library: library('c-b') }),
      'case:get': () => ({ report: null, progress: {}, windowOverrides: {} }),
      'hosts:list': () => ({ hosts: [] }),
    });

    await createCommands(fake.api, store).openCase('c-b');

    const state = store.getState();
    expect(selectOpenCase(state)?.name).toBe('Incident B');
    expect(state).toMatchObject({ report: null, progress: {}, selectedHosts: [], hosts: [], switchingCase: false });
    expect(state.scan).toMatchObject({ running: false, progress: {}, outcome: null });
    expect(fake.calls.map((call) => call.channel)).toEqual(['cases:open', 'case:get', 'hosts:list']);
  });

  it('keeps the open case and says why when the backend refuses the switch', async () => {
    const { store } = caseAOpen();
    const fake = createFakeApi({ 'cases:open': () => Promise.reject(new Error('a scan is running in the open case')) });

    await createCommands(fake.api, store).openCase('c-b');

    const state = store.getState();
    expect(selectOpenCase(state)?.name).toBe('Incident A');
    expect(state.progress).toEqual({ 'step-a': tick });
    expect(state.switchingCase).toBe(false);
    expect(state.errors.map((error) => error.message)).toEqual(['Opening the case failed: a scan is running in the open case']);
  });

  it('creates a case and opens it', async () => {
    const { store, a, b } = caseAOpen();
    const c = summary('c-c', 'Incident C');
    const fake = createFakeApi({
      'cases:create': () => ({ created: c, library: { openCaseId: 'c-a', cases: [a, b, c] } }),
      'cases:open': () => ({ library: { openCaseId: 'c-c', cases: [a, b, c] } }),
      'case:get': () => ({ report: null, progress: {}, windowOverrides: {} }),
      'hosts:list': () => ({ hosts: [] }),
    });

    expect(await createCommands(fake.api, store).createCase('Incident C')).toBe(true);

    expect(selectOpenCase(store.getState())?.name).toBe('Incident C');
    expect(store.getState().report).toBeNull();
  });

  it('renames a case without touching the open case’s state', async () => {
    const { store, a, b } = caseAOpen();
    const fake = createFakeApi({ 'cases:rename': () => ({ library: { openCaseId: 'c-a', cases: [{ ...a, name: 'LiteLLM' }, b] } }) });

    await createCommands(fake.api, store).renameCase('c-a', 'LiteLLM');

    expect(selectOpenCase(store.getState())?.name).toBe('LiteLLM');
    expect(store.getState().progress).toEqual({ 'step-a': tick });
  });

  it('archiving the open case leaves none open and an empty case shown', async () => {
    const { store, a, b } = caseAOpen();
    const archived = { ...a, archivedAt: '2026-04-01T00:00:00.000Z' };
    const fake = createFakeApi({
      'cases:archive': () => ({ library: { openCaseId: null, cases: [archived, b] } }),
      'case:get': () => ({ report: null, progress: {}, windowOverrides: {} }),
      'hosts:list': () => ({ hosts: [] }),
    });

    await createCommands(fake.api, store).archiveCase('c-a', true);

    const state = store.getState();
    expect(selectOpenCase(state)).toBeNull();
    expect(state.report).toBeNull();
    expect(selectActiveCases(state).map((entry) => entry.name)).toEqual(['Incident B']);
    expect(selectArchivedCases(state).map((entry) => entry.name)).toEqual(['Incident A']);
  });
});

describe('case selectors', () => {
  it('lists the open case first, then the case last opened or made', () => {
    const store = createAppStore();
    store.getState().casesLoaded({
      openCaseId: 'c-old',
      cases: [
        summary('c-old', 'Old', { createdAt: '2026-01-01T00:00:00.000Z' }),
        summary('c-recent', 'Recent', { openedAt: '2026-03-01T00:00:00.000Z' }),
        summary('c-new', 'New', { createdAt: '2026-04-01T00:00:00.000Z' }),
        summary('c-gone', 'Gone', { archivedAt: '2026-02-01T00:00:00.000Z' }),
      ],
    });

    expect(selectActiveCases(store.getState()).map((entry) => entry.name)).toEqual(['Old', 'New', 'Recent']);
  });
});
