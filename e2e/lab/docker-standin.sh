#!/bin/sh
# Blast Radius lab: a `docker` stand-in for the gw host (installed there as /usr/bin/docker).
# Replays fixture files written to the letter of Docker 28.5 (docker/cli v28.5.2) for the commands
# the collectors issue; `docker exec` runs the command chrooted into the container's root folder.
# Everything read from the data folder is data: names are printed, never evaluated.
#
#   docker ps -aq --no-trunc            full ids, newest first (without -a: running only)
#   docker inspect [--type T] REF...    one JSON array, 4-space indent; unknown REF: "[]"/partial
#                                       array, "Error: No such object: REF" on stderr, exit 1
#   docker container inspect REF...     the same for containers only
#   docker image inspect REF...         images; unknown: "Error response from daemon: No such image: REF"
#   docker exec [-i] [-t] ID CMD...     chroot MergedDir CMD; stopped: Docker's "is not running" error
#   docker [image] history --no-trunc --format '{{json .}}'|json IMAGE
#                                       history/<image hex>.jsonl: one JSON object a line, newest first;
#                                       unknown: "Error response from daemon: No such image: REF", exit 1
#   docker [container] logs [-t|--timestamps] [--since T] [--until T] REF
#                                       logs/<id>.log: one "<RFC3339Nano UTC> <line>" a line (what
#                                       --timestamps prints); since/until inclusive, as the daemon
#                                       filters; without -t the stamp is cut. T must be an RFC 3339
#                                       UTC time (...Z); other forms are not modelled. No log file:
#                                       the container logged nothing. Everything goes to stdout.
#   docker --version | version          client version line
# Anything else exits 125 with a message naming the stand-in, so a test notices an unmodelled call.
set -u
DATA=${BLAST_RADIUS_LAB_DOCKER_DATA:-/usr/lib/blast-radius-lab/docker}
TAB=$(printf '\t')
VERSION='Docker version 28.5.2, build ecc6942'

unsupported() {
  printf 'docker (blast-radius lab stand-in): not modelled: docker %s\n' "$*" >&2
  exit 125
}

