import { describe, expect, it } from 'vitest';
import { LOCAL_HOST_NAME, type StepProgress } from '../../shared/ipc/index.js';
import { sampleReport } from '../../shared/fixtures/sample-report.js';
import { createAppStore } from '../store/app-store.js';
import { createCommands } from './commands.js';
import { createFakeApi } from '../test-support/fake-api.js';
import { startApp } from './start-app.js';

const LOCAL = { name: LOCAL_HOST_NAME, address: 'local', source: 'local' as const };
const step = (done: boolean, note = ''): StepProgress => ({ done, note, updatedAt: '2026-03-25T09:00:00.000Z', doneAt: done ? '2026-03-25T09:00:00.000Z' : null });

describe('startApp', () => {
  it('loads the case and the hosts, then marks the app ready', async () => {
    const store = createAppStore();
    const report = sampleReport();
    const fake = createFakeApi({
      'case:get': () => ({ report, progress: { a: step(true) }, windowOverrides: {} }),
      'hosts:list': () => ({ hosts: [LOCAL] }),
    });

    await startApp(fake.api, store);

    expect(store.getState()).toMatchObject({ ready: true, report, progress: { a: step(true) }, hosts: [LOCAL] });
  });

  it('still becomes ready, with the failure in the error list, when a load fails', async () => {
    const store = createAppStore();
    const fake = createFakeApi({
      'hosts:list': () => ({ hosts: [LOCAL] }),
      'cases:list': () => ({ library: { openCaseId: null, cases: [] } }),
      'case:get': () => Promise.reject(new Error('case file unreadable')),
    });

    await startApp(fake.api, store);

    expect(store.getState().ready).toBe(true);
    expect(store.getState().errors.map((error) => error.message)).toEqual(['Loading the case failed: case file unreadable']);
  });

  it('routes pushes into store events and stops when unsubscribed', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'case:get': () => ({ report: null, progress: {}, windowOverrides: {} }), 'hosts:list': () => ({ hosts: [] }) });
    const stop = await startApp(fake.api, store);

    fake.push('prompt:host-key', { promptId: 'p1', host: 'gw', address: 'root@10.0.0.1:22', keyType: 'ssh-ed25519', fingerprint: 'SHA256:abc' });
    stop();

    expect(store.getState().prompts).toMatchObject([{ kind: 'host-key', promptId: 'p1', fingerprint: 'SHA256:abc' }]);
    expect(fake.listenerCount('scan:progress')).toBe(0);
  });
});

