#!/bin/sh
# check-matrix.sh - tests of the conformance-matrix generator (scripts/matrix.py) on the
# fixtures in tests/matrix/fixtures: a fixture catalogue (rules.yaml), fixture sources with
# FFM_RULE_* constants and `ffm-rule:` tags (code/), an lcov tracefile, and JUnit
# XML, mapping and fuzz-replay files assembled per case into a results directory. Each case
# compares the generator's whole output and exit status with the expected text. Prints
# CMocka-style lines; run by `make test`.
set -u
here=$(cd "$(dirname "$0")" && pwd)
gen="$here/../../scripts/matrix.py"
py=$("$here/../../scripts/find-python.sh") || { echo "check-matrix: no python3 with PyYAML (make deps)" >&2; exit 1; }
fx="$here/fixtures"
tmp=$(mktemp -d "${TMPDIR:-/tmp}/ffm-matrix.XXXXXX") || exit 1
trap 'rm -rf "$tmp"' EXIT
passed=0
failed=0
GOOD="core.xml tfm.xml ext.xml ext.map replay-api.out"

# run FILES...: the generator on a results directory holding the named fixture files;
# $CODE picks the source tree, $ARGS adds options. Output and "exit N" go to $tmp/got.
run() {
    rm -rf "$tmp/r" "$tmp/out"
    mkdir "$tmp/r"
    for f in "$@"; do cp "$fx/results/$f" "$tmp/r/"; done
    # shellcheck disable=SC2086 # ARGS is a list of words
    (cd "$fx" && "$py" "$gen" --rules rules.yaml --results "$tmp/r" --code "${CODE:-code}" \
        --lcov coverage.info --core code/ --out "$tmp/out" ${ARGS:-}) > "$tmp/raw" 2>&1
    echo "exit $?" >> "$tmp/raw"
    sed "s|$tmp|TMP|g" "$tmp/raw" > "$tmp/got"
}

# expect NAME: the output of the last run must equal standard input.
expect() {
    echo "[ RUN      ] $1"
    cat > "$tmp/want"
    if diff -u "$tmp/want" "$tmp/got"; then
        echo "[       OK ] $1"
        passed=$((passed + 1))
    else
        echo "[  FAILED  ] $1"
        failed=$((failed + 1))
    fi
}

S_GOOD="matrix: 5 rules: 4 implemented, 4 passing, 2 fully covered, 2 reached by fuzzing; code/ lines 66.7 % (4/6), branches 100.0 % (2/2)"
TAIL="matrix: psa_call/psa_connect/psa_close PE rules no fuzz corpus reaches: DD-01
matrix: spec rules tested in one profile only: EE-01
matrix: TMP/out/matrix.html, matrix.md, matrix.json"

run $GOOD
expect matrix_good <<EOF
$S_GOOD
$TAIL
exit 0
EOF

# The JSON joins what each input says: results of this run, code ranges, coverage, fuzz.
"$py" - "$tmp/out/matrix.json" > "$tmp/got" <<'EOF'
import json, sys
m = json.load(open(sys.argv[1]))
print(m["schema"])
for r in m["rules"]:
    print(r["id"], r["status"], r["passing"], r["profile_results"]["spec"],
          r["profile_results"]["tfm"], r["one_profile_only"],
          " ".join("%s:%s:%s" % (t["name"], t["source"], t["result"]) for t in r["tests"]),
          " ".join("%s:%d-%d@%s" % (c["file"], c["start"], c["end"], c["tag_lines"])
                   for c in r["code"]),
          "%(lines_hit)d/%(lines_total)d %(branches_hit)d/%(branches_total)d %(full)s"
          % r["coverage"], ",".join(r["fuzz"]) or "-")
EOF
expect matrix_good_json <<'EOF'
ffmsim-matrix/1
AA-01 implemented True passed not-run False test_aa:yaml:passed i073:map:skipped code/checks.c:2-8@[5] 4/4 2/2 True api
BB-01 implemented True passed passed False test_bb:yaml:passed test_tfm_bb:yaml:passed code/checks.c:12-15@[11] 0/2 0/0 False api
CC-01 retired False none none False   0/0 0/0 False -
DD-01 implemented True none passed False i072:map:passed i073:map:skipped code/checks.c:12-15@[11] 0/2 0/0 False -
EE-01 implemented True passed none True test_other:yaml:passed code/checks.c:2-8@[7] 4/4 2/2 True -
EOF

