import { describe, expect, it } from 'vitest';
import type { KnownGoodEntry } from '../../shared/ipc/index.js';
import { createAppStore } from '../store/app-store.js';
import { createFakeApi } from '../test-support/fake-api.js';
import { createCommands } from './commands.js';

const ENTRY: KnownGoodEntry = {
  id: 'litellm@1.82.8:0123456789abcdef',
  name: 'litellm',
  version: '1.82.8',
  source: 'wheel',
  artifact: 'litellm-1.82.8-py3-none-any.whl',
  artifactSha256: '0123456789abcdef'.repeat(4),
  importedAt: '2026-12-07T16:00:00.000Z',
  files: 1432,
};

/** Base64 the slow, obvious way: one character at a time. */
function base64(bytes: Uint8Array): string {
  let binary = '';
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

const file = (bytes: Uint8Array) => ({ name: 'litellm-1.82.8-py3-none-any.whl', arrayBuffer: async () => bytes.buffer as ArrayBuffer });

describe('importing a known-good artifact from the UI', () => {
  it('sends the bytes as base64 to the main process and tells the owner which copies a new scan must hash', async () => {
    const store = createAppStore();
    const fake = createFakeApi({ 'known-good:import': () => ({ imported: ENTRY, knownGood: [ENTRY], unhashedCopies: 2 }) });
    const bytes = new Uint8Array(70_000).map((_, index) => index % 251);

    await createCommands(fake.api, store).importKnownGood(file(bytes));

    expect(fake.calls).toEqual([{ channel: 'known-good:import', request: { fileName: 'litellm-1.82.8-py3-none-any.whl', contentBase64: base64(bytes) } }]);
    expect(store.getState().knownGood).toEqual([ENTRY]);
    expect(store.getState().knownGoodBusy).toBe(false);
    expect(store.getState().knownGoodNotice).toBe(
      'Imported litellm-1.82.8-py3-none-any.whl. 2 installed copies of litellm 1.82.8 were not hashed by the last scan: scan again to compare them.',
    );
  });

  it('shows the refusal in the error banner and keeps what the case had', async () => {
    const store = createAppStore();
    store.getState().knownGoodChanged([ENTRY], null);
    const fake = createFakeApi({
      'known-good:import': () => {
        throw new Error('notes.txt is neither a wheel (zip), an sdist (tar.gz) nor a JSON manifest');
      },
    });

    await createCommands(fake.api, store).importKnownGood(file(new Uint8Array([1, 2, 3])));

    expect(store.getState().knownGood).toEqual([ENTRY]);
    expect(store.getState().knownGoodBusy).toBe(false);
    expect(store.getState().errors.at(-1)?.message).toContain('Importing the known-good artifact failed');
  });

  it('forgets an artifact on remove', async () => {
    const store = createAppStore();
    store.getState().knownGoodChanged([ENTRY], 'Imported');
    const fake = createFakeApi({ 'known-good:remove': () => ({ knownGood: [] }) });

    await createCommands(fake.api, store).removeKnownGood(ENTRY.id);

    expect(fake.calls).toEqual([{ channel: 'known-good:remove', request: { id: ENTRY.id } }]);
    expect(store.getState().knownGood).toEqual([]);
  });
});
