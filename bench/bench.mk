# bench: speed and memory targets, checked by `make bench` (never by timed tests).
BENCH_BIN := $(BIN)/bench/bench_core
$(OBJ)/bench/%.o: CPPFLAGS += $(CMOCKA_CFLAGS) -Itests -Isim/syncport

$(BENCH_BIN): $(OBJ)/bench/bench_core.o $(CORE_TEST_FIXTURE) $(TEST_PORT_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(CMOCKA_LIBS)

# The stack switch an SFN run in its caller's context costs: assembly against ucontext.
BENCH_STACK_BIN := $(BIN)/bench/bench_stack
$(OBJ)/bench/bench_stack.o: CPPFLAGS += -Isim

$(BENCH_STACK_BIN): $(OBJ)/bench/bench_stack.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

.PHONY: bench
bench: ensure-deps
	$(Q)$(MAKE) --no-print-directory $(BENCH_BIN) $(BENCH_STACK_BIN) $(BIN)/ffm-sim
	$(Q)$(BENCH_BIN)
	$(Q)$(BENCH_STACK_BIN)
	$(Q)$(MAKE) --no-print-directory bench-sim
	$(Q)$(MAKE) --no-print-directory bench-isolation

# ffm-sim: round trips, NS threads and the floor (a semaphore ping-pong and a direct call),
# measured in the same run by bench/sim/ns.c, 7 interleaved rounds (FFM_BENCH_ROUNDS), with the
# default CPU policy (one CPU), without memory isolation (--isolation 0: these rows measure
# the world switch; bench-isolation below measures what each isolation level adds). Every
# round goes to build/bench/results.csv.
BENCH_SIM_OUT := $(BUILD)/bench/sim
BENCH_SIM_SOFLAGS := -std=c99 -D_POSIX_C_SOURCE=200809L -O2 -shared -fPIC -pthread -Iinclude \
	-I$(BENCH_SIM_OUT)/gen
ifeq ($(shell uname -s),Darwin)
BENCH_SIM_SOFLAGS += -undefined dynamic_lookup
endif
BENCH_ROUNDS ?= 7

$(BENCH_SIM_OUT)/gen/psa_manifest/sid.h: $(wildcard bench/sim/*.yaml) $(BIN)/ffm-manifest
	@mkdir -p $(BENCH_SIM_OUT)/gen
	$(Q)$(BIN)/ffm-manifest -m bench/sim/list.yaml -o $(BENCH_SIM_OUT)/gen

$(BENCH_SIM_OUT)/%.so: bench/sim/%.c $(BENCH_SIM_OUT)/gen/psa_manifest/sid.h
	$(Q)$(CC) $(BENCH_SIM_SOFLAGS) -o $@ $<

.PHONY: bench-sim
bench-sim: $(BIN)/ffm-sim $(BENCH_SIM_OUT)/partitions.so $(BENCH_SIM_OUT)/ns.so
	$(Q)FFM_BENCH_ROUNDS=$(BENCH_ROUNDS) FFM_BENCH_CSV=$(BUILD)/bench/results.csv \
		$(BIN)/ffm-sim -m bench/sim/list.yaml --image $(BENCH_SIM_OUT)/partitions.so \
		--ns $(BENCH_SIM_OUT)/ns.so --timeout 600 --log error --isolation 0 $(BENCH_SIM_ARGS)

-include bench/isolation/isolation.mk
