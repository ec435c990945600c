/** What a reader hands over: a value still in clear, before classification and fingerprinting. */

/** A candidate secret read from one file or environment. Main process only: `value` is in clear. */
export interface RawSecret {
  /** The variable or config key the report shows (`OPENAI_API_KEY`, `model_list[gpt-4o].litellm_params.api_key`). */
  variable?: string;
  /** The name classification looks at when it differs from `variable` (the NAME of an `os.environ/NAME` reference). */
  name?: string;
  value: string;
  /** Provider the file format fixes (AWS credentials, kubeconfig, registry auth); a value's own format still wins. */
  provider?: string;
  /** Provider taken from context (a model's `anthropic/` prefix), used only when the value's format says nothing. */
  inferredProvider?: string;
  /** Provider used when nothing else classifies a non-placeholder value (a token in a git credential URL). */
  fallbackProvider?: string;
  /**
   * True when the file only names the value (LiteLLM's `os.environ/NAME`): it helps name the
   * provider, but the value lives in the environment, so the file is not one of its places.
   */
  byReference?: boolean;
}
