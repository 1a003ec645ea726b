#!/bin/sh
# run.sh - TF-M's SPM regression tests (TrustedFirmware-M/tf-m-tests: the IPC, SFN, SLIH and
# FLIH suites that TF-M's default configurations build) built for the host and run under
# ffm-sim, in each configuration and both profiles (`make tfm-tests TFM_TESTS=DIR`,
# docs/tfm.md section 6).
#
#   run.sh TFM_TESTS_DIR [TFM_DIR]
#
# For each configuration (backend ipc|sfn x IRQ test flih|slih) it writes TF-M's config header,
# generates the headers with ffm-manifest from tf-m-tests' manifest list (and TF-M's own list
# when TFM_DIR is given, with its conditionals), builds one shared object per test partition
# and one NS application from the checkout's sources unchanged plus the shim in
# conformance/tf-m-tests/shim/, and runs ffm-sim with -c, --backend, --addr32, --panic trap
# and the simulated clock. It prints one table row per test and profile, writes JUnit XML and
# a mapping file for the conformance matrix (RESULTS, default $BUILD/tfm-tests/test-results),
# and checks that every test the configuration builds reported a result. Each configuration
# runs twice per profile; the two runs' traces (simulated clock), output and exit status must
# be identical.
#
# Exit status: 0 every test passed or failed only as a documented test bug (known-bugs.txt);
# 1 a test failed, did not run, or two runs differed; 2 bad input (no checkout, build failure).
set -u
HERE=conformance/tf-m-tests
BUILD=${BUILD:-build}
CC=${CC:-cc}
SIM=${SIM:-$BUILD/ffm-sim}
MF=${MF:-$BUILD/ffm-manifest}
OUT=${OUT:-$BUILD/tfm-tests}
RESULTS=${RESULTS:-$OUT/test-results}
CONFIGS=${CONFIGS:-"ipc-flih ipc-slih sfn-flih sfn-slih"}
PROFILES="spec tfm"

usage() {
    echo "tfm-tests: error: $1" >&2
    echo "tfm-tests: get TF-M's tests with" >&2
    echo "tfm-tests:   git clone https://git.trustedfirmware.org/TF-M/tf-m-tests.git" >&2
    echo "tfm-tests: and run: make tfm-tests TFM_TESTS=path/to/tf-m-tests [TFM=path/to/trusted-firmware-m]" >&2
    exit 2
}

[ $# -ge 1 ] && [ -n "$1" ] || usage "TFM_TESTS is not set"
TT=$1
TFM=${2:-}
REG=$TT/tests_reg/test
SFW=$REG/secure_fw
SPM=$SFW/suites/spm
[ -f "$SFW/tfm_test_manifest_list.yaml" ] ||
    usage "$TT is not a tf-m-tests checkout (no tests_reg/test/secure_fw/tfm_test_manifest_list.yaml)"
if [ -n "$TFM" ] && [ ! -f "$TFM/tools/tfm_manifest_list.yaml" ]; then
    usage "$TFM is not a trusted-firmware-m checkout (no tools/tfm_manifest_list.yaml)"
fi
for tool in "$SIM" "$MF"; do
    [ -x "$tool" ] || { echo "tfm-tests: error: $tool is not built (make)" >&2; exit 2; }
done

# --addr32 (a 32-bit address space) is Linux-only: elsewhere TFM_S_IPC_TEST_1006, whose service
# keeps an address in a uint32_t, fails (docs/tfm.md section 6).
case $(uname -s) in
    Darwin) SOFLAGS="-shared -fPIC -undefined dynamic_lookup"; ADDR32= ;;
    *) SOFLAGS="-shared -fPIC"; ADDR32=--addr32 ;;
esac
# The checkout's code is TF-M's, not ours: built as TF-M builds it (gnu11, its warnings are
# not ours to fix), but a call to something no header declares still fails at build time.
CFLAGS="-std=gnu11 -g -O1 -Werror=implicit-function-declaration -w -Iinclude -I$HERE/shim"
FW="$REG/framework"

