/** Memoised derived selectors, so hooks return the same object until their inputs change. */

/** Builds a selector that recomputes only when an input selector returns a new value (by identity). */
export type SelectorCreator<S> = <A extends readonly unknown[], R>(
  inputs: { readonly [K in keyof A]: (state: S) => A[K] },
  combine: (...args: A) => R,
) => (state: S) => R;

/**
 * Returns a createSelector for state type `S`: each selector it builds recomputes `combine` only
 * when one of its input selectors returns a different value (by identity) from the last call.
 */
export function selectorCreator<S>(): SelectorCreator<S> {
  return <A extends readonly unknown[], R>(
    inputs: { readonly [K in keyof A]: (state: S) => A[K] },
    combine: (...args: A) => R,
  ) => {
    let lastArgs: unknown[] | null = null;
    let lastResult: R;
    return (state: S): R => {
      const args = (inputs as readonly ((state: S) => unknown)[]).map((input) => input(state));
      if (lastArgs === null || args.some((arg, index) => !Object.is(arg, lastArgs![index]))) {
        lastArgs = args;
        lastResult = combine(...(args as unknown as A));
      }
      return lastResult;
    };
  };
}
