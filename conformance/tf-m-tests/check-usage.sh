#!/bin/sh
# check-usage.sh - `make tfm-tests` without a checkout (conformance/tf-m-tests/run.sh): without
# TFM_TESTS it says where to get TF-M's tests and exits 2; a directory that is not a tf-m-tests
# checkout, or a TFM= directory that is not a trusted-firmware-m checkout, is refused with one
# error line (and the same hint) and exit 2, before anything is built. This is the path CI
# checks (CI has no checkout). CMocka-style lines for scripts/run-tests.sh.
set -u
BUILD=${BUILD:-build}
OUT=$BUILD/tests/tfm-tests-usage
mkdir -p "$OUT"
pass=0
fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
ko() { echo "[  FAILED  ] $1"; shift; echo "    $*"; fail=$((fail + 1)); }

HINT='^tfm-tests:   git clone https://git.trustedfirmware.org/TF-M/tf-m-tests.git$'

# check NAME WANT_RC ERROR_REGEX: the last command's status and stderr ($OUT/NAME.err).
check() {
    if [ "$rc" -ne "$2" ]; then
        ko "$1" "exit status $rc, expected $2: $(head -3 "$OUT/$1.err")"
    elif ! grep -Eq "$3" "$OUT/$1.err"; then
        ko "$1" "no line matching '$3' in: $(head -3 "$OUT/$1.err")"
    elif ! grep -Eq "$HINT" "$OUT/$1.err"; then
        ko "$1" "no hint where to get the tests in: $(head -5 "$OUT/$1.err")"
    elif [ "$(grep -c 'error' "$OUT/$1.err")" -ne 1 ]; then
        ko "$1" "expected one error line: $(cat "$OUT/$1.err")"
    else
        ok "$1"
    fi
}

make --no-print-directory -s tfm-tests TFM_TESTS= BUILD="$BUILD" > "$OUT/tfm_tests_make_without_checkout.out" \
    2> "$OUT/make.err"
rc=$?
# make adds its own "Error 2" line after the script's: only the script's is counted.
grep -v '^make.*Error 2$' "$OUT/make.err" > "$OUT/tfm_tests_make_without_checkout.err"
check tfm_tests_make_without_checkout 2 '^tfm-tests: error: TFM_TESTS is not set$'

conformance/tf-m-tests/run.sh "$OUT" > /dev/null 2> "$OUT/tfm_tests_not_a_checkout.err"
rc=$?
check tfm_tests_not_a_checkout 2 "^tfm-tests: error: $OUT is not a tf-m-tests checkout"

# A fake checkout (just the list file) with a TFM= directory that is not TF-M.
mkdir -p "$OUT/fake/tests_reg/test/secure_fw"
: > "$OUT/fake/tests_reg/test/secure_fw/tfm_test_manifest_list.yaml"
conformance/tf-m-tests/run.sh "$OUT/fake" "$OUT" > /dev/null 2> "$OUT/tfm_tests_tfm_not_a_checkout.err"
rc=$?
check tfm_tests_tfm_not_a_checkout 2 "^tfm-tests: error: $OUT is not a trusted-firmware-m checkout"

echo "[==========] $((pass + fail)) test(s) run."
echo "[  PASSED  ] $pass test(s)."
[ "$fail" -eq 0 ] || { echo "[  FAILED  ] $fail test(s)."; exit 1; }
