# heap: partition heaps (MEM-18). HEAP_SP (heap_size 0x400) gets exactly 1 KiB, all usable:
# sixteen 64-byte blocks (the block table is outside the heap), the whole 1024 bytes again once
# they are freed, never 1025; calloc zeroes, realloc keeps; NOHEAP_SP (no heap_size) gets
# NULL. The heap is secure memory of HEAP_SP: an NS caller naming a block is refused (MEM-06),
# NS reading it faults (MEM-15), also when --addr32 puts it below 4 GiB.
if gen heap && image heap heap_sp heap_sp.c && image heap noheap_sp noheap_sp.c &&
    image heap ns ns.c; then
    HEAP_TEST=fill sim heap_fill 10 -m $T/heap/list.yaml --image $OUT/heap/heap_sp.so \
        --image $OUT/heap/noheap_sp.so --ns $OUT/heap/ns.so
    expect heap_exactly_heap_size_and_null_without 0 \
        out "^heap: 0 16 blocks of 64, whole ok, 1025 null, calloc zeroed, realloc kept; no heap_size: NULL$"
    HEAP_TEST=read sim heap_read 10 -m $T/heap/list.yaml --image $OUT/heap/heap_sp.so \
        --image $OUT/heap/noheap_sp.so --ns $OUT/heap/ns.so --panic halt
    expect heap_is_secure_memory_of_its_partition 3 \
        out "^heap block at 0x[0-9a-f]+ \(0\), passed back: -129; NS reads it$" \
        err "PROGRAMMER ERROR \[CALL-18\] psa_call by NS" \
        err "SecureFault \[MEM-15\] \(SIGSEGV\) at address 0x[0-9a-f]+ owned by HEAP_SP \(heap\)"
    # --addr32: the heap (like the stacks) lies below 4 GiB, so an address kept in 32 bits
    # still names it; it is the same secure memory. (ASan and TSan builds refuse --addr32.)
    case ",${SAN:-}," in
    *,address,* | *,thread,*) ;;
    *)
        HEAP_TEST=read sim heap_low 10 -m $T/heap/list.yaml --image $OUT/heap/heap_sp.so \
            --image $OUT/heap/noheap_sp.so --ns $OUT/heap/ns.so --panic halt --addr32
        expect heap_addr32_below_4_gib 3 \
            out "^heap block at 0x[0-9a-f]{1,8} \(0\), passed back: -129; NS reads it$" \
            err "SecureFault \[MEM-15\] \(SIGSEGV\) at address 0x[0-9a-f]+ owned by HEAP_SP \(heap\)"
        ;;
    esac
else
    ko heap_build "cannot build the heap case"
fi
