# tfmcompat: TF-M compatibility headers (include/tfm-compat, one -I before include/) and the
# flash_layout.h that ffm-sim --flash-layout generates from the platform file. The partition
# uses rot_size_t, IOVEC_LEN, cmsis_compiler.h, the CMSIS flash driver under the TF-M HAL's
# names, and TF-M's log macros, which become ffm_platform_log lines without doubled newlines.
sim tfmcompat_layout 10 --platform $T/tfmcompat/platform.yaml \
    --flash-layout $OUT/tfmcompat/flash_layout.h
expect tfmcompat_flash_layout_generated 0
if [ "$rc" -eq 0 ] &&
    grep -qx '#define TFM_HAL_ITS_FLASH_DRIVER Driver_FLASH0' $OUT/tfmcompat/flash_layout.h &&
    grep -qx '#define TFM_HAL_ITS_FLASH_AREA_SIZE (0x4000u)' $OUT/tfmcompat/flash_layout.h &&
    grep -qx '#define FLASH_ITS_FLASH_SECTOR_SIZE (0x1000u)' $OUT/tfmcompat/flash_layout.h; then
    ok tfmcompat_flash_layout_names_the_its_region
else
    ko tfmcompat_flash_layout_names_the_its_region "see $OUT/tfmcompat/flash_layout.h"
fi
tfmcompat_saved=$IMG_CFLAGS
IMG_CFLAGS="-std=c11 -Wall -Wextra -Werror -pedantic -Werror=implicit-function-declaration -Iinclude/tfm-compat -Iinclude -I$OUT/tfmcompat ${IMG_EXTRA_CFLAGS:-}"
if gen tfmcompat && image tfmcompat its_sp its_sp.c && image tfmcompat ns ns.c; then
    sim tfmcompat 10 -m $T/tfmcompat/list.yaml --platform $T/tfmcompat/platform.yaml \
        --image $OUT/tfmcompat/its_sp.so --ns $OUT/tfmcompat/ns.so --log info
    expect tfmcompat_partition_runs 0 \
        out "^tfmcompat: stored 10$" \
        err "^ffm-sim: \[TFM_SP_ITS\] Creating an empty flash layout\.$" \
        err "^ffm-sim: \[TFM_SP_ITS\] \[TFM COMPAT\] programmed 12 bytes, MM-IOVEC 1$"
    if grep -q '^ffm-sim: $\|^$' "$log.err"; then
        ko tfmcompat_log_no_blank_lines "blank line in $log.err"
    else
        ok tfmcompat_log_no_blank_lines
    fi
else
    ko tfmcompat_build "cannot build the tfmcompat case"
fi
IMG_CFLAGS=$tfmcompat_saved
sim tfmcompat_layout_bad 10 --platform $T/tfmcompat/platform.yaml \
    --flash-layout $OUT/tfmcompat/no-such-dir/flash_layout.h
expect tfmcompat_flash_layout_unwritable 2 \
    err "^ffm-sim: error: --flash-layout $OUT/tfmcompat/no-such-dir/flash_layout\.h: No such file or directory$"
