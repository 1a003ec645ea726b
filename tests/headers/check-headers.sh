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

# fails_with WORD LOG COMMAND...: COMMAND fails and its output (in LOG) names WORD.
fails_with() {
    word=$1; log=$2; shift 2
    if "$@" > "$log" 2>&1; then
        echo "compiled, but should have failed naming $word"
        return 1
    fi
    grep -q "$word" "$log" || { cat "$log"; return 1; }
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
# TF-M's header extras (tests/headers/tfm_extras.c), with the documented build line's
# -Werror=implicit-function-declaration: an undeclared call fails at build time.
x=tests/headers/tfm_extras.c
XFLAGS="-std=c11 -Wall -Wextra -Werror -pedantic -Werror=implicit-function-declaration -Iinclude"
# shellcheck disable=SC2086
check tfm_extras_defaults $CC $XFLAGS -DCALL_MAP_INVEC -c "$x" -o "$out/x1.o"
# shellcheck disable=SC2086
check tfm_extras_own_iovec_len $CC $XFLAGS -DOWN_IOVEC_LEN -c "$x" -o "$out/x2.o"
# shellcheck disable=SC2086
check tfm_extras_build_values $CC $XFLAGS -DPSA_FRAMEWORK_HAS_MM_IOVEC=0 -DWANT_MM_IOVEC=0 \
    -DPSA_FRAMEWORK_ISOLATION_LEVEL=2 -DWANT_ISOLATION=2 -c "$x" -o "$out/x3.o"
# shellcheck disable=SC2086
check tfm_extras_no_mm_iovec_fails_at_build fails_with psa_map_invec "$out/x4.log" \
    $CC $XFLAGS -DPSA_FRAMEWORK_HAS_MM_IOVEC=0 -DWANT_MM_IOVEC=0 -DCALL_MAP_INVEC \
    -c "$x" -o "$out/x4.o"
echo "[==========] $((pass + fail)) test(s) run."
[ $pass -gt 0 ] && echo "[  PASSED  ] $pass test(s)."
[ $fail -gt 0 ] && echo "[  FAILED  ] $fail test(s), listed above:"
[ $fail -eq 0 ]
