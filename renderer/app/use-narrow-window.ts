/** Tells the store whether the window is narrow enough for the nav to fold, now and whenever that changes. */
import { useEffect } from 'react';
import { useUiEvents } from '../store/hooks.js';

/** At this width and below the nav folds to a rail by itself (it can still be unfolded). */
export const NAV_FOLD_QUERY = '(max-width: 1100px)';

/** Follows NAV_FOLD_QUERY with the window's media query list. */
export function useNarrowWindow(): void {
  const { windowNarrowChanged } = useUiEvents();
  useEffect(() => {
    const query = window.matchMedia(NAV_FOLD_QUERY);
    windowNarrowChanged(query.matches);
    const changed = (event: MediaQueryListEvent) => windowNarrowChanged(event.matches);
    query.addEventListener('change', changed);
    return () => query.removeEventListener('change', changed);
  }, [windowNarrowChanged]);
}
