# stackuse: with --stack-check warn, each partition's stack use, painted and measured, against
# its manifest's stack_size: a partition that uses more (an SFN one on its SFN stack, an IPC one
# on its own thread's) is reported in the log, the summary and the trace; one that fits is not
# flagged. Without the option (off, the default) nothing is measured or shown. With enforce, a
# partition going deeper than its stack_size faults as a stack overflow (SFN and IPC).
if gen stackuse && image stackuse stack_sps stack_sps.c && image stackuse ns ns.c; then
    sim stackuse 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
        --ns $OUT/stackuse/ns.so --trace $OUT/stackuse/trace.json --stack-check warn
    over='of 1,024 bytes \([0-9]+ %\), host-measured: MORE THAN ITS stack_size$'
    expect stack_over_stack_size_is_reported 0 \
        out "^stackuse: deep [0-9]+ ipc [0-9]+ small 5$" \
        err "^ffm-sim: stack overflow on the target: DEEP_SP: [3-9],[0-9]{3} $over" \
        err "^ffm-sim: stack overflow on the target: DEEP_IPC_SP: [3-9],[0-9]{3} $over" \
        err "^ffm-sim:   stack use \(deepest, against the manifest's stack_size\):$" \
        err "^ffm-sim:     DEEP_SP: [3-9],[0-9]{3} $over" \
        err "^ffm-sim:     DEEP_IPC_SP: [3-9],[0-9]{3} $over" \
        err "^ffm-sim:     SMALL_SP: [0-9,]{1,5} of 8,192 bytes \([0-9]+ %\), host-measured$"
    if grep -q 'SMALL_SP.*MORE THAN\|overflow on the target: SMALL_SP' "$OUT/stackuse.err"; then
        ko stack_within_stack_size_not_flagged "SMALL_SP flagged"
    else
        ok stack_within_stack_size_not_flagged
    fi
    trace trace_stack_use_per_partition $OUT/stackuse/trace.json \
        '"name":"stack use","cat":"stack",.*"tid":1,.*"stack_size":1024,"use":"DEEP_SP: [3-9],[0-9]{3} of 1,024 bytes' \
        '"name":"stack use","cat":"stack",.*"tid":3,.*"stack_size":8192,"use":"SMALL_SP: '
    sim stackuse_off 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
        --ns $OUT/stackuse/ns.so --trace $OUT/stackuse/trace_off.json
    if [ "$rc" -eq 0 ] && ! grep -q 'stack' "$OUT/stackuse_off.err" &&
        ! grep -q '"cat":"stack"' "$OUT/stackuse/trace_off.json"; then
        ok stack_check_off_measures_nothing
    else
        ko stack_check_off_measures_nothing "exit $rc, or stack lines without --stack-check"
    fi
    # The same partitions asked for 16 KiB: reported over with warn, a stack overflow fault
    # with enforce (the guard below stack_size), on the SFN stack and on an IPC thread's stack.
    for m in sfn ipc; do
        sim stackuse_warn_$m 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
            --ns $OUT/stackuse/ns.so --ns-entry ns_over_$m --stack-check warn
        p=DEEP_SP; [ $m = ipc ] && p=DEEP_IPC_SP
        expect stack_warn_${m}_16k_reported_over 0 \
            err "^ffm-sim: stack overflow on the target: $p: [0-9,]+ $over"
    done
    stack_of_sfn="SFN stack"
    stack_of_ipc="stack"
    for m in sfn ipc; do
        sim stackuse_enforce_$m 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
            --ns $OUT/stackuse/ns.so --ns-entry ns_over_$m --stack-check enforce --panic halt
        p=DEEP_SP; [ $m = ipc ] && p=DEEP_IPC_SP
        eval "what=\$stack_of_$m"
        expect stack_enforce_${m}_overflow_faults 3 \
            err "^ffm-sim: FAULT \[RESET-10\] fault by partition $p \(pid [0-9]+\) at use_16k\+0x[0-9a-f]+ \(stack_sps\.so\)( [^ ]+)?: stack overflow of $p \($what: stack_size 1024 bytes, the guard [0-9]+ bytes below where its code starts\): SIGSEGV at address 0x[0-9a-f]+ -> halt \(exit 3\)$"
    done
    # under trap, the SFN partition (run in the NS caller's context) is stopped and the caller
    # gets -130 (PANIC-05); its own thread then ends it, measuring a stack isolation has closed
    sim stackuse_enforce_trap 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
        --ns $OUT/stackuse/ns.so --ns-entry ns_over_sfn --stack-check enforce --panic trap
    expect stack_enforce_overflow_trapped 0 out "^stackuse: deep over -130$" \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition DEEP_SP \(pid [0-9]+\) at use_16k\+0x[0-9a-f]+ \(stack_sps\.so\)( [^ ]+)?: stack overflow of DEEP_SP \(SFN stack: .*\): SIGSEGV at address 0x[0-9a-f]+ -> trap$"
    sim stackuse_enforce_small 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
        --ns $OUT/stackuse/ns.so --ns-entry ns_small --stack-check enforce --panic halt
    expect stack_enforce_within_stack_size_runs 0 out "^stackuse: small 5$" \
        err "^ffm-sim:     SMALL_SP: [0-9]{1,4} of 8,192 bytes \([0-9]+ %\), host-measured$"
    sim stackuse_bad 10 -m $T/stackuse/list.yaml --image $OUT/stackuse/stack_sps.so \
        --ns $OUT/stackuse/ns.so --stack-check always
    expect stack_check_bad_value_is_refused 2 err "^ffm-sim: error: --stack-check"
else
    ko stackuse_build "cannot build the stackuse case"
fi
