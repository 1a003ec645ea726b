# ctor: image constructors run inside the simulated system (docs/ffm-sim.md, "Images and
# their constructors"): attributed to their image, under the fault handlers, the panic policy
# and --timeout. Before, they ran in the supervisor: a crash killed ffm-sim silently (139),
# exit(0) made it exit 0 having run nothing, and an endless loop ignored --timeout.
C=$T/ctor
O=$OUT/ctor
# The crashing constructors store through a null pointer on purpose: -fno-sanitize=null keeps
# UBSan (SAN= builds) from stopping them before the fault that the case is about.
if gen ctor && image ctor ok ctor_sp.c && image ctor crash ctor_sp.c -DCTOR_MODE=1 -fno-sanitize=null &&
    image ctor exit ctor_sp.c -DCTOR_MODE=2 && image ctor spin ctor_sp.c -DCTOR_MODE=3 &&
    image ctor ns ns.c && image ctor ns_fault ns.c -DNS_CTOR_FAULT -fno-sanitize=null; then
    sim ctor_ok 10 -m $C/list.yaml --image $O/ok.so --ns $O/ns.so
    expect ctor_runs_in_the_simulated_system 0 out "^ctor: constructor ran in the simulated system$"
    sim ctor_crash_halt 10 -m $C/list.yaml --image $O/crash.so --ns $O/ns.so --panic halt
    expect ctor_fault_is_a_fault_of_its_image 3 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition crash\.so constructor \(pid [0-9]+\) at ctor\+0x[0-9a-f]+ \(crash\.so\)( [^ ]+)?: SIGSEGV at address 0x0 -> halt \(exit 3\)$"
    sim ctor_crash_reset 20 -m $C/list.yaml --image $O/crash.so --ns $O/ns.so --max-resets 2
    expect ctor_fault_under_reset_is_a_reset_loop 4 \
        err "^ffm-sim: FAULT \[RESET-10\] fault by partition crash\.so constructor \(pid [0-9]+\) at ctor\+0x[0-9a-f]+ \(crash\.so\)( [^ ]+)?: SIGSEGV at address 0x0 -> reset \(boot 2\)$" \
        err "^ffm-sim: HALT \[RESET-14\] RESET_LOOP: 3 consecutive resets"
    sim ctor_exit 10 -m $C/list.yaml --image $O/exit.so --ns $O/ns.so --panic halt
    expect ctor_exit_is_a_panic_not_success 3 \
        err "^ffm-sim: PANIC \[PANIC-07\] constructor by partition CTOR_SP \(pid [0-9]+\): exit\(\) called by a constructor of image $O/exit\.so -> halt \(exit 3\)$"
    sim ctor_spin 10 -m $C/list.yaml --image $O/spin.so --ns $O/ns.so --timeout 1
    expect ctor_spin_stopped_by_timeout 3 \
        err "^ffm-sim: TIMEOUT \[RESET-09\] no watchdog armed and the run exceeded 1000 ms -> halt \(exit 3\)$"
    sim ctor_ns_fault 10 -m $C/list.yaml --image $O/ok.so --ns $O/ns_fault.so --panic halt
    expect ctor_fault_in_the_ns_image 3 \
        err "^ffm-sim: FAULT \[RESET-11\] fault by NS thread ns_fault\.so constructor \(client -1\) at ns_ctor\+0x[0-9a-f]+ \(ns_fault\.so\)( [^ ]+)?: SIGSEGV at address 0x0 -> halt \(exit 3\)$"
else
    ko ctor_build "cannot build the ctor case"
fi
