# sfnnest: nested SFN runs in their callers' contexts, an IPC call from inside one, and a
# fault in the nested SFN attributed to its partition and trapped (RESET-10, PANIC-04/05).
if gen sfnnest && image sfnnest parts parts.c && image sfnnest ns ns.c; then
    sim sfnnest 10 -m $T/sfnnest/list.yaml --image $OUT/sfnnest/parts.so \
        --ns $OUT/sfnnest/ns.so --panic trap --trace $OUT/sfnnest/trace.json
    expect nested_sfn_in_caller_context_and_fault_trapped 0 \
        out "^sfnnest: 0 inner-saw-outer 1 ipcq-saw-outer 1 inner-refused 1 after 0 -130 1$" \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition INNER_SP \(pid [0-9]+\) at inner_sfn\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: SIGSEGV at address 0x40 -> trap$"
    trace trace_nested_sfn_slices_on_their_tracks $OUT/sfnnest/trace.json \
        '"name":"outer_sfn","cat":"sfn","ph":"X",.*"tid":1,' \
        '"name":"inner_sfn","cat":"sfn","ph":"X",.*"tid":2,.*"client_id":[0-9]+' \
        '"name":"partition faulted","cat":"spm","ph":"i",.*"tid":2,'
    # The same run under halt: the fault ends the run, attributed to INNER_SP.
    sim sfnnest_halt 10 -m $T/sfnnest/list.yaml --image $OUT/sfnnest/parts.so \
        --ns $OUT/sfnnest/ns.so --panic halt
    expect nested_sfn_fault_is_the_partitions_under_halt 3 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition INNER_SP \(pid [0-9]+\) at inner_sfn\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: SIGSEGV at address 0x40 -> halt \(exit 3\)$"
else
    ko sfnnest_build "cannot build the sfnnest case"
fi
