/**
 * Finds unattended upgrades of Python packages: `pip install -U` / `--upgrade` (and `uv pip
 * install` with them) in crontab lines and in a systemd unit's `ExecStart`/`ExecStartPre`/
 * `ExecStartPost` lines. A release that turns out trojaned is then installed the night it is
 * published, before anyone has looked. Pure.
 */
import type { UnattendedUpgrade } from '../../../shared/model/index.js';
import { maskUrlCredentials } from './index-url.js';

/** Longest command kept. */
const MAX_COMMAND_CHARS = 300;

const INSTALL = /(?:^|[\s/;&|(])(?:pip(?:3(?:\.\d+)?)?|python(?:3(?:\.\d+)?)?\s+-m\s+pip|uv\s+pip)\s+install\b([^;&|\n]*)/;

/** The upgrades a crontab's lines run (comments and variable assignments left out). */
export function cronUpgrades(text: string, source: string): UnattendedUpgrade[] {
  return text
    .split(/\r?\n/)
    .filter((line) => !/^\s*(#|$)/.test(line) && !/^\s*[A-Za-z_][A-Za-z0-9_]*\s*=/.test(line))
    .filter(isUpgrade)
    .map((line) => ({ source, command: shown(line) }));
}

/** The upgrades a unit's Exec lines run. */
export function unitUpgrades(text: string, source: string): UnattendedUpgrade[] {
  return text
    .split(/\r?\n/)
    .filter((line) => /^\s*ExecStart(Pre|Post)?\s*=/.test(line))
    .filter(isUpgrade)
    .map((line) => ({ source, command: shown(line) }));
}

/** True when the line runs an install with `-U` or `--upgrade` (also `--upgrade-strategy eager` style flags). */
function isUpgrade(line: string): boolean {
  const match = INSTALL.exec(line);
  if (!match) return false;
  return /(^|\s)(-U|--upgrade)(\s|=|$)|(^|\s)-[A-Za-z]*U[A-Za-z]*(\s|$)/.test(match[1]!);
}

function shown(line: string): string {
  const masked = maskUrlCredentials(line.trim());
  return masked.length > MAX_COMMAND_CHARS ? `${masked.slice(0, MAX_COMMAND_CHARS - 1)}…` : masked;
}
