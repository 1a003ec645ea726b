#!/bin/sh
# planted_test.sh - ffm-fuzz's own test (make ffm-fuzz-planted, run by `make fuzz-smoke`): on
# FUZZ_SP_PLANTED (planted.c), ffm-fuzz must find, within 60 s each,
#   1. the out-of-bounds write that depends on psa_read contents (with --allow FUZZ_RECORDS:9,
#      so that the planted panic does not stop the search first), and
#   2. the psa_panic on type 9,
# write each reproducer under -artifact_prefix, and replaying the reproducer must report the
# same finding (UBSan's index check or ASan's overflow report, both in store() at the
# memcpy). Runs are seeded (-seed=1, a seed input, the planted dictionary).
#
#   FFM_FUZZ=build/ffm-fuzz DIR=build/ffm-fuzz-work fuzz/ffm/planted_test.sh
set -u
FFM_FUZZ=${FFM_FUZZ:-build/ffm-fuzz}
DIR=${DIR:-build/ffm-fuzz-work}
work="$DIR/planted-test"
rm -rf "$work"
mkdir -p "$work"
SYS="-m fuzz/ffm/planted_list.yaml --image $DIR/planted.so"
ok=0
bad=0

result() { # name status message
    if [ "$2" -eq 0 ]; then
        echo "[       OK ] $1"
        ok=$((ok + 1))
    else
        echo "[  FAILED  ] $1: $3"
        bad=$((bad + 1))
    fi
}

# find NAME PATTERN SEEDS [ffm-fuzz options...]: fuzz until a finding matching PATTERN, then
# replay its reproducer and expect the same finding.
find_and_replay() {
    name=$1 pattern=$2 seeds=$3
    shift 3
    mkdir -p "$work/$name/corpus" "$work/$name/artifacts"
    start=$(date +%s)
    # shellcheck disable=SC2086 # SYS is a word list
    "$FFM_FUZZ" $SYS "$@" -seed=1 -max_total_time=60 -dict=fuzz/ffm/planted.dict \
        -artifact_prefix="$work/$name/artifacts/" "$work/$name/corpus" "$seeds" \
        >"$work/$name/fuzz.log" 2>&1
    rc=$?
    secs=$(($(date +%s) - start))
    repro=$(ls "$work/$name/artifacts/"crash-* 2>/dev/null | head -1)
    if [ "$rc" -eq 0 ] || [ -z "$repro" ] || ! grep -q "$pattern" "$work/$name/fuzz.log"; then
        result "$name: found" 1 "no finding matching '$pattern' (exit $rc, log $work/$name/fuzz.log)"
        return
    fi
    result "$name: found in ${secs} s, reproducer $repro" 0 ""
    # shellcheck disable=SC2086
    "$FFM_FUZZ" $SYS "$@" "$repro" >"$work/$name/replay.log" 2>&1
    rc=$?
    if [ "$rc" -ne 0 ] && grep -q "$pattern" "$work/$name/replay.log"; then
        result "$name: reproducer replays to the same finding" 0 ""
    else
        result "$name: reproducer replays" 1 "exit $rc, log $work/$name/replay.log"
    fi
}

echo "[==========] ffm-fuzz on the planted-bug partition."
find_and_replay oob-write 'in store .*planted.c:35' fuzz/ffm/planted-seeds \
    --allow FUZZ_RECORDS:9
find_and_replay panic 'FINDING: denial of service: partition FUZZ_SP_PLANTED: PANIC-01' \
    fuzz/ffm/planted-seeds-panic
echo "[==========] $((ok + bad)) test(s) run."
[ "$ok" -gt 0 ] && echo "[  PASSED  ] $ok test(s)."
[ "$bad" -gt 0 ] && echo "[  FAILED  ] $bad test(s)" && exit 1
exit 0
