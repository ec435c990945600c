import { mkdir, mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { CASES_FOLDER, CaseLibrary, FIRST_CASE_NAME, UPGRADED_CASE_ID } from './case-library.js';
import { CaseStore } from './case-store.js';

const dataFolder = () => mkdtemp(join(tmpdir(), 'case-library-'));

/** A data folder as the app wrote it before the library: the case's files straight in it, beside the app's known_hosts. */
async function oldSingleCaseFolder(): Promise<string> {
  const dataDir = await dataFolder();
  const old = new CaseStore(dataDir);
  await writeFile(join(dataDir, 'report.json'), JSON.stringify({ scannedAt: '2026-03-25T10:00:00.000Z', hosts: [{ name: 'gw' }], findings: [] }));
  await old.setStep('rotate-openai', true, 'rotated at the console', new Date('2026-03-25T11:00:00Z'));
  await old.setWindowOverride('litellm-pypi-2026-03', { start: '2026-03-24T00:00:00.000Z', end: '2026-03-26T00:00:00.000Z' });
  await old.setDecision('gateway:gw:litellm', 'remove', 'we move to direct calls');
  await old.saveManualHost({ name: 'nas', hostName: '10.0.0.5' });
  await writeFile(join(dataDir, 'journal.jsonl'), '{"kind":"note"}\n');
  await writeFile(join(dataDir, 'known_hosts'), '[10.0.0.5]:22 ssh-ed25519 AAAA\n');
  return dataDir;
}

describe('CaseLibrary', () => {
  it('starts a fresh data folder with one empty case, open', async () => {
    const library = await CaseLibrary.open(await dataFolder(), new Date('2026-03-25T09:00:00Z'));

    const { cases, openCaseId } = library.state();
    expect(cases).toHaveLength(1);
    expect(cases[0]).toMatchObject({ name: FIRST_CASE_NAME, createdAt: '2026-03-25T09:00:00.000Z', archivedAt: null });
    expect(openCaseId).toBe(cases[0]!.id);
    expect(await (await library.store(openCaseId!)).loadReport()).toBeNull();
  });

  it('makes an old single-case folder the first case, every file kept, and leaves known_hosts with the app', async () => {
    const dataDir = await oldSingleCaseFolder();
    // A folder named with --data-dir may hold things of the user's: only case files move.
    await writeFile(join(dataDir, 'notes.md'), 'my incident notes\n');
    await mkdir(join(dataDir, 'evidence'));

    const library = await CaseLibrary.open(dataDir);

    expect(library.state().cases.map((summary) => [summary.id, summary.name])).toEqual([[UPGRADED_CASE_ID, FIRST_CASE_NAME]]);
    expect(library.openCaseId).toBe(UPGRADED_CASE_ID);
    const store = await library.store(UPGRADED_CASE_ID);
    expect((await store.loadReport())?.hosts).toEqual([{ name: 'gw' }]);
    expect((await store.loadProgress())['rotate-openai']).toMatchObject({ done: true, note: 'rotated at the console' });
    expect(Object.keys(await store.loadWindowOverrides())).toEqual(['litellm-pypi-2026-03']);
    expect((await store.loadDecisions())['gateway:gw:litellm']?.decision).toBe('remove');
    expect(await store.loadManualHosts()).toEqual([{ name: 'nas', hostName: '10.0.0.5' }]);
    expect(await readFile(join(dataDir, CASES_FOLDER, UPGRADED_CASE_ID, 'journal.jsonl'), 'utf8')).toBe('{"kind":"note"}\n');
    expect((await readdir(dataDir)).sort()).toEqual([CASES_FOLDER, 'evidence', 'known_hosts', 'notes.md']);
    expect(await readFile(join(dataDir, 'notes.md'), 'utf8')).toBe('my incident notes\n');
  });

  it('finishes an upgrade that was killed after moving some files, losing none', async () => {
    const dataDir = await oldSingleCaseFolder();
    // Killed after the report moved, before the rest and before the index.
    await mkdir(join(dataDir, CASES_FOLDER, UPGRADED_CASE_ID), { recursive: true });
    const { rename } = await import('node:fs/promises');
    await rename(join(dataDir, 'report.json'), join(dataDir, CASES_FOLDER, UPGRADED_CASE_ID, 'report.json'));

    const library = await CaseLibrary.open(dataDir);

    expect(library.state().cases).toHaveLength(1);
    const store = await library.store(UPGRADED_CASE_ID);
    expect((await store.loadReport())?.hosts).toEqual([{ name: 'gw' }]);
    expect((await store.loadProgress())['rotate-openai']?.done).toBe(true);
  });

  it('remembers the cases, their names and the open case across restarts', async () => {
    const dataDir = await dataFolder();
    const library = await CaseLibrary.open(dataDir);
    const first = library.openCaseId!;
    const second = await library.create('  NAS break-in  ', new Date('2026-04-01T08:00:00Z'));
    await library.rename(first, 'LiteLLM March 2026');
    await library.openCase(second.id, new Date('2026-04-01T08:05:00Z'));

    const reopened = await CaseLibrary.open(dataDir);

    expect(reopened.openCaseId).toBe(second.id);
    expect(reopened.state().cases.map((summary) => summary.name)).toEqual(['LiteLLM March 2026', 'NAS break-in']);
    expect(reopened.state().cases[1]).toMatchObject({ createdAt: '2026-04-01T08:00:00.000Z', openedAt: '2026-04-01T08:05:00.000Z' });
  });

  it('keeps each case in its own folder', async () => {
    const library = await CaseLibrary.open(await dataFolder());
    const first = library.openCaseId!;
    const second = (await library.create('second')).id;

    await (await library.store(first)).setStep('step-a', true, '');

    expect(Object.keys(await (await library.store(first)).loadProgress())).toEqual(['step-a']);
    expect(await (await library.store(second)).loadProgress()).toEqual({});
  });

  it('refuses an empty name, a taken name (ignoring case) and an unknown id', async () => {
    const library = await CaseLibrary.open(await dataFolder());
    await library.create('Incident B');

    await expect(library.create('   ')).rejects.toThrow(/needs a name/);
    await expect(library.create('incident b')).rejects.toThrow(/already exists/);
    await expect(library.rename(library.openCaseId!, 'INCIDENT B')).rejects.toThrow(/already exists/);
    await expect(library.openCase('c-000000000000')).rejects.toThrow(/no case with id/);
    await expect(library.store('../../etc')).rejects.toThrow(/no case with id/);
  });

  it('closes an archived open case, will not open it until it is unarchived, and keeps its files', async () => {
    const library = await CaseLibrary.open(await dataFolder());
    const first = library.openCaseId!;
    await (await library.store(first)).setStep('step-a', true, '');

    const archived = await library.setArchived(first, true, new Date('2026-05-01T00:00:00Z'));

    expect(archived.openCaseId).toBeNull();
    expect(archived.cases[0]?.archivedAt).toBe('2026-05-01T00:00:00.000Z');
    await expect(library.openCase(first)).rejects.toThrow(/archived/);
    await library.setArchived(first, false);
    expect((await library.openCase(first)).openCaseId).toBe(first);
    expect(Object.keys(await (await library.store(first)).loadProgress())).toEqual(['step-a']);
  });

  it('closes the open case and remembers that none is open', async () => {
    const dataDir = await dataFolder();
    const library = await CaseLibrary.open(dataDir);

    await library.close();

    const reopened = await CaseLibrary.open(dataDir);
    expect(reopened.openCaseId).toBeNull();
    expect(reopened.state().cases).toHaveLength(1);
  });
});
