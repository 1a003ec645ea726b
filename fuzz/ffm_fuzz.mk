# fuzz/ffm_fuzz.mk - ffm-fuzz, the fuzzer for users' own partitions (docs/fuzzing.md).
#
#   make ffm-fuzz                  build/ffm-fuzz (clang, ASan + UBSan + libFuzzer)
#   make ffm-fuzz-planted          its own test: planted bugs found and replayed (fuzz/ffm/)
#   make ffm-fuzz-demo FUZZ_SECONDS=600
#                                  fuzz the demo partitions (built with sanitizers)
#   make ffm-fuzz-bench            exec/s on an SFN echo partition (fuzz/ffm/echo.c)
#
# Partitions are built as users build them for ffm-fuzz:
#   clang -g -fsanitize=address,undefined,fuzzer-no-link -shared -fPIC -Iinclude -Igen p.c
FFM_FUZZ := $(BIN)/ffm-fuzz
FFM_FUZZ_SRCS := fuzz/ffm_fuzz.c fuzz/ffm_fuzz_input.c fuzz/ffm_fuzz_snap.c fuzz/ffm_fuzz_flash.c \
	$(CORE_SRCS) \
	$(SYNCPORT_SRCS) $(MANIFEST_SRCS) $(SIM_SRCS)
FFM_FUZZ_DIR := $(BUILD)/ffm-fuzz-work
FFM_FUZZ_IMAGE_FLAGS = -std=c99 $(FUZZ_CFLAGS) $(SIM_IMAGE_LDFLAGS) -Iinclude
FFM_FUZZ_SECONDS ?= $(FUZZ_SECONDS)

.PHONY: ffm-fuzz ffm-fuzz-planted ffm-fuzz-demo ffm-fuzz-bench
ffm-fuzz: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(FFM_FUZZ)

# Exports only the PSA and platform APIs to the images (sim/ffm-sim.dynlist), as ffm-sim does;
# the sanitizer and coverage entry points the images call are exported by the runtimes.
$(FFM_FUZZ): $(FFM_FUZZ_SRCS) fuzz/ffm_fuzz.h $(SIM_EXPORT_FILE)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_PROJECT_FLAGS) -o $@ $(FFM_FUZZ_SRCS) $(FUZZ_ENGINE) \
		$(SIM_EXPORT_LDFLAGS) $(YAML_LIBS) $(SIM_LDLIBS)

# ---------------------------------------------------------------- test partitions (fuzz/ffm)

$(FFM_FUZZ_DIR)/%/gen/.stamp: fuzz/ffm/%_list.yaml fuzz/ffm/%.yaml $(BIN)/ffm-manifest
	@mkdir -p $(dir $@)
	$(Q)$(BIN)/ffm-manifest -m $< -o $(dir $@)
	$(Q)touch $@

$(FFM_FUZZ_DIR)/%.so: fuzz/ffm/%.c $(FFM_FUZZ_DIR)/%/gen/.stamp
	$(if $(Q),@echo "  IMAGE   $@")
	$(Q)$(FUZZ_CC) $(FFM_FUZZ_IMAGE_FLAGS) -I$(FFM_FUZZ_DIR)/$*/gen -o $@ $<

ffm-fuzz-planted: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(FFM_FUZZ) $(FFM_FUZZ_DIR)/planted.so
	$(Q)FFM_FUZZ=$(FFM_FUZZ) DIR=$(FFM_FUZZ_DIR) fuzz/ffm/planted_test.sh

ffm-fuzz-bench: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(FFM_FUZZ) $(FFM_FUZZ_DIR)/echo.so
	$(Q)rm -rf $(FFM_FUZZ_DIR)/echo-corpus && mkdir -p $(FFM_FUZZ_DIR)/echo-corpus
	$(Q)$(FFM_FUZZ) -m fuzz/ffm/echo_list.yaml --image $(FFM_FUZZ_DIR)/echo.so \
		-max_total_time=$(or $(BENCH_SECONDS),20) -print_final_stats=1 \
		$(FFM_FUZZ_DIR)/echo-corpus 2>&1 | grep -E 'stat::(number_of_executed_units|average_exec)'

# ---------------------------------------------------------------- the demo system

