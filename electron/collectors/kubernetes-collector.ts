/**
 * Reads the Kubernetes cluster a host's own kubectl reaches (`kubectl`, else `k3s kubectl`; the
 * kubeconfig from `$KUBECONFIG`, `~/.kube/config` or k3s's `/etc/rancher/k3s/k3s.yaml`), in one
 * script: two read-only `kubectl get … -o json` calls, the workloads and the Secrets, each
 * bounded. Never `exec`, `apply`, `port-forward` or anything else that changes or enters the
 * cluster. Secret values come back base64 in the JSON and are decoded here, in the main process,
 * for the secret reader; nothing else keeps them.
 */
import type { IocRule } from '../../shared/domain/iocs/rules.js';
import { shellQuote, type CommandRunner } from '../exec/command-runner.js';
import { decodeOutput, newBoundary, SHELL_EMIT, splitRecords } from './framing.js';
import { kubernetesReading, type KubernetesReading } from './kubernetes-places.js';
import { parseKubernetesObjects, parseSecretList, type SecretView } from './kubernetes-parser.js';
import { blindSpot, firstLine, remark, type CollectorIssue } from './notes.js';

const COLLECTOR = 'kubernetes';

/** The objects read in the first call, in the order kubectl lists them. */
export const KUBERNETES_WORKLOAD_RESOURCES = 'pods,deployments,daemonsets,statefulsets,services,ingresses';

/** The arguments of each call after the client and `--kubeconfig`: read-only `get`, every namespace, JSON. */
export const KUBECTL_GET_WORKLOADS = ['get', KUBERNETES_WORKLOAD_RESOURCES, '--all-namespaces', '--output=json', '--request-timeout=30s'] as const;
/** Helm keeps each release (values included, gzipped) as a Secret: large, and read by no key reader. */
export const KUBECTL_GET_SECRETS = ['get', 'secrets', '--all-namespaces', '--field-selector=type!=helm.sh/release.v1', '--output=json', '--request-timeout=30s'] as const;

/** Most bytes of each call's JSON read; a cluster printing more is noted as cut. */
const MAX_WORKLOAD_BYTES = 24 * 1024 * 1024;
const MAX_SECRET_BYTES = 8 * 1024 * 1024;
/** Most characters of a call's stderr kept (its first line goes into a note, redacted). */
const MAX_STDERR_CHARS = 2000;

const RUN_LIMITS = { timeoutMs: 90_000, maxOutputBytes: MAX_WORKLOAD_BYTES + MAX_SECRET_BYTES + 64 * 1024 } as const;

/** What the cluster read gave: null when the host has no kubectl or no kubeconfig, with the notes. */
export interface KubernetesCollection {
  reading: KubernetesReading | null;
  issues: CollectorIssue[];
}

/**
 * The script. Each call's stdout is the record's body (cut at its bound by `head -c`); its stderr
 * and exit status are captured into a second record, so a failure text never mixes with the JSON.
 */
export function kubernetesScript(boundary: string): string {
  const call = (name: string, args: readonly string[], maxBytes: number) =>
    [
      `emit_open ${name}`,
      `{ err=$( { { run ${args.map(shellQuote).join(' ')}; printf '\\nBRRC %s\\n' "$?" >&2; } | head -c ${maxBytes}; } 2>&1 1>&3 3>&-); } 3>&1`,
      `emit ${name}-stderr "$(printf '%s' "$err" | tail -c ${MAX_STDERR_CHARS})"`,
    ].join('\n');
  return [
    `B=${shellQuote(boundary)}`,
    SHELL_EMIT,
    // `k3s kubectl` is what a k3s node has when no kubectl is on PATH (k3s links one in /usr/local/bin by default).
    'if command -v kubectl >/dev/null 2>&1; then K=kubectl',
    'elif command -v k3s >/dev/null 2>&1; then K="k3s kubectl"',
    'else emit client none; emit end ""; exit 0; fi',
    'emit client "$K"',
    // kubectl itself reads $KUBECONFIG (a list of paths); otherwise the first readable of the usual two.
    'C=',
    'if [ -n "${KUBECONFIG:-}" ]; then C=env; emit kubeconfig "$KUBECONFIG"',
    'elif [ -r "${HOME:-/root}/.kube/config" ]; then C="${HOME:-/root}/.kube/config"; emit kubeconfig "$C"',
    'elif [ -r /etc/rancher/k3s/k3s.yaml ]; then C=/etc/rancher/k3s/k3s.yaml; emit kubeconfig "$C"',
    'else emit kubeconfig none; emit end ""; exit 0; fi',
    'run() { if [ "$C" = env ]; then $K "$@"; else $K --kubeconfig "$C" "$@"; fi; }',
    call('workloads', KUBECTL_GET_WORKLOADS, MAX_WORKLOAD_BYTES),
    call('secrets', KUBECTL_GET_SECRETS, MAX_SECRET_BYTES),
    'emit end ""',
    '',
  ].join('\n');
}

