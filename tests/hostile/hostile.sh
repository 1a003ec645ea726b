#!/bin/sh
# hostile.sh - every hostile input case of docs/hostile-inputs.md, run for real: manifests,
# config headers, platform files, command-line options, images and NVMEM files given to
# ffm-manifest and ffm-sim. Each case's row (input, case, exit status, stderr line count, first
# stderr line) is generated from the run and must equal its row in the committed table, so the
# table cannot drift from the behaviour. `make hostile-table` rewrites the table from a run
# (HOSTILE_WRITE=FILE). Prints CMocka-style lines for scripts/run-tests.sh.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
SIM=$BUILD/ffm-sim
MF=$BUILD/ffm-manifest
TABLE=docs/hostile-inputs.md
W=$BUILD/hostile                # work directory; shown as TMP in the table
GEN=$W/table.md
IMG_CFLAGS="-std=c11 -Wall -Wextra -Werror -pedantic -Iinclude"
case $(uname -s) in
    Darwin) SOFLAGS="-shared -fPIC -undefined dynamic_lookup" ;;
    *) SOFLAGS="-shared -fPIC" ;;
esac
if command -v timeout > /dev/null 2>&1; then BOUND="timeout -k 5 30"; else BOUND=""; fi
pass=0
fail=0

for tool in "$SIM" "$MF"; do
    if [ ! -x "$tool" ]; then
        echo "[  FAILED  ] setup: $tool is not built"
        echo "[  FAILED  ] 1 test(s)"
        exit 1
    fi
done
rm -rf "$W"
mkdir -p "$W"

# row INPUT CASE COMMAND...: run COMMAND (stdout discarded), make the case's table row, and
# check it against the committed table. Code offsets (function+0x1c) depend on the compiler and
# its flags: shown as +0x.. .
row() {
    input=$1; what=$2; shift 2
    # shellcheck disable=SC2086
    $BOUND "$@" > /dev/null 2> "$W/err"
    rc=$?
    lines=$(wc -l < "$W/err" | tr -d ' ')
    first=$(head -n 1 "$W/err" | sed -e "s#$W#TMP#g" -e 's#+0x[0-9a-f]\{1,\} #+0x.. #g' -e 's#|#\\|#g' -e 's#`#'"'"'#g')
    r="| $input | $what | $rc | $lines | \`$first\` |"
    echo "$r" >> "$GEN"
    if [ -n "${HOSTILE_WRITE:-}" ] || grep -Fqx -- "$r" "$TABLE"; then
        echo "[       OK ] $input: $what"
        pass=$((pass + 1))
    else
        echo "[  FAILED  ] $input: $what"
        echo "    got:      $r"
        echo "    in $TABLE: $(grep -F -- "| $input | $what |" "$TABLE" || echo none)"
        fail=$((fail + 1))
    fi
}

section() {
    printf '\n### %s\n\n| Input | Case | Exit | Lines | First line on stderr |\n|---|---|---|---|---|\n' \
        "$1" >> "$GEN"
}

# ------------------------------------------------------------------ inputs
# Repeat a string N times (awk: no Python or Perl needed).
repeat() { awk -v s="$1" -v n="$2" 'BEGIN { for (i = 0; i < n; i++) printf "%s", s }'; }

# A manifest or platform file nested 100,000 levels, and one with 60,000 keys in one mapping.
{ printf 'name: '; repeat '[' 100000; printf '\n'; } > "$W/deep.yaml"
awk 'BEGIN { print "watchdog:"; for (i = 0; i < 60000; i++) printf "  k%d: 1\n", i }' \
    > "$W/wide.yaml"
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "k%d: 1\n", i }' > "$W/wide_manifest.yaml"
{ printf '# '; repeat x 1100000; printf '\n'; } > "$W/big.yaml"
printf 'name: A\nname: B\n' > "$W/dupkey.yaml"
printf 'name: [\n' > "$W/syntax.yaml"
M=tests/fixtures/manifest
# 33 partitions: one more than the SPM core's maximum.
i=0
while [ $i -lt 33 ]; do
    printf 'psa_framework_version: 1.1\nname: P%d\ntype: APPLICATION-ROT\npriority: NORMAL\nmodel: SFN\nstack_size: 0x400\nservices:\n  - {name: S%d, sid: 0x%x, non_secure_clients: true, connection_based: true, version: 1}\n' \
        $i $i $((0x1000 + i)) > "$W/p$i.yaml"
    i=$((i + 1))
done
PARTS=$(i=0; while [ $i -lt 33 ]; do printf '%s ' "$W/p$i.yaml"; i=$((i + 1)); done)
{ echo "manifest_list:"; for p in $PARTS; do echo "  - {description: x, manifest: $(basename "$p")}"; done; } \
    > "$W/list33.yaml"
