#!/bin/sh
# check-demo-c99.sh - compile every demo partition and the NS application as C99 with
# -Wall -Werror (how users build partitions), against include/psa and the checked-in copy of
# the generated headers (tests/fixtures/demo). One CMocka-style result line per source, so
# scripts/run-tests.sh counts them.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
out="$BUILD/tests/demo-c99"
mkdir -p "$out"
pass=0
fail=0
echo "[==========] Running demo C99 compile checks."
for src in demo/partitions/*.c demo/ns/*.c demo/lib/*.c; do
    name=$(basename "$src" .c)
    if $CC -std=c99 -Wall -Werror -fPIC -Iinclude -Idemo/include -Idemo/lib \
        -Itests/fixtures/demo -c "$src" -o "$out/$name.o" > "$out/$name.log" 2>&1; then
        echo "[       OK ] c99_$name"
        pass=$((pass + 1))
    else
        echo "[  FAILED  ] c99_$name"
        cat "$out/$name.log"
        fail=$((fail + 1))
    fi
done
echo "[==========] $((pass + fail)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
if [ "$fail" -gt 0 ]; then
    echo "[  FAILED  ] $fail test(s)"
    exit 1
fi
