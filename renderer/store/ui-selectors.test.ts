import { describe, expect, it } from 'vitest';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { selectCurrentPrompt } from './ui-selectors.js';

function stateWith(setup: (state: AppState) => void = () => {}): AppState {
  const store = createAppStore();
  setup(store.getState());
  return store.getState();
}

describe('selectCurrentPrompt', () => {
  it('shows the oldest open prompt first', () => {
    const state = stateWith((s) => {
      s.hostKeyPrompted({ promptId: 'p1', host: 'gw', address: 'root@gw:22', keyType: 'ssh-ed25519', fingerprint: 'SHA256:x' });
      s.passphrasePrompted({ promptId: 'p2', host: 'gw', keyPath: '/root/.ssh/id_ed25519' });
    });

    expect(selectCurrentPrompt(state)?.promptId).toBe('p1');
  });
});
