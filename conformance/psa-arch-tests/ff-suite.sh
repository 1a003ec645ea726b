#!/usr/bin/env bash
# ff-suite.sh - build Arm's PSA Firmware Framework test suite (psa-arch-tests, api-tests/ff)
# for the host with the ffm-sim target of this directory, run it under ffm-sim, and report.
# `make ff-suite PSA_ARCH_TESTS=DIR` runs it; docs/ff-suite.md is the user documentation.
#
#   ff-suite.sh PSA_ARCH_TESTS OUT FFM_BUILD FFM_INCLUDE
#
# PSA_ARCH_TESTS is a checkout of psa-arch-tests with its val_common submodule; it is only
# read. Everything is built under OUT, one directory per configuration (list, heap, isolation
# level). FFM_BUILD holds ffm-sim and ffm-manifest, FFM_INCLUDE the PSA and ffmsim headers.
# Configurations come from the environment: FF_SUITE_LISTS (stateless connection),
# FF_SUITE_LEVELS (1 2 3), FF_SUITE_HEAPS (0 1); FF_SUITE_TIMEOUT bounds each run (seconds).
#
# Exit status: 0 every run ended with 0 FAIL and 0 SIM ERROR; 1 a test failed or a run did
# not finish; 2 bad input (no suite at PSA_ARCH_TESTS, a build failure).
set -eu -o pipefail

usage() {
    cat >&2 <<'EOF'
make ff-suite needs Arm's PSA architecture test suite: PSA_ARCH_TESTS=DIR, a checkout of
https://github.com/ARM-software/psa-arch-tests with its val_common submodule, e.g.

    git clone https://github.com/ARM-software/psa-arch-tests ../psa-arch-tests
    git -C ../psa-arch-tests submodule update --init val_common
    make ff-suite PSA_ARCH_TESTS=../psa-arch-tests

(docs/ff-suite.md)
EOF
    exit 2
}

[ $# -eq 4 ] || usage
PAT=$1
OUT=$2
FFM_BUILD=$3
FFM_INCLUDE=$4
[ -n "$PAT" ] || usage
API=$PAT/api-tests
if [ ! -f "$API/ff/ipc/testsuite.db" ]; then
    echo "ff-suite: error: $PAT: not a psa-arch-tests checkout (no api-tests/ff/ipc/testsuite.db)" >&2
    usage
fi
if [ ! -f "$PAT/val_common/inc/val_common.h" ]; then
    echo "ff-suite: error: $PAT/val_common is empty: run git -C $PAT submodule update --init val_common" >&2
    exit 2
fi

HERE=$(cd "$(dirname "$0")" && pwd)
PAT=$(cd "$PAT" && pwd)
API=$PAT/api-tests
VC=$PAT/val_common
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
FFM_BUILD=$(cd "$FFM_BUILD" && pwd)
FFM_INCLUDE=$(cd "$FFM_INCLUDE" && pwd)
CC=${CC:-cc}
PYTHON=${PYTHON:-python3}
LISTS=${FF_SUITE_LISTS:-stateless connection}
LEVELS=${FF_SUITE_LEVELS:-1 2 3}
HEAPS=${FF_SUITE_HEAPS:-0 1}
TIMEOUT=${FF_SUITE_TIMEOUT:-900}
JOBS=${FF_SUITE_JOBS:-2}

# Suite-side adaptations, all as build flags (docs/ff-suite.md "Adaptations"):
# - zero-initialised automatic variables: i073 and i075 send a 64-bit address as 4 bytes into
#   an uninitialised addr_t of the NS side, whose upper half must then be 0;
# - the suite's log formatter asserts an LP64 layout unless STATIC_ASSERT_CHECKS is set;
# - warnings are the suite's own (pointer-to-int casts of addresses for printing): not ours.
zero_init_flag() {
    for f in -ftrivial-auto-var-init=zero \
             "-ftrivial-auto-var-init=zero -enable-trivial-auto-var-init-zero-knowing-it-will-be-removed-from-clang"; do
        # shellcheck disable=SC2086
        if echo 'int f(void){int x; return x;}' | $CC $f -Werror -w -x c -c -o /dev/null - 2>/dev/null; then
            echo "$f"
            return
        fi
    done
    echo "ff-suite: error: $CC cannot zero-initialise automatic variables (-ftrivial-auto-var-init=zero: gcc 12, clang 16)" >&2
    exit 2
}
ZERO_INIT=$(zero_init_flag)

# The sources a test's test.cmake lists under VAR (CC_SOURCE or CC_SOURCE_SPE).
test_sources() { # test_dir var
    awk -v var="$2" '
        on && /\)/ { on = 0; next }
        on { for (i = 1; i <= NF; i++) print $i; next }
        $1 == "list(APPEND" && $2 == var { on = 1 }' "$1/test.cmake"
}

