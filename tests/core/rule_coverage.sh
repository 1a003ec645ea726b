#!/bin/sh
# rule_coverage.sh - list, for every catalogue rule ID, the core test functions that name it
# (in the comment above the test or in its body, as "CALL-05" or FFM_RULE_CALL_05). Output
# lines are "<ID> <test> <test> ...", sorted: the input for the `tests:` fields of
# rules/ffm-rules.yaml. Usage: tests/core/rule_coverage.sh [tests/unit/test_core_*.c]
set -eu
cd "$(dirname "$0")/../.."
[ $# -gt 0 ] || set -- tests/unit/test_core_*.c
awk '
function collect(line, dest,   s, id) {
    s = line
    gsub(/FFM_RULE_/, " ", s)
    while (match(s, /(GEN|PANIC|FWV|VER|CON|CALL|CLOSE|WAIT|GET|RH|READ|SKIP|WRITE|REPLY|NOTIFY|CLEAR|EOI|RST|IRQEN|IRQDIS|MAPI|UNMAPI|MAPO|UNMAPO|LC|HDL|SIG|RESET|MEM)[-_][0-9][0-9]/)) {
        id = substr(s, RSTART, RLENGTH)
        sub(/_/, "-", id)
        dest[id] = 1
        s = substr(s, RSTART + RLENGTH)
    }
}
/^static void test_[a-z0-9_]+\(void \*\*state\)/ {
    name = $3
    sub(/\(.*/, "", name)
    for (id in pending) { cover[id] = cover[id] " " name }
    delete pending
    infn = 1
    next
}
infn && /^}/ { infn = 0; for (id in body) { cover[id] = cover[id] " " name }; delete body; next }
infn { collect($0, body); next }
/^static|^int main|^#/ { delete pending; next }
{ collect($0, pending) }
END { for (id in cover) print id cover[id] }
' "$@" | awk '{ out = $1; delete seen; for (i = 2; i <= NF; i++) if (!($i in seen)) { seen[$i] = 1; out = out " " $i }; print out }' | sort -t- -k1,1 -k2,2n
