# tests: CMocka unit suites. Every tests/unit/test_*.c is one suite, built to build/tests/<name>
# and run by `make test`. A suite links the project libraries (sim and manifest libraries when
# present, then the synchronous test port and the core) plus CMocka and libyaml. A suite that
# needs more objects lists them in TEST_EXTRA_<name> (e.g. TEST_EXTRA_test_foo := $(OBJ)/x.o).
UNIT_TEST_SRCS := $(sort $(wildcard tests/unit/test_*.c))
UNIT_TESTS := $(UNIT_TEST_SRCS:tests/unit/%.c=$(BIN)/tests/%)
TEST_SUITES += $(UNIT_TESTS)

# Fragments set these when their libraries exist; order is link order (users before providers).
UNIT_TEST_LIBS = $(MANIFEST_LIB) $(TEST_PORT_LIB) $(CORE_LIB)

$(OBJ)/tests/%.o: CPPFLAGS += $(CMOCKA_CFLAGS) $(YAML_CFLAGS) -Itests

.SECONDEXPANSION:
$(BIN)/tests/%: $(OBJ)/tests/unit/%.o $$(TEST_EXTRA_$$*) $$(UNIT_TEST_LIBS)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(TEST_EXTRA_$*) $(UNIT_TEST_LIBS) $(CMOCKA_LIBS) $(YAML_LIBS)

# Compile-only checks of the standard headers (C99, C11 -pedantic, C++).
TEST_SCRIPTS += tests/headers/check-headers.sh