# compile GROUP FLAGS... -- SOURCES...: objects, $JOBS at a time; prints their paths. Only
# the few sources that read PLATFORM_PSA_ISOLATION_LEVEL differ between the levels of one list
# and heap setting: the others are compiled once, into $SHARED_OBJ, for every level.
compile() {
    local group=$1 src obj failed=0
    local -a flags=() objs=()
    shift
    while [[ $1 != -- ]]; do flags+=("$1"); shift; done
    shift
    mkdir -p "$LEVEL_OBJ/$group" "$SHARED_OBJ/$group"
    for src in "$@"; do
        if grep -q PLATFORM_PSA_ISOLATION_LEVEL "$src"; then
            obj=$LEVEL_OBJ/$group/$(basename "${src%.c}").o
        else
            obj=$SHARED_OBJ/$group/$(basename "${src%.c}").o
        fi
        objs+=("$obj")
        [ -f "$obj" ] && continue
        while (( $(jobs -rp | wc -l) >= JOBS )); do wait -n || failed=1; done
        "$CC" "${flags[@]}" -c "$src" -o "$obj" &
    done
    while (( $(jobs -rp | wc -l) > 0 )); do wait -n || failed=1; done
    if (( failed )); then
        echo "ff-suite: error: compiling the suite failed (see above)" >&2
        exit 2
    fi
    echo "${objs[@]}"
}

link_image() { # out objects...
    out=$1; shift
    # shellcheck disable=SC2046
    if ! $CC -shared -fPIC -o "$out" "$@"; then
        echo "ff-suite: error: linking $out failed" >&2
        exit 2
    fi
}

