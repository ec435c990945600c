/** The open case's name at the top of the nav, always in sight; it opens the Cases view, where cases are switched. */
import { useOpenCase, useSwitchingCase, useUiEvents, useView } from '../store/hooks.js';

/** The switcher in the nav's header. */
export function CaseSwitcher() {
  const openCase = useOpenCase();
  const switching = useSwitchingCase();
  const current = useView();
  const { viewChosen } = useUiEvents();
  const name = openCase?.name ?? 'No case open';
  return (
    <button
      type="button"
      className={current === 'cases' ? 'case-switcher active' : 'case-switcher'}
      data-testid="case-switcher"
      aria-busy={switching}
      title={`Case: ${name}. Open the list of cases`}
      onClick={() => viewChosen('cases')}
    >
      <span className="case-switcher-label">Case</span>
      <span className="case-switcher-name" data-testid="open-case-name" data-open={openCase !== null}>
        {switching ? 'Switching…' : name}
      </span>
      <span className="case-switcher-initial" aria-hidden="true">
        {(openCase?.name ?? '–').charAt(0).toUpperCase()}
      </span>
    </button>
  );
}
