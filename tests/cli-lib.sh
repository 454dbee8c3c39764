# Shared helpers of the CLI tests (sourced).  The test environment sets
# GRADCHAIN (the built program) and srcdir (the absolute source directory).
# Each test counts its checks and exits 0 (pass), 1 (fail) or 77 (skip).

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
run() {
    local want=$1 got
    shift
    checks=$((checks + 1))
    set +e
    "$GRADCHAIN" "$@" >"$tmp/out" 2>"$tmp/err"
    got=$?
    set -e
    if [ "$got" != "$want" ]; then
        fail "gradchain $* exited $got, expected $want; stderr:"
        sed 's/^/  | /' "$tmp/err" >&2
    fi
}

# same FILE_A FILE_B WHAT: byte-for-byte comparison.
same() {
    checks=$((checks + 1))
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

# empty FILE WHAT
empty() {
    checks=$((checks + 1))
    [ ! -s "$1" ] || { fail "$2: not empty:"; head -5 "$1" | sed 's/^/  | /' >&2; }
}

finish() {
    echo "$((checks - failures)) passed, $failures failed"
    [ "$failures" -eq 0 ]
}
