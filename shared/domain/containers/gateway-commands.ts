/**
 * Commands that start an AI gateway outside a container (pip into a virtualenv, a release binary),
 * as a systemd unit's `ExecStart=` names them: the host-service counterpart of gateway-images.ts,
 * and the same gateway kinds. Data with where each fact comes from, so a new gateway is one entry.
 * Pure: reads the words of a command line, never runs anything.
 */
import { GATEWAY_DEFAULT_PORTS } from './gateway-images.js';

/** A recognised gateway command: its kind and what in the command said so. */
export interface GatewayCommand {
  kind: string;
  /** `program litellm`, `module litellm`, `app litellm.proxy.proxy_server:app`… */
  matched: string;
}

interface CommandRule {
  kind: string;
  /** Program base names that are the gateway itself (the console scripts pip installs, release binaries). */
  programs: readonly string[];
  /** `python -m MODULE` modules that start it. */
  modules: readonly string[];
  /** ASGI/WSGI app prefixes (`uvicorn APP`, `gunicorn APP`). */
  apps: readonly string[];
}

/** The recognised commands. */
const COMMAND_RULES: readonly CommandRule[] = [
  // pip install 'litellm[proxy]' installs the `litellm` and `litellm-proxy` console scripts (pyproject [project.scripts]);
  // `python -m litellm.proxy.proxy_cli` is what they call; the proxy's app is litellm.proxy.proxy_server:app (LiteLLM docs, "Deploy").
  { kind: 'litellm', programs: ['litellm', 'litellm-proxy'], modules: ['litellm', 'litellm.proxy.proxy_cli'], apps: ['litellm.proxy.proxy_server:'] },
  // `vllm serve MODEL` (the `vllm` console script) or `python -m vllm.entrypoints.openai.api_server` (vLLM docs, "OpenAI-Compatible Server").
  { kind: 'vllm', programs: ['vllm'], modules: ['vllm.entrypoints.openai.api_server'], apps: [] },
  // LocalAI's release binary is `local-ai` (its "Run with binaries" docs).
  { kind: 'localai', programs: ['local-ai'], modules: [], apps: [] },
  // Olla's release binary is `olla`.
  { kind: 'olla', programs: ['olla'], modules: [], apps: [] },
  // One API's release binary is `one-api`.
  { kind: 'one-api', programs: ['one-api'], modules: [], apps: [] },
  // Mozilla.ai's any-llm gateway: the `any-llm-gateway` console script.
  { kind: 'any-llm', programs: ['any-llm-gateway'], modules: [], apps: [] },
];

/** Interpreters a `-m MODULE` follows. */
const PYTHON = /^python(?:\d+(?:\.\d+)*)?$/;
/** ASGI/WSGI servers whose first non-option argument is the app. */
const APP_SERVERS: ReadonlySet<string> = new Set(['uvicorn', 'gunicorn', 'hypercorn']);

/** The base name of a path. */
function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/**
 * The gateway a command starts, or null. `argv` is the command's words with the program first
 * (systemd's prefixes, `env` and `sh -c` already taken off by the caller).
 */
export function gatewayOfCommand(argv: readonly string[]): GatewayCommand | null {
  const program = baseName(argv[0] ?? '');
  const byProgram = COMMAND_RULES.find((rule) => rule.programs.includes(program));
  if (byProgram) return { kind: byProgram.kind, matched: `program ${program}` };
  const module = PYTHON.test(program) ? moduleOf(argv) : null;
  if (module !== null) {
    const byModule = COMMAND_RULES.find((rule) => rule.modules.includes(module));
    if (byModule) return { kind: byModule.kind, matched: `module ${module}` };
  }
  const server = APP_SERVERS.has(program) ? program : module !== null && APP_SERVERS.has(module) ? module : null;
  if (server !== null) {
    for (const word of argv.slice(1)) {
      const byApp = COMMAND_RULES.find((rule) => rule.apps.some((app) => word.startsWith(app)));
      if (byApp) return { kind: byApp.kind, matched: `app ${word}` };
    }
  }
  return null;
}

/** The module of `python [options] -m MODULE …`, or null. */
export function moduleOf(argv: readonly string[]): string | null {
  for (let at = 1; at < argv.length; at += 1) {
    const word = argv[at]!;
    if (word === '-m') return argv[at + 1] ?? null;
    if (word.startsWith('-m') && word.length > 2) return word.slice(2);
    // Python's own options come before -m; anything else is a script or code.
    if (!word.startsWith('-') || word === '-c') return null;
  }
  return null;
}

/** The port a gateway kind listens on when its command names none. */
export function defaultGatewayPort(kind: string): number | null {
  return GATEWAY_DEFAULT_PORTS[kind] ?? null;
}
