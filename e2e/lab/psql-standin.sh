#!/bin/sh
# Blast Radius lab: a `psql` stand-in in the LiteLLM database container of the real-engine lab
# (engines.ts; the default lab runs a real PostgreSQL instead: litellm-postgres.ts).
# Appends every call to /var/log/psql-standin.log (argv one word a line in brackets, whether
# PGPASSWORD was set, never its value, then the SQL read on stdin), and answers one thing only:
# psql -X -A -t ... -d litellm with SQL that first makes the session read-only
# (SET default_transaction_read_only = on;), then holds nothing but SET statement_timeout, psql's
# \gset/\if/\else/\endif meta-commands and SELECTs from LiteLLM's tables or information_schema. It prints the rows of
# /usr/lib/blast-radius-lab/psql/verification-token.rows, as `psql -A -t` prints a one-column
# jsonb::text result. Anything else is refused as the server would refuse it, exit 3
# (psql's status for an SQL error under ON_ERROR_STOP).
set -u
LOG=/var/log/psql-standin.log
ROWS=/usr/lib/blast-radius-lab/psql/verification-token.rows

sql=$(cat)
{
  printf 'call\n'
  for word in "$@"; do printf 'argv [%s]\n' "$word"; done
  if [ -n "${PGPASSWORD:-}" ]; then printf 'pgpassword set\n'; else printf 'pgpassword unset\n'; fi
  printf 'stdin\n%s\nend\n' "$sql"
} >> "$LOG"

refuse() {
  printf 'ERROR:  blast-radius lab psql stand-in: %s\n' "$1" >&2
  exit 3
}

database='' quiet=0 unaligned=0 tuples=0 norc=0
while [ $# -gt 0 ]; do
  case $1 in
    -X) norc=1; shift ;;
    -A) unaligned=1; shift ;;
    -t) tuples=1; shift ;;
    -q) quiet=1; shift ;;
    -d) database=${2:-}; shift 2 ;;
    -U | -v | -h | -p) shift 2 ;;
    -c | -f | --command* | --file*) refuse 'only SQL on standard input is modelled' ;;
    *) refuse "option not modelled: $1" ;;
  esac
done
[ "$norc$unaligned$tuples$quiet" = 1111 ] || refuse 'expects -X -A -t -q'
[ "$database" = litellm ] || { printf 'psql: error: connection to server on socket "/var/run/postgresql/.s.PGSQL.5432" failed: FATAL:  database "%s" does not exist\n' "$database" >&2; exit 2; }

# One statement a line, lowercased, blank lines dropped; a \gset ends its statement, other meta-commands are psql's own.
statements=$(printf '%s\n' "$sql" | sed 's/ *\\gset$/;/; /^\\/d' | tr '\n' ' ' | tr ';' '\n' | tr 'A-Z' 'a-z' | sed 's/^ *//; s/ *$//' | grep -v '^$')
first=$(printf '%s\n' "$statements" | head -n 1)
[ "$first" = 'set default_transaction_read_only = on' ] || refuse 'the session must be made read-only first'
selects=0
while IFS= read -r statement; do
  case $statement in
    'set default_transaction_read_only = on') ;;
    "set statement_timeout = '"*"'") ;;
    select\ *)
      selects=$((selects + 1))
      case $statement in *'from "litellm_'* | *'to_regclass('* | *"'kind', 'tables'"*) ;; *) refuse "only LiteLLM's tables are modelled" ;; esac ;;
    *) refuse 'cannot execute anything but SET and SELECT in a read-only transaction' ;;
  esac
  if printf '%s\n' "$statement" | grep -Eq '(^|[^a-z_])(insert|update|delete|drop|alter|create|truncate|grant|revoke|copy|call|do|merge|lock|vacuum|execute|prepare|reset|discard|into)([^a-z_]|$)'; then
    refuse 'cannot execute a write in a read-only transaction'
  fi
done <<EOF
$statements
EOF
[ "$selects" -ge 1 ] || refuse 'expects a SELECT'
cat "$ROWS"
