# addr32: --addr32 puts everything simulated code sees below 4 GiB. An IPC service keeps its
# client's stack address in a uint32_t (as TF-M's IPC test service does) and changes the char
# there; both sides pass stack, global and heap addresses through uint32_t and back. A host that
# cannot keep mappings low (here: the address space limited with ulimit -v, so the reservation
# above 4 GiB is refused) is refused with one line and exit 2. In the ILP32 build (M32=1) every
# address is 32-bit already and the option changes nothing.
san_shadow=no
case ",${SAN:-}," in *,address,* | *,thread,*) san_shadow=yes ;; esac
if [ "$san_shadow" = yes ] && gen addr32 && image addr32 trunc_sp trunc_sp.c &&
    image addr32 ns ns.c; then
    # ASan and TSan keep their shadow memory above 4 GiB: such a build refuses the option.
    sim addr32_san 10 -m $T/addr32/list.yaml --image $OUT/addr32/trunc_sp.so \
        --ns $OUT/addr32/ns.so --addr32 --quiet
    expect addr32_refused_in_asan_and_tsan_builds 2 \
        err "^ffm-sim: error: --addr32: not available in an ASan or TSan build \(their shadow memory lies above 4 GiB\); use a plain or UBSan build$"
elif gen addr32 && image addr32 trunc_sp trunc_sp.c && image addr32 ns ns.c; then
    sim addr32_run 10 -m $T/addr32/list.yaml --image $OUT/addr32/trunc_sp.so \
        --ns $OUT/addr32/ns.so --addr32 --quiet
    expect addr32_addresses_survive_uint32 0 \
        out "^addr32: call 0, stack char 'B', own stack/global/heap kept$"
    case " $CC " in
    *" -m32 "*) ;;
    *)
        bounded addr32_limited 10 sh -c "ulimit -v 1000000 && exec $SIM -m $T/addr32/list.yaml \
            --image $OUT/addr32/trunc_sp.so --ns $OUT/addr32/ns.so --addr32"
        expect addr32_refused_when_the_host_cannot_keep_mappings_low 2 \
            err "^ffm-sim: error: --addr32: cannot keep mappings below 4 GiB: the host still places them above \(at 0x[0-9a-f]+; is the address space limited, ulimit -v\?\)$"
        n=$(wc -l < "$OUT/addr32_limited.err")
        if [ "$n" -eq 1 ]; then ok addr32_refusal_is_one_line; else
            ko addr32_refusal_is_one_line "stderr has $n lines"; fi
        ;;
    esac
else
    ko addr32_build "cannot build the addr32 case"
fi
