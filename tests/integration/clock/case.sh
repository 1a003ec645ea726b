# clock: the simulated clock (docs/ffm-sim.md "Simulated time"). A FLIH partition waits for the
# 10th tick of a periodic source (`period_us` in the platform file): while every thread is
# blocked the clock jumps to the next tick instead of declaring a DEADLOCK; NS sleeps 2.5 ms of
# simulated time. Two runs: identical output and, with --trace-clock sim, byte-identical traces
# (timer ticks included).
if gen clock && image clock tick_sp tick_sp.c && image clock ns ns.c; then
    set -- -m $T/clock/list.yaml --platform $T/clock/platform.yaml \
        --image $OUT/clock/tick_sp.so --ns $OUT/clock/ns.so
    sim clock1 10 "$@" --trace $OUT/clock/trace1.json --trace-clock sim
    expect clock_tenth_tick_no_deadlock 0 \
        out "^clock: start 0, tick 10 signalled at 10000 us, sleep 10000 -> 12500 us$" \
        err "^ffm-sim: TICK_SP: ffm_platform_sleep_us refused in a FLIH$"
    sim clock2 10 "$@" --trace $OUT/clock/trace2.json --trace-clock sim
    expect clock_second_run_same 0 \
        out "^clock: start 0, tick 10 signalled at 10000 us, sleep 10000 -> 12500 us$"
    sim clock_rt 10 "$@" --realtime --ns-entry ns_realtime
    expect clock_realtime_follows_host 0 \
        out "^clock: start [0-9]+, tick 10 signalled at [0-9]+ us, sleep [0-9]+ -> [0-9]+ us$"
    trace trace_clock_ticks $OUT/clock/trace1.json \
        '"name":"IRQ tick","cat":"irq","ph":"i".*"source":"TIMER0_IRQ","handled_by":"TICK_SP","sim_time_us":10000' \
        '"name":"timer0_flih","cat":"flih","ph":"X"'
    # --trace-clock sim: the two files are byte-identical, timestamps included.
    if cmp -s $OUT/clock/trace1.json $OUT/clock/trace2.json; then
        ok clock_traces_identical
    else
        ko clock_traces_identical "the two runs' traces differ:"
        diff $OUT/clock/trace1.json $OUT/clock/trace2.json | head -10
    fi
    slices_end clock_trace_slices_end $OUT/clock/trace1.json
    # With no periodic source the same wait is a DEADLOCK (RESET-15), reported at once.
    sim clock_deadlock 10 -m $T/clock/list.yaml --image $OUT/clock/tick_sp.so \
        --ns $OUT/clock/ns.so
    expect clock_no_timer_deadlock 3 err "DEADLOCK \[RESET-15\]" \
        err "TICK_SP \(pid [0-9]+\): blocked in psa_wait"
    # Ticks of a source whose IRQ is disabled are no events: still a DEADLOCK, at once.
    sim clock_stuck 10 "$@" --ns-entry ns_stuck
    expect clock_disabled_timer_deadlock 3 err "DEADLOCK \[RESET-15\]" \
        err "TICK_SP \(pid [0-9]+\): blocked in psa_wait"
    # The watchdog counts simulated time: a 10-minute timeout expires at once when the system
    # idles past it (the run is bounded by 10 s of host time).
    sim clock_wdog 10 "$@" --ns-entry ns_wdog
    expect clock_watchdog_simulated_time 7 \
        err "WATCHDOG \[RESET-08\] ffm_platform_wdog_arm by NS client -1.*not fed within 600000 ms"
else
    ko clock_build "cannot build the clock case"
fi
