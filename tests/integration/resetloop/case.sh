# resetloop: the same fault at the same place on every boot stops the run (--reset-loop,
# default 3) with a RESET_LOOP report naming the function and file:line (images built with -g,
# located with libdw, or function and image only with dladdr); --report writes the JSON run
# summary; --quiet drops the summary; PROGRAMMER ERROR lines name the call site.
R=$T/resetloop
O=$OUT/resetloop
# line_of FILE MARK: the line number of the line containing MARK.
line_of() { grep -n "$2" "$1" | head -1 | cut -d: -f1; }
if gen resetloop && image resetloop crash_sp crash_sp.c -g -fno-sanitize=null,nonnull-attribute && image resetloop ns ns.c -g; then
    fl=$(line_of "$R/crash_sp.c" "NULL DEREF HERE")
    pl=$(line_of "$R/ns.c" "PE HERE")
    # file:line needs libdw; with dladdr only, the image is named instead.
    at_fault="crash_sfn\+0x[0-9a-f]+ \(crash_sp\.so\)( crash_sp\.c:$fl)?"
    brief_fault="crash_sfn \((crash_sp\.c:$fl|crash_sp\.so)\)"
    sim resetloop_default 20 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so \
        --report $OUT/resetloop_default.json --trace $O/default.json
    expect reset_loop_stops_after_3_identical_faults 4 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition CRASH_SP \(pid [0-9]+\) at $at_fault: SIGSEGV at address 0x0 -> reset \(boot 3\)$" \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition CRASH_SP \(pid [0-9]+\) at $at_fault: SIGSEGV at address 0x0 -> halt: RESET_LOOP \(exit 4\)$" \
        err "^ffm-sim: HALT RESET_LOOP: the same FAULT \[RESET-10\] at $brief_fault ended 3 consecutive boots \(--reset-loop 3\) -> halt \(exit 4\)$" \
        err "^ffm-sim:   run with --panic halt to stop at the first one" \
        err "boots: +3 \(1 cold, 2 warm\)$" err "resets: +2 \(FAULT 2\)$" \
        err "end: +halted, reason RESET_LOOP \(exit 4\)$"
    trace trace_fault_names_the_function $O/default.json \
        '"name":"fault","cat":"panic".*"rule":"RESET-10".*"where":"crash_sfn\+0x[0-9a-f]+ \(crash_sp\.so\)'
    if grep -q "reset (boot 4)" "$OUT/resetloop_default.err"; then
        ko reset_loop_no_fourth_boot "a 4th boot after 3 identical faults"
    else
        ok reset_loop_no_fourth_boot
    fi
    expect report_json_names_function_and_end 4 \
        json '^  "boots": 3,$' json '^  "resets_by_reason": \{"FAULT": 2\},$' \
        json '^  "faults": 3,$' json "^    \"function\": \"$brief_fault\",$" \
        json '^    "rule": "RESET-10",$' json '^    "reason": "RESET_LOOP",$' \
        json '^    "exit_status": 4,$' json '^    "ns_status": null,$' \
        json '^    "same_error_boots": 3,$'
    sim resetloop_five 20 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so --reset-loop 5
    expect reset_loop_5_stops_after_5 4 err "ended 5 consecutive boots \(--reset-loop 5\)" \
        err "boots: +5 \(1 cold, 4 warm\)$"
    # more faults than the default limit (3) before --timeout ends it: a few boots a second
    # under qemu-user (make test M32=1 on a host without IA-32), hundreds natively
    sim resetloop_off 20 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so --reset-loop 0 \
        --timeout 2 --quiet
    n=$(grep -c "^ffm-sim: FAULT \[RESET-10\]" "$OUT/resetloop_off.err")
    if [ "$rc" -eq 3 ] && [ "$n" -gt 3 ] && ! grep -q "RESET_LOOP\|summary" "$OUT/resetloop_off.err"; then
        ok reset_loop_0_is_off_and_quiet_has_no_summary
    else
        ko reset_loop_0_is_off_and_quiet_has_no_summary "exit $rc, $n faults"
    fi
    sim resetloop_halt 20 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so --panic halt
    expect panic_halt_stops_at_the_first 3 \
        err "^ffm-sim: FAULT \[RESET-10\] .* at $at_fault: SIGSEGV at address 0x0 -> halt \(exit 3\)$"
    sim resetloop_pe 20 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so --ns-entry ns_pe \
        --report $OUT/resetloop_pe.json --trace $O/pe.json
    expect pe_line_names_the_call_site 1 \
        err "^ffm-sim: PROGRAMMER ERROR \[CALL-08\] psa_call by NS client -1 at ns_pe\+0x[0-9a-f]+ \(ns\.so\)( ns\.c:$pl)?: .* -> returns -129" \
        json '^    "reason": "EXITED",$' json '^    "exit_status": 1,$' json '^    "ns_status": 1,$' \
        json '^  "programmer_errors_by_rule": \{"CALL-08": 1\},$'
    trace trace_pe_names_the_call_site $O/pe.json \
        '"name":"PROGRAMMER ERROR","cat":"pe".*"rule":"CALL-08".*"where":"ns_pe\+0x[0-9a-f]+ \(ns\.so\)'
    # A fault inside a library function names it and the partition code that called it.
    ll=$(line_of "$R/crash_sp.c" "LIBC FAULT HERE")
    sim resetloop_libc 20 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so --ns-entry ns_libc \
        --panic halt --report $OUT/resetloop_libc.json
    expect fault_in_libc_names_the_calling_partition_code 3 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition CRASH_SP \(pid [0-9]+\) at [^ ]*strlen[^ ]*\+0x[0-9a-f]+ \([^)]+\)( [^ ]+)? called from crash_sfn\+0x[0-9a-f]+ \(crash_sp\.so\)( crash_sp\.c:$ll)?: SIGSEGV at address 0x0 -> halt \(exit 3\)$" \
        json "^    \"function\": \"crash_sfn \((crash_sp\.c:$ll|crash_sp\.so)\)\",$"
    sim resetloop_badreport 5 -m $R/list.yaml --image $O/crash_sp.so --ns $O/ns.so \
        --report /nonexistent/dir/r.json
    expect report_in_missing_directory_is_bad_input 2 \
        err "^ffm-sim: error: --report /nonexistent/dir/r\.json: cannot write in /nonexistent/dir: "
else
    ko resetloop_build "cannot build the resetloop case"
fi
