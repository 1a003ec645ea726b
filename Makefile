# ffmsim - top-level build.
#
#   make            build everything (libraries, tools, tests)
#   make test       build and run every test suite; ends with "N passed, N failed"
#   make run        build and run the demo system
#   make cross      build the SPM core for Cortex-M33 and print its sizes
#   make tfm-tests TFM_TESTS=DIR   TF-M's SPM regression tests under ffm-sim (docs/tfm.md)
#   make deps       install the dependencies (CMocka, libyaml, lcov, clang)
#   make clean      remove build/
#
# Options: CC=clang, V=1 (show commands), TEST_OUTPUT=xml (JUnit XML in build/test-results/),
#          SAN=address,undefined or SAN=thread (sanitizer build in build/san-*/, san.mk).
#          M32=1 (the ILP32 simulator, -m32, in build/m32/: docs/ilp32.md).
#
# Each area adds its sources, programs and test suites in its own fragment (*.mk), included
# below. Objects go to build/obj/<path>.o with automatic header dependencies (-MMD -MP).

# M32=1: the ILP32 simulator, in its own tree (ilp32.mk, docs/ilp32.md).
ifeq ($(M32),1)
include ilp32.mk
endif

# Each compiler other than the default `cc` gets its own tree, so `make test` and
# `make CC=clang test` never mix objects.
CC_NAME := $(notdir $(firstword $(CC)))
# SAN=address,undefined or SAN=thread: a sanitizer build in its own tree (san.mk).
-include san.mk
ifeq ($(CC_NAME),cc)
BUILD ?= build
else
BUILD ?= build/$(CC_NAME)
endif
OBJ := $(BUILD)/obj
BIN := $(BUILD)

ifeq ($(V),1)
Q :=
else
Q := @
endif

# pkg-config is looked up lazily (=), after ensure-deps has had a chance to install it.
PKG_CONFIG ?= pkg-config
YAML_CFLAGS = $(shell $(PKG_CONFIG) --cflags yaml-0.1 2>/dev/null)
YAML_LIBS = $(shell $(PKG_CONFIG) --libs yaml-0.1 2>/dev/null || echo -lyaml)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

WARNINGS := -Wall -Wextra -Werror -pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes
CSTD := -std=c11
OPT ?= -O2 -g
CPPFLAGS := -Iinclude -Isrc/core -Isrc -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE
# On macOS, _POSIX_C_SOURCE hides everything beyond POSIX (MAP_ANON, ucontext_t's fields, ...):
# _DARWIN_C_SOURCE brings the rest back. glibc gets the same from _DEFAULT_SOURCE.
ifeq ($(shell uname -s),Darwin)
CPPFLAGS += -D_DARWIN_C_SOURCE
endif
CFLAGS := $(CSTD) $(OPT) $(WARNINGS) $(EXTRA_CFLAGS)
DEPFLAGS = -MMD -MP
LDFLAGS += $(EXTRA_LDFLAGS)

.DEFAULT_GOAL := all

# Filled by the fragments.
LIBS_ALL :=
PROGRAMS :=
TEST_SUITES :=
TEST_SCRIPTS :=

include src/core/core.mk
-include src/manifest/manifest.mk
-include sim/syncport/syncport.mk
-include sim/sim.mk
-include sim/supervisor.mk
-include sim/posix/posix.mk
-include sim/where.mk
-include demo/demo.mk
-include demo/migration.mk
include tests/tests.mk
-include fuzz/fuzz.mk
-include cross.mk
-include coverage/coverage.mk
-include bench/bench.mk
-include tests/hostile/hostile.mk
-include tests/stress/stress.mk
-include install/install.mk
-include tests/tfm/tfm.mk
-include conformance/tf-m-tests/tfm-tests.mk
-include conformance/psa-arch-tests/ff-suite.mk

# Keep objects that only feed a link: they are real build products, not temporaries.
.SECONDARY:

# Generic compile rule: build/obj/<path>.o from <path>.c.
$(OBJ)/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC      $<")
	$(Q)$(CC) $(CPPFLAGS) $(CFLAGS) $(CFLAGS_$(subst /,_,$(basename $<))) $(DEPFLAGS) -c $< -o $@

# ---------------------------------------------------------------- top-level targets

.PHONY: all build test test-run run run-demo deps ensure-deps clean help

all: ensure-deps
	$(Q)$(M32_EXEC) $(MAKE) --no-print-directory build

build: $(LIBS_ALL) $(PROGRAMS) $(TEST_SUITES)

test: ensure-deps
	$(Q)$(M32_EXEC) $(MAKE) --no-print-directory test-run

test-run: $(LIBS_ALL) $(PROGRAMS) $(TEST_SUITES)
	$(Q)TEST_OUTPUT=$(TEST_OUTPUT) BUILD=$(BUILD) CC="$(CC)" scripts/run-tests.sh $(TEST_SUITES) $(TEST_SCRIPTS)

run: ensure-deps
	$(Q)$(M32_EXEC) $(MAKE) --no-print-directory run-demo

# Installs only what is missing; says what it installs.
ensure-deps:
	$(Q)scripts/install-deps.sh --if-missing $(INSTALL_DEPS_FLAGS)

deps:
	$(Q)scripts/install-deps.sh $(INSTALL_DEPS_FLAGS)

clean:
	rm -rf $(BUILD)

help:
	@sed -n '3,14p' Makefile

-include $(shell find $(OBJ) -name '*.d' 2>/dev/null)
