# coverage: a partition built with --coverage runs through a reset. With --gcov every boot's
# simulated process writes the image's counters before it ends, so lcov counts the line run
# before the reset (boot 1) and the one run after it (boot 2); without --gcov both stay 0 (the
# simulated process ends with _exit). The image is built with gcc so that lcov's gcov matches
# it whatever $CC is.
R=$T/coverage
O=$OUT/coverage
# counts NAME: "before after" hit counts of the two marked lines in lcov's report of run NAME.
counts() {
    lcov -q --capture --directory "$O" --output-file "$O/$1.info" > "$O/$1.lcov.log" 2>&1
    for mark in "BEFORE RESET" "AFTER RESET"; do
        line=$(grep -n "$mark" "$R/cov_sp.c" | cut -d: -f1)
        hits=$(grep "^DA:$line," "$O/$1.info" | cut -d, -f2)
        printf '%s ' "${hits:-none}"
    done
}
# (sh may keep an assignment placed before a function call: set and restore CC explicitly.)
# gcc with the flags $CC carries (make M32=1: -m32 ...), so the image fits the simulator.
cov_built() {
    cov_cc=$CC
    case "$cov_cc" in
        *" "*) CC="gcc ${cov_cc#* }" ;;
        *) CC=gcc ;;
    esac
    image coverage cov_sp cov_sp.c --coverage -g -O0; cov_rc=$?
    CC=$cov_cc
    return $cov_rc
}
if command -v gcc > /dev/null && command -v lcov > /dev/null && gen coverage && cov_built &&
   image coverage ns ns.c; then
    rm -f "$O"/*.gcda
    sim coverage_gcov 20 -m $R/list.yaml --image $O/cov_sp.so --ns $O/ns.so --gcov
    expect gcov_run_resets_once_and_exits_0 0 \
        err "PANIC \[PANIC-01\] psa_panic by partition COV_SP .* -> reset \(boot 2\)$"
    got=$(counts gcov)
    if [ "$got" = "1 1 " ]; then
        ok gcov_counts_lines_before_and_after_the_reset
    else
        ko gcov_counts_lines_before_and_after_the_reset "hits before/after: $got (want 1 1)"
    fi
    rm -f "$O"/*.gcda
    sim coverage_nogcov 20 -m $R/list.yaml --image $O/cov_sp.so --ns $O/ns.so
    got=$(counts nogcov)
    # No counters at all ("none": ffm-sim itself never loads the images) or zero counts.
    if [ "$got" = "0 0 " ] || [ "$got" = "none none " ]; then
        ok without_gcov_the_simulated_process_counts_are_lost
    else
        ko without_gcov_the_simulated_process_counts_are_lost "hits: $got (want 0 0)"
    fi
else
    ko coverage_build "cannot build the coverage case (gcc and lcov needed)"
fi
