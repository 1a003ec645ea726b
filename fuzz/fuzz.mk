# fuzz: libFuzzer targets, their corpora, dictionaries and options.
#
#   make fuzz                       build every target with clang (ASan + UBSan + libFuzzer)
#                                   into $(BUILD)/fuzz/<target>
#   make fuzz-run FUZZ_SECONDS=60   run each target for FUZZ_SECONDS on a copy of its corpus
#   make fuzz-smoke                 the CI step: every target ~20 s (fuzz/smoke.sh)
#   make fuzz-dist FUZZ_DIST=DIR    targets, <t>.dict, <t>.options and <t>_seed_corpus.zip in
#                                   DIR, the layout OSS-Fuzz / ClusterFuzzLite expect
#   make ffm-fuzz                   build/ffm-fuzz, the fuzzer for users' partitions
#                                   (fuzz/ffm_fuzz.mk)
#
# Conventions (OSS-Fuzz / ClusterFuzzLite): every target <t> is fuzz/fuzz_<t>.c with
# fuzz/<t>.dict, fuzz/<t>.options and the seed corpus fuzz/corpus/<t>/. Each builds as
#     $(FUZZ_CC) $(FUZZ_CFLAGS) <sources> $(FUZZ_ENGINE) <libs>
# FUZZ_CC, FUZZ_CFLAGS and FUZZ_ENGINE default to clang, ASan + UBSan, -fsanitize=fuzzer; an
# engine's build script sets them from $CC, $CFLAGS and $LIB_FUZZING_ENGINE
# (.clusterfuzzlite/build.sh), and LIB_FUZZING_ENGINE in the environment is honoured too.
#
# `make test` replays every corpus with the ordinary compiler (fuzz/replay.c), so an input
# that once crashed a target is checked on every run.
#
#   handle         the handle codec and pool look-ups (no port)
#   client_api     the client API of the real core on the synchronous port (fuzz_common.c)
#   partition_api  the partition API of the real core on the synchronous port
#   api_sequence   client and partition API programs across partitions and NS clients
#   manifest       partition manifests and manifest lists (YAML and JSON) through the loader
#   platform       platform files through the loader
FUZZ_TARGETS := handle client_api partition_api api_sequence manifest platform
# Sources each fuzzer links besides fuzz/fuzz_<t>.c (the codec needs no port; the API targets
# link the whole core and sim/syncport), and libraries after them.
FUZZ_CORE_SRCS := fuzz/fuzz_common.c tests/core/fixture_desc.c $(CORE_SRCS) $(SYNCPORT_SRCS)
FUZZ_SRCS_handle := src/core/handle.c src/core/pool.c src/core/ffm_rules.c
FUZZ_SRCS_client_api := $(FUZZ_CORE_SRCS)
FUZZ_SRCS_partition_api := $(FUZZ_CORE_SRCS)
FUZZ_SRCS_api_sequence := $(FUZZ_CORE_SRCS)
FUZZ_SRCS_manifest := fuzz/fuzz_text.c $(MANIFEST_SRCS) src/core/handle.c src/core/ffm_rules.c
FUZZ_SRCS_platform := fuzz/fuzz_text.c sim/platform_file.c sim/flash.c $(MANIFEST_SRCS) src/core/handle.c \
                      src/core/ffm_rules.c
FUZZ_LIBS_manifest = $(YAML_LIBS)
FUZZ_LIBS_platform = $(YAML_LIBS)
# Objects each replay links besides its target and replay.o (the libraries come after them).
FUZZ_OBJS_client_api := $(OBJ)/fuzz/fuzz_common.o $(OBJ)/tests/core/fixture_desc.o
FUZZ_OBJS_partition_api := $(FUZZ_OBJS_client_api)
FUZZ_OBJS_api_sequence := $(FUZZ_OBJS_client_api)
FUZZ_OBJS_manifest := $(OBJ)/fuzz/fuzz_text.o $(MANIFEST_LIB)
FUZZ_OBJS_platform := $(OBJ)/fuzz/fuzz_text.o $(SIM_LIB) $(MANIFEST_LIB)

FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SANITIZERS := -fsanitize=address,undefined -fno-sanitize-recover=all
FUZZ_CFLAGS ?= -g -O1 -fsanitize=fuzzer-no-link $(FUZZ_SANITIZERS)
FUZZ_ENGINE ?= $(or $(LIB_FUZZING_ENGINE),-fsanitize=fuzzer)
# What the project itself needs (language, warnings, include paths), whoever builds.
FUZZ_PROJECT_FLAGS = -std=c11 $(WARNINGS) $(CPPFLAGS) $(YAML_CFLAGS) -Isim/syncport -Isim -Itests
# Coverage left out where it is noise (the file says which and why); clang 13 and later.
FUZZ_PROJECT_FLAGS += -fsanitize-coverage-ignorelist=fuzz/coverage.ignorelist
FUZZ_DIR := $(BUILD)/fuzz

FUZZ_REPLAYS := $(FUZZ_TARGETS:%=$(BIN)/tests/fuzz/replay-%)
TEST_SUITES += $(FUZZ_REPLAYS)

