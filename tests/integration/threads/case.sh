# threads: several NS threads with distinct negative client IDs call stateless services
# concurrently; a positive NS client ID is refused (GEN-02).
if gen threads && image threads who_sp who_sp.c && image threads ns ns.c; then
    sim threads 10 -m $T/threads/list.yaml --image $OUT/threads/who_sp.so \
        --ns $OUT/threads/ns.so --trace $OUT/threads/trace.json
    expect threads_ns_client_ids 0 out "created 4, positive id -> -1, mismatches 0, served 126"
    # One track per partition and per NS thread (issue 6 item 6), each thread's calls on it.
    trace trace_one_track_per_thread $OUT/threads/trace.json \
        '"name":"thread_name","ph":"M","pid":1,"tid":1,"args":\{"name":"WHO_SP"\}' \
        '"name":"thread_name","ph":"M","pid":1,"tid":100,"args":\{"name":"NS"\}' \
        '"name":"thread_name","ph":"M","pid":1,"tid":101,"args":\{"name":"NS thread 1 \(client -2\)"\}' \
        '"name":"thread_name","ph":"M","pid":1,"tid":104,"args":\{"name":"NS thread 4 \(client -5\)"\}' \
        '"name":"psa_call","cat":"psa","ph":"X","ts":[0-9.]+,"dur":[0-9.]+,"pid":1,"tid":104,' \
        '"name":"psa_call","cat":"psa","ph":"X","ts":[0-9.]+,"dur":[0-9.]+,"pid":1,"tid":100,'
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