# config_header BACKEND IRQ FILE: TF-M's manifest config for one configuration. Every
# conditional of TF-M's list and of tf-m-tests' list is defined, so nothing is left undefined.
config_header() {
    be=$1; irq=$2
    {
        echo "/* TF-M manifest config written by conformance/tf-m-tests/run.sh */"
        echo "#define TFM_ISOLATION_LEVEL 1"
        echo "#define CONFIG_TFM_SPM_BACKEND $(echo "$be" | tr a-z A-Z)"
        for c in $(sed -n 's/^ *"conditional": *"\([A-Z0-9_]*\)".*/\1/p;s/^ *conditional: *"\{0,1\}\([A-Z0-9_]*\)"\{0,1\}.*/\1/p' \
                "$SFW/tfm_test_manifest_list.yaml" ${TFM:+"$TFM/tools/tfm_manifest_list.yaml"} | sort -u); do
            v=0
            case $c in
                TFM_PARTITION_IPC_TEST) [ "$be" = ipc ] && v=1 ;;
                TFM_PARTITION_SFN_BACKEND_TEST) [ "$be" = sfn ] && v=1 ;;
                TFM_PARTITION_FLIH_TEST) [ "$irq" = flih ] && v=1 ;;
                TFM_PARTITION_SLIH_TEST) [ "$irq" = slih ] && v=1 ;;
            esac
            echo "#define $c $v"
        done
        # The secure test partition's stack_size names this macro (TF-M's config sets it).
        echo "#define SECURE_TEST_PARTITION_STACK_SIZE 0x1000"
    } > "$3"
}

# partition_defines CFG: -D for each partition switch that is on (TF-M passes these to every
# secure target; code tests them with #ifdef).
partition_defines() {
    sed -n 's/^#define \(TFM_PARTITION_[A-Z0-9_]*\) 1$/-D\1/p' "$1" | tr '\n' ' '
}

# so NAME OUTDIR GEN INCLUDES DEFINES -- SOURCES...: one shared object.
so() {
    name=$1; dir=$2; shift 2
    flags=""
    while [ "$1" != -- ]; do flags="$flags $1"; shift; done
    shift
    # shellcheck disable=SC2086
    if ! $CC $CFLAGS $flags $SOFLAGS -o "$dir/$name.so" "$@" > "$dir/$name.build.log" 2>&1; then
        echo "tfm-tests: error: cannot build $name:" >&2
        head -20 "$dir/$name.build.log" >&2
        return 1
    fi
}

# gen_inc GEN: -I for every generated psa_manifest directory's parent.
gen_inc() {
    for d in $(find "$1" -type d -name psa_manifest | sort); do printf ' -I%s' "$(dirname "$d")"; done
}

