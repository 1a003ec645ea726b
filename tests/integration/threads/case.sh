# threads: several NS threads with distinct negative client IDs call stateless services
# concurrently; a positive NS client ID is refused (GEN-02).
if gen threads && image threads who_sp who_sp.c && image threads ns ns.c; then
    sim threads 10 -m $T/threads/list.yaml --image $OUT/threads/who_sp.so \
        --ns $OUT/threads/ns.so
    expect threads_ns_client_ids 0 out "created 4, positive id -> -1, mismatches 0, served 126"
    # Same inputs, same sequence of events (issue 5 item 7): two runs log the same calls in
    # the same order, with the same results.
    for n in 1 2; do
        sim threads_debug$n 10 -m $T/threads/list.yaml --image $OUT/threads/who_sp.so \
            --ns $OUT/threads/ns.so --log debug --cpu 0
    done
    if [ "$(grep -c '\] psa_call -> ' "$OUT/threads_debug1.err")" -ne 126 ]; then
        ko threads_deterministic "expected 126 psa_call lines in $OUT/threads_debug1.err"
    elif cmp -s "$OUT/threads_debug1.err" "$OUT/threads_debug2.err"; then
        ok threads_deterministic
    else
        ko threads_deterministic "two runs differ: diff $OUT/threads_debug[12].err"
    fi
else
    ko threads_build "cannot build the threads case"
fi
