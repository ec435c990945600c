/**
 * Reads a host-service gateway's log from the systemd journal over the window: `journalctl
 * --no-pager -o json -u UNIT --since @START --until @END` (a user unit by its
 * `_SYSTEMD_USER_UNIT=` match), read-only; journalctl is the host's own reader of its journal,
 * not the gateway's Python, which is never started. Only the newest MAX_GATEWAY_LOG_BYTES are
 * read, and only the per-client counts outlive the call: the text (which can hold prompts and
 * keys) is dropped and never quoted in a note; journalctl's own complaints are recognised by
 * fixed phrases and named, never repeated.
 */
import type { GatewayService, GatewayTraffic } from '../../shared/model/index.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { decodeOutput, newBoundary, SHELL_EMIT } from './framing.js';
import { MAX_GATEWAY_LOG_BYTES, readGatewayLogOutput, type LogWindow } from './gateway-log-collector.js';
import { parseJournalLog } from './journal-log-parser.js';
import { blindSpot, remark, type CollectorIssue } from './notes.js';

/** Gateway kinds whose servers print uvicorn access lines to their output (which systemd sends to the journal). */
const UVICORN_GATEWAYS: ReadonlySet<string> = new Set(['litellm', 'vllm']);

/** Fixed width of the exit-status record the script appends after the output (as gateway-log-collector's). */
const RC_RECORD_BYTES = 1 + 34 + ' rc\n'.length + 3 + 1;

/** A unit name systemd accepts (letters, digits, `:-_.\@`), ending `.service`. */
const UNIT_NAME = /^[A-Za-z0-9:_.\\@-]{1,240}\.service$/;

/** The services whose journal is worth reading: gateways that log uvicorn access lines. */
export function journalLoggedServices(services: readonly GatewayService[]): GatewayService[] {
  return services.filter((service) => UVICORN_GATEWAYS.has(service.gateway) && UNIT_NAME.test(service.unit));
}

/**
 * The script: journalctl's JSON for the unit over the window (its own messages mixed in on the
 * same stream: they are not JSON lines, so the parser skips them), the exit status appended inside
 * the stream, and the stream's last MAX+1 bytes. With a root (a mounted disk image), the journal
 * folder under it is read instead of the running system's.
 */
export function journalLogScript(boundary: string, service: Pick<GatewayService, 'unit' | 'scope'>, window: LogWindow, root = '', maxBytes = MAX_GATEWAY_LOG_BYTES): string {
  if (!UNIT_NAME.test(service.unit)) throw new Error('not a service unit name');
  const since = epochSeconds(window.start);
  const until = Math.ceil(Date.parse(window.end) / 1000);
  const match = service.scope === 'user' ? shellQuote(`_SYSTEMD_USER_UNIT=${service.unit}`) : `-u ${shellQuote(service.unit)}`;
  // journalctl globs --file itself; -D reads no machine-id subfolder, and --root only the journals of the machine id under it.
  const directory = root === '' ? '' : ` --file ${shellQuote(`${root.replace(/\/+$/, '')}/var/log/journal/*/*.journal`)}`;
  return `B=${shellQuote(boundary)}
LC_ALL=C
export LC_ALL
${SHELL_EMIT}
if ! command -v journalctl >/dev/null 2>&1; then
  emit no-journalctl ""
  emit end ""
  exit 0
fi
emit_open logs
{ SYSTEMD_PAGER= SYSTEMD_COLORS=0 journalctl --no-pager -o json${directory} ${match} --since @${since} --until @${until} 2>&1 </dev/null; printf '\\n%s rc\\n%03d\\n' "$B" "$?"; } | tail -c ${maxBytes + 1 + RC_RECORD_BYTES}
emit end ""
`;
}

/** journalctl's complaints the scan recognises (by fixed phrase), and what each means for the count. */
const COMPLAINTS: readonly { phrase: string; note: (unit: string) => CollectorIssue }[] = [
  {
    phrase: 'No journal files were found',
    note: (unit) => blindSpot('gateway-logs', `service ${unit}: journalctl found no journal files (journald not persistent, or logs kept elsewhere); its clients are not counted`),
  },
  {
    phrase: 'not seeing messages from other users and the system',
    note: (unit) => blindSpot('gateway-logs', `service ${unit}: this login may not read the system journal (not root, nor in group systemd-journal or adm); its clients are not counted`),
  },
];

/** Reads and tallies the journal of each gateway service; failures become notes naming only the exit status or a recognised complaint. */
export async function collectJournalTraffic(
  runner: CommandRunner,
  services: readonly GatewayService[],
  window: LogWindow,
  signal: AbortSignal,
  root = '',
): Promise<{ traffic: GatewayTraffic[]; issues: CollectorIssue[] }> {
  const traffic: GatewayTraffic[] = [];
  const issues: CollectorIssue[] = [];
  for (const service of journalLoggedServices(services)) {
    if (signal.aborted) break;
    const boundary = newBoundary();
    let output: string;
    try {
      const result = await runner.runScript(journalLogScript(boundary, service, window, root), { timeoutMs: 120_000, maxOutputBytes: MAX_GATEWAY_LOG_BYTES + 64 * 1024, signal });
      output = decodeOutput(result.stdout);
    } catch (error) {
      if (signal.aborted) break;
      issues.push(blindSpot('gateway-logs', `service ${service.unit}: journal not read (${error instanceof Error ? error.message : String(error)})`));
      continue;
    }
    if (output.includes(`${boundary} no-journalctl`)) {
      issues.push(blindSpot('gateway-logs', `service ${service.unit}: journalctl is not installed, so its journal was not read; its clients are not counted`));
      continue;
    }
    const read = readGatewayLogOutput(output, boundary);
    const complaint = COMPLAINTS.find((candidate) => read.text.split('\n').some((line) => !line.startsWith('{') && line.includes(candidate.phrase)));
    if (complaint) issues.push(complaint.note(service.unit));
    else if (read.rc !== 0) issues.push(blindSpot('gateway-logs', `service ${service.unit}: journalctl failed (exit ${read.rc ?? 'unknown'}); its clients are not counted`));
    // A login that sees only part of the journal still counts what it sees; a failure or no journal at all counts nothing.
    if (read.rc !== 0 || complaint?.phrase === 'No journal files were found') {
      read.text = '';
      continue;
    }
    const parsed = parseJournalLog(read.text, window);
    read.text = '';
    const entry: GatewayTraffic = { container: null, unit: service.unit, window: { start: new Date(Date.parse(window.start)).toISOString(), end: new Date(Date.parse(window.end)).toISOString() }, clients: parsed.clients };
    if (read.truncated || parsed.clientsLeftOut > 0) entry.truncated = true;
    if (read.truncated) issues.push(remark('gateway-logs', `service ${service.unit}: only the newest ${MAX_GATEWAY_LOG_BYTES / (1024 * 1024)} MiB of its journal since ${entry.window.start} were read; earlier requests are not counted`));
    if (parsed.clientsLeftOut > 0) issues.push(remark('gateway-logs', `service ${service.unit}: ${parsed.clientsLeftOut} more client addresses with fewer requests were left out`));
    traffic.push(entry);
  }
  return { traffic, issues };
}

/** Whole seconds since the epoch of an ISO instant, for journalctl's `@SECONDS`; throws on anything else. */
function epochSeconds(value: string): number {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error('log window bounds must be ISO 8601 instants');
  return Math.floor(time / 1000);
}
