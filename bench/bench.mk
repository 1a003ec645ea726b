# bench: speed and memory targets, checked by `make bench` (never by timed tests).
BENCH_BIN := $(BIN)/bench/bench_core
$(OBJ)/bench/%.o: CPPFLAGS += $(CMOCKA_CFLAGS) -Itests -Isim/syncport

$(BENCH_BIN): $(OBJ)/bench/bench_core.o $(OBJ)/tests/core/fixture.o $(TEST_PORT_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

.PHONY: bench
bench: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(BENCH_BIN)
	$(Q)$(BENCH_BIN)
