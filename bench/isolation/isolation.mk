# bench/isolation: the round trip at --isolation 0, 1, 2 and 3 side by side (make bench runs
# it; make bench-isolation alone). Uses bench/sim's partitions and generated headers.
BENCH_ISO_OUT := $(BUILD)/bench/isolation

$(BENCH_ISO_OUT)/iso_ns.so: bench/isolation/iso_ns.c $(BENCH_SIM_OUT)/gen/psa_manifest/sid.h
	@mkdir -p $(dir $@)
	$(Q)$(CC) $(BENCH_SIM_SOFLAGS) -o $@ $<

.PHONY: bench-isolation
bench-isolation: $(BIN)/ffm-sim $(BENCH_SIM_OUT)/partitions.so $(BENCH_ISO_OUT)/iso_ns.so
	$(Q)FFM_BENCH_OUT=$(BENCH_ISO_OUT) sh bench/isolation/run.sh $(BIN)/ffm-sim \
		bench/sim/list.yaml $(BENCH_SIM_OUT)/partitions.so $(BENCH_ISO_OUT)/iso_ns.so