# build CONFIG DIR: headers and images of one configuration. Prints the ffm-sim image options.
build() {
    cfgname=$1; dir=$2
    be=${cfgname%-*}; irq=${cfgname#*-}
    mkdir -p "$dir"
    config_header "$be" "$irq" "$dir/config.h"
    rm -rf "$dir/gen"
    # shellcheck disable=SC2086
    if ! "$MF" ${TFM:+-m "$TFM/tools/tfm_manifest_list.yaml"} -m "$SFW/tfm_test_manifest_list.yaml" \
            -c "$dir/config.h" --backend "$be" --profile tfm -o "$dir/gen" > "$dir/gen.log" 2>&1; then
        echo "tfm-tests: error: ffm-manifest failed for $cfgname:" >&2
        cat "$dir/gen.log" >&2
        return 1
    fi
    G="-I$dir/gen $(gen_inc "$dir/gen")"
    PD=$(partition_defines "$dir/config.h")
    S="$G $PD -I$FW -I$SPM/common -I$SPM/common/service -I$SPM/common/suites -DUSE_STDIO"
    NS="-I$dir/gen -I$FW -I$SPM/common -I$SPM/common/service -I$SPM/common/suites -DUSE_STDIO -DDOMAIN_NS=1 -DTFM_NS_REG_TEST"
    images=""
    so secure_client "$dir" $S -I"$REG/secure_regression" -I"$SFW/common_test_services/tfm_secure_client_service" \
        -I"$SFW/common_test_services/tfm_secure_client_2" \
        $( [ "$be" = ipc ] && echo "-DTEST_S_IPC -I$SPM/ipc/secure" ) \
        $( [ "$be" = sfn ] && echo "-DTEST_S_SFN_BACKEND -I$SPM/sfn/secure -I$SPM/sfn" ) -- \
        "$SFW/common_test_services/tfm_secure_client_service/tfm_secure_client_service.c" \
        "$REG/secure_regression/secure_suites.c" "$FW/test_framework.c" "$FW/test_framework_helpers.c" \
        "$SFW/common_test_services/tfm_secure_client_2/tfm_secure_client_2_api.c" \
        "$SPM/common/suites/client_api_tests.c" \
        $( [ "$be" = ipc ] && echo "$SPM/ipc/secure/ipc_s_interface_testsuite.c" ) \
        $( [ "$be" = sfn ] && echo "$SPM/sfn/secure/sfn_backend_s_testsuite.c $SPM/sfn/sfn_backend_tests.c $SPM/common/suites/mmiovec_test.c" ) ||
        return 1
    images="$images --image $dir/secure_client.so"
    so secure_client_2 "$dir" $S -I"$SFW/common_test_services/tfm_secure_client_2" -- \
        "$SFW/common_test_services/tfm_secure_client_2/tfm_secure_client_2.c" || return 1
    images="$images --image $dir/secure_client_2.so"
    if [ "$be" = ipc ]; then
        so ipc_service "$dir" $S -- "$SPM/ipc/service/tfm_ipc_service/tfm_ipc_service_test.c" \
            "$SPM/common/service/client_api_test_service.c" \
            "$SPM/common/service/tfm_mmiovec_test_service.c" || return 1
        so ipc_client "$dir" $S -I"$SFW/common_test_services/tfm_secure_client_2" -- \
            "$SPM/ipc/service/tfm_ipc_client/tfm_ipc_client_test.c" || return 1
        images="$images --image $dir/ipc_service.so --image $dir/ipc_client.so"
    else
        so sfn_partition "$dir" $S -I"$SPM/sfn/service" -- \
            "$SPM/sfn/service/sfn_backend_test_partition/sfn_backend_test_partition.c" \
            "$SPM/common/service/client_api_test_service.c" \
            "$SPM/common/service/tfm_mmiovec_test_service.c" || return 1
        images="$images --image $dir/sfn_partition.so"
    fi
    so "${irq}_service" "$dir" $S -- \
        "$SPM/irq/service/tfm_${irq}_test_service/tfm_${irq}_test_service.c" || return 1
    images="$images --image $dir/${irq}_service.so"
    IRQ_DEF=$(echo "$irq" | tr a-z A-Z)
    so ns "$dir" $NS -I"$REG/ns_regression" -I"$SPM/irq/non_secure" \
        -I"$SPM/irq/service/tfm_${irq}_test_service" -DTEST_NS_${IRQ_DEF}_IRQ \
        $( [ "$be" = ipc ] && echo "-DTEST_NS_IPC -I$SPM/ipc/non_secure" ) \
        $( [ "$be" = sfn ] && echo "-DTEST_NS_SFN_BACKEND -I$SPM/sfn/non_secure -I$SPM/sfn" ) -- \
        "$HERE/ns_main.c" "$REG/ns_regression/non_secure_suites.c" \
        "$FW/test_framework.c" "$FW/test_framework_helpers.c" \
        "$SPM/common/suites/client_api_tests.c" "$SPM/common/suites/mmiovec_test.c" \
        "$SPM/irq/non_secure/irq_testsuite.c" "$SPM/common/suites/irq_test.c" \
        $( [ "$be" = ipc ] && echo "$SPM/ipc/non_secure/ipc_ns_interface_testsuite.c" ) \
        $( [ "$be" = sfn ] && echo "$SPM/sfn/non_secure/sfn_backend_ns_testsuite.c $SPM/sfn/sfn_backend_tests.c" ) ||
        return 1
    echo "$images --ns $dir/ns.so" > "$dir/images"
}

# run_one CONFIG PROFILE N: one ffm-sim run; stdout and stderr to $dir/PROFILE.N.{out,err}.
run_one() {
    cfgname=$1; profile=$2; n=$3; dir=$OUT/$cfgname
    be=${cfgname%-*}
    # shellcheck disable=SC2046
    "$SIM" ${TFM:+-m "$TFM/tools/tfm_manifest_list.yaml"} -m "$SFW/tfm_test_manifest_list.yaml" \
        -c "$dir/config.h" --backend "$be" --profile "$profile" --platform "$HERE/platform.yaml" \
        --panic trap $ADDR32 --timeout 60 --trace "$dir/$profile.$n.trace.json" --trace-clock sim \
        $(cat "$dir/images") > "$dir/$profile.$n.out" 2> "$dir/$profile.$n.err"
    echo $? > "$dir/$profile.$n.rc"
}

# results CONFIG PROFILE: "AREA NAME RESULT" per test from the framework's lines; a test that
# started and never reported is NO-RESULT (its caller was stopped).
results() {
    tr -d '\r\033' < "$OUT/$1/$2.1.out" | sed 's/\[[0-9]*m//g' | awk '
        /^#### Execute test suites for the .* area ####$/ {
            area = ($7 == "Secure") ? "S" : "NS" }
        /^> Executing / { name = $3; gsub(/\047/, "", name); pending[area " " name] = 1; order[++n] = area " " name }
        /^  TEST: .* - (PASSED|FAILED|SKIPPED)!$/ {
            r = $4; sub(/!$/, "", r); res[area " " $2] = r; delete pending[area " " $2] }
        END { for (i = 1; i <= n; i++) { k = order[i]; print k, (k in res) ? res[k] : "NO-RESULT" } }'
}

expected() { # the tests a configuration builds (expected.txt: CONFIG AREA NAME)
    awk -v c="$1" '$1 == c { print $2, $3 }' "$HERE/expected.txt"
}

