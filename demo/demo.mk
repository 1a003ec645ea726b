# demo/demo.mk - the demo system (docs/demo.md): RoT service partitions and a non-secure
# application in plain PSA C, built as shared objects and run under ffm-sim by `make run`.
#
# Each image is built the way a user builds one: `cc -shared -fPIC`, C99, against include/psa
# and the headers ffm-manifest generates from manifests/demo into $(BUILD)/demo/gen. The pure
# libraries (demo/lib) are also built as ordinary objects for their unit tests, and the
# partition and NS sources are compile-checked as C99 against tests/fixtures/demo (a checked-in
# copy of the generated headers) so that a broken demo source fails `make test` even in a tree
# without the manifest tool.
DEMO_LIST := manifests/demo/demo_manifest_list.yaml
DEMO_BOARD := manifests/demo/demo_board.yaml
DEMO_MANIFESTS := $(filter-out $(DEMO_LIST) $(DEMO_BOARD),$(wildcard manifests/demo/demo_*.yaml))
DEMO_OUT := $(BUILD)/demo
DEMO_GEN := $(DEMO_OUT)/gen
DEMO_FIXTURE_GEN := tests/fixtures/demo
DEMO_HEADERS := $(wildcard demo/include/*.h demo/lib/*.h)
DEMO_PARTITIONS := storage platform crypto session version
DEMO_IMAGES := $(DEMO_PARTITIONS:%=$(DEMO_OUT)/demo_%.so)
DEMO_NS_IMAGE := $(DEMO_OUT)/ns_app.so
DEMO_SOURCES := $(DEMO_PARTITIONS:%=demo/partitions/demo_%.c) demo/ns/ns_app.c

# What each image contains besides its own source: private copies of the libraries it uses
# (images have separate symbol namespaces under ffm-sim).
DEMO_LIBS_storage := demo/lib/its_store.c demo/lib/crc32.c
DEMO_LIBS_platform :=
DEMO_LIBS_crypto := demo/lib/sha256.c
DEMO_LIBS_session := demo/lib/sha256.c
DEMO_LIBS_version :=

DEMO_LIB_OBJS := $(OBJ)/demo/lib/sha256.o $(OBJ)/demo/lib/crc32.o $(OBJ)/demo/lib/its_store.o
DEMO_CFLAGS := -std=c99 $(OPT) $(WARNINGS) -Werror=implicit-function-declaration
DEMO_IMAGE_LDFLAGS := $(or $(SIM_IMAGE_LDFLAGS),-shared -fPIC)
DEMO_INCLUDES = -Iinclude -Idemo/include -Idemo/lib

# ---------------------------------------------------------------- unit tests

TEST_EXTRA_test_demo_sha256 := $(OBJ)/demo/lib/sha256.o
TEST_EXTRA_test_demo_its_store := $(OBJ)/demo/lib/its_store.o $(OBJ)/demo/lib/crc32.o

# The whole demo (partitions + NS application) against the checked-in generated headers, on
# the real SPM core through the synchronous port (sim/syncport), loaded from manifests/demo.
DEMO_SYSTEM_OBJS := $(DEMO_SOURCES:%.c=$(OBJ)/%.o) $(DEMO_LIB_OBJS)
TEST_EXTRA_test_demo_system := $(DEMO_SYSTEM_OBJS)
DEMO_TEST_CFLAGS := -Idemo/include -Idemo/lib -I$(DEMO_FIXTURE_GEN)
$(foreach s,$(DEMO_SOURCES) tests/unit/test_demo_system.c,\
    $(eval CFLAGS_$(subst /,_,$(basename $(s))) := $(DEMO_TEST_CFLAGS)))

# C99 compile check of every demo source against the fixture headers; a test script so that
# `make test` counts it.
TEST_SCRIPTS += demo/check-demo-c99.sh

# ---------------------------------------------------------------- images (need ffm-manifest)

ifneq ($(filter $(BIN)/ffm-manifest,$(PROGRAMS)),)
PROGRAMS += $(DEMO_IMAGES) $(DEMO_NS_IMAGE)

# One stamp for the whole set: ffm-manifest writes all headers in one run, and rewrites a
# header only when its content changes (so the stamp, not the headers, carries the time).
$(DEMO_GEN)/.stamp: $(DEMO_LIST) $(DEMO_MANIFESTS) $(BIN)/ffm-manifest
	@mkdir -p $(DEMO_GEN)
	$(if $(Q),@echo "  GEN     $(DEMO_GEN)/psa_manifest")
	$(Q)$(BIN)/ffm-manifest -m $(DEMO_LIST) -o $(DEMO_GEN)
	$(Q)touch $@

.SECONDEXPANSION:
$(DEMO_OUT)/demo_%.so: demo/partitions/demo_%.c $$(DEMO_LIBS_$$*) $(DEMO_HEADERS) $(DEMO_GEN)/.stamp
	$(if $(Q),@echo "  IMAGE   $@")
	$(Q)$(CC) $(DEMO_CFLAGS) $(DEMO_INCLUDES) -I$(DEMO_GEN) $(DEMO_IMAGE_LDFLAGS) -o $@ \
	    $< $(DEMO_LIBS_$*)

$(DEMO_NS_IMAGE): demo/ns/ns_app.c $(DEMO_HEADERS) $(DEMO_GEN)/.stamp
	$(if $(Q),@echo "  IMAGE   $@")
	$(Q)$(CC) $(DEMO_CFLAGS) $(DEMO_INCLUDES) -I$(DEMO_GEN) $(DEMO_IMAGE_LDFLAGS) -o $@ $<
endif

# ---------------------------------------------------------------- make run

DEMO_TRACE := $(BUILD)/trace.json
DEMO_SIM_ARGS = -m $(DEMO_LIST) --platform $(DEMO_BOARD) $(DEMO_IMAGES:%=--image %) \
    --ns $(DEMO_NS_IMAGE) --trace $(DEMO_TRACE) --timeout 120

.PHONY: run-demo
ifneq ($(filter $(BIN)/ffm-sim,$(PROGRAMS)),)
run-demo: $(BIN)/ffm-sim $(DEMO_IMAGES) $(DEMO_NS_IMAGE)
	@echo "== ffm-sim $(DEMO_SIM_ARGS)"
	$(Q)$(BIN)/ffm-sim $(DEMO_SIM_ARGS)
	@echo "== trace written to $(DEMO_TRACE) (open it in https://ui.perfetto.dev)"
else
run-demo:
	@echo "make run: this tree does not build ffm-sim yet, so the demo cannot run." >&2
	@exit 1
endif
