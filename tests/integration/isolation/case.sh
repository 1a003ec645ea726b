# isolation: direct accesses (MEM-15, MEM-16). At level 1 (the default) NS reading a
# partition's global, stack or secure MMIO region faults, reported as a SecureFault with the
# address and its owner; at level 0 the read succeeds. A PSA-RoT partition's global read by an
# App-RoT partition: fine at level 1, a MemManage fault at levels 2 and 3. The line NS printed
# just before its fault is in the output (stdout unbuffered).
if gen isolation && image isolation vault_sp vault_sp.c && image isolation peek_sp peek_sp.c &&
    image isolation ns ns.c; then
    iso_run() {
        iso_name=$1; iso_what=$2; shift 2
        ISO_READ=$iso_what sim "isolation_$iso_name" 10 -m $T/isolation/list.yaml \
            --platform $T/isolation/platform.yaml --image $OUT/isolation/vault_sp.so \
            --image $OUT/isolation/peek_sp.so --ns $OUT/isolation/ns.so --panic halt "$@"
    }
    for what in global stack region; do
        case $what in
            global) owner='owned by VAULT_SP \(data of vault_sp\.so\)' ;;
            stack) owner='owned by VAULT_SP \(SFN stack\)' ;;
            region) owner='owned by VAULT_SP \(region KEYSTORE\)' ;;
        esac
        iso_run "ns_$what" "$what"
        expect "isolation_ns_reads_partition_${what}_secure_fault" 3 \
            out "^NS reads the $what at 0x[0-9a-f]+$" \
            err "FAULT \[RESET-11\] fault by NS .*SecureFault \[MEM-15\] \(SIGSEGV\) at address 0x[0-9a-f]+ $owner"
        addr=$(sed -n 's/^NS reads the [a-z]* at \(0x[0-9a-f]*\)$/\1/p' "$OUT/isolation_ns_$what.out")
        if [ -n "$addr" ] && grep -q "at address $addr " "$OUT/isolation_ns_$what.err"; then
            ok "isolation_ns_${what}_fault_names_the_address_read"
        else
            ko "isolation_ns_${what}_fault_names_the_address_read" "address '$addr' not in the report"
        fi
    done
    ISO_READ=global sim isolation_off 10 -m $T/isolation/list.yaml \
        --platform $T/isolation/platform.yaml --image $OUT/isolation/vault_sp.so \
        --image $OUT/isolation/peek_sp.so --ns $OUT/isolation/ns.so --isolation 0
    expect isolation_0_ns_read_unchecked 0 out "^NS reads the global at 0x[0-9a-f]+: 0x5ec7e7$"
    for level in 1 2 3; do
        ISO_READ=peek sim "isolation_peek_$level" 10 -m $T/isolation/list.yaml \
            --platform $T/isolation/platform.yaml --image $OUT/isolation/vault_sp.so \
            --image $OUT/isolation/peek_sp.so --ns $OUT/isolation/ns.so --panic halt \
            --isolation $level
        if [ "$level" = 1 ]; then
            expect isolation_1_partition_reads_other_partition 0 out "^peek: 0xc7e7$"
        else
            expect "isolation_${level}_partition_read_beyond_reach_memmanage" 3 \
                err "FAULT \[RESET-10\] fault by partition PEEK_SP .*MemManage \[MEM-15\] \(SIGSEGV\) at address 0x[0-9a-f]+ owned by VAULT_SP \(data of vault_sp\.so\)"
        fi
    done
    iso_run panic panic
    expect stdout_survives_a_panic 3 out "PEEK_SP: last words before psa_panic$" \
        err "PANIC \[.*PEEK_SP"
    sim isolation_bad_level 10 -m $T/isolation/list.yaml --ns $OUT/isolation/ns.so \
        --isolation 4
    expect isolation_bad_level_is_bad_input 2 err "^ffm-sim: error: --isolation: '4' is not a number 0\.\.3$"
else
    ko isolation_build "cannot build the isolation case"
fi
