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
    run fresh --ns-entry ns_fresh_after_reset
    expect reset_restarts_partitions_and_ns_from_scratch 20 \
        out "^exits: boot 1: ping count 1 2, NS static 1$" \
        out "^exits: boot 2: ping count 1 2, NS static 1$" err "resets: +1 \(PSA_PANIC 1\)$"
    # SIGINT to ffm-sim while a partition spins without a watchdog: the run ends, reported,
    # with a valid trace (issue 6 item 6: "valid JSON even when the run ends by ... signal").
    "$SIM" -m $E/list.yaml --image $O/parts.so --ns $O/ns.so --ns-entry ns_spin \
        --trace $O/sigint.json > "$OUT/exits_sigint.out" 2> "$OUT/exits_sigint.err" &
    spid=$!
    i=0
    # SIGINT once the partition spins (its line is out: output is unbuffered), or after 10 s
    sent=0
    while kill -0 "$spid" 2> /dev/null; do
        if [ $sent -eq 0 ] && { [ $i -eq 200 ] || grep -q "^exits: BOOM spins$" "$OUT/exits_sigint.out"; }; then
            kill -INT "$spid" 2> /dev/null
            sent=1
        fi
        [ $i -eq 400 ] && kill -KILL "$spid" 2> /dev/null
        sleep 0.05
        i=$((i + 1))
    done
    wait "$spid"
    rc=$?
    log=$OUT/exits_sigint
    expect sigint_ends_the_run_with_a_report 130 err "^ffm-sim: INTERRUPTED by signal 2$" \
        err "end: +interrupted \(exit 130\)$"
    trace trace_valid_after_sigint $O/sigint.json '"name":"halt","cat":"reset".*"reason":"INTERRUPTED"' \
        '"name":"message BOOM","cat":"message","ph":"b".*"type":6'
    # RESET-09: a partition spinning with no watchdog armed is stopped by --timeout.
    run timeout --ns-entry ns_spin --timeout 1
    expect timeout_stops_a_spinning_partition 3 \
        err "^ffm-sim: TIMEOUT \[RESET-09\] no watchdog armed and the run exceeded 1000 ms -> halt \(exit 3\)$" \
        err "end: +halted, reason TIMEOUT \(exit 3\)$"
    run watchdog --ns-entry ns_watchdog --trace $O/watchdog.json
    expect watchdog_resets_a_spinning_partition 20 out "exits: boot 2" \
        err "^ffm-sim: WATCHDOG \[RESET-08\] ffm_platform_wdog_arm by partition BOOM_SP \(pid [0-9]+\): not fed within 100 ms \(scale 1\) -> reset \(boot 2\)$" \
        err "resets: +1 \(WATCHDOG 1\)$"
    trace trace_watchdog_reset $O/watchdog.json \
        '"name":"reset","cat":"reset","ph":"i".*"reason":"WATCHDOG","boot":1' \
        '"name":"boot","cat":"reset","ph":"i".*"boot":2,"start":"warm","after":"WATCHDOG"'
    # A fault in partition code is a panic of that partition under each policy (RESET-10),
    # reported with the partition and the address.
    run fault_reset --ns-entry ns_fault_reset --trace $O/fault_reset.json
    expect fault_in_partition_resets 20 out "exits: boot 2" \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition BOOM_SP \(pid [0-9]+\) at boom_sfn\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: SIGSEGV at address 0x40 -> reset \(boot 2\)$" \
        err "resets: +1 \(FAULT 1\)$" err "faults: +1$"
    trace trace_fault_reset $O/fault_reset.json \
        '"name":"fault","cat":"panic","ph":"i".*"rule":"RESET-10","api":"fault","caller":"BOOM_SP","caller_id":[0-9]+,"reason":"SIGSEGV at address 0x40"' \
        '"name":"reset","cat":"reset","ph":"i".*"reason":"FAULT","boot":1' \
        '"name":"boot","cat":"reset","ph":"i".*"boot":2,"start":"warm","after":"FAULT"'
    run fault_halt --ns-entry ns_fault_reset --panic halt --trace $O/fault_halt.json
    expect fault_in_partition_halts 3 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition BOOM_SP \(pid [0-9]+\) at boom_sfn\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: SIGSEGV at address 0x40 -> halt \(exit 3\)$" \
        err "end: +halted, reason FAULT \(exit 3\)$"
    trace trace_valid_after_halt $O/fault_halt.json \
        '"name":"fault","cat":"panic","ph":"i".*"reason":"SIGSEGV at address 0x40"' \
        '"name":"halt","cat":"reset","ph":"i".*"reason":"FAULT"'
    # The message in flight when the boot ended (by the watchdog, a fault, SIGINT) ends then.
    trace trace_open_messages_end_with_the_boot $O/watchdog.json \
        '"name":"message [A-Z_]+","cat":"message","ph":"e".*"ended_by":"reset: WATCHDOG"'
    trace trace_open_messages_end_with_the_boot_fault_reset $O/fault_reset.json \
        '"name":"message [A-Z_]+","cat":"message","ph":"e".*"ended_by":"reset: FAULT"'
    trace trace_open_messages_end_with_the_boot_fault_halt $O/fault_halt.json \
        '"name":"message [A-Z_]+","cat":"message","ph":"e".*"ended_by":"halt: FAULT"'
    trace trace_open_messages_end_with_the_boot_sigint $O/sigint.json \
        '"name":"message BOOM","cat":"message","ph":"e".*"ended_by":"halt: INTERRUPTED"'
    slices_end trace_every_slice_ends_after_reset_and_halt $O/sigint.json $O/watchdog.json \
        $O/fault_reset.json $O/fault_halt.json
    run sigfpe --ns-entry ns_sigfpe --panic halt
    expect fault_sigfpe_in_partition_halts 3 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition BOOM_SP \(pid [0-9]+\): SIGFPE at address 0x[0-9a-f]+ -> halt \(exit 3\)$"
    run platform_reset --ns-entry ns_platform_reset
    expect platform_reset_then_ns_returns_30 30 err "boots: +2"
    run trap --ns-entry ns_trap --panic trap --trace $O/trap.json
    expect trap_refuses_and_others_serve 0 out "trap: first -130 again -130 ping 1" \
        err "^ffm-sim: PANIC \[PANIC-01\] psa_panic by partition BOOM_SP \(pid [0-9]+\) at boom_sfn\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: psa_panic called -> trap$" \
        err "panics: +1 \(trapped 1\)$" err "resets: +0$" err "end: +NS entry returned 0$"
    trace trace_trapped_panic $O/trap.json \
        '"name":"PANIC","cat":"pe","ph":"i".*"rule":"PANIC-01","api":"psa_panic".*"disposition":"trap","caller":"BOOM_SP"' \
        '"name":"panic","cat":"panic","ph":"i".*"rule":"PANIC-01".*"disposition":"panic -> trap"' \
        '"name":"partition faulted","cat":"spm"' \
        '"name":"psa_call","cat":"psa","ph":"X".*"result":-130,"handle":"0x[0-9a-f]+","type":1' \
        '"name":"ping_sfn","cat":"sfn","ph":"X".*"sid":"0xe602"'
    run trap_clients --ns-entry ns_trap_clients --panic trap --trace $O/trap_clients.json
    expect trap_releases_every_waiting_client 0 \
        out "trap clients: ring 1, -2 got -130, -3 got -130, again -130, ping 1, boom 1$" \
        err "^ffm-sim: PANIC \[PANIC-01\] psa_panic by partition STALL_SP \(pid [0-9]+\) at stall_main\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: psa_panic called -> trap$" \
        err "panics: +1 \(trapped 1\)$"
    # In the trace, -2's fetched and -3's queued messages end with the refusal (PANIC-05), and
    # every message slice that begins ends.
    trace trace_refused_messages_end $O/trap_clients.json \
        '"name":"message STALL","cat":"message","ph":"e".*"client_id":-2,.*"status":-130.*"refused":"partition faulted' \
        '"name":"message STALL","cat":"message","ph":"e".*"client_id":-3,.*"status":-130.*"refused":"partition faulted'
    nb=$(grep -c '"cat":"message","ph":"b"' "$O/trap_clients.json")
    ne=$(grep -c '"cat":"message","ph":"e"' "$O/trap_clients.json")
    if [ "$nb" -gt 0 ] && [ "$nb" -eq "$ne" ]; then
        ok trace_every_message_slice_ends
    else
        ko trace_every_message_slice_ends "$nb message slices begin, $ne end"
    fi
    run fault_trap --ns-entry ns_fault_trap --panic trap --trace $O/fault_trap.json
    expect trap_after_partition_fault 0 out "trap: first -130 again -130 ping 1" \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition BOOM_SP \(pid [0-9]+\) at boom_sfn\+0x[0-9a-f]+ \(parts\.so\)( [^ ]+)?: SIGSEGV at address 0x40 -> trap$" \
        err "faults: +1 \(trapped 1\)$" err "panics: +0$"
    trace trace_trapped_fault $O/fault_trap.json \
        '"name":"fault","cat":"panic","ph":"i".*"rule":"RESET-10".*"reason":"SIGSEGV at address 0x40","disposition":"panic -> trap"'
    # Under trap, the NS entry thread itself cannot be trapped and go on: the run halts (exit 3)
    # with one report line, counted once.
    run gen03_trap --ns-entry ns_gen03 --panic trap
    expect trap_of_ns_entry_halts_once 3 \
        err "^ffm-sim: PANIC \[GEN-03\] psa_wait by NS client -1 at ns_gen03\+0x[0-9a-f]+ \(ns\.so\)( [^ ]+)?: .* -> halt \(exit 3\)$" \
        err "panics: +1$" err "PROGRAMMER ERRORs: 1 \(GEN-03 1\)$"
    if [ "$(grep -c "GEN-03\] psa_wait" "$OUT/exits_gen03_trap.err")" -ne 1 ]; then
        ko trap_of_ns_entry_reported_once "GEN-03 reported more than once"
    else
        ok trap_of_ns_entry_reported_once
    fi
    run nsfault_trap --ns-entry ns_fault --panic trap
    expect ns_entry_fault_under_trap_halts 3 \
        err "^ffm-sim: FAULT \[RESET-11\] fault by NS client -1 at ns_fault\+0x[0-9a-f]+ \(ns\.so\)( [^ ]+)?: SIGSEGV at address 0x80 -> halt \(exit 3\)$" \
        err "faults: +1$" err "end: +halted, reason FAULT \(exit 3\)$"
    run rawthread --ns-entry ns_rawthread
    expect exit_1_unregistered_thread 1 err "INTERNAL ERROR .*\[GEN-02\] psa_framework_version"
    "$MF" -m $E/list_bootpanic.yaml -o $O/gen > /dev/null 2>&1
    sim exits_resetloop 15 -m $E/list_bootpanic.yaml --image $O/parts.so --ns $O/ns.so \
        --ns-entry ns_boom --max-resets 2 --trace $O/resetloop.json
    expect exit_4_reset_limit 4 \
        err "^ffm-sim: HALT \[RESET-14\] RESET_LOOP: 3 consecutive resets without reaching the NS entry \(limit 2\)$" \
        err "boots: +3 \(1 cold, 2 warm\)$" err "end: +halted, reason RESET_LOOP \(exit 4\)$"
    trace trace_valid_after_reset_loop $O/resetloop.json \
        '"name":"boot","cat":"reset","ph":"i".*"boot":3' \
        '"name":"halt","cat":"reset","ph":"i".*"reason":"RESET_LOOP"'
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
    # Each of those is one clear line (a single problem each; bad_platform has two).
    many=""
    for l in badopt badpanic badnum nons nolist badmanifest noimage nosym noentry mmio irqsrc; do
        [ "$(wc -l < "$OUT/exits_$l.err")" -eq 1 ] || many="$many $l"
    done
    if [ -z "$many" ]; then
        ok bad_input_is_one_line
    else
        ko bad_input_is_one_line "more than one line on stderr for:$many"
    fi
    sim exits_notso 5 -m $E/list.yaml --image $E/ok_sp.yaml --ns $O/ns.so
    expect exit_2_image_not_a_shared_object 2 \
        err "^ffm-sim: error: $E/ok_sp\.yaml: cannot load image: not a shared object$"
    # --help documents every option (issue 5 acceptance); --version.
    sim exits_help 5 --help
    expect help_documents_every_option 0 out "^usage: ffm-sim \[options\] -m LIST" \
        out "^  -m, --manifest-list LIST" out "^  --image PATH\.so" out "^  --ns PATH\.so" \
        out "^  --ns-entry SYMBOL" out "^  --platform FILE\.yaml" out "^  --profile spec\|tfm" \
        out "^  --panic reset\|halt\|trap" out "^  --nvmem FILE" out "^  --max-resets N" \
        out "^  --trace FILE\.json" out "^  --log error\|warn\|info\|debug" out "^  --cpu N\|any" \
        out "^  --addr32" out "^  -h, --help" out "^  --version" out "^  3  halted" \
        out "^  4  reset limit" \
        out "^  2  bad input" out "^  1  internal failure"
    sim exits_version 5 --version
    expect version_prints_a_version 0 out "^ffm-sim [^ ]+ \(manifest library [0-9]"
else
    ko exits_build "cannot build the exits case"
fi