# resolve_container REF -> prints "id<TAB>status<TAB>mergeddir" for an id, unique id prefix or name.
resolve_container() {
  ref=$1
  case $ref in /*) ref=${ref#/} ;; esac
  found='' count=0
  while IFS=$TAB read -r id status merged name; do
    case $id in '' | '#'*) continue ;; esac
    if [ "$ref" = "$id" ] || [ "$ref" = "$name" ]; then
      printf '%s\t%s\t%s\n' "$id" "$status" "$merged"
      return 0
    fi
    case $id in "$ref"*)
      found=$(printf '%s\t%s\t%s' "$id" "$status" "$merged")
      count=$((count + 1)) ;;
    esac
  done < "$DATA/containers.tsv"
  if [ "$count" -eq 1 ] && [ ${#ref} -ge 1 ]; then
    printf '%s\n' "$found"
    return 0
  fi
  return 1
}

# resolve_image REF -> prints the image id hex for sha256:HEX, HEX, a unique prefix or a repo:tag.
resolve_image() {
  ref=${1#sha256:}
  found='' count=0
  while IFS=$TAB read -r hex tag; do
    case $hex in '' | '#'*) continue ;; esac
    if [ "$ref" = "$hex" ] || [ "$1" = "$tag" ]; then
      printf '%s\n' "$hex"
      return 0
    fi
    case $hex in "$ref"*)
      found=$hex
      count=$((count + 1)) ;;
    esac
  done < "$DATA/images.tsv"
  if [ "$count" -eq 1 ]; then
    printf '%s\n' "$found"
    return 0
  fi
  return 1
}

# emit_array FILE... : what docker/cli's json.Indent of "[raw1,raw2]" prints; "[]" when no files.
emit_array() {
  if [ $# -eq 0 ]; then
    printf '[]\n'
    return
  fi
  printf '['
  sep='\n'
  for file in "$@"; do
    printf "$sep"
    body=$(sed '1d;$d' "$file")
    printf '%s' "$body"
    sep=',\n'
  done
  printf '\n]\n'
}

# inspect KIND STYLE REF... : KIND any|container|image picks what REF may name; STYLE system|container|image
# picks the error text (the system `docker inspect` says "No such object" whatever --type says).
inspect() {
  kind=$1 style=$2
  shift 2
  files='' errors='' status=0
  for ref in "$@"; do
    file=''
    if [ "$kind" != image ] && line=$(resolve_container "$ref"); then
      file="$DATA/containers/${line%%$TAB*}.json"
    elif [ "$kind" != container ] && hex=$(resolve_image "$ref"); then
      file="$DATA/images/$hex.json"
    fi
    if [ -n "$file" ]; then
      files="$files$file$TAB"
    else
      status=1
      case $style in
        image) errors="${errors}Error response from daemon: No such image: $ref
" ;;
        container) errors="${errors}Error response from daemon: No such container: $ref
" ;;
        *) errors="${errors}Error: No such object: $ref
" ;;
      esac
    fi
  done
  old_ifs=$IFS
  IFS=$TAB
  # shellcheck disable=SC2086 # split on tabs only: fixture paths hold no tabs
  set -- $files
  IFS=$old_ifs
  emit_array "$@"
  [ -n "$errors" ] && printf '%s' "$errors" >&2
  exit "$status"
}

cmd_ps() {
  all=0 quiet=0 notrunc=0
  for arg in "$@"; do
    case $arg in
      --all) all=1 ;;
      --quiet) quiet=1 ;;
      --no-trunc) notrunc=1 ;;
      --*) unsupported ps "$@" ;;
      -*)
        flags=${arg#-}
        while [ -n "$flags" ]; do
          rest=${flags#?}
          case ${flags%"$rest"} in
            a) all=1 ;;
            q) quiet=1 ;;
            *) unsupported ps "$@" ;;
          esac
          flags=$rest
        done ;;
      *) unsupported ps "$@" ;;
    esac
  done
  [ "$quiet" -eq 1 ] || unsupported ps "$@"
  while IFS=$TAB read -r id status merged name; do
    case $id in '' | '#'*) continue ;; esac
    [ "$all" -eq 1 ] || [ "$status" = running ] || continue
    if [ "$notrunc" -eq 1 ]; then printf '%s\n' "$id"; else printf '%.12s\n' "$id"; fi
  done < "$DATA/containers.tsv"
  exit 0
}

cmd_exec() {
  while [ $# -gt 0 ]; do
    case $1 in
      -i | -t | -it | -ti | --interactive | --tty | --privileged | -d | --detach) shift ;;
      -e | -u | -w | --env | --user | --workdir) shift 2 ;;
      --*=*) shift ;;
      --) shift; break ;;
      -*) unsupported exec "$@" ;;
      *) break ;;
    esac
  done
  if [ $# -lt 2 ]; then
    printf 'docker: '"'"'docker exec'"'"' requires at least 2 arguments\n\nUsage:  docker exec [OPTIONS] CONTAINER COMMAND [ARG...]\n\nSee '"'"'docker exec --help'"'"' for more information\n' >&2
    exit 1
  fi
  if ! line=$(resolve_container "$1"); then
    printf 'Error response from daemon: No such container: %s\n' "$1" >&2
    exit 1
  fi
  id=${line%%$TAB*}
  rest=${line#*$TAB}
  status=${rest%%$TAB*}
  merged=${rest#*$TAB}
  if [ "$status" != running ]; then
    printf 'Error response from daemon: container %s is not running\n' "$id" >&2
    exit 1
  fi
  shift
  hostname=$(printf '%.12s' "$id")
  exec env -i PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin HOSTNAME="$hostname" HOME=/root \
    chroot "$merged" "$@"
}

# cmd_history ARGS... : only the JSON form with --no-trunc is modelled (the table form and truncation are not).
cmd_history() {
  notrunc=0 format='' ref=''
  while [ $# -gt 0 ]; do
    case $1 in
      --no-trunc) notrunc=1; shift ;;
      --format) format=${2:-}; shift 2 ;;
      --format=*) format=${1#--format=}; shift ;;
      -*) unsupported history "$@" ;;
      *) [ -z "$ref" ] || unsupported history "$@"; ref=$1; shift ;;
    esac
  done
  [ -n "$ref" ] || unsupported history
  case $format in '{{json .}}' | json) ;; *) unsupported history --format "$format" ;; esac
  [ "$notrunc" -eq 1 ] || unsupported history without --no-trunc
  if ! hex=$(resolve_image "$ref"); then
    printf 'Error response from daemon: No such image: %s\n' "$ref" >&2
    exit 1
  fi
  [ -f "$DATA/history/$hex.jsonl" ] || unsupported history "$ref" '(no fixture)'
  cat "$DATA/history/$hex.jsonl"
  exit 0
}

# normalise_time T : RFC 3339 UTC with the fraction padded to 9 digits, so times compare as strings.
normalise_time() {
  case $1 in
    [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9]Z) printf '%s.000000000Z\n' "${1%Z}" ;;
    [0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]T[0-9][0-9]:[0-9][0-9]:[0-9][0-9].*Z)
      whole=${1%%.*} frac=${1#*.}
      frac=${frac%Z}
      case $frac in '' | *[!0-9]*) return 1 ;; esac
      printf '%s.%s\n' "$whole" "$(printf '%s000000000' "$frac" | cut -c1-9)Z" ;;
    *) return 1 ;;
  esac
}

cmd_logs() {
  stamps=0 since='' until='' ref=''
  while [ $# -gt 0 ]; do
    case $1 in
      -t | --timestamps) stamps=1; shift ;;
      --since) since=${2:-}; shift 2 ;;
      --since=*) since=${1#--since=}; shift ;;
      --until) until=${2:-}; shift 2 ;;
      --until=*) until=${1#--until=}; shift ;;
      -*) unsupported logs "$@" ;;
      *) [ -z "$ref" ] || unsupported logs "$@"; ref=$1; shift ;;
    esac
  done
  [ -n "$ref" ] || unsupported logs
  if [ -n "$since" ]; then since=$(normalise_time "$since") || unsupported logs --since "$since"; fi
  if [ -n "$until" ]; then until=$(normalise_time "$until") || unsupported logs --until "$until"; fi
  if ! line=$(resolve_container "$ref"); then
    printf 'Error response from daemon: No such container: %s\n' "$ref" >&2
    exit 1
  fi
  file="$DATA/logs/${line%%$TAB*}.log"
  [ -f "$file" ] || exit 0
  awk -v since="$since" -v until="$until" -v stamps="$stamps" '
    {
      stamp = $1
      if (since != "" && stamp < since) next
      if (until != "" && stamp > until) exit
      if (stamps == 1) print; else print substr($0, length(stamp) + 2)
    }' "$file"
  exit 0
}

[ $# -ge 1 ] || unsupported ''
case $1 in
  --version | -v) printf '%s\n' "$VERSION"; exit 0 ;;
  version) printf 'Client: Docker Engine - Community\n Version:           28.5.2\n API version:       1.51\n'; exit 0 ;;
  ps) shift; cmd_ps "$@" ;;
  history) shift; cmd_history "$@" ;;
  exec) shift; cmd_exec "$@" ;;
  logs) shift; cmd_logs "$@" ;;
  inspect)
    shift
    kind=any
    while [ $# -gt 0 ]; do
      case $1 in
        --type) kind=$2; shift 2 ;;
        --type=*) kind=${1#--type=}; shift ;;
        -f | --format | --format=* | -s | --size) unsupported inspect "$@" ;;
        *) break ;;
      esac
    done
    case $kind in any | container | image) ;; *) unsupported inspect --type "$kind" ;; esac
    [ $# -ge 1 ] || unsupported inspect
    inspect "$kind" system "$@" ;;
  container | image)
    object=$1
    shift
    if [ "$object" = image ] && [ "${1:-}" = history ]; then shift; cmd_history "$@"; fi
    if [ "$object" = container ] && [ "${1:-}" = logs ]; then shift; cmd_logs "$@"; fi
    [ "${1:-}" = inspect ] || unsupported "$object" "$@"
    shift
    case ${1:-} in -*) unsupported "$object" inspect "$@" ;; esac
    [ $# -ge 1 ] || unsupported "$object" inspect
    inspect "$object" "$object" "$@" ;;
  *)
    printf "docker: '%s' is not a docker command.\nSee 'docker --help'\n" "$1" >&2
    exit 1 ;;
esac
