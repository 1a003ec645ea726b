# exits: every exit status of the CLI - the NS value, 1 internal (GEN-02), 2 for each kind of
# bad input, 3 halt (panic under halt, GEN-03, DEADLOCK), 4 reset limit - and the reset and
# trap policies on the way.
E=$T/exits
O=$OUT/exits
if gen exits && image exits parts parts.c && image exits ns ns.c -pthread; then
    run() {
        n=$1
        shift
        sim "exits_$n" 15 -m $E/list.yaml --image $O/parts.so --ns $O/ns.so "$@"
    }
    run boom --ns-entry ns_boom --panic halt
    expect exit_3_panic_under_halt 3 err "PANIC \[PANIC-01\] psa_panic by partition BOOM_SP"
    run gen03 --ns-entry ns_gen03 --panic halt
    expect exit_3_gen03_ns_calls_psa_wait 3 err "\[GEN-03\] psa_wait"
    run deadlock --ns-entry ns_deadlock
    expect exit_3_deadlock 3 err "DEADLOCK" err "STALL_SP.*blocked in psa_wait" \
        err "NS.*blocked in psa_call"
    run reset --ns-entry ns_reset
    expect reset_policy_reboots_and_ns_returns_20 20 out "exits: boot 2" \
        err "boots: +2"
    run watchdog --ns-entry ns_watchdog
    expect watchdog_resets_a_spinning_partition 20 out "exits: boot 2" err "WATCHDOG"
    run platform_reset --ns-entry ns_platform_reset
    expect platform_reset_then_ns_returns_30 30 err "boots: +2"
    run trap --ns-entry ns_trap --panic trap
    expect trap_refuses_and_others_serve 0 out "trap: first -130 again -130 ping 1"
    run fault_trap --ns-entry ns_fault_trap --panic trap
    expect trap_after_partition_fault 0 out "trap: first -130 again -130 ping 1" \
        err "RESET-10"
    run rawthread --ns-entry ns_rawthread
    expect exit_1_unregistered_thread 1 err "INTERNAL ERROR .*\[GEN-02\] psa_framework_version"
    "$MF" -m $E/list_bootpanic.yaml -o $O/gen > /dev/null 2>&1
    sim exits_resetloop 15 -m $E/list_bootpanic.yaml --image $O/parts.so --ns $O/ns.so \
        --ns-entry ns_boom --max-resets 2
    expect exit_4_reset_limit 4 err "RESET_LOOP"
    # Bad input: exit 2 and one "error" line each.
    run badopt --bogus
    expect exit_2_unknown_option 2 err "ffm-sim: error: unknown option '--bogus'"
    run badpanic --panic sometimes
    expect exit_2_bad_policy 2 err "ffm-sim: error: --panic: 'sometimes' is not one of"
    run badnum --max-resets many
    expect exit_2_bad_number 2 err "ffm-sim: error: --max-resets"
    sim exits_nons 5 -m $E/list.yaml --image $O/parts.so
    expect exit_2_no_ns_image 2 err "ffm-sim: error: no NS application"
    sim exits_nolist 5 -m $E/no_such_list.yaml --image $O/parts.so --ns $O/ns.so
    expect exit_2_missing_manifest_list 2 err "no_such_list.yaml"
    sim exits_badmanifest 5 -m $E/list_bad.yaml --image $O/parts.so --ns $O/ns.so
    expect exit_2_invalid_manifest 2 err "bad_sp.yaml:[0-9]+:[0-9]+: error: priority"
    run badplatform --platform $E/bad_platform.yaml
    expect exit_2_invalid_platform_file 2 err "bad_platform.yaml:[0-9]+:[0-9]+: error"
    run noimage --image $O/no_such_image.so
    expect exit_2_missing_image 2 err "no_such_image.so"
    sim exits_nosym 5 -m $E/list.yaml --image $OUT/basic/echo_sp.so --ns $O/ns.so
    expect exit_2_missing_symbol 2 err "boom_sfn"
    run noentry --ns-entry no_such_entry
    expect exit_2_missing_ns_entry 2 err "does not define 'no_such_entry'"
    sim exits_mmio 5 -m $E/list_mmio.yaml --image $O/parts.so --ns $O/ns.so
    expect exit_2_mmio_region_not_in_platform 2 err "NO_SUCH_REGION.*MAN-29"
    sim exits_irqsrc 5 -m $E/list_irqsrc.yaml --image $O/parts.so --ns $O/ns.so
    expect exit_2_irq_source_not_in_platform 2 err "source 'NOPE_IRQ'"
else
    ko exits_build "cannot build the exits case"
fi
