# demo: `make run` as a new user runs it (issue 6 acceptance): the demo system's narrative, the
# panic and reset lines, the data that survived, the summary, and a trace that Perfetto loads
# with the expected events (calls with handles, SIDs and types, PROGRAMMER ERRORs, the panic,
# both resets, message deliveries and SFN runs). run-demo is `make run` without the dependency
# check; everything is already built by `make test`.
D=$OUT/demo
MAKE_CMD=${MAKE:-make}
bounded demo_make_run 60 env MAKEFLAGS= MAKELEVEL= "$MAKE_CMD" --no-print-directory \
    BUILD="$BUILD" CC="$CC" DEMO_TRACE="$D/trace.json" run-demo
expect demo_make_run_narrative_and_summary 0 \
    out "^\[ns\] boot 1: stored 'greeting' \(12 bytes\) in DEMO_ITS" \
    out "^\[ns\] boot 1: PROGRAMMER ERROR 1: psa_connect\(DEMO_ITS_SID, 1\) on a stateless service -> PSA_ERROR_CONNECTION_REFUSED \(-130\) \[CON-02\]$" \
    out "^\[ns\] boot 1: PROGRAMMER ERROR 2: psa_call\(0x1234dead, \.\.\.\) with a forged handle -> PSA_ERROR_PROGRAMMER_ERROR \(-129\) \[CALL-08\]$" \
    out "^\[ns\] boot 1: DEMO_VERSION: firmware \"demo-fw 1\.4\.2\" \(0x00010402\) through psa_connect \+ psa_call \+ psa_close on DEMO_VERSION_SID \(connection-based\)$" \
    out "^\[ns\] boot 3: DEMO_VERSION: 16 lookups, each psa_connect \+ psa_call \+ psa_close on DEMO_VERSION_SID \(connection-based\)$" \
    out "^\[ns\] boot 2: 'greeting' survived: \"Hello, FF-M!\"$" \
    out "^\[ns\] boot 2: NV counter 0 survived: 1 \(as recorded before the reset\)$" \
    out "^\[ns\] boot 3: NV counter 0 survived: 2 \(as recorded before the reset\)$" \
    out "^\[ns\] boot 3: demo complete: all checks passed$" \
    out "^== trace written to $D/trace.json" \
    err "^ffm-sim: PANIC \[PANIC-01\] psa_panic by partition DEMO_SP_PLATFORM \(pid [0-9]+\): psa_panic called -> reset \(boot 2\)$" \
    err "^ffm-sim: RESET \[RESET-06\] ffm_platform_reset by partition DEMO_SP_PLATFORM \(pid [0-9]+\): platform reset requested -> reset \(boot 3\)$" \
    err "^ffm-sim:   boots: +3 \(1 cold, 2 warm\)$" \
    err "^ffm-sim:   resets: +2 \(PSA_PANIC 1, PLATFORM 1\)$" \
    err "^ffm-sim:   panics: +1$" \
    err "^ffm-sim:   PROGRAMMER ERRORs: 2 \(CON-02 1, CALL-08 1\)$" \
    err "^ffm-sim:   end: +NS entry returned 0$"
trace demo_trace_loads_and_has_the_events "$D/trace.json" \
    '"name":"thread_name".*"args":\{"name":"DEMO_SP_STORAGE"\}' \
    '"name":"thread_name".*"args":\{"name":"NS"\}' \
    '"name":"psa_connect","cat":"psa","ph":"X".*"sid":"0xd040"' \
    '"name":"psa_call","cat":"psa","ph":"X".*"result":-129,"handle":"0x1234dead","type":1' \
    '"name":"PROGRAMMER ERROR","cat":"pe","ph":"i".*"rule":"CON-02","api":"psa_connect"' \
    '"name":"PROGRAMMER ERROR","cat":"pe","ph":"i".*"rule":"CALL-08".*"disposition":"returns -129"' \
    '"name":"PANIC","cat":"pe","ph":"i".*"rule":"PANIC-01","api":"psa_panic".*"caller":"DEMO_SP_PLATFORM"' \
    '"name":"panic","cat":"panic","ph":"i".*"rule":"PANIC-01"' \
    '"name":"reset","cat":"reset","ph":"i".*"reason":"PSA_PANIC","boot":1' \
    '"name":"reset","cat":"reset","ph":"i".*"reason":"PLATFORM","boot":2' \
    '"name":"boot","cat":"reset","ph":"i".*"boot":3,"start":"warm","after":"PLATFORM"' \
    '"name":"end","cat":"reset","ph":"i"' \
    '"name":"message DEMO_ITS","cat":"message","ph":"b".*"sid":"0xd010"' \
    '"name":"message DEMO_ITS","cat":"message","ph":"e".*"status":0' \
    '"name":"demo_its_sfn","cat":"sfn","ph":"X".*"sid":"0xd010","handle":"0x[0-9a-f]+","type":1' \
    '"name":"psa_reply","cat":"psa","ph":"X".*"msg_handle":"0x[0-9a-f]+","status":' \
    '"name":"reply","cat":"spm","ph":"i".*"status":-140'
# Both resets happen while a DEMO_PLATFORM message is being handled: the supervisor ends its
# slice at the end of the boot, saying why, so every message slice that begins ends.
trace demo_trace_open_messages_end_at_reset "$D/trace.json" \
    '"name":"message DEMO_PLATFORM","cat":"message","ph":"e".*"args":\{"ended_by":"reset: PSA_PANIC"\}' \
    '"name":"message DEMO_PLATFORM","cat":"message","ph":"e".*"args":\{"ended_by":"reset: PLATFORM"\}'
slices_end demo_trace_every_slice_ends "$D/trace.json"
# The checker itself fails on a trace cut short (and so can fail every check above).
head -c 2000 "$D/trace.json" > "$D/cut.json"
if "$TRACE_CHECK" "$D/cut.json" > "$OUT/demo_cut.trace_check" 2>&1; then
    ko trace_check_rejects_a_cut_trace "trace_check accepted $D/cut.json"
elif grep -q "not well-formed JSON" "$OUT/demo_cut.trace_check"; then
    ok trace_check_rejects_a_cut_trace
else
    ko trace_check_rejects_a_cut_trace "unexpected output:" "$(cat "$OUT/demo_cut.trace_check")"
fi