# build LIST HEAP LEVEL DIR: the manifests, headers, test list and four images of one
# configuration.
build() {
    list=$1 heap=$2 level=$3 dir=$4
    rm -rf "$dir" && mkdir -p "$dir/manifests" "$dir/gen"
    if [ "$list" = stateless ]; then cb=false; stateless=1; db=stateless_rot_testsuite.db
    else cb=true; stateless=0; db=testsuite.db; fi
    for m in "$HERE"/manifests/*.yaml; do
        # Without SP_HEAP_MEM_SUPP the partitions declare no heap (the suite's own
        # manifest_update.py does the same to its manifests).
        sed -e "s/@CONNECTION_BASED@/$cb/" \
            -e "$( [ "$heap" = 1 ] && echo 's/^heap_size:/&/' || echo '/^heap_size:/d')" \
            "$m" > "$dir/manifests/$(basename "$m")"
    done
    "$FFM_BUILD/ffm-manifest" -m "$dir/manifests/list.yaml" -o "$dir/gen" >/dev/null
    "$PYTHON" "$API/tools/scripts/gen_tests_list.py" ipc "$API/ff/ipc/$db" 1 ALL \
        "$dir/testlist.txt" "$dir/test_entry_list.inc" "$dir/test_entry_fn_declare_list.inc" \
        "$dir/client_tests_list_declare.inc" "$dir/client_tests_list.inc" \
        "$dir/server_tests_list_declare.inc" "$dir/server_tests_list.inc" None None >/dev/null

    local -a f=(-g -O0 -fPIC -std=gnu11 -w $ZERO_INIT
        -DPSA_CMAKE_BUILD -DIPC -DVERBOSITY=3 -DPLATFORM_PSA_ISOLATION_LEVEL="$level"
        -Dtgt_ff_ffmsim -DSPEC_VERSION=11 -DSTATELESS_ROT="$stateless" -DSTATIC_ASSERT_CHECKS)
    [ "$heap" = 1 ] && f+=(-DSP_HEAP_MEM_SUPP)
    f+=(-I"$HERE/pal" -I"$dir" -I"$dir/gen" -I"$FFM_INCLUDE" -I"$API/val/common"
        -I"$API/val/nspe" -I"$API/val/spe" -I"$API/platform/targets/common/nspe"
        -I"$API/platform/targets/common/nspe/crypto" -I"$API/ff/partition" -I"$VC/inc")

    local ns_tests= client_tests= server_tests= t td s
    for t in $(cat "$dir/testlist.txt"); do
        td=$API/ff/ipc/$t
        for s in $(test_sources "$td" CC_SOURCE); do ns_tests="$ns_tests $td/$s"; done
        for s in $(test_sources "$td" CC_SOURCE_SPE); do
            case $s in
            test_supp*) server_tests="$server_tests $td/$s" ;;
            *) client_tests="$client_tests $td/$s" ;;
            esac
        done
    done
    local vc_srcs="$VC/src/val_common_log.c $VC/src/val_common_status.c $VC/src/val_common_framework.c $VC/src/val_common_peripherals.c"
    local val_ns="val_platform val_entry val_dispatcher val_framework val_crypto val_interfaces val_peripherals val_attestation val_storage"
    set -- "${f[@]}"
    LEVEL_OBJ=$dir/obj
    # shellcheck disable=SC2046,SC2086
    ns_objs=$(compile ns "$@" -DVAL_NSPE_BUILD -DWATCHDOG_AVAILABLE -- \
                  $(for v in $val_ns; do echo "$API/val/nspe/$v.c"; done))
    # shellcheck disable=SC2086
    ns_objs="$ns_objs $(compile nstest "$@" -DNONSECURE_TEST_BUILD -- $ns_tests)"
    # shellcheck disable=SC2086
    ns_objs="$ns_objs $(compile nspal "$@" -- "$HERE/pal/pal_ffmsim_ns.c" $vc_srcs)"
    # shellcheck disable=SC2086
    drv_objs=$(compile driver "$@" -- "$API/val/spe/val_driver_service_apis.c" \
                   "$API/ff/partition/driver_partition.c" "$HERE/pal/pal_ffmsim_spe.c" $vc_srcs)
    # shellcheck disable=SC2086
    cli_objs=$(compile client "$@" -- "$API/ff/partition/client_partition.c" $client_tests)
    # shellcheck disable=SC2086
    srv_objs=$(compile server "$@" -- "$API/ff/partition/server_partition.c" $server_tests)
    # shellcheck disable=SC2086
    link_image "$dir/ns.so" $ns_objs
    # shellcheck disable=SC2086
    link_image "$dir/driver_partition.so" $drv_objs
    # shellcheck disable=SC2086
    link_image "$dir/client_partition.so" $cli_objs
    # shellcheck disable=SC2086
    link_image "$dir/server_partition.so" $srv_objs
}

# run DIR LEVEL: the suite under ffm-sim; its output in DIR/run.log, the run's time in
# DIR/seconds, ffm-sim's report in DIR/report.json.
run() {
    dir=$1 level=$2
    start=$(date +%s.%N)
    set +e
    "$FFM_BUILD/ffm-sim" -m "$dir/manifests/list.yaml" --platform "$HERE/platform.yaml" \
        --image "$dir/driver_partition.so" --image "$dir/client_partition.so" \
        --image "$dir/server_partition.so" --ns "$dir/ns.so" \
        --isolation "$level" --addr32 --panic reset --reset-loop 0 --max-resets 8 \
        --timeout "$TIMEOUT" --report "$dir/report.json" > "$dir/run.log" 2>&1
    echo $? > "$dir/status"
    set -e
    end=$(date +%s.%N)
    echo "$start $end" | awk '{ printf "%.1f\n", $2 - $1 }' > "$dir/seconds"
}

RESULTS=$OUT/results
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
configs=
for list in $LISTS; do
    for heap in $HEAPS; do
        SHARED_OBJ=$OUT/obj-$list-heap$heap
        rm -rf "$SHARED_OBJ"
        for level in $LEVELS; do
            name=$list-heap$heap-iso$level
            dir=$OUT/$name
            echo "ff-suite: $name: building"
            build "$list" "$heap" "$level" "$dir"
            echo "ff-suite: $name: running (ffm-sim --isolation $level, timeout ${TIMEOUT}s)"
            run "$dir" "$level"
            configs="$configs $name"
            # The suite's own report: from its regression summary to the end.
            sed -n '/REGRESSION REPORT/,$p' "$dir/run.log" | sed "s/^/  [$name] /"
        done
    done
done

# shellcheck disable=SC2086
"$PYTHON" "$HERE/report.py" --out "$RESULTS" --map "$HERE/rules.map" --root "$OUT" $configs
