# ilp32: size_t fields on the partition side, 32-bit fields on the client side (the pattern of
# TF-M's Internal Trusted Storage client). In the ILP32 build (make M32=1, which puts -m32 in
# $CC) they agree and the calls succeed; in the 64-bit build the service sees 4 and 12 where it
# expects 8 and 24 and replies PROGRAMMER ERROR, and the CALL-23 report and the psa_call
# slices show the vector lengths that explain it (docs/ilp32.md).
if gen ilp32 && image ilp32 sizes_sp sizes_sp.c && image ilp32 ns ns.c; then
    sim ilp32 10 -m $T/ilp32/list.yaml --image $OUT/ilp32/sizes_sp.so \
        --ns $OUT/ilp32/ns.so --trace $OUT/ilp32/trace.json
    case " $CC " in
    *" -m32 "*)
        expect ilp32_size_t_fields_agree_with_32_bit_client 0 \
            out "^ilp32: sizeof\(size_t\) 4; get_info 0 capacity 64 size 5 flags 1; read 0 'llo' \(3 bytes\)$"
        trace trace_psa_call_shows_vector_lengths_ilp32 $OUT/ilp32/trace.json \
            '"name":"psa_call","cat":"psa",.*"type":1002,.*"vectors":"in \[\] out \[12\]"' \
            '"name":"psa_call","cat":"psa",.*"type":1001,.*"vectors":"in \[4\] out \[7\]"'
        ;;
    *)
        expect lp64_size_t_fields_mismatch_reported_with_lengths 1 \
            out "^ilp32: sizeof\(size_t\) 8; get_info -129 capacity 0 size 0 flags 0; read -129 '' \(0 bytes\)$" \
            err "^ffm-sim: PROGRAMMER ERROR \[CALL-23\] psa_call by NS client -1: service SIZES replied PSA_ERROR_PROGRAMMER_ERROR to a request of type 1002 with vectors in \[\] out \[12\] -> returns -129$" \
            err "^ffm-sim: PROGRAMMER ERROR \[CALL-23\] psa_call by NS client -1: service SIZES replied PSA_ERROR_PROGRAMMER_ERROR to a request of type 1001 with vectors in \[4\] out \[7\] -> returns -129$"
        trace trace_psa_call_shows_vector_lengths_lp64 $OUT/ilp32/trace.json \
            '"name":"psa_call","cat":"psa",.*"type":1002,.*"vectors":"in \[\] out \[12\]"' \
            '"name":"message SIZES","cat":"message",.*"vectors":"in \[4\] out \[7\]"'
        ;;
    esac
else
    ko ilp32_build "cannot build the ilp32 case"
fi
