import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeProvider, type FakeProvider, type FakeScenario } from '../../e2e/lab/fake-provider.js';
import { bundledAdvisoryIndex } from '../../shared/domain/advisories/index.js';
import type { CaseState, ResponseOf } from '../../shared/ipc/contract.js';
import { CaseStore } from '../case/case-store.js';
import { checkRevoked } from '../revocation/check-revoked.js';
import { KeyVault } from '../revocation/key-vault.js';
import { AppBackend, type Emit } from './app-backend.js';
import { createBackend, rejudgeReport } from './compose.js';
import { BadRequestError, dispatch } from './dispatch.js';

const VALUE = 'sk-proj-FAKEFAKEFAKE0123456789abcdefghijklmnopqrstuvREVOKE';
const FINGERPRINT = 'openai:0123456789ab:VOKE';

let fake: FakeProvider;
beforeAll(async () => {
  fake = await startFakeProvider();
});
afterAll(async () => {
  await fake.stop();
});

/** A backend over a fresh case folder whose session "read" VALUE, asking the fake with `scenario`; every push is recorded. */
async function backendAsking(scenario: FakeScenario) {
  const folder = await mkdtemp(join(tmpdir(), 'revocation-'));
  const vault = new KeyVault();
  vault.remember(FINGERPRINT, VALUE);
  const pushes: unknown[] = [];
  const emit: Emit = (channel, payload) => pushes.push({ channel, payload });
  const backend = new AppBackend({
    store: await CaseStore.open(folder),
    hosts: { list: async () => [], add: async () => Promise.reject(new Error('not used')), targets: async () => Promise.reject(new Error('not used')) },
    runScan: async () => Promise.reject(new Error('not used')),
    rejudge: rejudgeReport(bundledAdvisoryIndex()),
    windowIds: [],
    emit,
    revocation: { check: (fingerprint) => checkRevoked(fingerprint, vault, { originFor: (provider) => fake.origin(scenario, provider) }), forget: () => vault.clear() },
  });
  return { folder, backend, handlers: backend.handlers(), pushes, vault };
}

/** Every file of the case folder, as text. */
async function caseFiles(folder: string): Promise<string> {
  const names = await readdir(folder);
  return (await Promise.all(names.map((name) => readFile(join(folder, name), 'utf8')))).join('\n');
}

describe('keys:check-revoked', () => {
  it('answers revoked for a key the provider refuses, and keeps the result in the case for case:get', async () => {
    // Arrange
    const { handlers } = await backendAsking('revoked');

    // Act
    const answer = (await dispatch(handlers, 'keys:check-revoked', { fingerprint: FINGERPRINT })) as ResponseOf<'keys:check-revoked'>;
    const state = (await dispatch(handlers, 'case:get', {})) as CaseState;

    // Assert
    expect(answer.check).toMatchObject({ fingerprint: FINGERPRINT, outcome: 'revoked', httpStatus: 401 });
    expect(state.revocationChecks?.[FINGERPRINT]).toEqual(answer.check);
  });

  it('answers live and indeterminate as the provider decides, the latest check replacing the earlier one', async () => {
    const live = await backendAsking('live');
    const busy = await backendAsking('rate-limited');

    const first = (await dispatch(live.handlers, 'keys:check-revoked', { fingerprint: FINGERPRINT })) as ResponseOf<'keys:check-revoked'>;
    const second = (await dispatch(busy.handlers, 'keys:check-revoked', { fingerprint: FINGERPRINT })) as ResponseOf<'keys:check-revoked'>;

    expect(first.check.outcome).toBe('live');
    expect(second.check).toMatchObject({ outcome: 'indeterminate', errorClass: 'rate-limited', httpStatus: 429 });
    expect(Object.keys(second.checks)).toEqual([FINGERPRINT]);
  });

  it('writes no key byte to the case folder, the answer or a push, even when the provider echoes the key', async () => {
    const { folder, handlers, pushes } = await backendAsking('echo-revoked');

    const answer = await dispatch(handlers, 'keys:check-revoked', { fingerprint: FINGERPRINT });
    const state = await dispatch(handlers, 'case:get', {});

    const everything = [JSON.stringify(answer), JSON.stringify(state), JSON.stringify(pushes), await caseFiles(folder)].join('\n');
    expect(everything).toContain('revoked');
    for (let start = 0; start + 16 <= VALUE.length; start++) expect(everything).not.toContain(VALUE.slice(start, start + 16));
  });

  it('answers indeterminate, not in memory, once the app has forgotten the session’s keys', async () => {
    const { backend, handlers } = await backendAsking('live');
    backend.forgetKeys();

    const answer = (await dispatch(handlers, 'keys:check-revoked', { fingerprint: FINGERPRINT })) as ResponseOf<'keys:check-revoked'>;

    expect(answer.check).toMatchObject({ outcome: 'indeterminate', errorClass: 'not-in-memory' });
  });

  it('refuses a request that is not a fingerprint', async () => {
    const { handlers } = await backendAsking('live');

    await expect(dispatch(handlers, 'keys:check-revoked', { fingerprint: 'sk proj with spaces' })).rejects.toBeInstanceOf(BadRequestError);
    await expect(dispatch(handlers, 'keys:check-revoked', { fingerprint: FINGERPRINT, value: VALUE })).rejects.toBeInstanceOf(BadRequestError);
  });

  it('in the composed backend, a key no scan of this session read is indeterminate, and nothing is asked', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'revocation-composed-'));
    const backend = await createBackend({
      dataDir: folder,
      knownHostsFile: join(folder, 'known_hosts'),
      sshConfigPath: join(folder, 'no-ssh-config'),
      sshConfigOptional: true,
      emit: () => undefined,
      revocationCheck: { originFor: (provider) => fake.origin('live', provider) },
    });
    const before = fake.requests.length;

    const answer = (await dispatch(backend.handlers(), 'keys:check-revoked', { fingerprint: FINGERPRINT })) as ResponseOf<'keys:check-revoked'>;

    expect(answer.check).toMatchObject({ outcome: 'indeterminate', errorClass: 'not-in-memory' });
    expect(answer.check.reason).toMatch(/not in memory/);
    expect(fake.requests.length).toBe(before);
  });
});
