/**
 * When each known compromise was live: the interval in which installing, building or pulling could
 * have fetched the bad release. Data, with its source; the user may narrow or widen a window.
 * Times are UTC. Where sources disagree the conservative (wider) window is the default.
 */

/** The time a compromise was live, for the advisories that describe it. */
export interface CompromiseWindow {
  /** Stable id, also used to store a user's override. */
  id: string;
  title: string;
  /** PEP 503 name of the affected package (or the tool, for non-PyPI compromises). */
  package: string;
  /** Advisory ids (any alias) this window applies to. */
  advisories: string[];
  /** ISO 8601, inclusive. */
  start: string;
  /** ISO 8601, inclusive. */
  end: string;
  /** Where the times come from. */
  source: string;
}

/** The windows of INCIDENT.md's compromises. */
export const KNOWN_WINDOWS: readonly CompromiseWindow[] = [
  {
    id: 'litellm-2026-03-24',
    title: 'litellm 1.82.7 and 1.82.8 on PyPI',
    package: 'litellm',
    advisories: ['MAL-2026-2144', 'PYSEC-2026-2', 'GHSA-5mg7-485q-xm76'],
    start: '2026-03-24T10:39:00Z',
    end: '2026-03-24T16:00:00Z',
    source:
      'LiteLLM maintainers, "security-update-march-2026": anyone who installed between 10:39 and 16:00 UTC on 24 March may be affected (some write-ups say PyPI quarantined by 11:19 UTC; the wider window is kept).',
  },
  {
    id: 'trivy-2026-03-19',
    title: 'Trivy 0.69.4 binaries and trivy-action/setup-trivy tags',
    package: 'trivy',
    advisories: ['GHSA-69fq-xp46-6x23'],
    start: '2026-03-19T18:22:00Z',
    end: '2026-03-19T21:42:00Z',
    source: 'GHSA-69fq-xp46-6x23: Trivy 0.69.4 live 19 March 18:22 to about 21:42 UTC.',
  },
  {
    id: 'telnyx-2026-03-27',
    title: 'telnyx 4.87.1 and 4.87.2 on PyPI',
    package: 'telnyx',
    advisories: ['MAL-2026-2254', 'PYSEC-2026-3', 'GHSA-955r-262c-33jc'],
    // The records give the day, not the hours: the whole UTC day is the conservative window.
    start: '2026-03-27T00:00:00Z',
    end: '2026-03-27T23:59:59Z',
    source: 'MAL-2026-2254 / GHSA-955r-262c-33jc: telnyx 4.87.1 and 4.87.2 published 27 March 2026.',
  },
];

/** The window that applies to an advisory group (any of its ids), after the user's overrides. */
export function windowFor(
  advisoryIds: readonly string[],
  overrides: Readonly<Record<string, { start: string; end: string }>> = {},
  windows: readonly CompromiseWindow[] = KNOWN_WINDOWS,
): CompromiseWindow | null {
  const window = windows.find((candidate) => candidate.advisories.some((id) => advisoryIds.includes(id)));
  if (!window) return null;
  const override = overrides[window.id];
  return override ? { ...window, ...override, source: `${window.source} Narrowed or widened by the user to ${override.start} – ${override.end}.` } : window;
}

/** Where an instant lies relative to a window. */
export function relativeToWindow(instant: string, window: Pick<CompromiseWindow, 'start' | 'end'>): 'before' | 'during' | 'after' | 'unknown' {
  const time = Date.parse(instant);
  // Docker writes 0001-01-01T00:00:00Z for "never" (a container that never started): not a time.
  if (Number.isNaN(time) || instant.startsWith('0001-01-01')) return 'unknown';
  if (time < Date.parse(window.start)) return 'before';
  if (time > Date.parse(window.end)) return 'after';
  return 'during';
}
