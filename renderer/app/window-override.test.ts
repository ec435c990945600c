import { describe, expect, it } from 'vitest';
import { sampleReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from '../store/app-store.js';
import { createFakeApi } from '../test-support/fake-api.js';
import { createCommands } from './commands.js';
import { startApp } from './start-app.js';

const ID = 'litellm-2026-03-24';
const NARROW = { start: '2026-03-24T10:39:00.000Z', end: '2026-03-24T11:19:00.000Z' };

describe('compromise window override in the renderer', () => {
  it('loads the stored overrides with the case', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'case:get': () => ({ report: null, progress: {}, windowOverrides: { [ID]: NARROW } }), 'hosts:list': () => ({ hosts: [] }) });

    await startApp(fake.api, store);

    expect(store.getState().windowOverrides).toEqual({ [ID]: NARROW });
  });

  it('sends the window, marks it saving until the answer, then keeps the overrides the backend answered', async () => {
    const store = createAppStore();
    let release: () => void = () => undefined;
    const fake = createFakeApi({
      'windows:set-override': () => new Promise((resolve) => (release = () => resolve({ windowOverrides: { [ID]: NARROW } }))),
    });

    const saving = createCommands(fake.api, store).setWindow(ID, NARROW);
    expect(store.getState().savingWindows).toEqual([ID]);
    release();
    await saving;

    expect(fake.calls).toEqual([{ channel: 'windows:set-override', request: { windowId: ID, range: NARROW } }]);
    expect(store.getState()).toMatchObject({ savingWindows: [], windowOverrides: { [ID]: NARROW } });
  });

  it('resets with a null range, and shows a refusal in the error banner without changing the overrides', async () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: null, progress: {}, windowOverrides: { [ID]: NARROW } });
    const fake = createFakeApi({ 'windows:set-override': () => Promise.reject(new Error('invalid windows:set-override request: range.end: the window must start before it ends')) });

    await createCommands(fake.api, store).setWindow(ID, null);

    expect(fake.calls).toEqual([{ channel: 'windows:set-override', request: { windowId: ID, range: null } }]);
    expect(store.getState()).toMatchObject({ savingWindows: [], windowOverrides: { [ID]: NARROW } });
    expect(store.getState().errors.map((error) => error.message)).toEqual([
      'Changing the compromise window failed: invalid windows:set-override request: range.end: the window must start before it ends',
    ]);
  });

  it('takes the report judged again from the push', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'case:get': () => ({ report: null, progress: {}, windowOverrides: {} }), 'hosts:list': () => ({ hosts: [] }) });
    await startApp(fake.api, store);
    const report = sampleReport();

    fake.push('case:report-updated', { report, windowOverrides: { [ID]: NARROW } });

    expect(store.getState()).toMatchObject({ report, windowOverrides: { [ID]: NARROW } });
  });
});
