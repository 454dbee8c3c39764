#!/bin/sh
# CLI tests of the output files (-o, --save-network): two outputs that are
# one file, write errors with their reason, what open() would refuse
# (read-only files, dangling links), no temporary file left by a signal,
# and out of memory reported on stderr.  What the environment cannot
# arrange (an unprivileged user, signals to a background job, ulimit) is
# skipped visibly: exit 77 after every other check has run.
set -e
. "$srcdir/tests/cli-lib.sh"

NET="$REF/n4_s0.net"
skipped=

# skipped WHY: a sub-test that cannot run here (reported by 'skip' at the
# end).
skipped() {
    echo "SKIP (sub-test): $*"
    skipped="$skipped${skipped:+; }$*"
}

# no_temps DIR WHAT: no temporary file (NAME.tmpXXXXXX) is left in DIR.
no_temps() {
    checks=$((checks + 1))
    for _f in "$1"/*.tmp*; do
        [ ! -e "$_f" ] || { fail "$2: $_f left behind"; return; }
    done
}

mkdir "$tmp/w"
cd "$tmp/w"
run 0 eval "$NET"
cp "$tmp/out" "$tmp/report"

# ---- two outputs that are the same file are refused (F7) -------------------
# also when neither exists yet, and through a linked directory
mkdir d
ln -s d l
for pair in "same.txt ./same.txt" "d/x.txt l/x.txt" "d/../y.txt y.txt"; do
    set -- $pair
    usage_error "-o $1 --save-network $2" \
        "--save-network and the output are the same file" \
        eval "$NET" -o "$1" --save-network "$2"
    checks=$((checks + 1))
    [ ! -e "$1" ] || fail "-o $1 --save-network $2 wrote a file"
done
# a dangling link to the other output, a hard link
ln -s z.txt dang
usage_error "-o dang --save-network z.txt" "are the same file" \
    eval "$NET" -o dang --save-network z.txt
echo old > h1.txt
ln h1.txt h2.txt
usage_error "-o h1.txt --save-network h2.txt" "are the same file" \
    eval "$NET" -o h1.txt --save-network h2.txt
echo old > want
same h1.txt want "a refused output file is untouched"
# two files, and the saved network gives the same report
run 0 eval "$NET" -o r.txt --save-network d/n.net
same r.txt "$tmp/report" "-o with --save-network: the report"
run 0 eval d/n.net
same "$tmp/out" "$tmp/report" "--save-network: the network reloads"
no_temps . "-o with --save-network"
no_temps d "-o with --save-network"

# ---- write errors say why (F9) ---------------------------------------------
if [ -w /dev/full ]; then
    run 2 eval "$NET" -o /dev/full
    echo "gradchain: /dev/full: write error: No space left on device" > want
    same "$tmp/err" want "-o /dev/full diagnostic"
    empty "$tmp/out" "-o /dev/full: stdout"
    run 2 eval "$NET" -o ok.txt --save-network /dev/full
    has "$tmp/err" "gradchain: /dev/full: write error: No space left on device" \
        "--save-network /dev/full diagnostic"
    checks=$((checks + 1))
    [ ! -e ok.txt ] || fail "-o written when --save-network failed"
    no_temps . "--save-network /dev/full"
else
    skipped "no writable /dev/full"
fi

# ---- refuse what open() would refuse (F10) ---------------------------------
# a dangling link is followed: the file is created where it points, and the
# link stays a link
mkdir t
ln -s t/x.txt dl
ln -s ../t/y.txt d/rel
run 0 eval "$NET" -o dl
same t/x.txt "$tmp/report" "-o through a dangling link"
run 0 eval "$NET" -o d/rel
same t/y.txt "$tmp/report" "-o through a dangling relative link"
checks=$((checks + 1))
[ -L dl ] && [ -L d/rel ] || fail "-o replaced a dangling link by a file"
# ... unless its directory does not exist, as open() fails
ln -s nowhere/x.txt dn
run 2 eval "$NET" -o dn
echo "gradchain: dn: No such file or directory" > want
same "$tmp/err" want "-o through a link into a missing directory"
checks=$((checks + 1))
[ -L dn ] && [ ! -e nowhere ] || fail "-o dn replaced the link or made its directory"
ln -s loop2 loop1
ln -s loop1 loop2
run 2 eval "$NET" -o loop1
has "$tmp/err" "gradchain: loop1: Too many levels of symbolic links" "-o into a link loop"
no_temps . "refused outputs"

# a read-only file is not replaced: as an unprivileged user (root may
# write anything), in a directory where that user may create files
if [ "$(id -u)" != 0 ]; then
    as_user=
elif command -v setpriv >/dev/null 2>&1; then
    as_user="setpriv --reuid=nobody --regid=$(id -g nobody) --clear-groups"
elif command -v runuser >/dev/null 2>&1; then
    as_user="runuser -u nobody --"
else
    as_user=none
fi
chmod 711 "$tmp"
mkdir ro
chmod 777 ro
cp "$NET" ro/n.net
echo old > ro/ro.txt
chmod 444 ro/ro.txt
if [ "$as_user" != none ] \
    && (cd ro && $as_user "$GRADCHAIN" eval n.net >/dev/null 2>&1); then
    checks=$((checks + 1))
    set +e
    (cd ro && $as_user "$GRADCHAIN" eval n.net -o ro.txt) \
        >"$tmp/out" 2>"$tmp/err"
    rc=$?
    set -e
    [ "$rc" = 2 ] || fail "-o onto a read-only file exited $rc, expected 2"
    echo "gradchain: ro.txt: Permission denied" > want
    same "$tmp/err" want "-o onto a read-only file: diagnostic"
    echo old > want
    same ro/ro.txt want "-o onto a read-only file: the file"
    no_temps ro "-o onto a read-only file"
else
    skipped "cannot run gradchain as an unprivileged user"
fi

# ---- out of memory: stderr, exit 2, no core dump (F5) ----------------------
# (the layers may also be refused up front; either way nothing on stdout)
checks=$((checks + 1))
set +e
(ulimit_v_works 1000000 && ulimit -v 1000000 || exit 99
 exec "$GRADCHAIN" eval --random normal:0,1 --layers 100000000 -o oom.txt) \
    >"$tmp/out" 2>"$tmp/err"
rc=$?
set -e
if [ "$rc" = 99 ]; then
    skipped "ulimit -v is not available (or this is a sanitizer build)"
else
    [ "$rc" = 2 ] || fail "out of memory exited $rc, expected 2"
    empty "$tmp/out" "out of memory: stdout"
    matches "$tmp/err" "^gradchain: " "out of memory: stderr"
    checks=$((checks + 1))
    [ ! -e oom.txt ] || fail "out of memory: -o file written"
    no_temps . "out of memory"
fi

# ---- a signal leaves no temporary file (F8) --------------------------------
# A background job of a non-interactive shell ignores SIGINT: 'env
# --default-signal' restores it.  The signal is sent once the temporary file
# exists (the output is written for about a second); the program dies of
# the signal, status 128 + N, and an old file is kept.
if env --default-signal=INT true 2>/dev/null; then
    mkdir sig
    echo old > sig/old.txt
    for case in "INT 130 big.txt" "TERM 143 old.txt" "HUP 129 big.txt"; do
        set -- $case
        env --default-signal="$1" "$GRADCHAIN" compare --random normal:0,1 \
            --layers 200000 --formats binary16,e4m3,bfloat16 -o "sig/$3" \
            >/dev/null 2>"$tmp/err" &
        pid=$!
        i=0
        while [ $i -lt 400 ] && ! ls sig/"$3".tmp* >/dev/null 2>&1; do
            sleep 0.05 2>/dev/null || sleep 1
            i=$((i + 1))
        done
        kill -s "$1" $pid 2>/dev/null || true
        set +e
        wait $pid 2>/dev/null
        rc=$?
        set -e
        if [ $i -ge 400 ] || [ "$rc" = 0 ]; then
            skipped "SIG$1 did not arrive while the output was written"
            continue
        fi
        checks=$((checks + 1))
        [ "$rc" = "$2" ] || fail "SIG$1 while writing: exit $rc, expected $2"
        empty "$tmp/err" "SIG$1 while writing: stderr"
        no_temps sig "SIG$1 while writing"
    done
    checks=$((checks + 1))
    [ ! -e sig/big.txt ] || fail "a signal left a partial output"
    echo old > want
    same sig/old.txt want "a signal kept the old output"
else
    skipped "env --default-signal is not available"
fi

# ---- an empty output name, a directory as the network: what and why --------
run 2 eval -o '' "$NET"
has "$tmp/err" "gradchain: an output file name is empty" "-o ''"
run 2 eval "$tmp"
has "$tmp/err" "read error: Is a directory" "a directory as the network"

# the text table's value columns are as wide as the digits ask: at 30
# digits dC/dw_j starts at the same place on every line
run 0 eval --random normal:0,1 --layers 3 --digits 30
awk '!/^#/ { match($0, /^ *[^ ]+ +[^ ]+ +/); print RLENGTH }' "$tmp/out" \
    | sort -u >"$tmp/starts"
checks=$((checks + 1))
[ "$(wc -l <"$tmp/starts")" -eq 1 ] || fail "eval --digits 30: columns out of line"

[ -z "$skipped" ] || skip "$skipped"
finish
