#!/bin/bash -eu
# build.sh - build every fuzz target the way OSS-Fuzz / ClusterFuzzLite expect: compiled with
# $CC $CFLAGS, linked with $LIB_FUZZING_ENGINE, and left in $OUT with <target>.dict,
# <target>.options and <target>_seed_corpus.zip (fuzz/fuzz.mk, `make fuzz-dist`).
#
# Under ClusterFuzzLite it runs in $SRC/ffmsim (the Dockerfile's WORKDIR). By hand, from the
# project or from anywhere, e.g.:
#   CC=clang CXX=clang++ CFLAGS="-fsanitize=address,fuzzer-no-link" \
#   LIB_FUZZING_ENGINE=-fsanitize=fuzzer OUT="$PWD/out" SRC=.. .clusterfuzzlite/build.sh
if [ -f Makefile ] && [ -f fuzz/fuzz.mk ]; then
    project=$PWD
else
    project=$(cd "$(dirname "$0")/.." && pwd)
fi
mkdir -p "$OUT"
out=$(cd "$OUT" && pwd)
cd "$project"
# A build tree of its own, so the engine's flags never mix with `make fuzz` objects.
make --no-print-directory -j"$(nproc 2>/dev/null || echo 2)" fuzz-dist BUILD=build/oss-fuzz \
    FUZZ_CC="$CC" FUZZ_CFLAGS="$CFLAGS" FUZZ_ENGINE="$LIB_FUZZING_ENGINE" FUZZ_DIST="$out"