$(OBJ)/fuzz/%.o: CPPFLAGS += -Isim/syncport -Isim -Itests $(YAML_CFLAGS)

# Replays take the corpus directory as their argument: run-tests.sh passes none, so a tiny
# wrapper script per target names it. (.SECONDEXPANSION is enabled by tests/tests.mk.)
$(BIN)/tests/fuzz/replay-%: $(OBJ)/fuzz/fuzz_%.o $$(FUZZ_OBJS_$$*) $(OBJ)/fuzz/replay.o \
		$(TEST_PORT_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@.bin $(OBJ)/fuzz/fuzz_$*.o $(FUZZ_OBJS_$*) \
		$(OBJ)/fuzz/replay.o $(TEST_PORT_LIB) $(CORE_LIB) $(FUZZ_LIBS_$*)
	$(Q)printf '#!/bin/sh\nexec "%s" fuzz/corpus/%s\n' "$@.bin" "$*" > $@ && chmod +x $@

.PHONY: fuzz fuzz-build fuzz-run fuzz-dist fuzz-smoke
fuzz: ensure-deps
	$(Q)$(MAKE) --no-print-directory fuzz-build

# Without the dependency check: an engine's build image has clang and libyaml, not CMocka.
fuzz-build: $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)

$(FUZZ_DIR)/%: fuzz/fuzz_%.c $$(FUZZ_SRCS_$$*) fuzz/fuzz_common.h fuzz/fuzz_text.h \
		fuzz/coverage.ignorelist
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  FUZZ    $@")
	$(Q)$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_PROJECT_FLAGS) -o $@ $< $(FUZZ_SRCS_$*) \
		$(FUZZ_ENGINE) $(FUZZ_LIBS_$*)


fuzz-run: fuzz
	$(Q)for t in $(FUZZ_TARGETS); do \
		mkdir -p $(FUZZ_DIR)/corpus-$$t && cp fuzz/corpus/$$t/* $(FUZZ_DIR)/corpus-$$t/ && \
		ASAN_OPTIONS="$${ASAN_OPTIONS:+$$ASAN_OPTIONS:}$$(sed -n '/^\[asan\]/,/^\[/{s/^\([a-z_]*\) *= *\(.*\)$$/\1=\2/p}' fuzz/$$t.options | paste -sd: -)" \
		$(FUZZ_DIR)/$$t -max_total_time=$(FUZZ_SECONDS) -dict=fuzz/$$t.dict \
			$$(sed -n '/^\[libfuzzer\]/,/^\[/{s/^\([a-z_]*\) *= *\(.*\)$$/-\1=\2/p}' fuzz/$$t.options) \
			-artifact_prefix=$(FUZZ_DIR)/ $(FUZZ_DIR)/corpus-$$t fuzz/corpus/$$t || exit 1; \
	done

# The layout an OSS-Fuzz / ClusterFuzzLite build leaves in $OUT.
FUZZ_DIST ?= $(BUILD)/fuzz-dist
fuzz-dist: fuzz-build
	$(Q)mkdir -p $(FUZZ_DIST)
	$(Q)$(MAKE) --no-print-directory ffm-fuzz-dist
	$(Q)for t in $(FUZZ_TARGETS); do \
		cp $(FUZZ_DIR)/$$t fuzz/$$t.dict fuzz/$$t.options $(FUZZ_DIST)/ && \
		rm -f $(FUZZ_DIST)/$${t}_seed_corpus.zip && \
		(cd fuzz/corpus/$$t && zip -q -j $(abspath $(FUZZ_DIST))/$${t}_seed_corpus.zip *) || exit 1; \
	done
	@echo "fuzz-dist: $(FUZZ_TARGETS) ffm_demo in $(FUZZ_DIST)"

# Every target ~20 s, then ffm-fuzz: its planted-bug test and the demo partitions for 20 s.
FUZZ_SMOKE_SECONDS ?= 20
fuzz-smoke: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(FUZZ_TARGETS:%=$(FUZZ_DIR)/%)
	$(Q)FUZZ_DIR=$(FUZZ_DIR) BUILD=$(BUILD) SECONDS_EACH=$(FUZZ_SMOKE_SECONDS) \
		fuzz/smoke.sh $(FUZZ_TARGETS)
	$(Q)$(MAKE) --no-print-directory ffm-fuzz-planted
	$(Q)$(MAKE) --no-print-directory ffm-fuzz-demo FFM_FUZZ_SECONDS=$(FUZZ_SMOKE_SECONDS)

-include fuzz/ffm_fuzz.mk

# The CI files that cannot run here, checked by `make test` (fuzz/check_ci.c): a YAML parse and
# the shape GitHub Actions and ClusterFuzzLite document.
CI_CHECK := $(BIN)/tests/fuzz/check-ci
TEST_SUITES += $(CI_CHECK)
CI_YAML := .clusterfuzzlite/project.yaml $(sort $(wildcard .github/workflows/*.yml))

$(CI_CHECK): $(OBJ)/fuzz/check_ci.o $(CI_YAML)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@.bin $< $(YAML_LIBS)
	$(Q)printf '#!/bin/sh\nexec "%s" %s\n' "$@.bin" "$(CI_YAML)" > $@ && chmod +x $@
