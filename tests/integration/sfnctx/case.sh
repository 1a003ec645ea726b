# sfnctx: an SFN run in its caller's context keeps its locals on the partition's secure stack
# (MEM-03, MEM-06) and shows one slice per run on the partition's trace track.
if gen sfnctx && image sfnctx where_sp where_sp.c && image sfnctx ns ns.c; then
    sim sfnctx 10 -m $T/sfnctx/list.yaml --image $OUT/sfnctx/where_sp.so \
        --ns $OUT/sfnctx/ns.so --trace $OUT/sfnctx/trace.json
    expect sfn_locals_are_secure_not_on_the_caller_stack 0 \
        out "sfnctx: get 0 secure-local -129 own-stack 4 far 1" \
        err "PROGRAMMER ERROR \[CALL-18\] psa_call by NS.*secure"
    trace trace_sfn_run_on_partition_track $OUT/sfnctx/trace.json \
        '"name":"where_sfn","cat":"sfn","ph":"X",.*"tid":1,.*"client_id":-1,"status":0' \
        '"name":"where_sfn","cat":"sfn","ph":"X",.*"tid":1,.*"client_id":-1,"status":4'
    runs=$(grep -c '"cat":"sfn"' "$OUT/sfnctx/trace.json")
    if [ "$runs" -eq 2 ]; then
        ok trace_one_slice_per_sfn_run
    else
        ko trace_one_slice_per_sfn_run "$runs SFN slices, expected 2 (the refused call runs none)"
    fi
else
    ko sfnctx_build "cannot build the sfnctx case"
fi
