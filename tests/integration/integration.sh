#!/bin/sh
# integration.sh - integration tests of ffm-sim (issue 5 item 8). For each case directory here it
# generates the headers with ffm-manifest, builds the partition images and the NS application
# as shared objects (cc -shared -fPIC, against include/psa and the generated headers only), runs
# them under $BUILD/ffm-sim and checks the exit status and the output. Every run is bounded.
# Prints CMocka-style lines for scripts/run-tests.sh.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
SIM=$BUILD/ffm-sim
MF=$BUILD/ffm-manifest
TRACE_CHECK=$BUILD/tests/trace_check
OUT=$BUILD/tests/integration
T=tests/integration
case $(uname -s) in
    Darwin) SOFLAGS="-shared -fPIC -undefined dynamic_lookup" ;;
    *) SOFLAGS="-shared -fPIC" ;;
esac
# IMG_EXTRA_CFLAGS: the sanitizer flags of a SAN= build (san.mk), so images are checked too.
IMG_CFLAGS="-std=c11 -Wall -Wextra -Werror -pedantic -Werror=implicit-function-declaration -Iinclude ${IMG_EXTRA_CFLAGS:-}"
pass=0
fail=0

ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
ko() {
    echo "[  FAILED  ] $1"
    shift
    echo "    $*"
    fail=$((fail + 1))
}

# gen CASE: the case's headers from its manifest list.
gen() {
    mkdir -p "$OUT/$1/gen"
    if ! "$MF" -m "$T/$1/list.yaml" -o "$OUT/$1/gen" > "$OUT/$1/gen.log" 2>&1; then
        cat "$OUT/$1/gen.log"
        return 1
    fi
}

# image CASE NAME SOURCE [CFLAGS...]: build one shared object like a user would, against the
# case's generated headers ($IMG_GEN when set: a case with a second manifest list).
image() {
    c=$1; n=$2; src=$3; shift 3
    # shellcheck disable=SC2086
    $CC $IMG_CFLAGS -I"${IMG_GEN:-$OUT/$c/gen}" $SOFLAGS "$@" -o "$OUT/$c/$n.so" "$T/$c/$src" \
        > "$OUT/$c/$n.build.log" 2>&1 || { cat "$OUT/$c/$n.build.log"; return 1; }
}

# sim NAME SECONDS ARGS...: run ffm-sim (stdout NAME.out, stderr NAME.err), at most SECONDS;
# sets $rc. A run over its limit gets SIGTERM (the supervisor stops its child), then SIGKILL.
sim() {
    sim_name=$1; sim_limit=$2; shift 2
    bounded "$sim_name" "$sim_limit" "$SIM" "$@"
}

# bounded NAME SECONDS COMMAND ARGS...: the same for any command (make run-demo).
bounded() {
    log="$OUT/$1"; limit=$(($2 * 20)); shift 2
    "$@" > "$log.out" 2> "$log.err" &
    pid=$!
    i=0
    while kill -0 "$pid" 2> /dev/null; do
        [ $i -eq "$limit" ] && kill -TERM "$pid" 2> /dev/null
        [ $i -eq $((limit + 40)) ] && kill -KILL "$pid" 2> /dev/null
        sleep 0.05
        i=$((i + 1))
    done
    wait "$pid"
    rc=$?
}

# expect NAME RC [FILE PATTERN]...: the last sim run ended with RC and each FILE (out or err)
# has a line matching its extended regular expression PATTERN.
expect() {
    name=$1; want=$2; shift 2
    if [ "$rc" -ne "$want" ]; then
        ko "$name" "exit status $rc, expected $want; stderr:"
        sed 's/^/      /' "$log.err" | head -20
        return
    fi
    while [ $# -ge 2 ]; do
        if ! grep -Eq -- "$2" "$log.$1"; then
            ko "$name" "no line matching '$2' in std$1:"
            sed 's/^/      /' "$log.$1" | head -20
            return
        fi
        shift 2
    done
    ok "$name"
}

# trace NAME FILE [REGEX]...: FILE is a well-formed trace in the shape Perfetto loads, and
# each extended regular expression matches one of its event lines (one event per line).
trace() {
    name=$1; shift
    if "$TRACE_CHECK" "$@" > "$OUT/$name.trace_check" 2>&1; then
        ok "$name"
    else
        ko "$name" "trace_check $1:"
        sed 's/^/      /' "$OUT/$name.trace_check" | head -20
    fi
}

# slices_end NAME FILE...: in each trace, every async slice that begins ("ph":"b") ends
# ("ph":"e" with the same name, cat and id) and no end comes without its begin; every "B" has
# its "E" on the same track. The supervisor ends what a boot left open (docs/reset.md section 7).
slices_end() {
    name=$1; shift
    : > "$OUT/$name.slices"
    for f in "$@"; do
        awk -v file="$f" '
            { line = $0; sub(/^,/, "", line) }
            match(line, /,"ph":"[bBeE]"/) {
                ph = substr(line, RSTART + 7, 1)
                key = substr(line, 1, RSTART - 1)
                if (match(line, /,"id":"0x[0-9a-f]+"/)) key = key substr(line, RSTART, RLENGTH)
                tid = match(line, /,"tid":-?[0-9]+/) ? substr(line, RSTART + 7, RLENGTH - 7) : "?"
                if (ph == "b") open[key]++
                else if (ph == "e") open[key]--
                else if (ph == "B") depth[tid]++
                else depth[tid]--
            }
            END {
                for (k in open) if (open[k] > 0) print file ": begins without an end: " k
                for (k in open) if (open[k] < 0) print file ": ends without a begin: " k
                for (t in depth) if (depth[t] != 0) print file ": B/E unbalanced on tid " t
            }' "$f" >> "$OUT/$name.slices" 2>&1 || echo "$f: awk failed" >> "$OUT/$name.slices"
    done
    if [ -s "$OUT/$name.slices" ]; then
        ko "$name" "slices left open:"
        sed 's/^/      /' "$OUT/$name.slices" | head -20
    else
        ok "$name"
    fi
}

for tool in "$SIM" "$MF" "$TRACE_CHECK"; do
    if [ ! -x "$tool" ]; then
        echo "[  FAILED  ] setup: $tool is not built"
        echo "[  FAILED  ] 1 test(s)"
        exit 1
    fi
done

echo "[==========] Running ffm-sim integration tests."
for case_dir in "$T"/*/; do
    c=$(basename "$case_dir")
    mkdir -p "$OUT/$c"
    . "$T/$c/case.sh"
done
# Sanitizer builds (IMG_EXTRA_CFLAGS set by san.mk): no run may have printed a report, even one
# whose exit status a check accepted (a forked boot's finding turns into the supervisor's exit).
if [ -n "${IMG_EXTRA_CFLAGS:-}" ]; then
    reports=$(grep -lE 'ERROR: (Address|Leak)Sanitizer|runtime error:|WARNING: ThreadSanitizer' \
        "$OUT"/*.err 2> /dev/null)
    if [ -z "$reports" ]; then
        ok sanitizer_reports_none
    else
        ko sanitizer_reports_none "sanitizer reports in:" $reports
    fi
fi
echo "[==========] $((pass + fail)) test(s) run."
[ $pass -gt 0 ] && echo "[  PASSED  ] $pass test(s)."
[ $fail -gt 0 ] && echo "[  FAILED  ] $fail test(s), listed above:"
[ $fail -eq 0 ]
