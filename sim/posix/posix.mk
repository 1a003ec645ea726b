# sim/posix: the pthread port of the SPM core (token scheduler, secure gateway, PSA and platform
# API symbols, embedding API) and the ffm-sim program; docs/ffm-sim.md.
#
#   $(POSIX_LIB)   the port and the embedding API (include/ffmsim/sim.h, ns.h): a test program
#                  links it with $(SUPER_LIB) $(SIM_LIB) $(CORE_LIB) $(SIM_LDLIBS)
#   $(BIN)/ffm-sim the CLI; it exports only psa_*, ffm_platform_* and ffm_ns_* to images
#                  (sim/ffm-sim.dynlist, shared with the tests)
#   tests/integration/integration.sh  the integration tests (images built and run under ffm-sim)
POSIX_MAIN := sim/posix/main.c
POSIX_SRCS := $(filter-out $(POSIX_MAIN),$(sort $(wildcard sim/posix/*.c)))
POSIX_OBJS := $(POSIX_SRCS:%.c=$(OBJ)/%.o)
POSIX_LIB := $(BUILD)/libffmposix.a
LIBS_ALL += $(POSIX_LIB)
PROGRAMS += $(BIN)/ffm-sim

# The export list is sim/sim.mk's (sim/ffm-sim.dynlist, .exports on macOS): one list for
# ffm-sim and the test programs that load images.
POSIX_EXPORT_LDFLAGS = $(SIM_EXPORT_LDFLAGS)
POSIX_EXPORT_FILE = $(SIM_EXPORT_FILE)

$(OBJ)/sim/posix/%.o: CPPFLAGS += -Isim $(YAML_CFLAGS)
CFLAGS_sim_posix_main := -DFFM_SIM_VERSION='"$(shell git describe --always --dirty 2>/dev/null || echo unknown)"'

$(POSIX_LIB): $(POSIX_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The objects, not the archive: nothing in the program references the API symbols the images
# use, and an archive member nobody references is not linked.
$(BIN)/ffm-sim: $(OBJ)/$(POSIX_MAIN:.c=.o) $(POSIX_OBJS) $(SUPER_LIB) $(SIM_LIB) $(MANIFEST_LIB) \
                $(CORE_LIB) $(POSIX_EXPORT_FILE)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(POSIX_EXPORT_LDFLAGS) $(SIM_LOWMEM_LDFLAGS) -o $@ \
	    $(OBJ)/$(POSIX_MAIN:.c=.o) $(POSIX_OBJS) $(SUPER_LIB) $(SIM_LIB) $(MANIFEST_LIB) \
	    $(CORE_LIB) $(YAML_LIBS) -ldl -lpthread

# ---------------------------------------------------------------- integration tests
TEST_SCRIPTS += tests/integration/integration.sh

# The embedding API, from a CMocka suite with statically linked partitions.
POSIX_EMBED_TEST := $(BIN)/tests/test_embed
TEST_SUITES += $(POSIX_EMBED_TEST)
$(OBJ)/tests/integration/%.o: CPPFLAGS += $(CMOCKA_CFLAGS) $(YAML_CFLAGS)

$(POSIX_EMBED_TEST): $(OBJ)/tests/integration/test_embed.o $(POSIX_LIB) $(SUPER_LIB) $(SIM_LIB) \
                     $(MANIFEST_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(POSIX_LIB) $(SUPER_LIB) $(SIM_LIB) $(MANIFEST_LIB) \
	    $(CORE_LIB) $(CMOCKA_LIBS) $(YAML_LIBS) -ldl -lpthread

# trace_check: the integration tests' checker of trace files (JSON well-formed, the shape
# Perfetto loads, expected events); built with the programs so that integration.sh has it.
POSIX_TRACE_CHECK := $(BIN)/tests/trace_check
PROGRAMS += $(POSIX_TRACE_CHECK)
$(OBJ)/tests/integration/trace_check.o: CPPFLAGS += -Itests/super

$(POSIX_TRACE_CHECK): $(OBJ)/tests/integration/trace_check.o $(OBJ)/tests/super/json_check.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# report_check: the integration tests' checker that a stateless report and its run's trace
# agree (tests/integration/stateless).
POSIX_REPORT_CHECK := $(BIN)/tests/report_check
PROGRAMS += $(POSIX_REPORT_CHECK)
$(POSIX_REPORT_CHECK): $(OBJ)/tests/integration/report_check.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

# The stateless-readiness observer and report, unit-tested on their own (tests/unit/test_slobs.c).
TEST_EXTRA_test_slobs := $(OBJ)/sim/posix/slobs.o $(OBJ)/sim/posix/slreport.o
CFLAGS_tests_unit_test_slobs := -Isim/posix
