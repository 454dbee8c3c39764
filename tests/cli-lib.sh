# Shared helpers of the shell tests (sourced; POSIX sh).  The test
# environment (AM_TESTS_ENVIRONMENT) sets GRADCHAIN (the built program),
# srcdir (the absolute source directory) and builddir (the absolute build
# directory).
#
# Every script counts its checks the same way: a helper below counts one
# check each, and an ad-hoc check is written
#     checks=$((checks + 1))
#     CONDITION || fail "WHAT"
# Every script ends with 'finish' (or 'skip'), which prints the plain line
# "N passed, N failed" that CI totals, and exits 0 (pass), 1 (fail) or
# 77 (skip, with the reason on the line before).

: "${GRADCHAIN:?GRADCHAIN is not set}"
: "${srcdir:?srcdir is not set}"
REF="$srcdir/tests/data/ref"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/gctest.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
checks=0
failures=0

fail() {
    echo "FAIL: $*" >&2
    failures=$((failures + 1))
}

# run EXPECTED_STATUS ARGS...: runs gradchain with ARGS, stdout to
# $tmp/out, stderr to $tmp/err, and checks the exit status.
# (POSIX sh has no 'local': helpers' own variables start with '_'.)
run() {
    _want=$1
    shift
    checks=$((checks + 1))
    set +e
    "$GRADCHAIN" "$@" >"$tmp/out" 2>"$tmp/err"
    _got=$?
    set -e
    if [ "$_got" != "$_want" ]; then
        fail "gradchain $* exited $_got, expected $_want; stderr:"
        sed 's/^/  | /' "$tmp/err" >&2
    fi
}

# same FILE_A FILE_B WHAT: byte-for-byte comparison.  With
# GRADCHAIN_UPDATE_GOLDEN set (as for check_latex), a FILE_B of the source
# tree (a golden file or a shipped example) that differs is rewritten
# instead, and the rewrite is reported: read the diff before committing.
same() {
    checks=$((checks + 1))
    if [ -n "${GRADCHAIN_UPDATE_GOLDEN-}" ] && ! cmp -s "$1" "$2"; then
        case $2 in
            "$srcdir"/tests/data/golden/*|"$srcdir"/examples/*)
                cp "$1" "$2"
                echo "updated $2 ($3)" >&2
                return ;;
        esac
    fi
    if ! cmp -s "$1" "$2"; then
        fail "$3 differs:"
        diff "$2" "$1" | head -20 | sed 's/^/  | /' >&2
    fi
}

# has FILE PATTERN WHAT: FILE contains the fixed string PATTERN.
has() {
    checks=$((checks + 1))
    grep -qF -- "$2" "$1" || { fail "$3: no '$2' in:"; head -20 "$1" | sed 's/^/  | /' >&2; }
}

# matches FILE REGEX WHAT: some line of FILE matches the basic regular
# expression REGEX (for anchors; 'has' is for plain text).
matches() {
    checks=$((checks + 1))
    grep -q -- "$2" "$1" || { fail "$3: no line matching '$2' in:"; head -20 "$1" | sed 's/^/  | /' >&2; }
}

# usage_error WHAT PATTERN ARGS...: gradchain ARGS is a usage error: exit
# 2, nothing on stdout, PATTERN and the --help hint on stderr (4 checks):
# the command's own help when ARGS start with a command.
usage_error() {
    _what=$1 _pat=$2
    shift 2
    case ${1-} in
        eval|compare|derive|derivation|sweep|plot) _help="gradchain $1 --help" ;;
        *) _help="gradchain --help" ;;
    esac
    run 2 "$@"
    empty "$tmp/out" "$_what: stdout"
    has "$tmp/err" "$_pat" "$_what"
    has "$tmp/err" "Try '$_help' for more information." "$_what: hint"
}

# empty FILE WHAT
empty() {
    checks=$((checks + 1))
    [ ! -s "$1" ] || { fail "$2: not empty:"; head -5 "$1" | sed 's/^/  | /' >&2; }
}

# caught PID [N [TICKS]]: waits (at most 120 s) until process PID, or
# with N > 0 each of N children of PID (mpirun's ranks), is gradchain
# itself with its SIGINT handler installed (bit 2 of SigCgt in
# /proc/P/status; a sweep installs its SIGTERM handler before that one)
# and has used TICKS clock ticks of CPU time (fields 14 and 15 of
# /proc/P/stat; default 0), and sets $caught to those pids.  Before
# that the process is env, then libtool's wrapper script: bash, which
# swallows a SIGINT that comes while it waits for a child of its own
# (its cooperative exit); under load a fixed sleep was not enough.  A
# background job of a script starts with SIGINT ignored (bit 2 of
# SigIgn), which gradchain leaves so: then only its CPU time tells that
# its handlers are set, and TICKS must be large enough (a second).
# Without /proc, a sleep of 2 s and $caught = PID.
caught() {
    _pid=$1 _n=${2-0} _ticks=${3-0}
    caught=$_pid
    if [ ! -r "/proc/$_pid/status" ]; then
        sleep 2
        return
    fi
    _i=0
    while [ "$_i" -lt 1200 ] && kill -0 "$_pid" 2>/dev/null; do
        [ "$_n" -eq 0 ] || caught=$(cat /proc/[0-9]*/stat 2>/dev/null \
                                   | awk -v p="$_pid" '$4 == p { print $1 }')
        _ok=0
        for _p in $caught; do
            _exe=$(readlink "/proc/$_p/exe" 2>/dev/null || :)
            _cgt=$(sed -n 's/^SigCgt:[[:space:]]*//p' "/proc/$_p/status" \
                       2>/dev/null || :)
            grep -q '^SigIgn:.*[2367abefABEF]$' "/proc/$_p/status" \
                2>/dev/null && _cgt=2
            case $_exe in
                */gradchain | */lt-gradchain)
                    case ${_cgt#"${_cgt%?}"} in
                        [2367abefABEF])
                            awk -v t="$_ticks" '{ exit $14 + $15 < t }' \
                                "/proc/$_p/stat" 2>/dev/null \
                                && _ok=$((_ok + 1)) ;;
                    esac ;;
            esac
        done
        [ "$_ok" -eq "$(echo $caught | wc -w)" ] \
            && [ "$_ok" -eq "$(( _n > 0 ? _n : 1 ))" ] && return
        sleep 0.1
        _i=$((_i + 1))
    done
    fail "gradchain did not catch SIGINT within 120 s (or ended)"
}

# finish: the summary line; exit 1 if any check failed.
finish() {
    echo "$((checks - failures)) passed, $failures failed"
    [ "$failures" -eq 0 ] || exit 1
    exit 0
}

# skip WHY: a visible skip (Automake's exit status 77).
# ulimit_v_works KB: true when the program runs under an address-space
# limit of KB kB (ulimit -v in a subshell): false where the shell cannot
# set it, or under AddressSanitizer, which reserves terabytes of shadow
# memory at start-up and cannot run under such a limit.
ulimit_v_works() {
    (ulimit -v "$1" && exec "$GRADCHAIN" --version) >/dev/null 2>&1
}

skip() {
    echo "SKIP: $*"
    echo "$((checks - failures)) passed, $failures failed"
    [ "$failures" -eq 0 ] || exit 1
    exit 77
}