known_bug() { # known-bugs.txt: CONFIG AREA NAME BUG-ID
    awk -v c="$1" -v a="$2" -v n="$3" '$1 == c && $2 == a && $3 == n { print $4; exit }' "$HERE/known-bugs.txt"
}

xml_escape() { sed 's/&/\&amp;/g; s/</\&lt;/g; s/>/\&gt;/g; s/"/\&quot;/g'; }

mkdir -p "$OUT" "$RESULTS"
rm -f "$RESULTS"/tfm-tests-*.xml "$RESULTS/tfm-tests.map"
status=0
printf '%-9s %-7s %-3s %-24s %s\n' CONFIG PROFILE S/NS TEST RESULT
map="$RESULTS/tfm-tests.map"
{
    echo "# tfm-tests.map - TF-M's SPM regression tests under ffm-sim (conformance/tf-m-tests/run.sh)"
    echo "# test name, then the rule IDs it checks (conformance/tf-m-tests/rules.txt)"
} > "$map"
for cfgname in $CONFIGS; do
    dir=$OUT/$cfgname
    build "$cfgname" "$dir" || exit 2
    for profile in $PROFILES; do
        run_one "$cfgname" "$profile" 1
        run_one "$cfgname" "$profile" 2
        got=$(results "$cfgname" "$profile")
        xml="$RESULTS/tfm-tests-$cfgname-$profile.xml"
        cases=""
        nt=0; nf=0
        echo "profile $profile" >> "$map"
        for key in $(expected "$cfgname" | tr ' ' ':'); do
            area=${key%%:*}; name=${key#*:}
            r=$(echo "$got" | awk -v a="$area" -v n="$name" '$1 == a && $2 == n { print $3; exit }')
            [ -n "$r" ] || r=NOT-RUN
            bug=$(known_bug "$cfgname" "$area" "$name")
            shown=$r
            if [ "$r" != PASSED ] && [ -n "$bug" ]; then shown="$r (test bug $bug, docs/tfm.md)"; fi
            if [ "$r" != PASSED ] && [ -z "$bug" ]; then status=1; fi
            if [ "$r" = PASSED ] && [ -n "$bug" ]; then shown="PASSED (test bug $bug did not show)"; fi
            printf '%-9s %-7s %-3s %-24s %s\n' "$cfgname" "$profile" "$area" "$name" "$shown"
            tc="tfmtests_$(echo "$cfgname" | tr - _)_${profile}_${area}_$name"
            nt=$((nt + 1))
            msg=$(printf '%s' "$shown" | xml_escape)
            tcl="<testcase classname=\"tf-m-tests.$cfgname.$profile\" name=\"$tc\""
            ids=$(awk -v n="$name" '$1 == n { $1 = ""; print; exit }' "$HERE/rules.txt")
            if [ "$r" = PASSED ]; then
                cases="$cases$tcl/>"
            elif [ -n "$bug" ]; then
                # A documented test bug: skipped for the matrix, and claiming no rule.
                cases="$cases$tcl><skipped message=\"$msg\"/></testcase>"
                ids=""
            else
                nf=$((nf + 1))
                cases="$cases$tcl><failure message=\"$msg\"/></testcase>"
            fi
            echo "$tc$ids" >> "$map"
        done
        # A test the run reported that expected.txt does not list: the list is out of date.
        echo "$got" | while read -r area name r; do
            if ! expected "$cfgname" | grep -qx "$area $name"; then
                echo "tfm-tests: $cfgname $profile: $area $name ($r) is not in $HERE/expected.txt" >&2
            fi
        done
        {
            echo '<?xml version="1.0" encoding="UTF-8" ?>'
            echo "<testsuites><testsuite name=\"tfm-tests-$cfgname-$profile\" tests=\"$nt\" failures=\"$nf\" errors=\"0\">"
            echo "$cases" | sed 's|/>|/>\n|g; s|</testcase>|</testcase>\n|g'
            echo "</testsuite></testsuites>"
        } > "$xml"
        for f in trace.json out err rc; do
            if ! cmp -s "$dir/$profile.1.$f" "$dir/$profile.2.$f"; then
                echo "tfm-tests: $cfgname $profile: two runs differ ($dir/$profile.1.$f, $dir/$profile.2.$f)" >&2
                status=1
            fi
        done
    done
done
echo "tfm-tests: JUnit XML and tfm-tests.map in $RESULTS; logs in $OUT/CONFIG/PROFILE.N.{out,err}"
[ $status -eq 0 ] && echo "tfm-tests: all tests passed (documented test bugs aside)" ||
    echo "tfm-tests: FAILED (see the table above)"
exit $status