describe('createCommands', () => {
  it('starts a scan of the ticked hosts and records its id', async () => {
    const store = createAppStore();
    store.getState().hostsLoaded([LOCAL, { name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
    store.getState().hostToggled('gw');
    const fake = createFakeApi({ 'scan:start': () => ({ scanId: 's1' }) });

    await createCommands(fake.api, store).startScan();

    expect(fake.calls).toEqual([{ channel: 'scan:start', request: { hosts: ['gw'] } }]);
    expect(store.getState().scan).toMatchObject({ scanId: 's1', running: true, progress: { gw: { phase: 'queued' } } });
  });

  it('shows a refused scan in the error banner and stops running', async () => {
    const store = createAppStore();
    store.getState().hostsLoaded([LOCAL]);
    store.getState().hostToggled(LOCAL_HOST_NAME);
    const fake = createFakeApi({ 'scan:start': () => Promise.reject(new Error('unknown host: nas')) });

    await createCommands(fake.api, store).startScan();

    expect(store.getState().scan.running).toBe(false);
    expect(store.getState().errors.map((error) => error.message)).toEqual(['Scan could not start: unknown host: nas']);
  });

  it('imports collection files as a scan whose hosts arrive with its progress, and says import in its state', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'scan:import': () => ({ scanId: 'i1' }) });

    const started = await createCommands(fake.api, store).importCollections(['/srv/collected/gw.brc', '/srv/collected/nas.brc'], null);
    store.getState().scanProgressed({ scanId: 'i1', host: 'gw', phase: 'python', message: 'Reading Python environments' });

    expect(started).toBe(true);
    expect(fake.calls).toEqual([{ channel: 'scan:import', request: { paths: ['/srv/collected/gw.brc', '/srv/collected/nas.brc'] } }]);
    expect(store.getState().scan).toMatchObject({ scanId: 'i1', running: true, source: 'import', hosts: ['gw'], progress: { gw: { phase: 'python' } } });
  });

  it('sends the host name override with a single file', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'scan:import': () => ({ scanId: 'i1' }) });

    await createCommands(fake.api, store).importCollections(['/tmp/x.brc'], 'nas');

    expect(fake.calls).toEqual([{ channel: 'scan:import', request: { paths: ['/tmp/x.brc'], host: 'nas' } }]);
  });

  it('shows a refused import in the error banner, as the backend worded it, and stops running', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'scan:import': () => Promise.reject(new Error("Error invoking remote method 'scan:import': Error: /tmp/gone.brc: no such file")) });

    const started = await createCommands(fake.api, store).importCollections(['/tmp/gone.brc'], null);

    expect(started).toBe(false);
    expect(store.getState().scan).toMatchObject({ running: false, outcome: 'failed', source: 'import' });
    expect(store.getState().errors.map((error) => error.message)).toEqual(['The import did not start: /tmp/gone.brc: no such file']);
  });

  it('refuses an import while a scan runs, or a host name for several files, without asking the backend', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'scan:import': () => ({ scanId: 'i1' }) });
    const commands = createCommands(fake.api, store);

    const several = await commands.importCollections(['/tmp/a.brc', '/tmp/b.brc'], 'nas');
    store.getState().scanRequested(['gw']);
    const duringScan = await commands.importCollections(['/tmp/a.brc'], null);

    expect([several, duringScan]).toEqual([false, false]);
    expect(fake.calls).toEqual([]);
    expect(store.getState().scan).toMatchObject({ running: true, source: 'ssh', hosts: ['gw'] });
    expect(store.getState().errors.map((error) => error.message)).toEqual([
      'The import did not start: a host name names the host of one file: import the files of several hosts without it',
      'The import did not start: a scan is running: import once it has finished or been cancelled',
    ]);
  });

  it('saves a step and takes the progress from the answer, not from the request', async () => {
    const store = createAppStore();
    const saved = { 'contain:gw': step(true, 'stopped the container'), other: step(false) };
    const fake = createFakeApi({ 'checklist:set-step': () => ({ progress: saved }) });

    await createCommands(fake.api, store).setStep('contain:gw', true, 'stopped the container');

    expect(fake.calls).toEqual([{ channel: 'checklist:set-step', request: { stepId: 'contain:gw', done: true, note: 'stopped the container' } }]);
    expect(store.getState().progress).toBe(saved);
    expect(store.getState().savingSteps).toEqual([]);
  });

  it('sends a picked choice and watched hosts with the step', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'checklist:set-step': () => ({ progress: {} }) });
    const commands = createCommands(fake.api, store);

    await commands.setStep('move', false, '', { choice: 'provider-sdk' });
    await commands.setStep('gone', true, '', { watchedHosts: ['gw'] });

    expect(fake.calls.map((call) => call.request)).toEqual([
      { stepId: 'move', done: false, note: '', choice: 'provider-sdk' },
      { stepId: 'gone', done: true, note: '', watchedHosts: ['gw'] },
    ]);
  });

  it('leaves progress unchanged and reports the error when saving a step fails', async () => {
    const store = createAppStore();
    store.getState().caseLoaded({ report: null, progress: { a: step(false) } });
    const before = store.getState().progress;
    const fake = createFakeApi({ 'checklist:set-step': () => Promise.reject(new Error('The connection to the Blast Radius host closed (code 1006). Reload the page to reconnect.')) });

    await createCommands(fake.api, store).setStep('a', true, '');

    expect(store.getState().progress).toBe(before);
    expect(store.getState().errors[0]?.message).toMatch(/^Saving the checklist failed: The connection .* closed/);
  });

  it('removes a prompt as it is answered and passes the passphrase straight to the API', async () => {
    const store = createAppStore();
    store.getState().passphrasePrompted({ promptId: 'p2', host: 'gw', keyPath: '~/.ssh/id_ed25519' });
    const fake = createFakeApi({ 'prompt:answer-passphrase': () => ({ ok: true }) });

    await createCommands(fake.api, store).answerPassphrase('p2', 'hunter2');

    expect(store.getState().prompts).toEqual([]);
    expect(fake.calls).toEqual([{ channel: 'prompt:answer-passphrase', request: { promptId: 'p2', passphrase: 'hunter2' } }]);
    expect(JSON.stringify(store.getState())).not.toContain('hunter2');
  });

  it('adds a host and ticks it', async () => {
    const store = createAppStore();
    const nas = { name: 'nas', address: 'root@10.0.0.5:22', source: 'manual' as const };
    const fake = createFakeApi({ 'hosts:add': () => ({ host: nas }) });

    const added = await createCommands(fake.api, store).addHost({ name: 'nas', hostName: '10.0.0.5' });

    expect(added).toEqual(nas);
    expect(store.getState()).toMatchObject({ hosts: [nas], selectedHosts: ['nas'] });
  });

  it('re-scans one host, whatever hosts are ticked', async () => {
    const store = createAppStore();
    store.getState().hostsLoaded([LOCAL, { name: 'gw', address: 'root@gw:22', source: 'ssh-config' }]);
    store.getState().hostToggled(LOCAL_HOST_NAME);
    const fake = createFakeApi({ 'scan:start': () => ({ scanId: 's2' }) });

    await createCommands(fake.api, store).rescanHost('gw');

    expect(fake.calls).toEqual([{ channel: 'scan:start', request: { hosts: ['gw'] } }]);
    expect(store.getState().scan).toMatchObject({ scanId: 's2', running: true, hosts: ['gw'] });
    expect(store.getState().selectedHosts).toEqual([LOCAL_HOST_NAME]);
  });

  it("re-scans the hosts a step or a graph node names, and nothing else", async () => {
    const store = createAppStore();
    store.getState().hostsLoaded([LOCAL, { name: 'gw', address: 'root@gw:22', source: 'ssh-config' }, { name: 'ollama', address: 'root@ollama:22', source: 'ssh-config' }]);
    const fake = createFakeApi({ 'scan:start': () => ({ scanId: 's4' }) });

    await createCommands(fake.api, store).rescanHosts(['gw', 'ollama']);

    expect(fake.calls).toEqual([{ channel: 'scan:start', request: { hosts: ['gw', 'ollama'] } }]);
    expect(store.getState().scan).toMatchObject({ scanId: 's4', running: true, hosts: ['gw', 'ollama'] });
  });

  it('starts no re-scan while a scan runs', async () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw']);
    const fake = createFakeApi({ 'scan:start': () => ({ scanId: 's3' }) });

    await createCommands(fake.api, store).rescanHost('ollama');

    expect(fake.calls).toEqual([]);
  });

  it('asks the backend to remove a host from the case, and shows a refusal in the error banner', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'case:remove-host': () => Promise.reject(new Error('case file unreadable')) });

    await createCommands(fake.api, store).removeHostFromCase('ollama');

    expect(fake.calls).toEqual([{ channel: 'case:remove-host', request: { host: 'ollama' } }]);
    expect(store.getState().errors.map((error) => error.message)).toEqual(['Removing ollama from the case failed: case file unreadable']);
  });

  it('cancels the running scan by its id', async () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw']);
    store.getState().scanStarted('s9');
    const fake = createFakeApi({ 'scan:cancel': () => ({ cancelled: true }) });

    await createCommands(fake.api, store).cancelScan();

    expect(fake.calls).toEqual([{ channel: 'scan:cancel', request: { scanId: 's9' } }]);
  });

  it('gives up on one host of the running scan by the scan id and the host name', async () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw', 'nas']);
    store.getState().scanStarted('s9');
    const fake = createFakeApi({ 'scan:abandon-host': () => ({ abandoned: true }) });

    await createCommands(fake.api, store).giveUpHost('gw');

    expect(fake.calls).toEqual([{ channel: 'scan:abandon-host', request: { scanId: 's9', host: 'gw' } }]);
  });

  it('shows a failed give-up in the banner instead of throwing', async () => {
    const store = createAppStore();
    store.getState().scanRequested(['gw']);
    store.getState().scanStarted('s9');
    const fake = createFakeApi({ 'scan:abandon-host': () => Promise.reject(new Error('connection lost')) });

    await createCommands(fake.api, store).giveUpHost('gw');

    expect(store.getState().errors.map((error) => error.message)).toEqual(['Giving up on gw failed: connection lost']);
  });
});
