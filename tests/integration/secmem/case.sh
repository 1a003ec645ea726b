# secmem: NS passing secure memory in a vector gets -129, with the rule in the log.
if gen secmem && image secmem secret_sp secret_sp.c && image secmem ns ns.c; then
    sim secmem 10 -m $T/secmem/list.yaml --image $OUT/secmem/secret_sp.so \
        --ns $OUT/secmem/ns.so
    expect secmem_secure_vector_is_pe 0 \
        out "get 0 secure -129 null -129 rodata-out -129 zero-len 0 ok 4" \
        err "PROGRAMMER ERROR \[CALL-18\] psa_call by NS.*-> returns -129" \
        err "PROGRAMMER ERROR \[CALL-19\] psa_call by NS"
else
    ko secmem_build "cannot build the secmem case"
fi
