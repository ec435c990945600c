#!/bin/sh
# Blast Radius lab: the docker client of a user outside the `docker` group (installed on the
# nodocker host as /usr/bin/docker). Prints what Docker 28.5's CLI prints when connecting to
# /var/run/docker.sock fails with EACCES (docker/cli v28.5.2, client/request.go), then exits 1.
set -u
api='http://%2Fvar%2Frun%2Fdocker.sock/v1.51'
case ${1:-} in
  --version | -v) printf 'Docker version 28.5.2, build ecc6942\n'; exit 0 ;;
esac
# The URL names the first API call the command makes.
url="$api/_ping"
case ${1:-} in
  ps)
    url="$api/containers/json"
    for arg in "$@"; do
      case $arg in
        --all) url="$api/containers/json?all=1" ;;
        --*) ;;
        -*a*) url="$api/containers/json?all=1" ;;
      esac
    done ;;
  inspect | exec)
    ref=''
    for arg in "$@"; do case $arg in inspect | exec | -*) ;; *) ref=$arg; break ;; esac; done
    url="$api/containers/$ref/json" ;;
  image) url="$api/images/${3:-}/json" ;;
  container) url="$api/containers/${3:-}/json" ;;
esac
printf 'permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock: Get "%s": dial unix /var/run/docker.sock: connect: permission denied\n' "$url" >&2
exit 1
