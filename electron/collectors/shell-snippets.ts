/**
 * Shell and awk functions more than one collector script defines. Each constant is final script
 * text, ready to splice into a script (no `\${` left to unescape).
 */

/**
 * `escapes PATH` (POSIX sh): true when, reading a container's files from the host under $ROOT, a
 * component of PATH is an absolute symlink, which would resolve on the host rather than in the
 * container. Uses the variable `esc_p` (POSIX sh has no `local`).
 */
export const ESCAPES_FUNCTION = String.raw`escapes() {
  [ -n "$ROOT" ] || return 1
  esc_p=$1
  while [ "${'$'}{#esc_p}" -gt "${'$'}{#ROOT}" ]; do
    if [ -L "$esc_p" ]; then
      case $(readlink "$esc_p" 2>/dev/null) in /*) return 0 ;; esac
    fi
    esc_p=${'$'}{esc_p%/*}
  done
  return 1
}`;

/** awk `first(line)`: the first field of a RECORD row, unquoting it as Python's csv module writes it. */
export const RECORD_FIRST_FIELD_AWK = String.raw`function first(line,   rest, out, i) {
  if (substr(line, 1, 1) != "\"") { i = index(line, ","); return i ? substr(line, 1, i - 1) : line }
  rest = substr(line, 2); out = ""
  while ((i = index(rest, "\"")) > 0) {
    out = out substr(rest, 1, i - 1); rest = substr(rest, i + 1)
    if (substr(rest, 1, 1) != "\"") return out
    out = out "\""; rest = substr(rest, 2)
  }
  return ""
}`;

/**
 * `enc VALUE` sets `e` to VALUE on one line (`\` as `\\`, tab as `\t`, newline as `\n`), so any
 * file name travels as one tab-separated field of one line; `dec` (printf %b) undoes it. Only odd
 * names cost a process: the rest are copied as they are. Also sets NL, TAB and OIFS.
 */
export const LINE_CODEC = String.raw`NL='
'
TAB=$(printf '\t')
OIFS=$IFS
enc() {
  case $1 in
    *\\*|*"$TAB"*|*"$NL"*) e=$(printf '%s\n' "$1" | sed -e 's/\\/\\\\/g' -e "s/$TAB/\\\\t/g" -e ':a' -e '$!N' -e 's/\n/\\n/' -e 'ta') ;;
    *) e=$1 ;;
  esac
}
dec() {
  case $1 in
    *\\*) d=$(printf '%bx' "$1"); d=\${d%x} ;;
    *) d=$1 ;;
  esac
}`.replaceAll('\\$', '$');
