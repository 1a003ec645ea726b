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
    # iso_ns_read WHAT: NS reads VAULT_SP's WHAT directly; the report must name the very
    # address NS printed before the read.
    iso_ns_read() {
        iso_run "ns_$1" "$1"
        iso_addr=$(sed -n 's/^NS reads the [a-z]* at \(0x[0-9a-f]*\)$/\1/p' "$OUT/isolation_ns_$1.out")
        [ -n "$iso_addr" ] && grep -q "at address $iso_addr owned by " "$OUT/isolation_ns_$1.err"
    }
    fault='FAULT \[RESET-11\] fault by NS .*SecureFault \[MEM-15\] \(SIGSEGV\) at address 0x[0-9a-f]+'
    same_addr=0
    iso_ns_read global || same_addr=1
    expect isolation_ns_reads_partition_global_secure_fault 3 \
        out "^NS reads the global at 0x[0-9a-f]+$" \
        err "$fault owned by VAULT_SP \(data of vault_sp\.so\)"
    iso_ns_read stack || same_addr=1
    expect isolation_ns_reads_partition_stack_secure_fault 3 \
        out "^NS reads the stack at 0x[0-9a-f]+$" err "$fault owned by VAULT_SP \(SFN stack\)"
    iso_ns_read region || same_addr=1
    expect isolation_ns_reads_secure_region_secure_fault 3 \
        out "^NS reads the region at 0x[0-9a-f]+$" \
        err "$fault owned by VAULT_SP \(region KEYSTORE\)"
    iso_ns_read window || same_addr=1
    expect isolation_ns_reads_unaligned_region_secure_fault 3 \
        out "^NS reads the window at 0x20011e40$" \
        err "$fault owned by PEEK_SP \(region WINDOW\)"
    if [ $same_addr -eq 0 ]; then
        ok isolation_fault_names_the_address_read
    else
        ko isolation_fault_names_the_address_read "a report does not name the address NS read"
    fi
    ISO_READ=global sim isolation_off 10 -m $T/isolation/list.yaml \
        --platform $T/isolation/platform.yaml --image $OUT/isolation/vault_sp.so \
        --image $OUT/isolation/peek_sp.so --ns $OUT/isolation/ns.so --isolation 0
    expect isolation_0_ns_read_unchecked 0 out "^NS reads the global at 0x[0-9a-f]+: 0x5ec7e7$"
    fault='FAULT \[RESET-10\] fault by partition PEEK_SP .*MemManage \[MEM-15\] \(SIGSEGV\) at address 0x[0-9a-f]+ owned by VAULT_SP \(data of vault_sp\.so\)'
    iso_run peek_1 peek --isolation 1
    expect isolation_1_partition_reads_other_partition 0 out "^peek: 0xc7e7$"
    iso_run peek_2 peek --isolation 2
    expect isolation_2_app_rot_reads_psa_rot_memmanage 3 err "$fault"
    iso_run peek_3 peek --isolation 3
    expect isolation_3_partition_reads_other_partition_memmanage 3 err "$fault"
    iso_run panic panic
    expect stdout_line_before_a_panic_appears 3 out "PEEK_SP: last words before psa_panic$" \
        err "PANIC \[.*PEEK_SP"
    sim isolation_bad_level 10 -m $T/isolation/list.yaml --ns $OUT/isolation/ns.so \
        --isolation 4
    expect isolation_bad_level_is_bad_input 2 err "^ffm-sim: error: --isolation: '4' is not a number 0\.\.3$"
else
    ko isolation_build "cannot build the isolation case"
fi
