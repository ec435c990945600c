/**
 * The k3s host's `kubectl` stand-in (kubectl-standin.sh) and what it replays: the cluster's objects
 * as kubectl 1.30 prints them (the collector's own fixture, electron/collectors/fixtures/kubernetes/)
 * and its Secrets with the lab's planted values base64-encoded (fixtures/kubernetes/get-secrets.json,
 * `{{planted-base64:<id>}}` tokens).
 */
import { readFileSync } from 'node:fs';

/** The stand-in script, installed as /usr/local/bin/kubectl (where k3s links its kubectl). */
export const KUBECTL_STANDIN = readFileSync(new URL('./kubectl-standin.sh', import.meta.url), 'utf8');

/** Where the stand-in appends each call (`argv [word]` lines between `call` and `end`), on the host. */
export const KUBECTL_STANDIN_LOG = '/var/log/kubectl-standin.log';

/** The folder it reads its answers from, on the host. */
export const KUBECTL_STANDIN_DATA = '/usr/lib/blast-radius-lab/kubectl';

/** `kubectl get pods,deployments,daemonsets,statefulsets,services,ingresses -A -o json`. */
export const KUBECTL_WORKLOADS_TEXT = readFileSync(new URL('../../electron/collectors/fixtures/kubernetes/get-workloads.json', import.meta.url), 'utf8');

/** `kubectl get secrets -A --field-selector type!=helm.sh/release.v1 -o json`, with tokens. */
export const KUBECTL_SECRETS_TEXT = readFileSync(new URL('./fixtures/kubernetes/get-secrets.json', import.meta.url), 'utf8');

/** The kubeconfig k3s writes for its admin (no credentials here: the stand-in never reads them). */
export const K3S_KUBECONFIG = `apiVersion: v1
clusters:
- cluster:
    server: https://127.0.0.1:6443
  name: default
contexts:
- context:
    cluster: default
    user: default
  name: default
current-context: default
kind: Config
preferences: {}
users:
- name: default
  user: {}
`;

/** The argument lists the stand-in logged, one per call, from its log's text. */
export function kubectlCalls(log: string): string[][] {
  return log
    .split('call\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => [...chunk.matchAll(/^argv \[(.*)\]$/gm)].map((match) => match[1]!));
}
