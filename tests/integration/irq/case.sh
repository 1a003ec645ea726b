# irq: raise -> psa_wait -> psa_eoi (SLIH, SIG-08) and a FLIH in handler mode (SIG-09); a PSA
# call inside a FLIH panics the FLIH's partition (GEN-01), trapped or halted.
if gen irq && image irq irq_sp irq_sp.c && image irq ns ns.c; then
    sim irq 10 -m $T/irq/list.yaml --image $OUT/irq/irq_sp.so --ns $OUT/irq/ns.so \
        --trace $OUT/irq/trace.json
    expect irq_slih_and_flih 0 \
        out "raise 0 0 0 unknown -1, status 0, slih 2 flih 1 flih-signal 1" \
        out "^irq: disable 1 then 0, raise 0, poll disabled 0 enabled 1, slih 3$"
    trace trace_irq_events $OUT/irq/trace.json \
        '"name":"IRQ line raised","cat":"irq","ph":"i".*"source":"TEST_IRQ","handled_by":"IRQ_SP"' \
        '"name":"IRQ line lowered","cat":"irq","ph":"i".*"source":"TIMER0_IRQ"' \
        '"name":"IRQ asserted","cat":"spm","ph":"i".*"signal":"0x[0-9a-f]+","source":"TEST_IRQ"' \
        '"name":"tick_flih","cat":"flih","ph":"X".*"source":"TIMER0_IRQ".*"partition":"IRQ_SP"' \
        '"name":"psa_eoi","cat":"psa","ph":"X".*"signal":"0x[0-9a-f]+"' \
        '"name":"psa_wait","cat":"psa","ph":"X".*"signal_mask":"0x[0-9a-f]+"'
else
    ko irq_build "cannot build the irq case"
fi
IMG_GEN=$OUT/irq/gen2
if "$MF" -m $T/irq/list_flih_pe.yaml -o $IMG_GEN > $OUT/irq/gen2.log 2>&1 &&
    image irq irq_sp2 irq_sp.c && image irq badflih badflih_sp.c &&
    image irq ns2 ns.c -DFLIH_PE; then
    unset IMG_GEN
    set -- -m $T/irq/list_flih_pe.yaml --platform $T/irq/platform.yaml \
        --image $OUT/irq/irq_sp2.so --image $OUT/irq/badflih.so --ns $OUT/irq/ns2.so \
        --ns-entry ns_flih_pe
    sim irq_flih_trap 10 "$@" --panic trap
    expect irq_flih_pe_trapped 0 out "ping before 1, raise 0, ping after -130, irq status 0" \
        err "PANIC \[GEN-01\] psa_clear by partition BADFLIH_SP.*-> trap$" \
        err "panics: +1 \(trapped 1\)"
    sim irq_flih_halt 10 "$@" --panic halt
    expect irq_flih_pe_halts 3 err "PANIC \[GEN-01\] psa_clear"
else
    unset IMG_GEN
    ko irq_flih_build "cannot build the irq FLIH case"
fi
