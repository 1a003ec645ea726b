# cpu: one CPU by default (the one ffm-sim starts on), --cpu N, --cpu any, and a bad --cpu as
# one error line and exit 2. Reuses the basic case's images (built before this case).
if [ -f "$OUT/basic/echo_sp.so" ] && [ -f "$OUT/basic/ns.so" ]; then
    cpu_run() {
        cpu_name=$1; shift
        sim "$cpu_name" 10 -m $T/basic/list.yaml --image $OUT/basic/echo_sp.so \
            --ns $OUT/basic/ns.so --log info "$@"
    }
    if [ "$(uname -s)" = Linux ]; then
        cpu_run cpu_default
        expect cpu_default_is_one_cpu 0 out "echo 5 'hello'" \
            err "^ffm-sim: CPU: [0-9]+ \(the CPU ffm-sim started on; every thread of the run\)$"
        cpu_run cpu_zero --cpu 0
        expect cpu_n_pins 0 out "echo 5 'hello'" err "^ffm-sim: CPU: 0 \(--cpu; every thread"
        cpu_run cpu_any --cpu any
        expect cpu_any_unpinned 0 out "echo 5 'hello'" \
            err "^ffm-sim: CPU: any \(--cpu any: the OS places every thread\)$"
        cpu_run cpu_absent --cpu 4095
        expect cpu_absent_is_bad_input 2 err "^ffm-sim: error: --cpu 4095: "
    fi
    cpu_run cpu_word --cpu some
    expect cpu_word_is_bad_input 2 \
        err "^ffm-sim: error: --cpu: 'some' is neither a CPU number nor 'any'$"
else
    ko cpu_images "the basic case's images are missing"
fi