/** One call's stderr (without the status line) and exit status. */
function callResult(stderrRecord: string | undefined): { stderr: string; exitCode: number | null } {
  const text = stderrRecord ?? '';
  const status = /\nBRRC (\d+)\n?$/.exec(text) ?? /^BRRC (\d+)\n?$/.exec(text.trimStart());
  return {
    stderr: status ? text.slice(0, status.index) : text,
    exitCode: status ? Number.parseInt(status[1]!, 10) : null,
  };
}

/** Reads the host's cluster; never throws for what the cluster answers (only when the script cannot run). */
export async function collectKubernetes(runner: CommandRunner, rules: readonly IocRule[], signal: AbortSignal): Promise<KubernetesCollection> {
  const boundary = newBoundary();
  const result = await runner.runScript(kubernetesScript(boundary), { ...RUN_LIMITS, signal, phase: 'containers' });
  const records = new Map(splitRecords(decodeOutput(result.stdout), boundary).map((record) => [record.tag, record.body]));
  return readKubernetesOutput(records, rules, result.truncated);
}

/** Interprets the script's records (exported for tests). */
export function readKubernetesOutput(records: ReadonlyMap<string, string>, rules: readonly IocRule[], truncated = false): KubernetesCollection {
  const issues: CollectorIssue[] = [];
  const client = records.get('client')?.trim() ?? 'none';
  if (client === 'none' || client === '') return { reading: null, issues };
  const kubectl = client === 'k3s kubectl' ? 'k3s kubectl' : 'kubectl';
  const kubeconfig = records.get('kubeconfig')?.trim() ?? 'none';
  if (kubeconfig === 'none') {
    issues.push(remark(COLLECTOR, `${kubectl} is installed but no kubeconfig is readable ($KUBECONFIG, ~/.kube/config, /etc/rancher/k3s/k3s.yaml): the cluster was not read`));
    return { reading: null, issues };
  }
  if (!records.has('end')) issues.push(blindSpot(COLLECTOR, `the cluster read ended early${truncated ? ' (output cut)' : ''}`));

  const workloads = callResult(records.get('workloads-stderr'));
  const workloadText = records.get('workloads') ?? '';
  let objects;
  try {
    objects = parseKubernetesObjects(workloadText);
  } catch {
    issues.push(blindSpot(COLLECTOR, describeFailure(`${kubectl} get ${KUBERNETES_WORKLOAD_RESOURCES}`, workloads, workloadText.length >= MAX_WORKLOAD_BYTES)));
    return { reading: null, issues };
  }
  if (workloads.exitCode !== 0) issues.push(remark(COLLECTOR, describeFailure(`${kubectl} get ${KUBERNETES_WORKLOAD_RESOURCES}`, workloads, false)));
  if (objects.skipped > 0) issues.push(remark(COLLECTOR, `${objects.skipped} objects of the cluster were not read (another kind, or malformed)`));

  const secretCall = callResult(records.get('secrets-stderr'));
  const secretText = records.get('secrets') ?? '';
  let secrets: SecretView[] | null = null;
  try {
    secrets = parseSecretList(secretText);
  } catch {
    // RBAC may let the login list workloads and not Secrets: the keys the pods hold are then unknown.
    issues.push(blindSpot(COLLECTOR, `${describeFailure(`${kubectl} get secrets`, secretCall, secretText.length >= MAX_SECRET_BYTES)}; the Secrets' keys (and env values taken from them) are not listed`));
  }
  const configured = kubeconfig.length > 300 ? `${kubeconfig.slice(0, 300)}…` : kubeconfig;
  return { reading: kubernetesReading(objects, secrets, rules, { kubectl, kubeconfig: configured }), issues };
}

function describeFailure(command: string, call: { stderr: string; exitCode: number | null }, cut: boolean): string {
  if (cut) return `${command}: the output was longer than the bound and was cut`;
  const line = firstLine(call.stderr);
  return `${command} failed (exit ${call.exitCode ?? 'unknown'})${line ? `: ${line}` : ''}`;
}
