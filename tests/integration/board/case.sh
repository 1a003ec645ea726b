# board: a secure platform region mapped at exactly its base below 4 GiB and owned by the
# partition naming it in mmio_regions (MEM-14); NVMEM owned by one partition (RESET-05) and
# kept in a file across runs (--nvmem); the NS entry returns the partition's NVMEM count.
if gen board && image board board_sp board_sp.c && image board ns ns.c; then
    rm -f "$OUT/board/nvmem.bin"
    set -- -m $T/board/list.yaml --platform $T/board/platform.yaml \
        --image $OUT/board/board_sp.so --ns $OUT/board/ns.so --nvmem $OUT/board/nvmem.bin
    sim board1 10 "$@"
    expect board_fixed_region_and_nvmem 1 \
        out "sensor 0xab, NS naming SENSOR -129, NS nvmem NULL size 0, boot count 1" \
        err "\[CALL-18\] psa_call by NS"
    sim board2 10 "$@"
    expect board_nvmem_file_persists_across_runs 2 out "boot count 2"
    sim board_owner 10 -m $T/basic/list.yaml --platform $T/board/platform.yaml \
        --image $OUT/basic/echo_sp.so --ns $OUT/basic/ns.so
    expect exit_2_region_owner_not_a_partition 2 \
        err "platform.yaml:[0-9]+:[0-9]+: regions\[1\].owner: 'BOARD_SP' is not a partition"
    sim board_size 10 -m $T/basic/list.yaml --image $OUT/basic/echo_sp.so \
        --ns $OUT/basic/ns.so --nvmem $OUT/board/nvmem.bin
    expect exit_2_nvmem_file_of_another_size 2 \
        err "^ffm-sim: error: nvmem file .*nvmem\.bin has 4096 bytes, expected 16384$"
else
    ko board_build "cannot build the board case"
fi
