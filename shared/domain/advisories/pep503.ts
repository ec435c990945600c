/**
 * PEP 503 project-name normalisation: the key under which PyPI, pip and OSV treat
 * `LiteLLM`, `lite_llm` and `lite.llm` as spellings of one project.
 */

/** Normalises a Python project name: `re.sub(r"[-_.]+", "-", name).lower()`. */
export function normalizePackageName(name: string): string {
  // Trimmed first because metadata headers read off a host can keep stray whitespace,
  // and whitespace is never part of a valid project name.
  return name.trim().replace(/[-_.]+/g, '-').toLowerCase();
}