# The page is self-contained: no script, no stylesheet or image fetched, links only into the
# genhtml report; every rule has an anchor.
{
    grep -c '<script\|src=\|http' "$tmp/out/matrix.html"
    grep -o 'href="[^"]*"' "$tmp/out/matrix.html" | sort -u
    grep -o '<a id="[A-Z]*-[0-9]*">' "$tmp/out/matrix.html"
} > "$tmp/got"
expect matrix_html_self_contained <<'EOF'
0
href="html/code/checks.c.gcov.html#11"
href="html/code/checks.c.gcov.html#5"
href="html/code/checks.c.gcov.html#7"
href="html/index.html"
<a id="AA-01">
<a id="BB-01">
<a id="CC-01">
<a id="DD-01">
<a id="EE-01">
EOF

# Deleting the only test that claims a rule fails and names the rule.
run core-no-aa.xml tfm.xml ext.xml ext.map replay-api.out
expect matrix_missing_test <<EOF
matrix: error: AA-01: test 'test_aa' (named in rules.yaml) did not run
matrix: error: AA-01: implemented but no passing test in this run (test_aa: not-run, i073: skipped)
matrix: 5 rules: 4 implemented, 3 passing, 2 fully covered, 2 reached by fuzzing; code/ lines 66.7 % (4/6), branches 100.0 % (2/2)
$TAIL
exit 1
EOF

run core-aa-failed.xml tfm.xml ext.xml ext.map replay-api.out
expect matrix_failing_test <<EOF
matrix: error: test 'test_aa' failed (suite core-aa-failed)
matrix: error: AA-01: implemented but no passing test in this run (test_aa: failed, i073: skipped)
matrix: 5 rules: 4 implemented, 3 passing, 2 fully covered, 2 reached by fuzzing; code/ lines 66.7 % (4/6), branches 100.0 % (2/2)
$TAIL
exit 1
EOF

# The same sources without the BB-01/DD-01 tag (the tracefile names code/checks.c, so this copy
# has no coverage data).
mkdir "$tmp/notag"
sed '/ffm-rule: BB-01/d' "$fx/code/checks.c" > "$tmp/notag/checks.c"
CODE="$tmp/notag" run $GOOD
expect matrix_rule_without_code <<EOF
matrix: error: BB-01: implemented but no code location (add FFM_RULE_* or 'ffm-rule: BB-01' at its check in src/ or sim/)
matrix: error: DD-01: implemented but no code location (add FFM_RULE_* or 'ffm-rule: DD-01' at its check in src/ or sim/)
matrix: 5 rules: 4 implemented, 4 passing, 0 fully covered, 2 reached by fuzzing; code/ lines 66.7 % (4/6), branches 100.0 % (2/2)
$TAIL
exit 1
EOF

run $GOOD dup.xml
expect matrix_duplicate_test_name <<EOF
matrix: error: test name 'test_other' is used by suites core and dup: a claim on it is ambiguous
$S_GOOD
$TAIL
exit 1
EOF

# Without the external suite's results and mapping file, the rule only it claims fails.
run core.xml tfm.xml replay-api.out
expect matrix_mapping_file <<EOF
matrix: error: DD-01: implemented but no passing test in this run (no tests claim it)
matrix: 5 rules: 4 implemented, 3 passing, 2 fully covered, 2 reached by fuzzing; code/ lines 66.7 % (4/6), branches 100.0 % (2/2)
$TAIL
exit 1
EOF

# A mapping file whose suite did not run: its tests are named in warnings, and the rule only
# they claim has no passing test.
run core.xml tfm.xml ext.map replay-api.out
expect matrix_mapped_tests_not_run <<EOF
matrix: error: DD-01: implemented but no passing test in this run (i072: not-run, i073: not-run)
matrix: warning: test 'i072' (in a mapping file) did not run
matrix: warning: test 'i073' (in a mapping file) did not run
matrix: 5 rules: 4 implemented, 3 passing, 2 fully covered, 2 reached by fuzzing; code/ lines 66.7 % (4/6), branches 100.0 % (2/2)
$TAIL
exit 1
EOF

ARGS="--test-status 2 --min-core-line 70 --min-core-branch 100" run $GOOD
expect matrix_run_status_and_targets <<EOF
matrix: error: the test run failed (exit status 2): see TMP/r
matrix: error: code/ line coverage 66.7 % is below 70.0 %
$S_GOOD
$TAIL
exit 1
EOF

run core.xml broken.xml
expect matrix_bad_junit <<'EOF'
matrix: TMP/r/broken.xml:5:3: malformed JUnit XML: mismatched tag: line 5, column 2
exit 2
EOF

if [ "$failed" -eq 0 ]; then
    echo "[  PASSED  ] $passed test(s)."
else
    echo "[  FAILED  ] $failed test(s), listed above"
    echo "[  PASSED  ] $passed test(s)."
    exit 1
fi
