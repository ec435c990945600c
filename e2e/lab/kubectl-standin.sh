#!/bin/sh
# Blast Radius lab: a `kubectl` stand-in (installed as /usr/local/bin/kubectl on the k3s host).
# Appends every call to its log (one `argv [word]` line per argument, then `end`), and answers
# two read-only calls only, with the fixtures kubectl 1.30 would print:
#   [--kubeconfig PATH] get pods,deployments,daemonsets,statefulsets,services,ingresses --all-namespaces --output=json --request-timeout=30s
#   [--kubeconfig PATH] get secrets --all-namespaces --field-selector=type!=helm.sh/release.v1 --output=json --request-timeout=30s
# Anything else (exec, apply, port-forward, another get) is refused with exit 1, as a test failure
# to look at: the product may only ever run these two.
set -u
DATA=${KUBECTL_STANDIN_DATA:-/usr/lib/blast-radius-lab/kubectl}
LOG=${KUBECTL_STANDIN_LOG:-/var/log/kubectl-standin.log}

{
  printf 'call\n'
  for word in "$@"; do printf 'argv [%s]\n' "$word"; done
  printf 'end\n'
} >> "$LOG"

refuse() {
  printf 'error: blast-radius lab kubectl stand-in: %s\n' "$1" >&2
  exit 1
}

if [ "${1:-}" = --kubeconfig ]; then
  [ -r "${2:-}" ] || refuse "cannot read kubeconfig ${2:-}"
  shift 2
fi
[ $# -gt 0 ] || refuse 'no command'
case $1 in
  get) ;;
  *) refuse "only get is modelled, not $1" ;;
esac
request="$*"
case $request in
  'get pods,deployments,daemonsets,statefulsets,services,ingresses --all-namespaces --output=json --request-timeout=30s')
    exec cat "$DATA/get-workloads.json" ;;
  'get secrets --all-namespaces --field-selector=type!=helm.sh/release.v1 --output=json --request-timeout=30s')
    exec cat "$DATA/get-secrets.json" ;;
  *) refuse "not modelled: kubectl $request" ;;
esac
