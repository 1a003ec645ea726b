# flash: the flash model. FLASH_SP (built with -g, so the call site has file:line when ffm-sim
# has libdw) runs a strict scenario on Driver_FLASH0 and a NOR AND-merge one through
# ffm_flash_*; a program over programmed bytes is refused and reported with the partition, the
# address and the call site (FLASH-01); NS is refused the secure device (FLASH-02); the trace
# has every program and erase; the summary counts erases per sector. A bad geometry is a
# file:line:col error, exit 2.
if gen flash && image flash flash_sp flash_sp.c -g && image flash ns ns.c; then
    sim flash 10 -m $T/flash/list.yaml --platform $T/flash/platform.yaml \
        --image $OUT/flash/flash_sp.so --ns $OUT/flash/ns.so --trace $OUT/flash/trace.json
    expect flash_strict_refuses_programmed_bytes 0 \
        out "^strict: 2 sectors of 4096, program 4, again -6, misaligned -5, erase 0, program 4, read 0x7812$" \
        err "^ffm-sim: FLASH \[FLASH-01\] Driver_FLASH0\.ProgramData by partition FLASH_SP \(pid 256\) at strict_scenario\+0x[0-9a-f]+ \(flash_sp\.so\)( flash_sp\.c:25)?: Driver_FLASH0 \(region STORE\) 0x00000010 is not erased \(0x12, erased value 0xff\): program of 4 bytes at 0x00000010 refused -> returns -6$"
    expect flash_nor_and_merge 0 \
        out "^nor: strict 0, program 0, program 0, read 0x30, erase 0, read 0xff$"
    expect flash_secure_device_refused_to_ns 0 \
        out "^ns: program -1$" \
        err "^ffm-sim: FLASH \[FLASH-02\] ffm_flash_program by NS client -1 at ns_main\+0x[0-9a-f]+ \(ns\.so\)( ns\.c:[0-9]+)?: device 0 refused: the flash region is secure memory$"
    expect flash_wear_summary 0 \
        err "^ffm-sim:   flash FLASH0 \(region STORE, strict, 2 sectors of 4096 bytes\): 2 programs \(8 bytes\), 1 refused, 1 erases; most erased sector: 1 erases$" \
        err "^ffm-sim:     erases per sector: 0:1$" \
        err "^ffm-sim:   flash FLASH1 \(region NOR, AND-merge, 4 sectors of 1024 bytes\): 2 programs \(2 bytes\), 0 refused, 1 erases; most erased sector: 1 erases$" \
        err "^ffm-sim:     erases per sector: 1:1$"
    trace trace_flash_programs_and_erases $OUT/flash/trace.json \
        '"name":"flash program","cat":"flash",.*"args":\{"device":"FLASH0","region":"STORE","addr":"0x10","len":4,"result":0\}' \
        '"name":"flash program refused \(FLASH-01\)","cat":"flash",.*"addr":"0x10","len":4,"result":-6\}' \
        '"name":"flash erase","cat":"flash",.*"args":\{"device":"FLASH1","region":"NOR","addr":"0x400","sector":1,"result":0,"sector_erases":1\}'
    # The device work behind a flash call is the simulator's: under --stack-check enforce it
    # runs outside the stack guard and is not counted as the partition's stack use.
    sim flash_enforce 10 -m $T/flash/list.yaml --platform $T/flash/platform.yaml \
        --image $OUT/flash/flash_sp.so --ns $OUT/flash/ns.so --stack-check enforce
    expect flash_calls_outside_the_stack_guard 0 \
        out "^strict: 2 sectors of 4096, program 4, again -6, misaligned -5, erase 0, program 4, read 0x7812$" \
        err "^ffm-sim:     FLASH_SP: [0-9],?[0-9]{1,3} of 4,096 bytes \([0-9]+ %\), host-measured$"
    sim flash_bad 10 -m $T/flash/list.yaml --platform $T/flash/platform_bad.yaml \
        --image $OUT/flash/flash_sp.so --ns $OUT/flash/ns.so
    expect flash_bad_geometry_is_bad_input 2 \
        err "^tests/integration/flash/platform_bad\.yaml:7:26: error: regions\[0\]\.flash\.sector_size: 0x2000: must divide the region's size \(region size 0x3000, sector_size 0x2000, program_unit 4\)$" \
        err "^tests/integration/flash/platform_bad\.yaml:12:47: error: regions\[1\]\.flash\.program_unit: 0x800: must divide sector_size" \
        err "^tests/integration/flash/platform_bad\.yaml:12:12: error: regions\[1\]\.flash: a flash region must be persistent: true"
    sim flash_cut_no_flash 10 -m $T/flash/list.yaml --image $OUT/flash/flash_sp.so \
        --ns $OUT/flash/ns.so --flash-cut-after 1
    expect flash_cut_needs_a_flash_region 2 \
        err "^ffm-sim: error: --flash-cut-after 1: the platform \(<built-in>\) declares no flash region$"
else
    ko flash_build "cannot build the flash case"
fi
