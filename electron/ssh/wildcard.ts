/**
 * OpenSSH's pattern matching (match.c), shared by ssh_config `Host` lines and known_hosts host
 * fields: `*` and `?` wildcards, `!` negation, case-insensitive.
 */

/** True when `text` matches one wildcard pattern (`*` any run, `?` one character), ignoring case. */
export function matchWildcard(text: string, pattern: string): boolean {
  const t = text.toLowerCase();
  const p = pattern.toLowerCase();
  // Iterative matcher with one backtrack point: linear enough for host names, no regex escaping.
  let ti = 0;
  let pi = 0;
  let starPi = -1;
  let starTi = 0;
  while (ti < t.length) {
    const pc = p[pi];
    if (pc === '*') {
      starPi = pi++;
      starTi = ti;
    } else if (pc !== undefined && (pc === '?' || pc === t[ti])) {
      pi++;
      ti++;
    } else if (starPi >= 0) {
      pi = starPi + 1;
      ti = ++starTi;
    } else {
      return false;
    }
  }
  while (p[pi] === '*') pi++;
  return pi === p.length;
}

/**
 * Matches `text` against a pattern list the OpenSSH way: true when some positive pattern
 * matches and no `!negated` pattern does. A list of only negations never matches.
 */
export function matchPatternList(text: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns) {
    if (pattern.startsWith('!')) {
      if (matchWildcard(text, pattern.slice(1))) return false;
    } else if (matchWildcard(text, pattern)) {
      matched = true;
    }
  }
  return matched;
}

/** True when a pattern contains wildcards or a negation, i.e. does not name one host. */
export function isPattern(value: string): boolean {
  return /[*?!]/.test(value);
}
