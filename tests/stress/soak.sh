#!/bin/sh
# soak.sh - the reset soak: ffm-sim resets the system again and again (ffm_platform_reset from
# NS at every boot) with an --nvmem file, SOAK_BOOTS boots (200; 1000 with STRESS=1). Every
# boot checks that the NVMEM history of all earlier boots survived and records its open fds
# (inherited from the supervisor) and the supervisor's RSS; the last boot fails the run when
# the fds changed or the RSS grew more than 1 MiB after boot 10 (more under ThreadSanitizer,
# see below). The file is checked after the run too. Prints CMocka-style lines for
# scripts/run-tests.sh.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
SIM=$BUILD/ffm-sim
OUT=$BUILD/tests/stress/soak
S=tests/stress/soak
case $(uname -s) in
    Darwin) SOFLAGS="-shared -fPIC -undefined dynamic_lookup" ;;
    *) SOFLAGS="-shared -fPIC" ;;
esac
CFLAGS_IMG="-std=c11 -Wall -Wextra -Werror -pedantic -Iinclude -I$OUT/gen -I$S ${IMG_EXTRA_CFLAGS:-}"
if [ "${STRESS:-}" = 1 ]; then BOOTS=1000; else BOOTS=200; fi
# ThreadSanitizer's own bookkeeping grows the supervisor's RSS by about 4 KiB per boot (808 KiB
# over 190 boots; flat in plain and ASan builds, and LeakSanitizer finds no leak there): allow
# 8 KiB per boot on top of the 1 MiB under TSan, so that a real leak still shows.
case "${SAN:-}" in
    *thread*) SOAK_RSS_GROWTH_KB=$((1024 + 8 * BOOTS)) ;;
    *) SOAK_RSS_GROWTH_KB=1024 ;;
esac
pass=0
fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
ko() { echo "[  FAILED  ] $1"; shift; echo "    $*"; fail=$((fail + 1)); }

echo "[==========] Running the reset soak ($BOOTS boots)."
mkdir -p "$OUT"
# shellcheck disable=SC2086
if "$BUILD/ffm-manifest" -m $S/list.yaml -o "$OUT/gen" > "$OUT/gen.log" 2>&1 &&
    $CC $CFLAGS_IMG $SOFLAGS -o "$OUT/soak_sp.so" $S/soak_sp.c > "$OUT/build.log" 2>&1 &&
    $CC $CFLAGS_IMG $SOFLAGS -o "$OUT/soak_ns.so" $S/soak_ns.c >> "$OUT/build.log" 2>&1; then
    rm -f "$OUT/nvmem.bin"
    start=$(date +%s)
    SOAK_BOOTS=$BOOTS SOAK_RSS_GROWTH_KB=$SOAK_RSS_GROWTH_KB "$SIM" -m $S/list.yaml --image "$OUT/soak_sp.so" --ns "$OUT/soak_ns.so" \
        --nvmem "$OUT/nvmem.bin" --timeout 600 --log error > "$OUT/soak.out" 2> "$OUT/soak.err"
    rc=$?
    secs=$(($(date +%s) - start))
    cat "$OUT/soak.out"
    if [ $rc -eq 0 ] && grep -q "^soak: $BOOTS boots, NVMEM history intact, " "$OUT/soak.out"; then
        ok reset_soak_nvmem_fds_rss
        echo "    $BOOTS boots in ${secs} s"
    else
        ko reset_soak_nvmem_fds_rss "exit $rc; stderr (tail):"
        tail -n 5 "$OUT/soak.err" | sed 's/^/      /'
    fi
    if [ -n "${IMG_EXTRA_CFLAGS:-}" ] &&
        grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:|WARNING: ThreadSanitizer' \
            "$OUT/soak.err"; then
        ko reset_soak_sanitizer_reports_none "sanitizer report in $OUT/soak.err"
    fi
    # The file after the run: the magic and the boot count (little- or big-endian host).
    words=$(od -An -tu4 -N8 "$OUT/nvmem.bin" | tr -s ' ' | sed 's/^ //')
    if [ "$words" = "1397702987 $BOOTS" ]; then
        ok reset_soak_nvmem_file_after_the_run
    else
        ko reset_soak_nvmem_file_after_the_run "first words of $OUT/nvmem.bin: '$words'"
    fi
else
    ko reset_soak_build "cannot build the soak images:"
    cat "$OUT/gen.log" "$OUT/build.log" 2> /dev/null | head -20
fi
echo "[==========] $((pass + fail)) test(s) run."
[ $pass -gt 0 ] && echo "[  PASSED  ] $pass test(s)."
[ $fail -gt 0 ] && echo "[  FAILED  ] $fail test(s), listed above:"
[ $fail -eq 0 ]