# Config headers.
{ printf '// '; repeat x 1020; printf '#define EVIL 1\n'; } > "$W/long_comment.h"
printf '#include "other.h"\n' > "$W/include.h"
printf '#if EVIL_LEVEL > 1\n#define EVIL 1\n#endif\n' > "$W/if_expr.h"
printf '#define EVIL 1 /* never closed\n' > "$W/comment.h"
printf '#define EVIL(x) 1\n' > "$W/function.h"
awk 'BEGIN { for (i = 0; i < 60000; i++) printf "#define A%d 1\n", i; print "#define EVIL 1" }' \
    > "$W/many_defines.h"
# Platform files.
printf 'regions:\n  - {name: R, size: 0x100000000, security: secure, access: read-write}\n' \
    > "$W/region_4g.yaml"
awk 'BEGIN { print "regions:"; for (i = 0; i < 5; i++) printf "  - {name: R%d, size: 0x10000000, security: secure, access: read-write}\n", i }' \
    > "$W/regions_total.yaml"
printf 'regions:\n  - {name: NV, size: 0x8000000, security: secure, access: read-write, persistent: true}\n' \
    > "$W/nvmem_128m.yaml"
printf 'colour: blue\n' > "$W/unknown_key.yaml"
printf 'regions:\n  - {name: A, size: 0x1000, security: secure, access: read-write}\n' \
    > "$W/no_nvmem.yaml"
# Images: the ctor integration case's partition (plain and with a hostile constructor) and NS.
C=tests/integration/ctor
mkdir -p "$W/gen"
"$MF" -m $C/list.yaml -o "$W/gen" > /dev/null 2>&1 || echo "cannot generate the ctor headers"
img() {
    n=$1; src=$2; shift 2
    # shellcheck disable=SC2086
    $CC $IMG_CFLAGS -I"$W/gen" $SOFLAGS "$@" -o "$W/$n.so" "$src" > "$W/$n.log" 2>&1 ||
        cat "$W/$n.log"
}
img ok $C/ctor_sp.c
img crash $C/ctor_sp.c -DCTOR_MODE=1
img exit $C/ctor_sp.c -DCTOR_MODE=2
img spin $C/ctor_sp.c -DCTOR_MODE=3
img ns $C/ns.c
img undef tests/fixtures/sim/img_undef.c
L="-m $C/list.yaml"
printf 'x' > "$W/nvmem_short.bin"
mkdir -p "$W/nvmem_dir.bin"
: > "$GEN"

# ------------------------------------------------------------------ cases
section "Manifests and manifest lists (ffm-manifest; ffm-sim reads them the same way)"
row manifest "missing file" "$MF" -o "$W/out" "$W/no_such.yaml"
row manifest "a directory" "$MF" -o "$W/out" "$W"
row manifest "/dev/zero" "$MF" -o "$W/out" /dev/zero
row manifest "larger than 1 MiB" "$MF" -o "$W/out" "$W/big.yaml"
row manifest "YAML syntax error" "$MF" -o "$W/out" "$W/syntax.yaml"
row manifest "nested 100,000 levels" "$MF" -o "$W/out" "$W/deep.yaml"
row manifest "60,000 keys in one mapping" "$MF" -o "$W/out" "$W/wide_manifest.yaml"
row manifest "duplicate key" "$MF" -o "$W/out" "$W/dupkey.yaml"
row manifest "alias bomb" "$MF" -o "$W/out" $M/bad/man10_alias_bomb.yaml
row manifest "33 partitions (core maximum 32)" "$MF" -o "$W/out" $PARTS
row manifest "33 partitions, under ffm-sim" "$SIM" -m "$W/list33.yaml" --ns "$W/ns.so"
mkdir -p "$W/blocked/psa_manifest/pid.h/x"
row manifest "output pid.h blocked by a directory" "$MF" -o "$W/blocked" $C/ctor_sp.yaml

section "Config headers (ffm-manifest -c)"
CL="-m $M/config/list.yaml -o $W/out"
row config "long comment line ending in #define EVIL 1" "$MF" $CL -c "$W/long_comment.h"
row config "#include" "$MF" $CL -c "$W/include.h"
row config "#if with an expression" "$MF" $CL -c "$W/if_expr.h"
row config "unterminated comment" "$MF" $CL -c "$W/comment.h"
row config "function-like macro" "$MF" $CL -c "$W/function.h"
row config "60,000 #defines, then EVIL" "$MF" $CL -c "$W/many_defines.h"
row config "a directory" "$MF" $CL -c "$W"
row config "/dev/zero" "$MF" $CL -c /dev/zero
row config "missing file" "$MF" $CL -c "$W/no_such.h"

