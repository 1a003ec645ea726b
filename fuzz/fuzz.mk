# fuzz: libFuzzer targets and their corpora.
#
#   make fuzz                       build every target with clang -fsanitize=fuzzer,address,undefined
#   make fuzz-run FUZZ_SECONDS=60   run each target for FUZZ_SECONDS on a copy of its corpus
#
# `make test` replays every corpus with the ordinary compiler (fuzz/replay.c), so an input
# that once crashed a target is checked on every run.
#
#   handle         the handle codec and pool look-ups (no port)
#   client_api     the client API of the real core on the synchronous port (fuzz_common.c)
#   partition_api  the partition API of the real core on the synchronous port
FUZZ_TARGETS := handle client_api partition_api
# Sources each fuzzer links besides fuzz/fuzz_<t>.c (the codec needs no port; the API targets
# link the whole core and sim/syncport).
FUZZ_SRCS_handle := src/core/handle.c src/core/pool.c src/core/ffm_rules.c
FUZZ_SRCS_client_api := fuzz/fuzz_common.c tests/core/fixture_desc.c $(CORE_SRCS) $(SYNCPORT_SRCS)
FUZZ_SRCS_partition_api := fuzz/fuzz_common.c tests/core/fixture_desc.c $(CORE_SRCS) $(SYNCPORT_SRCS)
# Objects each replay links besides its target and replay.o (the libraries come after them).
FUZZ_OBJS_client_api := $(OBJ)/fuzz/fuzz_common.o $(OBJ)/tests/core/fixture_desc.o
FUZZ_OBJS_partition_api := $(OBJ)/fuzz/fuzz_common.o $(OBJ)/tests/core/fixture_desc.o
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_FLAGS := -std=c11 -g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
	$(WARNINGS) $(CPPFLAGS) -Isim/syncport -Itests

FUZZ_REPLAYS := $(FUZZ_TARGETS:%=$(BIN)/tests/fuzz/replay-%)
TEST_SUITES += $(FUZZ_REPLAYS)

$(OBJ)/fuzz/%.o: CPPFLAGS += -Isim/syncport -Itests

# Replays take the corpus directory as their argument: run-tests.sh passes none, so a tiny
# wrapper script per target names it. (.SECONDEXPANSION is enabled by tests/tests.mk.)
$(BIN)/tests/fuzz/replay-%: $(OBJ)/fuzz/fuzz_%.o $$(FUZZ_OBJS_$$*) $(OBJ)/fuzz/replay.o \
		$(TEST_PORT_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@.bin $(OBJ)/fuzz/fuzz_$*.o $(FUZZ_OBJS_$*) \
		$(OBJ)/fuzz/replay.o $(TEST_PORT_LIB) $(CORE_LIB)
	$(Q)printf '#!/bin/sh\nexec "%s" fuzz/corpus/%s\n' "$@.bin" "$*" > $@ && chmod +x $@

.PHONY: fuzz fuzz-run
fuzz: $(FUZZ_TARGETS:%=$(BUILD)/fuzz/fuzz-%)

$(BUILD)/fuzz/fuzz-%: fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) fuzz/fuzz_common.h
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $< $(FUZZ_SRCS_$*)

fuzz-run: fuzz
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(BUILD)/fuzz/corpus-$$t && cp fuzz/corpus/$$t/* $(BUILD)/fuzz/corpus-$$t/ && \
		$(BUILD)/fuzz/fuzz-$$t -max_total_time=$(FUZZ_SECONDS) -dict=fuzz/$$t.dict \
			$(BUILD)/fuzz/corpus-$$t fuzz/corpus/$$t || exit 1; \
	done
