# threads: several NS threads with distinct negative client IDs call stateless services
# concurrently; a positive NS client ID is refused (GEN-02).
if gen threads && image threads who_sp who_sp.c && image threads ns ns.c; then
    sim threads 10 -m $T/threads/list.yaml --image $OUT/threads/who_sp.so \
        --ns $OUT/threads/ns.so
    expect threads_ns_client_ids 0 out "created 4, positive id -> -1, mismatches 0, served 126"
else
    ko threads_build "cannot build the threads case"
fi
