/**
 * A CommandRunner that answers the collectors' scripts from a collection file instead of a host,
 * so an imported collection goes through the scan's own collectors, parsers, secret readers and
 * judgments (`collectHost`) exactly as a scan would. Each script the collectors ask to run is
 * recognised as one of the collector's step families (the same generators made both), and gets
 * that step's output with the collector's boundaries put in place of the recorded ones. A script
 * the offline collector did not run is answered as a host answers a script it cannot run (exit
 * 127, nothing printed, NOT_COLLECTED on stderr): each collector then notes what it could not read,
 * as it does for such a host, and keeps what the other scripts gave.
 */
import { bundledIocRules } from '../../shared/domain/iocs/rules.js';
import type { CommandRunner, RunOptions, RunResult } from '../exec/command-runner.js';
import { hostArtifactScript } from '../collectors/artifact-collector.js';
import { containerListScript } from '../collectors/docker-collector.js';
import { hostFactsScript } from '../collectors/host-facts.js';
import { iocScanScript } from '../collectors/ioc-collector.js';
import { pythonScanScript } from '../collectors/python-collector.js';
import type { Collection, CollectedStep, StepFamily } from './collection-file.js';

/** What a script the offline collector did not run says on stderr. */
export const NOT_COLLECTED = 'not collected by the offline collector';

/** The script that asks the replay for its collection's own notes (collectImportedHost); no collector sends it to a host. */
export const COLLECTION_NOTES_SCRIPT = '# blast-radius: the offline collection notes\n';

const BOUNDARIES = /BR[0-9a-f]{32}/g;

/** The boundaries a script uses, in the order they first appear. */
export function boundariesOf(script: string): string[] {
  return [...new Set(script.match(BOUNDARIES) ?? [])];
}

/**
 * The host artifact script's unit pattern names the host's virtualenvs (a unit that runs one is
 * read for the hardening posture), which only a scan knows; the collector's script carries the
 * plain pattern. The two are the same step otherwise.
 */
function withoutUnitPattern(script: string): string {
  return script.replace(/^UNIT_PAT=.*$/m, 'UNIT_PAT=');
}

/** Where the host artifact script's fixed part ends and what depends on the container list begins. */
const ARTIFACT_FIXED_END = '# Sockets and addresses';

/**
 * Which step answers `script`, or null. Scripts that do not depend on anything read before are
 * compared whole with the generator's output for the same boundary; the host artifact script by
 * its fixed part (the rest names the containers' compose files and network namespaces, which the
 * offline collector leaves to its searches); per-container scripts by their shape and the id they name.
 */
export function stepFor(script: string): { family: StepFamily; key: string | null } | null {
  const boundary = boundariesOf(script)[0];
  if (!boundary) return null;
  if (script === hostFactsScript(boundary)) return { family: 'facts', key: null };
  if (script === containerListScript(boundary, null)) return { family: 'containers-list', key: null };
  if (script === containerListScript(boundary, { engine: 'docker', access: 'sudo' })) return { family: 'containers-list-sudo', key: null };
  if (script === pythonScanScript({ boundary, root: '', container: false })) return { family: 'python', key: null };
  if (script === iocScanScript({ boundary, root: '', rules: bundledIocRules() })) return { family: 'iocs', key: null };
  const artifacts = withoutUnitPattern(hostArtifactScript({ boundary, root: '' }));
  const asked = withoutUnitPattern(script);
  const fixed = artifacts.indexOf(ARTIFACT_FIXED_END);
  if (fixed > 0 && asked.indexOf(ARTIFACT_FIXED_END) === fixed && asked.slice(0, fixed) === artifacts.slice(0, fixed)) return { family: 'artifacts', key: null };
  if (/\nemit_open inspect\n(?:sudo -n )?(?:docker|podman) inspect '[0-9a-f]{64}'/.test(script)) return { family: 'containers-inspect', key: null };
  const exec = /\n(?:sudo -n )?(?:docker|podman) exec -i '([0-9a-f]{64})' sh -s <<'BLAST_RADIUS_BR[0-9a-f]{32}_EOF'\n/.exec(script);
  if (exec && script.startsWith(`B='${boundary}'\n`)) return { family: 'container-scan', key: exec[1]! };
  const logs = /\nemit_open logs\n\{ (?:sudo -n )?(?:docker|podman) logs --timestamps --since '[^'\n]*' --until '[^'\n]*' '([0-9a-f]{64})' 2>&1;/.exec(script);
  if (logs) return { family: 'gateway-log', key: logs[1]! };
  return null;
}

/** A runner over one collection's steps. */
export function replayRunner(collection: Pick<Collection, 'steps' | 'problems' | 'collectedAt'>): CommandRunner {
  const steps = new Map(collection.steps.map((step) => [`${step.family} ${step.key ?? ''}`, step]));
  return {
    async runScript(script: string, options?: RunOptions): Promise<RunResult> {
      if (options?.signal?.aborted) throw new Error('cancelled');
      if (script === COLLECTION_NOTES_SCRIPT) {
        const notes = { collectedAt: collection.collectedAt, problems: collection.problems };
        return { stdout: Buffer.from(JSON.stringify(notes)), stderr: '', exitCode: 0, truncated: false };
      }
      const wanted = stepFor(script);
      const step = wanted && steps.get(`${wanted.family} ${wanted.key ?? ''}`);
      const boundaries = boundariesOf(script);
      if (!step || boundaries.length !== step.boundaries.length) return { stdout: Buffer.alloc(0), stderr: NOT_COLLECTED, exitCode: 127, truncated: false };
      return answer(step, boundaries, options?.maxOutputBytes);
    },
  };
}

/** The step's output as the collectors' script would have printed it: their boundaries, their byte limit. */
function answer(step: CollectedStep, boundaries: readonly string[], maxOutputBytes: number | undefined): RunResult {
  let text = new TextDecoder('utf-8').decode(step.stdout);
  // Each recorded boundary is 128 random bits the host drew at run time: one in the text is a frame.
  step.boundaries.forEach((recorded, index) => {
    text = text.split(recorded).join(boundaries[index]!);
  });
  let stdout = Buffer.from(text, 'utf8');
  const truncated = maxOutputBytes !== undefined && stdout.length > maxOutputBytes;
  if (truncated) stdout = stdout.subarray(0, maxOutputBytes);
  return { stdout, stderr: step.stderr, exitCode: step.exitCode, truncated };
}
