#!/bin/sh
# Blast Radius lab: a `docker` whose every answer is scripted (installed as /usr/bin/docker on the
# error-path hosts, lab-hosts.ts LAB_ERROR_HOSTS). For each subcommand the collectors issue it prints
# the host's scripted stdout and stderr and exits with the scripted status: a daemon that fails with
# a credential in its error, or one that answers what no daemon would. Answers are data, never run.
#
#   ps | inspect | container inspect | image inspect | [image] history | exec | [container] logs
#     -> $DATA/<verb>.stdout, $DATA/<verb>.stderr, exit $(cat $DATA/<verb>.rc)
#        (verbs: ps, inspect, image-inspect, history, exec, logs)
#   docker --version                 client version line
# A subcommand with no answer exits 125 naming the stand-in, so a test notices an unmodelled call.
set -u
DATA=${BLAST_RADIUS_LAB_DOCKER_SCRIPT:-/usr/lib/blast-radius-lab/docker-scripted}
verb=''
case ${1:-} in
  --version | -v) printf 'Docker version 28.5.2, build ecc6942\n'; exit 0 ;;
  ps | inspect | history | exec | logs) verb=$1 ;;
  image)
    case ${2:-} in inspect) verb=image-inspect ;; history) verb=history ;; esac ;;
  container)
    case ${2:-} in inspect) verb=inspect ;; logs) verb=logs ;; esac ;;
esac
if [ -z "$verb" ] || [ ! -f "$DATA/$verb.rc" ]; then
  printf 'docker (blast-radius lab scripted stand-in): no answer for docker %s\n' "$*" >&2
  exit 125
fi
[ -f "$DATA/$verb.stdout" ] && cat "$DATA/$verb.stdout"
[ -f "$DATA/$verb.stderr" ] && cat "$DATA/$verb.stderr" >&2
exit "$(cat "$DATA/$verb.rc")"
