#!/bin/sh
# install.sh - `make install` into a staging DESTDIR, then the out-of-tree example
# (examples/echo/) built and run against the staged files only: with pkg-config and plain
# cc (the example's Makefile), and with the CMake package (shared and static libffmsim,
# ffmsim_add_partition, ffmsim_add_test); then `make uninstall` removes everything.
# Prints CMocka-style lines for scripts/run-tests.sh.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
ROOT=$(pwd)
. tests/install/stage.sh
STAGE="$ROOT/$BUILD/tests/install/stage"
mkdir -p "$BUILD/tests/install"
WORK=$(outside_tree)
trap 'rm -rf "$WORK"' EXIT INT TERM

# 1. install: every file in place, the man pages from --help.
if stage "$STAGE"; then
    missing=""
    for f in bin/ffm-manifest bin/ffm-sim include/psa/client.h include/psa/service.h \
             include/psa/error.h include/psa/lifecycle.h include/ffmsim/sim.h \
             include/ffmsim/platform.h include/ffmsim/ns.h include/ffmsim/desc.h \
             include/ffmsim/manifest.h lib/libffmsim.a lib/pkgconfig/ffmsim.pc \
             lib/cmake/ffmsim/ffmsimConfig.cmake lib/cmake/ffmsim/ffmsimConfigVersion.cmake \
             share/man/man1/ffm-sim.1 share/man/man1/ffm-manifest.1; do
        [ -f "$PREFIX_DIR/$f" ] || missing="$missing $f"
    done
    [ -n "$(find "$PREFIX_DIR/lib" -name 'libffmsim.so.*' -o -name 'libffmsim.*.dylib')" ] ||
        missing="$missing libffmsim(shared)"
    if [ -z "$missing" ] && grep -q -- '--max-resets' "$PREFIX_DIR/share/man/man1/ffm-sim.1"; then
        ok install_places_every_file
    else
        ko install_places_every_file "missing:$missing"
    fi
else
    ko install_places_every_file "make install-files failed"
fi
export PKG_CONFIG_PATH="$PREFIX_DIR/lib/pkgconfig"

# 2. the shared library exports the public API only (the names images bind to, flash devices
# included, and the API).
so=$(ls "$PREFIX_DIR"/lib/libffmsim.so.* 2>/dev/null | head -1)
if [ -n "$so" ] && command -v nm > /dev/null 2>&1; then
    extra=$(nm -D --defined-only "$so" | awk '$2 ~ /^[TDBR]$/ { sub(/@.*/, "", $3); print $3 }' |
            grep -v -E '^(psa_|ffm_platform_|ffm_ns_|ffm_flash_|Driver_FLASH[0-3]$|ffm_sim_|ffm_manifest_|ffm_rule_|ffm_sl_|ffm_handle_|ffm_conn_handle_)')
    if [ -z "$extra" ] && nm -D --defined-only "$so" | grep -q ' T psa_call@'; then
        ok shared_library_exports_the_api_only
    else
        ko shared_library_exports_the_api_only "unexpected exports: $(echo $extra | head -c 200)"
    fi
fi

# 3. the example with pkg-config and cc: images under the installed ffm-sim, and a program
#    linked with libffmsim running the same system in-process.
cp -R examples/echo "$WORK/pc"
if (cd "$WORK/pc" && env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make run CC="$CC") \
       > "$WORK/pc.log" 2>&1 &&
   [ "$(grep -c "^echo: 5 'hello'" "$WORK/pc.log")" = 2 ] &&
   grep -q '^embed: ns_main returned 0' "$WORK/pc.log"; then
    ok example_with_pkg_config
else
    ko example_with_pkg_config "$(tail -5 "$WORK/pc.log")"
fi

# 4. the example with CMake: find_package(ffmsim), ffmsim_add_partition, ffmsim_add_test,
#    ffmsim::ffmsim shared and then static.
if command -v cmake > /dev/null 2>&1; then
    for kind in shared static; do
        use_static=OFF
        [ $kind = static ] && use_static=ON
        src="$WORK/cm-$kind"
        cp -R examples/echo "$src"
        rm -f "$src/Makefile"
        log="$WORK/cm-$kind.log"
        if (cmake -S "$src" -B "$src/b" -DCMAKE_C_COMPILER="$CC" \
                -DCMAKE_PREFIX_PATH="$PREFIX_DIR" -DFFMSIM_USE_STATIC=$use_static &&
            cmake --build "$src/b" &&
            cd "$src/b" && ctest --output-on-failure) > "$log" 2>&1 &&
           grep -q '100% tests passed, 0 tests failed out of 2' "$log"; then
            linked=$(readelf -d "$src/b/embed" 2>/dev/null | grep -c 'libffmsim')
            if [ $kind = static ] && [ "$linked" != 0 ]; then
                ko example_with_cmake_$kind "embed needs libffmsim.so with FFMSIM_USE_STATIC"
            elif [ $kind = shared ] && [ "$linked" = 0 ] && command -v readelf > /dev/null; then
                ko example_with_cmake_$kind "embed does not use libffmsim.so"
            else
                ok example_with_cmake_$kind
            fi
        else
            ko example_with_cmake_$kind "$(tail -8 "$log")"
        fi
    done
else
    ko example_with_cmake "cmake not found (scripts/install-deps.sh installs it)"
fi

# 5. uninstall removes every file install placed.
if env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s --no-print-directory uninstall \
       BUILD="$BUILD" CC="$CC" DESTDIR="$STAGE" PREFIX=/usr/local > "$WORK/un.log" 2>&1 &&
   [ -z "$(find "$STAGE" -type f -o -type l)" ]; then
    ok uninstall_removes_everything
else
    ko uninstall_removes_everything "left: $(find "$STAGE" -type f -o -type l | head -5)"
fi

summary
