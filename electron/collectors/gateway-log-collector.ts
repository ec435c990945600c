/**
 * Reads each gateway container's own logs from the engine's log store (`docker logs --timestamps
 * --since <start> --until <end> ID`, Podman the same): this runs nothing in the container. Only
 * the newest MAX_GATEWAY_LOG_BYTES are read, and only the parser's per-client counts outlive the
 * call; the log text (which can hold prompts and keys) is dropped, and never quoted in a note.
 */
import type { GatewayTraffic } from '../../shared/model/index.js';
import { serviceImageOf } from '../../shared/domain/containers/gateway-images.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { engineCommand, type EngineAccess } from './docker-collector.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { parseGatewayLog } from './gateway-log-parser.js';
import { blindSpot, remark, type CollectorIssue } from './notes.js';

/** Bytes of a gateway's log read at most: the newest part, so a chatty gateway cannot exhaust memory. */
export const MAX_GATEWAY_LOG_BYTES = 8 * 1024 * 1024;

/** Gateway kinds whose servers print uvicorn access lines (LiteLLM's proxy and vLLM's OpenAI server run uvicorn). */
const UVICORN_GATEWAYS: ReadonlySet<string> = new Set(['litellm', 'vllm']);

/** The interval to read, ISO 8601 UTC. */
export interface LogWindow {
  start: string;
  end: string;
}

/** A container whose logs are worth reading. */
export interface LoggedContainer {
  id: string;
  name: string;
  image: string;
}

/** The gateway containers whose access logs the parser reads: by image, or named by a gateway config of such a kind. */
export function gatewayLogContainers<T extends LoggedContainer>(containers: readonly T[], configured: readonly { gateway: string; container: string | null }[] = []): T[] {
  return containers.filter((container) => {
    const kind = serviceImageOf(container.image);
    if (kind?.role === 'gateway' && UVICORN_GATEWAYS.has(kind.kind)) return true;
    return configured.some((config) => config.container === container.name && UVICORN_GATEWAYS.has(config.gateway));
  });
}

/** Fixed width of the exit-status record the script appends after the log (`\n<B> rc\n%03d\n`). */
const RC_RECORD_BYTES = 1 + 34 + ' rc\n'.length + 3 + 1;

/**
 * The script: the engine's log output (container stdout and stderr, and the CLI's own errors) with
 * the exit status appended inside the same stream, then the stream's last MAX+1 bytes. Keeping the
 * status inside the tail keeps it whatever the log's size, and one byte over the cap tells that
 * the log was cut.
 */
export function gatewayLogScript(boundary: string, engine: EngineAccess, containerId: string, window: LogWindow, maxBytes = MAX_GATEWAY_LOG_BYTES): string {
  if (!/^[0-9a-f]{64}$/.test(containerId)) throw new Error('container id must be 64 hex characters');
  const since = isoInstant(window.start);
  const until = isoInstant(window.end);
  return `B=${shellQuote(boundary)}
${SHELL_EMIT}
emit_open logs
{ ${engineCommand(engine)} logs --timestamps --since ${shellQuote(since)} --until ${shellQuote(until)} ${shellQuote(containerId)} 2>&1; printf '\\n%s rc\\n%03d\\n' "$B" "$?"; } | tail -c ${maxBytes + 1 + RC_RECORD_BYTES}
emit end ""
`;
}

/** What a script's output says: the log text (cut to whole lines), whether it was cut, the engine's exit status. */
export function readGatewayLogOutput(output: string, boundary: string, maxBytes = MAX_GATEWAY_LOG_BYTES): { text: string; truncated: boolean; rc: number | null } {
  const records = splitRecords(output, boundary);
  const logs = records.find((record) => record.tag === 'logs')?.body ?? '';
  const rcText = records.find((record) => record.tag === 'rc')?.body.trim();
  const rc = rcText !== undefined && /^\d{1,3}$/.test(rcText) ? Number(rcText) : null;
  const truncated = new TextEncoder().encode(logs).length > maxBytes;
  // A cut log starts mid-line: that partial line is dropped.
  const text = truncated ? logs.slice(logs.indexOf('\n') + 1) : logs;
  return { text, truncated, rc };
}

/** Reads and tallies the logs of each gateway container; failures become notes naming only the exit status. */
export async function collectGatewayTraffic(
  runner: CommandRunner,
  engine: EngineAccess,
  containers: readonly LoggedContainer[],
  window: LogWindow,
  signal: AbortSignal,
): Promise<{ traffic: GatewayTraffic[]; issues: CollectorIssue[] }> {
  const traffic: GatewayTraffic[] = [];
  const issues: CollectorIssue[] = [];
  for (const container of containers) {
    if (signal.aborted) break;
    const boundary = newBoundary();
    let output: string;
    try {
      const result = await runner.runScript(gatewayLogScript(boundary, engine, container.id, window), {
        timeoutMs: 120_000,
        maxOutputBytes: MAX_GATEWAY_LOG_BYTES + 64 * 1024,
        signal,
      });
      output = decodeOutput(result.stdout);
    } catch (error) {
      if (signal.aborted) break;
      issues.push(blindSpot('gateway-logs', `container ${container.name}: logs not read (${error instanceof Error ? error.message : String(error)})`));
      continue;
    }
    const read = readGatewayLogOutput(output, boundary);
    if (read.rc !== 0) {
      // The output mixes the container's own lines with the engine's error: none of it is quoted.
      issues.push(blindSpot('gateway-logs', `container ${container.name}: ${engine.engine} logs failed (exit ${read.rc ?? 'unknown'}); its clients are not counted`));
      read.text = '';
      continue;
    }
    const parsed = parseGatewayLog(read.text, window);
    read.text = '';
    const entry: GatewayTraffic = { container: container.name, window: { start: isoInstant(window.start), end: isoInstant(window.end) }, clients: parsed.clients };
    if (read.truncated || parsed.clientsLeftOut > 0) entry.truncated = true;
    if (read.truncated) {
      issues.push(remark('gateway-logs', `container ${container.name}: only the newest ${MAX_GATEWAY_LOG_BYTES / (1024 * 1024)} MiB of its logs since ${entry.window.start} were read; earlier requests are not counted`));
    }
    if (parsed.clientsLeftOut > 0) {
      issues.push(remark('gateway-logs', `container ${container.name}: ${parsed.clientsLeftOut} more client addresses with fewer requests were left out`));
    }
    traffic.push(entry);
  }
  return { traffic, issues };
}

/** An instant as `YYYY-MM-DDTHH:MM:SS.sssZ`, the RFC 3339 form Docker and Podman both accept; throws on anything else. */
function isoInstant(value: string): string {
  const time = Date.parse(value);
  if (Number.isNaN(time)) throw new Error('log window bounds must be ISO 8601 instants');
  return new Date(time).toISOString();
}
