# sim/: ffm-sim, the POSIX simulator. For now its infrastructure modules - platform file
# (platform_file.c), memory attribution (memmap.c) and image loader (image.c) - built into
# build/libffmsim.a ($(SIM_LIB)), and their CMocka suites build/tests/test_sim_*.
# docs/sim.md describes the modules.
#
# A program that links $(SIM_LIB) adds $(MANIFEST_LIB) (the platform file reader uses its YAML
# layer), $(SIM_LDLIBS) and libyaml. A program that loads
# images links with $(SIM_EXPORT_LDFLAGS) (and depends on $(SIM_EXPORT_FILE)), so that it
# exports only psa_*, ffm_platform_* and ffm_ns_* to them: one list, sim/ffm-sim.dynlist (or
# sim/ffm-sim.exports on macOS), for ffm-sim and the tests alike. Images are built with
# $(SIM_IMAGE_LDFLAGS).
SIM_SRCS := sim/platform_file.c sim/flash.c sim/flash_layout.c sim/memmap.c sim/addr32.c sim/image.c sim/image_check.c sim/isolation.c \
            sim/heap.c sim/image_bind.c
SIM_OBJS := $(SIM_SRCS:%.c=$(OBJ)/%.o)
SIM_LIB := $(BUILD)/libffmsim.a
LIBS_ALL += $(SIM_LIB)
SIM_LDLIBS := -ldl -lpthread

SIM_UNAME := $(shell uname -s)
ifeq ($(SIM_UNAME),Darwin)
SIM_EXPORT_FILE := sim/ffm-sim.exports
SIM_EXPORT_LDFLAGS = -Wl,-exported_symbols_list,$(SIM_EXPORT_FILE)
SIM_IMAGE_LDFLAGS := -shared -fPIC -undefined dynamic_lookup
# macOS reserves the low 4 GiB (__PAGEZERO) in 64-bit programs; a program that maps platform
# regions below 4 GiB links with this (untested; see docs/sim.md section 3).
SIM_LOWMEM_LDFLAGS := -Wl,-pagezero_size,0x1000
else
SIM_EXPORT_FILE := sim/ffm-sim.dynlist
SIM_EXPORT_LDFLAGS = -Wl,--dynamic-list=$(SIM_EXPORT_FILE)
SIM_IMAGE_LDFLAGS := -shared -fPIC
SIM_LOWMEM_LDFLAGS :=
endif

$(OBJ)/sim/%.o: CPPFLAGS += $(YAML_CFLAGS)

$(SIM_LIB): $(SIM_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# ---------------------------------------------------------------- tests (tests/sim/)

SIM_TEST_SRCS := $(sort $(wildcard tests/sim/test_sim_*.c))
SIM_TESTS := $(SIM_TEST_SRCS:tests/sim/%.c=$(BIN)/tests/%)
TEST_SUITES += $(SIM_TESTS)

# Test images: tests/fixtures/sim/img_*.c, each built as a shared object like a user's image.
SIM_FIXTURES := tests/fixtures/sim
SIM_IMAGE_DIR := $(BIN)/tests/sim
SIM_TEST_IMAGES := $(patsubst $(SIM_FIXTURES)/%.c,$(SIM_IMAGE_DIR)/%.so,\
                     $(wildcard $(SIM_FIXTURES)/img_*.c))

$(OBJ)/tests/sim/%.o: CPPFLAGS += -Isim
CFLAGS_tests_sim_test_sim_image := -DSIM_IMAGE_DIR='"$(abspath $(SIM_IMAGE_DIR))"' \
    -DSIM_FIXTURE_DIR='"$(abspath $(SIM_FIXTURES))"'
CFLAGS_tests_sim_test_sim_platform := -DSIM_FIXTURE_DIR='"$(abspath $(SIM_FIXTURES))"'

$(SIM_IMAGE_DIR)/%.so: $(SIM_FIXTURES)/%.c $(SIM_FIXTURES)/img.h
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  IMAGE   $@")
	$(Q)$(CC) -Iinclude $(CFLAGS) $(SIM_IMAGE_LDFLAGS) -o $@ $<

$(BIN)/tests/test_sim_image: $(SIM_TEST_IMAGES)

$(SIM_TESTS): $(BIN)/tests/%: $(OBJ)/tests/sim/%.o $(SIM_LIB) $(MANIFEST_LIB) $(CORE_LIB) \
    $(SIM_EXPORT_FILE)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(SIM_EXPORT_LDFLAGS) $(SIM_LOWMEM_LDFLAGS) -o $@ $< \
	    $(SIM_LIB) $(MANIFEST_LIB) $(CORE_LIB) $(CMOCKA_LIBS) $(YAML_LIBS) $(SIM_LDLIBS)
