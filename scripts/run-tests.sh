#!/bin/sh
# run-tests.sh - run every test suite, print each suite's CMocka summary, and end with one
# overall line "N passed, N failed". Exit 1 if any test failed or any suite crashed.
#
# Arguments: test programs (CMocka binaries) and test scripts (*.sh, which print their own
# "[  PASSED  ] N test(s)." / "[  FAILED  ] N test(s)" lines in CMocka's format).
# TEST_OUTPUT=xml writes JUnit XML per suite to $BUILD/test-results/<suite>.xml.
set -u
BUILD=${BUILD:-build}
results="$BUILD/test-results"
mkdir -p "$results"
log="$BUILD/test-results/last-run.log"
: > "$log"

# JUnit XML for a test script, from its "[       OK ] name" / "[  FAILED  ] name" lines.
script_junit() {
    ok=$(grep -c '^\[       OK \] ' "$2")
    bad=$(grep -E '^\[  FAILED  \] ' "$2" | grep -vc 'test(s)')
    echo '<?xml version="1.0" encoding="UTF-8" ?>'
    echo '<testsuites>'
    echo "  <testsuite name=\"$1\" tests=\"$((ok + bad))\" failures=\"$bad\" errors=\"0\" skipped=\"0\" >"
    sed -n 's/^\[       OK \] \(.*\)$/    <testcase name="\1" ><\/testcase>/p' "$2"
    grep -E '^\[  FAILED  \] ' "$2" | grep -v 'test(s)' |
        sed 's/^\[  FAILED  \] \(.*\)$/    <testcase name="\1" ><failure message="failed"><\/failure><\/testcase>/'
    echo '  </testsuite>'
    echo '</testsuites>'
}

# A suite that hangs must fail the run, not stall CI: bound each one (coreutils `timeout`
# where present; SUITE_TIMEOUT seconds, default 600).
SUITE_TIMEOUT=${SUITE_TIMEOUT:-600}
if command -v timeout >/dev/null 2>&1; then
    BOUND="timeout -k 10 $SUITE_TIMEOUT"
else
    BOUND=""
fi

passed=0
failed=0
crashed=0
for t in "$@"; do
    suite=$(basename "$t" .sh)
    out="$results/$suite.out"
    case "$t" in *.sh) is_script=1 ;; *) is_script=0 ;; esac
    if [ "${TEST_OUTPUT:-}" = xml ] && [ $is_script -eq 0 ]; then
        # CMocka will not overwrite an existing XML file: start from none.
        rm -f "$results/$suite.xml"
        CMOCKA_MESSAGE_OUTPUT=xml CMOCKA_XML_FILE="$results/$suite.xml" $BOUND "$t" > "$out" 2>&1
        rc=$?
        xml="$results/$suite.xml"
        p=0; f=0
        if [ -f "$xml" ]; then
            total=$(sed -n 's/.*<testsuite [^>]*tests="\([0-9]*\)".*/\1/p' "$xml" | awk '{s+=$1} END {print s+0}')
            nf=$(sed -n 's/.*<testsuite [^>]*failures="\([0-9]*\)".*/\1/p' "$xml" | awk '{s+=$1} END {print s+0}')
            ne=$(sed -n 's/.*<testsuite [^>]*errors="\([0-9]*\)".*/\1/p' "$xml" | awk '{s+=$1} END {print s+0}')
            f=$((nf + ne)); p=$((total - f))
        fi
        echo "$suite: $p passed, $f failed (JUnit XML: $xml)"
    else
        $BOUND "$t" > "$out" 2>&1
        rc=$?
        p=$(sed -n 's/^\[  PASSED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
        f=$(sed -n 's/^\[  FAILED  \] \([0-9]*\) test.*/\1/p' "$out" | awk '{s+=$1} END {print s+0}')
        grep -E '^\[  (FAILED|ERROR) +\] ' "$out" | grep -v 'test(s)' || true
        echo "== $suite"
        grep -E '^\[(  PASSED  |  FAILED  |==========)\]' "$out" | tail -n 3
        if [ "${TEST_OUTPUT:-}" = xml ]; then
            script_junit "$suite" "$out" > "$results/$suite.xml"
            echo "$suite: JUnit XML: $results/$suite.xml"
        fi
    fi
    cat "$out" >> "$log"
    if [ $rc -ne 0 ] && [ "$f" -eq 0 ]; then
        # A suite that exits non-zero without a failed test crashed or aborted.
        if [ $rc -eq 124 ] || [ $rc -eq 137 ]; then
            echo "$suite: timed out after ${SUITE_TIMEOUT}s (see $out)"
        else
            echo "$suite: exited with status $rc (see $out)"
        fi
        crashed=$((crashed + 1))
        f=1
    fi
    passed=$((passed + p))
    failed=$((failed + f))
done

echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$crashed" -eq 0 ]