section "Platform files (ffm-sim --platform)"
P="$SIM $L --image $W/ok.so --ns $W/ns.so --platform"
row platform "missing file" $P "$W/no_such.yaml"
row platform "a directory" $P "$W"
row platform "/dev/zero" $P /dev/zero
row platform "nested 100,000 levels" $P "$W/deep.yaml"
row platform "60,000 keys in one mapping" $P "$W/wide.yaml"
row platform "YAML syntax error" $P "$W/syntax.yaml"
row platform "unknown key" $P "$W/unknown_key.yaml"
row platform "region of 4 GiB" $P "$W/region_4g.yaml"
row platform "regions adding up to 1.25 GiB" $P "$W/regions_total.yaml"
row platform "NVMEM region of 128 MiB" $P "$W/nvmem_128m.yaml"

section "Command-line options"
row options "ffm-manifest: unknown option" "$MF" --frobnicate
row options "ffm-manifest: -D with a bad name" "$MF" -D =1 $C/ctor_sp.yaml
row options "ffm-manifest: nothing to read" "$MF"
row options "ffm-sim: unknown option" "$SIM" --frobnicate
row options "ffm-sim: --timeout not a number" "$SIM" $L --ns "$W/ns.so" --timeout soon
row options "ffm-sim: --panic not a policy" "$SIM" $L --ns "$W/ns.so" --panic later
row options "ffm-sim: no --ns" "$SIM" $L
row options "ffm-sim: no -m" "$SIM" --ns "$W/ns.so"

section "Images (ffm-sim --image, --ns)"
row images "missing image" "$SIM" $L --image "$W/no_such.so" --ns "$W/ns.so"
row images "not a shared object" "$SIM" $L --image $C/list.yaml --ns "$W/ns.so"
row images "a directory" "$SIM" $L --image "$W" --ns "$W/ns.so"
row images "undefined symbol" "$SIM" $L --image "$W/undef.so" --ns "$W/ns.so"
row images "same image twice" "$SIM" $L --image "$W/ok.so" --image "$W/ok.so" --ns "$W/ns.so"
row images "symbol defined by two images" "$SIM" $L --image "$W/ok.so" --image "$W/crash.so" \
    --ns "$W/ns.so"
row images "NS entry not defined" "$SIM" $L --image "$W/ok.so" --ns "$W/ns.so" --ns-entry nope
row images "constructor faults (--panic halt)" "$SIM" $L --image "$W/crash.so" --ns "$W/ns.so" \
    --panic halt
row images "constructor calls exit(0) (--panic halt)" "$SIM" $L --image "$W/exit.so" \
    --ns "$W/ns.so" --panic halt
row images "constructor never returns (--timeout 1)" "$SIM" $L --image "$W/spin.so" \
    --ns "$W/ns.so" --timeout 1

section "NVMEM files (ffm-sim --nvmem)"
N="$SIM $L --image $W/ok.so --ns $W/ns.so --nvmem"
row nvmem "file of the wrong size" $N "$W/nvmem_short.bin"
row nvmem "a directory" $N "$W/nvmem_dir.bin"
row nvmem "in a missing directory" $N "$W/no_such_dir/nv.bin"
row nvmem "platform without NVMEM" $N "$W/nv.bin" --platform "$W/no_nvmem.yaml"

# ------------------------------------------------------------------ the table as a whole
HEAD='# Hostile inputs: what ffm-manifest and ffm-sim answer

Every row below is produced by running the case (`tests/hostile/hostile.sh`, part of
`make test`): the test fails if a row differs from the behaviour, so this page cannot drift.
`make hostile-table` rewrites it from a run. `TMP` stands for the directory the inputs were
generated in. Exit statuses: 0 success; 1 I/O failure (ffm-manifest) or internal failure
(ffm-sim); 2 bad input; 3 halted; 4 reset limit (docs/ffm-sim.md, docs/manifest.md). Limits
are defined once, in `src/core/ffm_limits.h`, for both tools.

Measured on the development machine (2 cores), `/usr/bin/time -v build/ffm-sim -m LIST --ns
NS.so --platform FILE`: a platform file nested 100,000 levels is refused in 0.03 s with a
maximum resident size of 2.1 MB, one with 60,000 keys in one mapping in 0.03 s and 2.8 MB
(both: the reader stops where the limit is passed).'
if [ -n "${HOSTILE_WRITE:-}" ]; then
    { printf '%s\n' "$HEAD"; cat "$GEN"; } > "$HOSTILE_WRITE"
    echo "wrote $HOSTILE_WRITE"
elif [ "$(grep -c '^| [a-z]* | ' "$TABLE")" -ne "$(grep -c '^| [a-z]* | ' "$GEN")" ]; then
    echo "[  FAILED  ] table: $TABLE has rows no case produces (run make hostile-table)"
    fail=$((fail + 1))
else
    echo "[       OK ] table: every row of $TABLE comes from a case"
    pass=$((pass + 1))
fi
echo "[==========] $((pass + fail)) test(s) run."
[ $pass -gt 0 ] && echo "[  PASSED  ] $pass test(s)."
[ $fail -gt 0 ] && echo "[  FAILED  ] $fail test(s), listed above:"
[ $fail -eq 0 ]
