# sim/supervisor.mk: the reset supervisor of ffm-sim (issue 6): supervisor, NVMEM, watchdog,
# fault handling, trace writer and report. Built into build/libffmsuper.a (SUPER_LIB), with its
# own CMocka suites from tests/super/ (each test_*.c is one suite, linked with the helpers in
# tests/super/ that are not suites). Included from the top-level Makefile.
SUPER_SRCS := sim/supervisor.c sim/nvmem.c sim/watchdog.c sim/fault.c sim/trace.c sim/report.c
SUPER_OBJS := $(SUPER_SRCS:%.c=$(OBJ)/%.o)
SUPER_LIB := $(BUILD)/libffmsuper.a
LIBS_ALL += $(SUPER_LIB)

$(SUPER_LIB): $(SUPER_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

SUPER_TEST_SRCS := $(sort $(wildcard tests/super/test_*.c))
SUPER_TEST_HELPERS := $(filter-out $(SUPER_TEST_SRCS),$(wildcard tests/super/*.c))
SUPER_TEST_HELPER_OBJS := $(SUPER_TEST_HELPERS:%.c=$(OBJ)/%.o)
SUPER_TESTS := $(SUPER_TEST_SRCS:tests/super/%.c=$(BIN)/tests/super/%)
TEST_SUITES += $(SUPER_TESTS)

$(OBJ)/tests/super/%.o: CPPFLAGS += -Isim -Itests/super

$(BIN)/tests/super/%: $(OBJ)/tests/super/%.o $(SUPER_TEST_HELPER_OBJS) $(SUPER_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(SUPER_TEST_HELPER_OBJS) $(SUPER_LIB) \
		$(CMOCKA_LIBS) -lpthread
