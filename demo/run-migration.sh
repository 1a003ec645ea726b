#!/bin/sh
# run-migration.sh - `make run-migration`: the worked example of docs/migrating-to-stateless.md.
#   1. run the demo as written with --stateless-report: DEMO_HASH_STREAM "cannot (rhandle)",
#      DEMO_VERSION "can";
#   2. copy the demo manifests to $OUT and migrate DEMO_VERSION there with
#      ffm-manifest --migrate-stateless --report (DEMO_HASH_STREAM is refused);
#   3. regenerate the headers, rebuild every image against them (the NS application now calls
#      DEMO_VERSION through DEMO_VERSION_HANDLE), run the demo again;
#   4. compare what one DEMO_VERSION use costs the NS application, from the two traces.
# The checked-in manifests are never touched. Environment: BUILD, CC, CFLAGS_IMAGE (how make
# builds the demo images), IMAGE_LDFLAGS.
set -eu
BUILD=${BUILD:-build}
CC=${CC:-cc}
CFLAGS_IMAGE=${CFLAGS_IMAGE:--std=c99 -O2 -g -Wall -Wextra -Werror -pedantic -Werror=implicit-function-declaration}
IMAGE_LDFLAGS=${IMAGE_LDFLAGS:--shared -fPIC}
OUT=$BUILD/migration
SIM=$BUILD/ffm-sim
MF=$BUILD/ffm-manifest
COST=$BUILD/demo/call_cost
PARTS="storage platform crypto session version"
VERSION_SID=0xD050

# run NAME LIST IMAGE_DIR: the demo under ffm-sim with a trace and the stateless report.
run() {
    images=""
    for p in $PARTS; do images="$images --image $3/demo_$p.so"; done
    # shellcheck disable=SC2086
    "$SIM" -m "$2" --platform manifests/demo/demo_board.yaml $images --ns "$3/ns_app.so" \
        --trace "$OUT/$1.json" --stateless-report "$OUT/report-$1.md" --timeout 120 \
        > "$OUT/$1.out" 2> "$OUT/$1.err" || {
        echo "run-migration: the $1 run failed; see $OUT/$1.out and $OUT/$1.err" >&2
        exit 1
    }
}

# The services table of a report, without the long reasons.
table() {
    sed -n '/^| Service/,/^$/p' "$1" | cut -d'|' -f2,5,6,7,8,10,13 | sed 's/^/  /'
}

rm -rf "$OUT"
mkdir -p "$OUT/manifests" "$OUT/images"

echo "== 1. the demo as written, with ffm-sim --stateless-report $OUT/report-before.md"
run before manifests/demo/demo_manifest_list.yaml "$BUILD/demo"
table "$OUT/report-before.md"

echo "== 2. migrate DEMO_VERSION in a copy of the manifests ($OUT/manifests)"
cp manifests/demo/*.yaml "$OUT/manifests/"
echo "\$ ffm-manifest --migrate-stateless DEMO_HASH_STREAM --report $OUT/report-before.json ..."
if "$MF" --migrate-stateless DEMO_HASH_STREAM --report "$OUT/report-before.json" \
    "$OUT/manifests/demo_session.yaml"; then
    echo "run-migration: DEMO_HASH_STREAM should have been refused" >&2
    exit 1
fi
echo "\$ ffm-manifest --migrate-stateless DEMO_VERSION --report $OUT/report-before.json ..."
"$MF" --migrate-stateless DEMO_VERSION --report "$OUT/report-before.json" \
    "$OUT/manifests/demo_version.yaml"
diff -u manifests/demo/demo_version.yaml "$OUT/manifests/demo_version.yaml" || true

echo "== 3. regenerate the headers, rebuild the images, run again"
"$MF" -m "$OUT/manifests/demo_manifest_list.yaml" -o "$OUT/gen"
grep DEMO_VERSION_HANDLE "$OUT/gen/psa_manifest/sid.h"
inc="-Iinclude -Idemo/include -Idemo/lib -I$OUT/gen"
for p in $PARTS; do
    libs=""
    case $p in
    storage) libs="demo/lib/its_store.c demo/lib/crc32.c" ;;
    crypto | session) libs="demo/lib/sha256.c" ;;
    esac
    # shellcheck disable=SC2086
    $CC $CFLAGS_IMAGE $inc $IMAGE_LDFLAGS -o "$OUT/images/demo_$p.so" \
        "demo/partitions/demo_$p.c" $libs
done
# shellcheck disable=SC2086
$CC $CFLAGS_IMAGE $inc $IMAGE_LDFLAGS -o "$OUT/images/ns_app.so" demo/ns/ns_app.c
run after "$OUT/manifests/demo_manifest_list.yaml" "$OUT/images"
grep -E "DEMO_VERSION|demo complete" "$OUT/after.out" | sed 's/^/  /'
table "$OUT/report-after.md"

echo "== 4. what one DEMO_VERSION use costs the NS application (from the traces)"
handle=$(sed -n 's/^#define DEMO_VERSION_HANDLE (\(0x[0-9A-Fa-f]*\)U)$/\1/p' "$OUT/gen/psa_manifest/sid.h")
printf "  before (connect + call + close): "
"$COST" "$OUT/before.json" "$VERSION_SID"
printf "  after  (psa_call on %s): " "$handle"
"$COST" "$OUT/after.json" "$VERSION_SID" "$handle"
echo "== traces: $OUT/before.json, $OUT/after.json (open them in https://ui.perfetto.dev)"
