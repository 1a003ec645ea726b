#!/bin/sh
# tfm_layout.sh - TF-M's whole partition layout (tests/fixtures/manifest/tfm_layout/: the default
# partitions, the NS mailbox agent with its client ID ranges, the regression test partitions
# with `model: dual` and weak dependencies) goes through ffm-manifest in both profiles, with
# every partition enabled but TFM_PARTITION_FLIH_TEST (which shares TFM_TIMER0_IRQ with
# TFM_PARTITION_SLIH_TEST, as in TF-M); then every _SID, _VERSION, _HANDLE, pid and signal macro
# of the generated headers equals the value TF-M's tool generates (expected.txt). Enabling both
# IRQ test partitions is refused, as TF-M's build refuses it. CMocka-style lines for
# scripts/run-tests.sh.
set -u
BUILD=${BUILD:-build}
MF=$BUILD/ffm-manifest
FIX=tests/fixtures/manifest/tfm_layout
OUT=$BUILD/tests/tfm_layout
pass=0
fail=0
ok() { echo "[       OK ] $1"; pass=$((pass + 1)); }
ko() { echo "[  FAILED  ] $1"; shift; echo "    $*"; fail=$((fail + 1)); }

# defines FLIH: -D for every conditional of the list, FLIH_TEST set to $1.
defines() {
    for c in $(sed -n 's/^ *conditional: "\(.*\)"$/\1/p' "$FIX/list.yaml" | sort -u); do
        v=1
        [ "$c" = TFM_PARTITION_FLIH_TEST ] && v=$1
        printf ' -D %s=%s' "$c" "$v"
    done
}

# value_of DIR HEADER MACRO: the macro's value in decimal, from `#define MACRO (VALUE[U])`.
value_of() {
    f=$(find "$1" -name "$2" | head -1)
    [ -n "$f" ] || { echo "no-header"; return; }
    v=$(sed -n "s/^#define $3 (\([-0-9a-fA-Fx]*\)U\{0,1\})\$/\1/p" "$f" | head -1)
    [ -n "$v" ] || { echo "no-macro"; return; }
    printf '%d' "$v"
}

for profile in spec tfm; do
    dir=$OUT/$profile
    rm -rf "$dir"
    mkdir -p "$dir"
    # shellcheck disable=SC2046
    if ! "$MF" --profile $profile -m "$FIX/list.yaml" -o "$dir" $(defines 0) --backend ipc \
            > "$dir.log" 2>&1; then
        ko "tfm_layout_loads_$profile" "$(head -5 "$dir.log")"
        continue
    fi
    if [ -s "$dir.log" ]; then
        ko "tfm_layout_loads_$profile" "diagnostics: $(head -3 "$dir.log")"
        continue
    fi
    ok "tfm_layout_loads_$profile"
    bad=""
    n=0
    while read -r header macro want; do
        case $header in '#'*|'') continue ;; esac
        n=$((n + 1))
        got=$(value_of "$dir" "$header" "$macro")
        [ "$got" = "$want" ] || bad="$bad $header:$macro=$got(want $want)"
    done < "$FIX/expected.txt"
    if [ -z "$bad" ] && [ $n -gt 100 ]; then
        ok "tfm_layout_values_equal_tfm_$profile"
    else
        ko "tfm_layout_values_equal_tfm_$profile" "$n checked;$(echo "$bad" | cut -c1-400)"
    fi
done

# `model: dual` follows the backend (IPC above with --backend): SFN when the config says so.
# shellcheck disable=SC2046
if "$MF" -m "$FIX/list.yaml" -o "$OUT/sfn" $(defines 0) -D CONFIG_TFM_SPM_BACKEND_SFN=1 \
        > "$OUT/sfn.log" 2>&1 &&
   grep -q "^#define TFM_SP_PS_TEST_MODEL_SFN 1$" "$(find "$OUT/sfn" -name tfm_ps_test_service.h)" &&
   grep -q "^#define TFM_SP_PS_TEST_MODEL_SFN 0$" "$(find "$OUT/spec" -name tfm_ps_test_service.h)"; then
    ok tfm_layout_dual_follows_the_backend
else
    ko tfm_layout_dual_follows_the_backend "$(head -3 "$OUT/sfn.log")"
fi

# Both IRQ test partitions: TFM_TIMER0_IRQ twice (MAN-28), as TF-M refuses.
# shellcheck disable=SC2046
"$MF" -m "$FIX/list.yaml" -o "$OUT/both" $(defines 1) --backend ipc > "$OUT/both.log" 2>&1
rc=$?
if [ $rc -eq 2 ] && grep -q "irqs\[0\]\.source: source TFM_TIMER0_IRQ already used at .* \[MAN-28\]" "$OUT/both.log"; then
    ok tfm_layout_slih_and_flih_tests_share_an_irq
else
    ko tfm_layout_slih_and_flih_tests_share_an_irq "exit $rc: $(head -3 "$OUT/both.log")"
fi

echo "[  PASSED  ] $pass test(s)."
[ $fail -eq 0 ] || echo "[  FAILED  ] $fail test(s)"
[ $fail -eq 0 ]
