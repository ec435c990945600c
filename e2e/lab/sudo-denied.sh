#!/bin/sh
# Blast Radius lab: sudo for a user who needs a password (installed on the nodocker host as
# /usr/bin/sudo). With -n (non-interactive) sudo 1.9 prints one line; without a terminal it
# cannot prompt either. Never runs the command.
for arg in "$@"; do
  case $arg in
    -n | --non-interactive) printf 'sudo: a password is required\n' >&2; exit 1 ;;
    -*) ;;
    *) break ;;
  esac
done
printf 'sudo: a terminal is required to read the password; either use the -S option to read from standard input or configure an askpass helper\nsudo: a password is required\n' >&2
exit 1