FFM_FUZZ_DEMO_IMAGES := $(DEMO_PARTITIONS:%=$(FFM_FUZZ_DIR)/demo/demo_%.so)
# The demo's platform service resets the system (type 3) and panics (type 4) when a client asks:
# by design, so they are declared and not reported.
FFM_FUZZ_DEMO_ARGS := -m $(DEMO_LIST) --platform $(DEMO_BOARD) $(FFM_FUZZ_DEMO_IMAGES:%=--image %) \
	--allow DEMO_PLATFORM:3 --allow DEMO_PLATFORM:4

$(FFM_FUZZ_DIR)/demo/demo_%.so: demo/partitions/demo_%.c $$(DEMO_LIBS_$$*) $(DEMO_HEADERS) \
		$(DEMO_GEN)/.stamp
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  IMAGE   $@")
	$(Q)$(FUZZ_CC) $(FFM_FUZZ_IMAGE_FLAGS) $(DEMO_INCLUDES) -I$(DEMO_GEN) -o $@ $< $(DEMO_LIBS_$*)

# Exits non-zero on a finding; the log and any reproducer stay in $(FFM_FUZZ_DIR)/demo.
ffm-fuzz-demo: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(FFM_FUZZ) $(FFM_FUZZ_DEMO_IMAGES)
	$(Q)rm -rf $(FFM_FUZZ_DIR)/demo/artifacts && \
		mkdir -p $(FFM_FUZZ_DIR)/demo/corpus $(FFM_FUZZ_DIR)/demo/artifacts
	$(Q)log=$(FFM_FUZZ_DIR)/demo/fuzz.log; \
	$(FFM_FUZZ) $(FFM_FUZZ_DEMO_ARGS) -max_total_time=$(FFM_FUZZ_SECONDS) -print_final_stats=1 \
		-artifact_prefix=$(FFM_FUZZ_DIR)/demo/artifacts/ $(FFM_FUZZ_DIR)/demo/corpus \
		fuzz/ffm/demo-seeds > $$log 2>&1; rc=$$?; \
	echo "ffm-fuzz demo: $$(sed -n 's/^stat::number_of_executed_units: *//p' $$log) inputs," \
		"$$(sed -n 's/^stat::average_exec_per_sec: *//p' $$log) exec/s, exit $$rc (log $$log)"; \
	grep -E 'FINDING|while op|SUMMARY|runtime error' $$log; exit $$rc

# ---------------------------------------------------------------- for fuzzing engines

# `make fuzz-dist` also installs ffm-fuzz on the demo as the engine target ffm_demo: the binary,
# its options file ffm_demo.ffm-fuzz (an engine runs targets with libFuzzer flags only), the
# demo's manifests and sanitized images, and its seed corpus.
FFM_FUZZ_DIST_DEMO := $(FUZZ_DIST)/ffm_demo
.PHONY: ffm-fuzz-dist
ffm-fuzz-dist: $(FFM_FUZZ) $(FFM_FUZZ_DEMO_IMAGES)
	$(Q)mkdir -p $(FUZZ_DIST)/ffm_demo.d
	$(Q)cp $(FFM_FUZZ) $(FFM_FUZZ_DIST_DEMO)
	$(Q)cp $(DEMO_LIST) $(DEMO_BOARD) $(DEMO_MANIFESTS) $(FFM_FUZZ_DEMO_IMAGES) \
		$(FUZZ_DIST)/ffm_demo.d/
	$(Q)printf '%s\n' '# ffm-fuzz options for ffm_demo (docs/fuzzing.md)' \
		-m ffm_demo.d/$(notdir $(DEMO_LIST)) --platform ffm_demo.d/$(notdir $(DEMO_BOARD)) \
		$(foreach i,$(FFM_FUZZ_DEMO_IMAGES),--image ffm_demo.d/$(notdir $(i))) \
		--allow DEMO_PLATFORM:3 --allow DEMO_PLATFORM:4 > $(FFM_FUZZ_DIST_DEMO).ffm-fuzz
	$(Q)rm -f $(FFM_FUZZ_DIST_DEMO)_seed_corpus.zip && \
		(cd fuzz/ffm/demo-seeds && zip -q -j $(abspath $(FFM_FUZZ_DIST_DEMO))_seed_corpus.zip *)
