# flashcut: power-fail safety of the demo storage partition in its flash-backed mode (the demo
# board with NVMEM as strict flash, manifests/demo/flash_board.yaml). Boot 1 of the scenario
# programs flash 8 times (2 store formats, then 2 per object write: body, then magic). For
# each N from 1 to 9, --flash-cut-after N tears the Nth program and resets; after the reset
# uid 7 must read back as exactly what was committed before the cut: absent (N 1..4: formats
# and the first write), the old value (N 5, 6: the replacement torn), the new one (N 7, 8: a
# later write torn); never garbage. N = 9 never comes: one boot, no reset, and the wear
# summary shows the replaced slot's four 32-byte sectors erased once. (The cut's call site is
# the static area_program: named with libdw, an address in storage.so without, e.g. M32=1.)
if gen flashcut && image flashcut storage ../../../demo/partitions/demo_storage.c \
    -Idemo/include -Idemo/lib demo/lib/its_store.c demo/lib/crc32.c &&
    image flashcut ns ns.c -Idemo/include; then
    flashcut_bad=""
    for n in 1 2 3 4 5 6 7 8; do
        case $n in 1 | 2 | 3 | 4) want=absent ;; 5 | 6) want=old ;; *) want=new ;; esac
        sim flashcut_$n 20 -m $T/flashcut/list.yaml --platform manifests/demo/flash_board.yaml \
            --image $OUT/flashcut/storage.so --ns $OUT/flashcut/ns.so --flash-cut-after $n
        if [ "$rc" -ne 0 ] ||
            [ "$(cat "$log.out")" != "flashcut: boot 2: uid 7 $want" ] ||
            ! grep -Eq "^ffm-sim: FLASH CUT program $n of the run \(--flash-cut-after $n\) by partition DEMO_SP_STORAGE \(pid 256\) at (area_program\+0x[0-9a-f]+|0x[0-9a-f]+) \(storage\.so\)( demo_storage\.c:[0-9]+)?: Driver_FLASH0 \(region NVMEM\) 0x[0-9a-f]{8}: [0-9]+ of [0-9]+ bytes reached, the last unit half -> power fails$" "$log.err" ||
            ! grep -q "^ffm-sim: RESET \[RESET-06\] ffm_platform_reset by flash power cut (--flash-cut-after $n) in ffm_flash_program by partition DEMO_SP_STORAGE (pid 256): platform reset requested -> reset (boot 2)$" "$log.err"; then
            flashcut_bad="$flashcut_bad N=$n (exit $rc, expected uid 7 $want: $(cat "$log.out"))"
        fi
    done
    if [ -z "$flashcut_bad" ]; then
        ok flash_cut_sweep_recovers_old_or_new
    else
        ko flash_cut_sweep_recovers_old_or_new "$flashcut_bad"
    fi
    sim flashcut_9 20 -m $T/flashcut/list.yaml --platform manifests/demo/flash_board.yaml \
        --image $OUT/flashcut/storage.so --ns $OUT/flashcut/ns.so --flash-cut-after 9
    expect flash_cut_past_the_last_program_is_no_cut 0 \
        out "^flashcut: boot 1: set old 0, set new 0, set other 0, uid 7 new$" \
        err "^ffm-sim:   flash FLASH0 \(region NVMEM, strict, 512 sectors of 32 bytes\): 8 programs \(448 bytes\), 0 refused, 4 erases; most erased sector: 1 erases$" \
        err "^ffm-sim:     erases per sector: 33:1 34:1 35:1 36:1$" \
        err "^ffm-sim:   --flash-cut-after 9: not reached \(8 programs in the run\)$"
else
    ko flashcut_build "cannot build the flashcut case"
fi
