# nsres: NS thread resources within one boot, and one NVMEM file per run.
# - FFM_NS_MAX_THREADS threads at once, one more refused, any number one after another (the
#   record of a joined thread is reused; its old handle is stale).
# - An NS thread that ends with connections open: each closed with its DISCONNECT, recorded in
#   the log and the trace, the pool slots free again (CLOSE-10).
# - A second run on an --nvmem file in use: one error line, exit 2; the first run is undisturbed.
if gen nsres && image nsres nsres_sp nsres_sp.c && image nsres ns ns.c; then
    set -- -m $T/nsres/list.yaml --image $OUT/nsres/nsres_sp.so --ns $OUT/nsres/ns.so
    sim nsres_reuse 60 "$@" --ns-entry ns_reuse
    expect ns_thread_records_reused_up_to_the_limit 0 \
        out "^reuse: sequential 1000/1000, concurrent 32/32 joined 32, one more -> -3, stale join -> -4, after joins -> 0$" \
        err "^ffm-sim: NS: ffm_ns_thread_create: refused: 32 NS threads are not joined yet \(at most FFM_NS_MAX_THREADS = 32\)$"
    sim nsres_leak 20 "$@" --ns-entry ns_leak --trace $OUT/nsres/leak.json
    expect ns_thread_connections_closed_at_exit 0 \
        out "^leak: opened 8, service saw 8 DISCONNECT, reopened 8$" \
        err "^ffm-sim: NS thread 1 \(NS client -2\) ended with 8 connections open: closed, each service gets its DISCONNECT \(CLOSE-10\)$"
    trace ns_thread_connections_closed_traced $OUT/nsres/leak.json \
        '"name":"connections closed at exit","cat":"ns","ph":"i".*"rule":"CLOSE-10","client_id":-2,"connections":8'
    nv=$OUT/nsres/nvmem.bin
    rm -f "$nv" "$OUT/nsres/go"
    NSRES_MARKER=$OUT/nsres/go "$SIM" "$@" --ns-entry ns_hold --nvmem "$nv" --timeout 60 \
        > "$OUT/nsres_hold.out" 2> "$OUT/nsres_hold.err" &
    holder=$!
    i=0
    while [ ! -s "$nv" ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
    sim nsres_second 10 "$@" --nvmem "$nv"
    expect nvmem_file_in_use_is_refused 2 \
        err "^ffm-sim: error: nvmem file .*/nsres/nvmem\.bin is in use by another run \(process $holder\)$"
    if [ "$rc" -eq 2 ] && [ "$(wc -l < "$OUT/nsres_second.err")" -ne 1 ]; then
        ko nvmem_file_in_use_one_line "stderr has more than one line: $OUT/nsres_second.err"
    fi
    touch "$OUT/nsres/go"
    wait "$holder"
    rc=$?
    log=$OUT/nsres_hold
    expect nvmem_holder_runs_undisturbed 0
    sim nsres_third 10 "$@" --nvmem "$nv"
    expect nvmem_file_free_after_the_run 0
else
    ko nsres_build "cannot build the nsres case"
fi
