# secmem: NS passing secure memory in a vector gets -129, with the rule in the log.
if gen secmem && image secmem secret_sp secret_sp.c && image secmem ns ns.c; then
    sim secmem 10 -m $T/secmem/list.yaml --image $OUT/secmem/secret_sp.so \
        --ns $OUT/secmem/ns.so --trace $OUT/secmem/trace.json
    expect secmem_secure_vector_is_pe 0 \
        out "get 0 secure -129 null -129 rodata-out -129 zero-len 0 ok 4" \
        err "PROGRAMMER ERROR \[CALL-18\] psa_call by NS.*-> returns -129" \
        err "PROGRAMMER ERROR \[CALL-19\] psa_call by NS" \
        err "PROGRAMMER ERRORs: [0-9]+ \(CALL-18 [0-9]+"
    trace trace_programmer_errors $OUT/secmem/trace.json \
        '"name":"PROGRAMMER ERROR","cat":"pe","ph":"i".*"rule":"CALL-18","api":"psa_call".*"disposition":"returns -129","caller":"NS","caller_id":-1' \
        '"name":"psa_call","cat":"psa","ph":"X".*"gateway":"NS->S->NS","result":-129,"handle":"0x[0-9a-f]+","type":[0-9]+'
    # --log error hides the PROGRAMMER ERROR lines, not their count in the summary.
    sim secmem_quiet 10 -m $T/secmem/list.yaml --image $OUT/secmem/secret_sp.so \
        --ns $OUT/secmem/ns.so --log error
    want=$(grep -E "^ffm-sim:   PROGRAMMER ERRORs:" "$OUT/secmem.err")
    if [ "$rc" -ne 0 ]; then
        ko log_error_hides_pe_lines_but_counts_them "exit status $rc, expected 0"
    elif grep -q "PROGRAMMER ERROR \[" "$OUT/secmem_quiet.err"; then
        ko log_error_hides_pe_lines_but_counts_them "a PROGRAMMER ERROR line under --log error"
    elif [ -z "$want" ] || ! grep -qxF "$want" "$OUT/secmem_quiet.err"; then
        ko log_error_hides_pe_lines_but_counts_them "summary differs from '$want'"
    else
        ok log_error_hides_pe_lines_but_counts_them
    fi
else
    ko secmem_build "cannot build the secmem case"
fi
