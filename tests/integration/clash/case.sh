# clash: two images (and the NS image) define the same global function and variable names;
# each binds to its own (private symbol namespaces, issue 5 item 2).
if gen clash && image clash a part.c -DBASE=100 -DSFN_NAME=svc_a_sfn &&
    image clash b part.c -DBASE=200 -DSFN_NAME=svc_b_sfn && image clash ns ns.c; then
    sim clash 10 -m $T/clash/list.yaml --image $OUT/clash/a.so --image $OUT/clash/b.so \
        --ns $OUT/clash/ns.so
    expect clash_same_names_two_images 0 out "clash: a 101 102 b 201 202 ns 901"
else
    ko clash_build "cannot build the clash case"
fi
