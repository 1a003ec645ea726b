# irq: raise -> psa_wait -> psa_eoi (SLIH, SIG-08) and a FLIH in handler mode (SIG-09).
if gen irq && image irq irq_sp irq_sp.c && image irq ns ns.c; then
    sim irq 10 -m $T/irq/list.yaml --image $OUT/irq/irq_sp.so --ns $OUT/irq/ns.so
    expect irq_slih_and_flih 0 \
        out "raise 0 0 0 unknown -1, status 0, slih 2 flih 1 flih-signal 1"
else
    ko irq_build "cannot build the irq case"
fi
