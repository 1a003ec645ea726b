# dual: TF-M's `model: dual` partitions in a TF-M-shaped list with `conditional` switches, run
# unchanged under both backends: the backend from --backend or from CONFIG_TFM_SPM_BACKEND in
# a -c config header, the switches from -c or -D (ffm-manifest's options, same meaning), and
# --undefined-off for switches nobody defined. The headers are generated with the same
# options as the run, as a TF-M build does.
D=$T/dual
# dual_build TAG CFLAGS MF-OPTIONS...: headers and images of one backend into $OUT/dual/TAG.
dual_build() {
    tag=$1; flags=$2; shift 2
    IMG_GEN=$OUT/dual/gen_$tag
    mkdir -p "$IMG_GEN"
    "$MF" -m $D/list.yaml -o "$IMG_GEN" "$@" > "$OUT/dual/gen_$tag.log" 2>&1 &&
        image dual "dual_$tag" dual_sp.c $flags -I"$IMG_GEN/secure_fw/test_services/dual_sp" &&
        image dual "client_$tag" client_sp.c $flags \
            -I"$IMG_GEN/secure_fw/test_services/client_sp" &&
        image dual "ns_$tag" ns.c
    st=$?
    unset IMG_GEN
    return $st
}
dual_images() {
    echo --image $OUT/dual/dual_$1.so --image $OUT/dual/client_$1.so --ns $OUT/dual/ns_$1.so
}
if dual_build ipc -DDUAL_IPC -c $D/config_sfn.h --backend ipc &&
    dual_build sfn "" -c $D/config_sfn.h; then
    # shellcheck disable=SC2046
    sim dual_ipc 10 -m $D/list.yaml -c $D/config_sfn.h --backend ipc $(dual_images ipc)
    expect dual_backend_option_ipc 0 out "^ns: DUAL_MODEL served by IPC$"
    # shellcheck disable=SC2046
    sim dual_sfn 10 -m $D/list.yaml -c $D/config_sfn.h $(dual_images sfn)
    expect dual_backend_from_config_sfn 0 out "^ns: DUAL_MODEL served by SFN$"
    # shellcheck disable=SC2046
    sim dual_defines 10 -m $D/list.yaml -D TFM_PARTITION_DUAL_TEST -DTFM_PARTITION_PS_TEST=0 \
        -D CONFIG_TFM_SPM_BACKEND=SFN $(dual_images sfn)
    expect dual_defines_sfn 0 out "^ns: DUAL_MODEL served by SFN$"
    # shellcheck disable=SC2046
    sim dual_override 10 -m $D/list.yaml -c $D/config_sfn.h -D CONFIG_TFM_SPM_BACKEND=IPC \
        $(dual_images ipc)
    expect dual_define_overrides_config 0 out "^ns: DUAL_MODEL served by IPC$"
    # shellcheck disable=SC2046
    sim dual_undef_off 10 -m $D/list.yaml -D TFM_PARTITION_DUAL_TEST --backend sfn \
        --undefined-off $(dual_images sfn)
    expect dual_undefined_off_one_warning 0 out "^ns: DUAL_MODEL served by SFN$" \
        err "^$D/list.yaml:42:22: warning: conditional: not defined, so treated as off \(--undefined-off\): TFM_PARTITION_PS_TEST \[MAN-04\]$"
    # shellcheck disable=SC2046
    sim dual_undef 10 -m $D/list.yaml --backend sfn $(dual_images sfn)
    expect dual_undefined_is_error 2 \
        err "^$D/list.yaml:29:22: error: manifest_list\[1\]\.conditional: TFM_PARTITION_DUAL_TEST is not defined \[MAN-04\]$"
    # shellcheck disable=SC2046
    sim dual_no_backend 10 -m $D/list.yaml -D TFM_PARTITION_DUAL_TEST -D TFM_PARTITION_PS_TEST=0 \
        $(dual_images sfn)
    expect dual_needs_backend 2 \
        err "^$D/client_sp.yaml:7:12: error: model: \"dual\" needs a backend: give --backend ipc\|sfn, or define CONFIG_TFM_SPM_BACKEND as IPC or SFN \[MAN-10\]$"
    # shellcheck disable=SC2046
    sim dual_bad_config 10 -m $D/list.yaml -c $D/config_sfn.h -D CONFIG_TFM_SPM_BACKEND=sfn \
        $(dual_images sfn)
    expect dual_bad_config_value 2 \
        err "^$D/dual_sp.yaml:8:12: error: model: \"dual\" takes the backend from CONFIG_TFM_SPM_BACKEND, which is \"sfn\", not IPC or SFN \[MAN-10\]$"
    sim dual_bad_backend 10 -m $D/list.yaml --backend arm --ns $OUT/dual/ns_sfn.so
    expect dual_bad_backend_option 2 err "^ffm-sim: error: --backend: 'arm' is not one of ipc\|sfn$"
    sim dual_bad_define 10 -m $D/list.yaml -D 1X=2 --ns $OUT/dual/ns_sfn.so
    expect dual_bad_define 2 \
        err "^ffm-sim: error: -D needs NAME\[=VALUE\] with NAME a C identifier, not '1X=2'$"
else
    ko dual_build "cannot build the dual case"
fi
