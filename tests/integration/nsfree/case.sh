# nsfree: an NS buffer unmapped or freed after an accepted call is refused (MEM-04, MEM-09).
if gen nsfree && image nsfree echo_sp echo_sp.c && image nsfree ns ns.c; then
    # ASan (SAN= builds) keeps freed blocks mapped in its quarantine to catch a use after free,
    # so the freed buffer would still look mapped; with no quarantine a freed large block is
    # unmapped at once, as without ASan. The option means nothing to other builds.
    nsfree_asan=${ASAN_OPTIONS-}
    export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}quarantine_size_mb=0"
    sim nsfree 10 -m $T/nsfree/list.yaml --image $OUT/nsfree/echo_sp.so --ns $OUT/nsfree/ns.so
    ASAN_OPTIONS=$nsfree_asan
    expect ns_buffer_unmapped_or_freed_is_refused 0 \
        out "nsfree: mapped 4 unmapped -129 malloc 4 freed -129" \
        err "PROGRAMMER ERROR \[CALL-18\] psa_call by NS.*unmapped -> returns -129" \
        err "PROGRAMMER ERRORs: 2 \(CALL-18 2\)"
else
    ko nsfree_build "cannot build the nsfree case"
fi
