/**
 * Host facts collector: hostname, OS name and kernel, read with uname and os-release only.
 */
import type { HostFacts } from '../../shared/model/index.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { decodeOutput, newBoundary, SHELL_EMIT } from './framing.js';
import { parseHostFacts } from './host-facts-parser.js';
import { redactText } from '../readers/secrets/redact-text.js';

/** The host facts script for one run, framed with `boundary`. */
export function hostFactsScript(boundary: string): string {
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
emit hostname "$(uname -n 2>/dev/null | head -c 256)"
for f in /etc/os-release /usr/lib/os-release; do
  if [ -f "$f" ]; then
    emit_open os-release
    head -c 16384 "$f" 2>/dev/null
    break
  fi
done
emit kernel-name "$(uname -s 2>/dev/null | head -c 256)"
emit kernel "$(uname -r 2>/dev/null | head -c 256)"
emit end ""
`;
}

/** Reads the host's facts in one round trip; throws when the script could not run. */
export async function collectHostFacts(runner: CommandRunner, signal?: AbortSignal): Promise<HostFacts> {
  const boundary = newBoundary();
  const result = await runner.runScript(hostFactsScript(boundary), {
    timeoutMs: 30_000,
    maxOutputBytes: 256 * 1024,
    signal,
  });
  const parsed = parseHostFacts(decodeOutput(result.stdout), boundary);
  if (!parsed.completed) {
    throw new Error(`host facts script ended early (exit ${result.exitCode ?? 'signal'}): ${redactText(result.stderr.trim(), { maxChars: 200 })}`);
  }
  return parsed.facts;
}
