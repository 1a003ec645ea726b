#!/bin/sh
# check-headers.sh - compile tests/headers/std_prototypes.c against include/psa as C99, as C11
# with -pedantic, and as C++ when a C++ compiler is installed; each compile is one test.
# Prints CMocka-style result lines so scripts/run-tests.sh counts them.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
out="$BUILD/tests/headers"
mkdir -p "$out"
src=tests/headers/std_prototypes.c
pass=0
fail=0

check() {
    name=$1; shift
    if "$@" > "$out/$name.log" 2>&1; then
        echo "[       OK ] $name"
        pass=$((pass + 1))
    else
        echo "[  FAILED  ] $name"
        cat "$out/$name.log"
        fail=$((fail + 1))
    fi
}

echo "[==========] Running header compile checks."
check c99 $CC -std=c99 -Wall -Werror -Iinclude -c "$src" -o "$out/c99.o"
check c11_pedantic $CC -std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -c "$src" -o "$out/c11.o"
case "$CC" in
    *clang*) CXX_DEFAULT=clang++ ;;
    *) CXX_DEFAULT=c++ ;;
esac
CXX=${CXX:-$CXX_DEFAULT}
if command -v "$CXX" >/dev/null 2>&1; then
    check cxx11 "$CXX" -x c++ -std=c++11 -Wall -Werror -Iinclude -c "$src" -o "$out/cxx.o"
else
    echo "[ SKIPPED  ] cxx11 (no C++ compiler '$CXX')"
fi
echo "[==========] $((pass + fail)) test(s) run."
[ $pass -gt 0 ] && echo "[  PASSED  ] $pass test(s)."
[ $fail -gt 0 ] && echo "[  FAILED  ] $fail test(s), listed above:"
[ $fail -eq 0 ]
