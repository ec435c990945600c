/**
 * Parses image history and finds the build steps that installed Python packages. Docker prints
 * `docker history --no-trunc --format '{{json .}}'` as one JSON object a line (keys Comment,
 * CreatedAt, CreatedBy, CreatedSince, ID, Size; docker/cli formatter_history.go); Podman prints
 * `podman history --format json` as one JSON array (keys id, created, CreatedBy, size, comment,
 * Created; podman cmd/podman/images/history.go). Pure: every value is data.
 */
import type { BuildInstallStep } from '../../shared/model/index.js';

/** One history row, newest first as the engines print them. */
export interface HistoryEntry {
  createdBy: string;
  createdAt: string | null;
}

/** Longest command kept in the inventory. */
export const MAX_COMMAND_CHARS = 300;

/** Reads either engine's history output; lines or entries that are not history rows are skipped. */
export function parseImageHistory(text: string): HistoryEntry[] {
  const trimmed = text.trim();
  if (trimmed === '') return [];
  const rows: unknown[] = [];
  if (trimmed.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(trimmed);
      if (Array.isArray(parsed)) rows.push(...parsed);
    } catch {
      return [];
    }
  } else {
    for (const line of trimmed.split('\n')) {
      try {
        rows.push(JSON.parse(line));
      } catch {
        // A cut-off last line (output limit) or a stray message: not a row.
      }
    }
  }
  const entries: HistoryEntry[] = [];
  for (const row of rows) {
    if (typeof row !== 'object' || row === null || Array.isArray(row)) continue;
    const record = row as Record<string, unknown>;
    const createdBy = record['CreatedBy'];
    if (typeof createdBy !== 'string') continue;
    const createdAt = [record['CreatedAt'], record['Created'], record['created']].find((value): value is string => typeof value === 'string' && value !== '');
    entries.push({ createdBy, createdAt: createdAt ?? null });
  }
  return entries;
}

/** Masks credentials a build command may carry: `scheme://user:secret@`, and `…TOKEN=`/`…PASSWORD=`-style assignments. */
export function maskSecrets(command: string): string {
  return command
    .replace(/(\b[a-z][a-z0-9+.-]*:\/\/)[^\s/@]+@/gi, '$1***@')
    .replace(/\b([A-Za-z0-9_]*(?:TOKEN|SECRET|PASSWORD|PASSWD|PASS|API_KEY|ACCESS_KEY)[A-Za-z0-9_]*)=("[^"]*"|'[^']*'|\S+)/gi, '$1=***');
}

// A shell step of the build: BuildKit `RUN …`, or the classic builder's `/bin/sh -c …` (with `|N ARG=…` before it).
const RUN_STEP = /^(?:RUN\s|\|\d+\s|\/bin\/(?:ba)?sh\s+-c\s)/;
const INSTALLERS: Array<{ tool: string; pattern: RegExp }> = [
  { tool: 'poetry', pattern: /(?:^|[\s/])poetry\s+install\b/ },
  { tool: 'uv pip', pattern: /(?:^|[\s/])uv\s+pip\s+install\b/ },
  { tool: 'pip', pattern: /(?:^|[\s/])(?:pip(?:3(?:\.\d+)?)?|python(?:3(?:\.\d+)?)?\s+-m\s+pip)\s+install\b/ },
];

/** The install invocations in one history command, each classified; empty when it installs no Python packages. */
export function classifyInstallCommand(createdBy: string, createdAt: string | null = null): BuildInstallStep[] {
  const text = createdBy.replace(/\s+#\s*buildkit\s*$/, '').trim();
  if (!RUN_STEP.test(text) || text.includes('#(nop)')) return [];
  const steps: BuildInstallStep[] = [];
  // One RUN line often chains several commands; each install is judged on its own flags.
  for (const segment of text.split(/&&|\|\||;|\||\n/)) {
    for (const { tool, pattern } of INSTALLERS) {
      const match = pattern.exec(segment);
      if (!match) continue;
      const after = segment.slice(match.index + match[0].length).trim().split(/\s+/).filter(Boolean);
      const { hashPinned, reason } = judge(tool, after);
      steps.push({ command: truncate(maskSecrets(text)), tool, hashPinned, reason, createdAt });
      break;
    }
  }
  return steps;
}

/** Every install step of an image's history, oldest first (the order the Dockerfile ran them). */
export function buildInstallSteps(entries: readonly HistoryEntry[]): BuildInstallStep[] {
  return [...entries].reverse().flatMap((entry) => classifyInstallCommand(entry.createdBy, entry.createdAt));
}

function judge(tool: string, args: readonly string[]): { hashPinned: boolean; reason: string } {
  if (tool === 'poetry') {
    return { hashPinned: false, reason: 'poetry install resolves from poetry.lock, which the image history does not show: treated as unpinned' };
  }
  if (args.includes('--no-index')) return { hashPinned: true, reason: '--no-index: installs from local files, not from a live index' };
  if (args.some((arg) => arg === '--require-hashes' || arg.startsWith('--require-hashes='))) {
    return { hashPinned: true, reason: '--require-hashes: every requirement must match a recorded hash' };
  }
  const requirementFiles = args.flatMap((arg, index) =>
    arg === '-r' || arg === '--requirement' ? [args[index + 1] ?? '?'] : arg.startsWith('--requirement=') ? [arg.slice('--requirement='.length)] : /^-r\S/.test(arg) ? [arg.slice(2)] : [],
  );
  if (requirementFiles.length > 0) {
    return {
      hashPinned: false,
      reason: `requirements file ${requirementFiles.join(', ')} is not visible in the image history, so whether it carries --hash lines is unknown: treated as unpinned`,
    };
  }
  return { hashPinned: false, reason: `${tool} install from the live index without --require-hashes` };
}

function truncate(command: string): string {
  return command.length > MAX_COMMAND_CHARS ? `${command.slice(0, MAX_COMMAND_CHARS - 1)}…` : command;
}
