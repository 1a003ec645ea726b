# basic: a partition written only against <psa/service.h> and its generated header, next to an
# NS application, both built with cc -shared -fPIC (issue 5 acceptance); exit statuses 0 and
# the NS entry's own value (--ns-entry).
if gen basic && image basic echo_sp echo_sp.c && image basic ns ns.c; then
    sim basic 10 -m $T/basic/list.yaml --image $OUT/basic/echo_sp.so --ns $OUT/basic/ns.so
    expect basic_echo_exit_0 0 out "echo 5 'hello' len 5 client -1"
    sim basic_seven 10 -m $T/basic/list.yaml --image $OUT/basic/echo_sp.so \
        --ns $OUT/basic/ns.so --ns-entry ns_seven
    expect basic_ns_return_value_7 7
else
    ko basic_build "cannot build the basic case"
fi
