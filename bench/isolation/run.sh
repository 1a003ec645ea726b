#!/bin/sh
# run.sh SIM LIST IMAGE NS - the isolation benchmark (make bench-isolation): the same NS
# program (iso_ns.c) under ffm-sim --isolation 0, 1, 2 and 3, one run per level, and a table
# of the median 16-byte stateless round trips side by side, with the cost over level 0 and
# the mprotect calls per round trip (ffm-sim --log info reports the calls of a boot).
set -eu
sim=$1; list=$2; image=$3; ns=$4
out=${FFM_BENCH_OUT:-build/bench/isolation}
mkdir -p "$out"
calls=${FFM_BENCH_CALLS:-2000}
rounds=${FFM_BENCH_ROUNDS:-5}
echo "ffm-sim round trip by isolation level (16 B stateless psa_call; median of $rounds rounds of $calls calls per service):"
echo
echo "| --isolation | SFN round trip | +over level 0 | IPC round trip | +over level 0 | mprotect calls per round trip |"
echo "|---:|---:|---:|---:|---:|---:|"
base_sfn=; base_ipc=
for level in 0 1 2 3; do
    FFM_BENCH_CALLS=$calls FFM_BENCH_ROUNDS=$rounds "$sim" -m "$list" --image "$image" \
        --ns "$ns" --isolation "$level" --log info --timeout 600 \
        > "$out/level$level.out" 2> "$out/level$level.err" || {
        echo "bench-isolation: ffm-sim --isolation $level failed:"; cat "$out/level$level.err"
        exit 1
    }
    set -- $(sed -n 's/^iso //p' "$out/level$level.out")
    sfn=$1; ipc=$2
    mp=$(sed -n 's/.*isolation: .* \([0-9][0-9]*\) mprotect calls.*/\1/p' "$out/level$level.err")
    base_sfn=${base_sfn:-$sfn}; base_ipc=${base_ipc:-$ipc}
    awk -v l="$level" -v s="$sfn" -v i="$ipc" -v bs="$base_sfn" -v bi="$base_ipc" \
        -v mp="${mp:-0}" -v n="$((2 * calls * rounds))" 'BEGIN {
            printf "| %s | %.2f us | %+.2f us | %.2f us | %+.2f us | %.1f |\n",
                   l, s, s - bs, i, i - bi, mp / n }'
done
