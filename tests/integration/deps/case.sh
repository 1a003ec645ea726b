# deps: a partition calls another through `dependencies` (connect, call, close); NS may not
# reach the secure-only service (CON-03, VER-02).
if gen deps && image deps front_sp front_sp.c && image deps back_sp back_sp.c &&
    image deps ns ns.c; then
    sim deps 10 -m $T/deps/list.yaml --image $OUT/deps/front_sp.so \
        --image $OUT/deps/back_sp.so --ns $OUT/deps/ns.so
    expect deps_partition_to_partition 0 out "front 1006 1006, direct connect -130, version 0" \
        err "PROGRAMMER ERROR \[CON-03\] psa_connect"
    # RESET-02: FRONT_SP is listed first but depends on BACK_SP, so BACK_SP starts first; NS
    # starts only after both reached their first psa_wait.
    sim deps_order 10 -m $T/deps/list.yaml --image $OUT/deps/front_sp.so \
        --image $OUT/deps/back_sp.so --ns $OUT/deps/ns.so --log info
    expect start_order_dependencies_first 0 \
        err "^ffm-sim: boot 1: partitions started \(RESET-02\): BACK_SP, FRONT_SP; NS entry starts$"
else
    ko deps_build "cannot build the deps case"
fi
