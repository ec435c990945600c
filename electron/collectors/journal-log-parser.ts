/**
 * Reads what `journalctl -o json` prints (one JSON object per entry, `__REALTIME_TIMESTAMP` in
 * microseconds since the epoch as a decimal string, `MESSAGE` a string, or an array of bytes when
 * it is not UTF-8) into the `<RFC 3339 time> <message>` lines the gateway log parser reads, then
 * tallies them: the journal of a host-service gateway counts clients exactly as a container's log
 * does. Only access lines survive the tally; every other field and line is dropped unread. Pure.
 */
import { parseGatewayLog, type ParsedGatewayLog } from './gateway-log-parser.js';

/** Longest message looked at: an access line is short, and a longer one is not read into memory twice. */
const MAX_MESSAGE_CHARS = 4096;

/** The entries of `journalctl -o json` output as timestamped lines; lines that are not an entry (a cut first line, a notice) are skipped. */
export function journalLines(text: string): string[] {
  const lines: string[] = [];
  for (const raw of text.split('\n')) {
    if (!raw.startsWith('{')) continue;
    let entry: unknown;
    try {
      entry = JSON.parse(raw);
    } catch {
      continue;
    }
    if (typeof entry !== 'object' || entry === null) continue;
    const fields = entry as Record<string, unknown>;
    const micros = fields['__REALTIME_TIMESTAMP'];
    if (typeof micros !== 'string' || !/^\d{1,19}$/.test(micros)) continue;
    const message = messageText(fields['MESSAGE']);
    if (message === null) continue;
    const millis = Number(BigInt(micros) / 1000n);
    if (!Number.isFinite(millis)) continue;
    // A message holding a newline is several lines of output; each is read on its own, as a terminal would show it.
    for (const line of message.split('\n')) lines.push(`${new Date(millis).toISOString()} ${line}`);
  }
  return lines;
}

/** Tallies the access lines of a journal's JSON output whose time lies in `window`. */
export function parseJournalLog(text: string, window: { start: string; end: string }): ParsedGatewayLog {
  return parseGatewayLog(journalLines(text).join('\n'), window);
}

/** MESSAGE as text: a string, or journald's array of bytes decoded as UTF-8; null for anything else. */
function messageText(value: unknown): string | null {
  if (typeof value === 'string') return value.slice(0, MAX_MESSAGE_CHARS);
  if (Array.isArray(value) && value.length <= MAX_MESSAGE_CHARS && value.every((byte) => Number.isInteger(byte) && byte >= 0 && byte < 256)) {
    return new TextDecoder().decode(Uint8Array.from(value as number[]));
  }
  return null;
}
