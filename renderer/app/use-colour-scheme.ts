/** The colour scheme the OS asks for (Electron's nativeTheme follows it), now and whenever it changes. */
import { useSyncExternalStore } from 'react';

export type ColourScheme = 'light' | 'dark';

/** The media query renderer/theme.css switches its palette on. */
const DARK_QUERY = '(prefers-color-scheme: dark)';

function subscribe(changed: () => void): () => void {
  const query = window.matchMedia(DARK_QUERY);
  query.addEventListener('change', changed);
  return () => query.removeEventListener('change', changed);
}

const current = (): ColourScheme => (window.matchMedia(DARK_QUERY).matches ? 'dark' : 'light');

/** For code that must resolve the palette itself (a canvas cannot read CSS variables): re-renders when the scheme flips. */
export function useColourScheme(): ColourScheme {
  return useSyncExternalStore(subscribe, current);
}
