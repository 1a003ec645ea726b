# sim/syncport: the synchronous single-threaded port of the SPM core (unit tests, fuzzers).
# Built into build/libffmsync.a; also defines the psa_* symbols, routed to the active harness.
SYNCPORT_SRCS := $(sort $(wildcard sim/syncport/*.c))
SYNCPORT_OBJS := $(SYNCPORT_SRCS:%.c=$(OBJ)/%.o)
TEST_PORT_LIB := $(BUILD)/libffmsync.a
LIBS_ALL += $(TEST_PORT_LIB)

$(OBJ)/sim/syncport/%.o: CPPFLAGS += -Isim/syncport

$(TEST_PORT_LIB): $(SYNCPORT_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

# The core's unit tests (tests/unit/test_core_*.c) include the harness and link the fixture.
CORE_TEST_FIXTURE := $(OBJ)/tests/core/fixture.o $(OBJ)/tests/core/fixture_desc.o
$(OBJ)/tests/%.o: CPPFLAGS += -Isim/syncport
CORE_TEST_NAMES := $(patsubst tests/unit/%.c,%,$(wildcard tests/unit/test_core_*.c))
$(foreach t,$(CORE_TEST_NAMES),$(eval TEST_EXTRA_$(t) := $(CORE_TEST_FIXTURE)))
