#!/bin/sh
# smoke.sh - the fuzz step of CI (`make fuzz-smoke`): run each libFuzzer target for a bounded
# time on a copy of its seed corpus, with its dictionary and .options, and print its exec/s.
#
#   FUZZ_DIR=build/fuzz SECONDS_EACH=20 fuzz/smoke.sh TARGET...
#
# A crash, leak, timeout, out-of-memory or oracle abort fails the step. The input that caused it
# is minimised (libFuzzer -minimize_crash) and added to fuzz/corpus/TARGET/ as
# regression-<kind>-<hash>, so `make test` replays it from then on: fix the bug and commit the
# file. Exit status: 0 when every target ran clean, 1 otherwise.
set -u
FUZZ_DIR=${FUZZ_DIR:-build/fuzz}
SECONDS_EACH=${SECONDS_EACH:-20}
work=${SMOKE_WORK:-$FUZZ_DIR/smoke} # a directory of its own per concurrent run
rm -rf "$work"
mkdir -p "$work"
failed=""

# libFuzzer flags from a target's .options file ([libfuzzer] section, `name = value` lines).
options() {
    sed -n '/^\[libfuzzer\]/,/^\[/{s/^\([a-z_]*\) *= *\(.*\)$/-\1=\2/p}' "fuzz/$1.options"
}

# ASAN_OPTIONS from its [asan] section (name=value:...), after any the caller set, as the
# engines apply them.
asan_options() {
    extra=$(sed -n '/^\[asan\]/,/^\[/{s/^\([a-z_]*\) *= *\(.*\)$/\1=\2/p}' "fuzz/$1.options" |
        paste -sd: -)
    echo "${ASAN_OPTIONS:+$ASAN_OPTIONS:}$extra"
}

# Minimise the finding and add it to the corpus as a regression case.
keep_finding() {
    t=$1
    for a in "$work/$t-artifacts/"*; do
        [ -f "$a" ] || continue
        kind=$(basename "$a" | sed 's/-.*//')
        min="$work/$t-min"
        "$FUZZ_DIR/$t" -minimize_crash=1 -runs=2000 -exact_artifact_path="$min" "$a" \
            >"$work/$t-minimise.log" 2>&1
        [ -s "$min" ] || cp "$a" "$min"
        dest="fuzz/corpus/$t/regression-$kind-$(cksum < "$min" | cut -d' ' -f1)"
        cp "$min" "$dest"
        echo "fuzz-smoke: $t: $kind, minimised input added as $dest (fix the bug, commit it)"
    done
}

for t in "$@"; do
    corpus="$work/$t-corpus"
    mkdir -p "$corpus" "$work/$t-artifacts"
    cp fuzz/corpus/"$t"/* "$corpus"/ 2>/dev/null
    log="$work/$t.log"
    # shellcheck disable=SC2046 # options() yields one flag per word
    ASAN_OPTIONS=$(asan_options "$t") "$FUZZ_DIR/$t" -max_total_time="$SECONDS_EACH" -dict="fuzz/$t.dict" $(options "$t") \
        -print_final_stats=1 -artifact_prefix="$work/$t-artifacts/" "$corpus" >"$log" 2>&1
    rc=$?
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log")
    extra=$(sed -n 's/^[a-z_]*: [0-9]* \([a-z]*\) checked in .*: \([0-9]*\) .*/, \2 \1\/s/p' "$log")
    if [ "$rc" -eq 0 ]; then
        echo "fuzz-smoke: $t: ok, ${execs:-?} inputs, ${rate:-?} exec/s$extra"
    else
        echo "fuzz-smoke: $t: FAILED (exit $rc), log $log:"
        grep -E 'ERROR|oracle|SUMMARY|==[0-9]+==' "$log" | head -8 | sed 's/^/    /'
        keep_finding "$t"
        failed="$failed $t"
    fi
done
if [ -n "$failed" ]; then
    echo "fuzz-smoke: FAILED:$failed"
    exit 1
fi
echo "fuzz-smoke: every target ran clean"
