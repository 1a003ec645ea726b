#!/bin/sh
# doc_snippets.sh - the user guide's examples cannot go stale: every fenced block of
# docs/ffm-sim.md (and docs/install.md) marked for testing is run, in document order, in a fresh
# empty directory outside the tree, against a staged install of this build (tools on PATH,
# pkg-config finding ffmsim, `cc` being $CC). Markers on the opening fence:
#
#   ```LANG file=NAME   the block is saved as NAME (relative to the directory)
#   ```sh test          the block is run with `sh -e`; it must exit 0
#   ```text output      every line must appear in the previous test block's output (stdout and
#                       stderr), each as a whole line; order is not checked (the two streams
#                       interleave)
#
# Blocks inside list items may be indented; the fence's indentation is removed. One test case
# per `sh test` block. Prints CMocka-style lines for scripts/run-tests.sh.
set -u
CC=${CC:-cc}
BUILD=${BUILD:-build}
ROOT=$(pwd)
. tests/install/stage.sh
mkdir -p "$BUILD/tests/install"
WORK=$(outside_tree)
trap 'rm -rf "$WORK"' EXIT INT TERM

# extract DOC DIR: DIR/NNN.body and DIR/NNN.meta ("LINE file NAME", "LINE test", "LINE output").
extract() {
    awk -v dir="$2" '
        function marker(info) {
            if (info ~ /(^|[ \t])file=/) { sub(/.*file=/, "", info); sub(/[ \t].*/, "", info); return "file " info }
            if (info ~ /^sh[ \t]+test([ \t]|$)/) return "test"
            if (info ~ /^text[ \t]+output([ \t]|$)/) return "output"
            return ""
        }
        /^[ \t]*```/ {
            if (!open) {
                open = 1; indent = index($0, "```") - 1
                m = marker(substr($0, indent + 4))
                if (m != "") { n++; body = sprintf("%s/%03d.body", dir, n)
                               printf "%d %s\n", NR, m > sprintf("%s/%03d.meta", dir, n)
                               printf "" > body }
                else body = ""
            } else { open = 0; body = "" }
            next
        }
        open && body != "" {
            line = $0
            if (substr(line, 1, indent) ~ /^[ \t]*$/) line = substr(line, indent + 1)
            print line >> body
        }' "$1"
}

# lines_present EXPECTED ACTUAL: every non-empty line of EXPECTED is a line of ACTUAL.
lines_present() {
    while IFS= read -r want; do
        [ -z "$want" ] && continue
        grep -qxF -- "$want" "$2" || { echo "missing line: $want"; return 1; }
    done < "$1"
}

# run_doc DOC: the marked blocks of DOC in one fresh directory.
run_doc() {
    doc=$1
    name=$(basename "$doc" .md)
    blocks="$WORK/$name.blocks"
    dir="$WORK/$name.run"
    mkdir -p "$blocks" "$dir"
    extract "$doc" "$blocks"
    last=""
    last_ok=0
    for meta in "$blocks"/*.meta; do
        [ -f "$meta" ] || continue
        body=${meta%.meta}.body
        read -r line kind arg < "$meta"
        case $kind in
            file)
                mkdir -p "$dir/$(dirname "$arg")"
                cp "$body" "$dir/$arg" ;;
            test)
                last="$name.md:$line"
                out="$WORK/$name.$line.out"
                if (cd "$dir" && sh -e "$body") > "$out" 2>&1; then
                    last_ok=1
                    ok "$last"
                else
                    last_ok=0
                    ko "$last" "exit $?: $(tail -5 "$out")"
                fi ;;
            output)
                [ $last_ok -eq 1 ] || continue
                if ! why=$(lines_present "$body" "$out"); then
                    ko "$name.md:$line (output of $last)" "$why"
                fi ;;
        esac
    done
}

if ! stage "$WORK/stage"; then
    ko doc_snippets_stage "make install-files failed"
else
    mkdir -p "$WORK/bin"
    ln -s "$(command -v "$CC")" "$WORK/bin/cc"
    export PATH="$PREFIX_DIR/bin:$WORK/bin:$PATH"
    export PKG_CONFIG_PATH="$PREFIX_DIR/lib/pkgconfig"
    run_doc "$ROOT/docs/ffm-sim.md"
fi

summary
