import { describe, expect, it } from 'vitest';
import type { AppState } from './app-state.js';
import { createAppStore } from './app-store.js';
import { selectCurrentPrompt, selectNavFolded, selectTimelineOpen } from './ui-selectors.js';

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

describe('selectNavFolded', () => {
  it('folds the nav in a narrow window and unfolds it in a wide one', () => {
    expect(selectNavFolded(stateWith())).toBe(false);
    expect(selectNavFolded(stateWith((s) => s.windowNarrowChanged(true)))).toBe(true);
    expect(selectNavFolded(stateWith((s) => [s.windowNarrowChanged(true), s.windowNarrowChanged(false)]))).toBe(false);
  });

  it("follows the user's toggle at any width, until the window crosses the fold width again", () => {
    expect(selectNavFolded(stateWith((s) => s.navToggled()))).toBe(true);
    expect(selectNavFolded(stateWith((s) => [s.windowNarrowChanged(true), s.navToggled()]))).toBe(false);
    expect(selectNavFolded(stateWith((s) => [s.windowNarrowChanged(true), s.navToggled(), s.navToggled()]))).toBe(true);
    expect(selectNavFolded(stateWith((s) => [s.navToggled(), s.windowNarrowChanged(true), s.windowNarrowChanged(false)]))).toBe(false);
    expect(selectNavFolded(stateWith((s) => [s.windowNarrowChanged(true), s.navToggled(), s.windowNarrowChanged(true)]))).toBe(false);
  });
});

describe('selectTimelineOpen', () => {
  it('starts folded and opens and folds on each toggle', () => {
    expect(selectTimelineOpen(stateWith())).toBe(false);
    expect(selectTimelineOpen(stateWith((s) => s.timelineToggled()))).toBe(true);
    expect(selectTimelineOpen(stateWith((s) => [s.timelineToggled(), s.timelineToggled()]))).toBe(false);
  });
});
