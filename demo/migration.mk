# demo/migration.mk - `make run-migration` (demo/run-migration.sh): the demo's worked example
# of moving a connection-based service to a stateless handle, measured from the trace
# (docs/migrating-to-stateless.md); and call_cost, the trace reader it uses.
DEMO_CALL_COST := $(BUILD)/demo/call_cost
PROGRAMS += $(DEMO_CALL_COST)

$(DEMO_CALL_COST): $(OBJ)/demo/tools/call_cost.o
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^

.PHONY: run-migration
ifneq ($(filter $(BIN)/ffm-sim,$(PROGRAMS)),)
run-migration: $(BIN)/ffm-sim $(BIN)/ffm-manifest $(DEMO_IMAGES) $(DEMO_NS_IMAGE) $(DEMO_CALL_COST)
	$(Q)BUILD=$(BUILD) CC="$(CC)" CFLAGS_IMAGE="$(DEMO_CFLAGS)" \
	    IMAGE_LDFLAGS="$(DEMO_IMAGE_LDFLAGS)" demo/run-migration.sh
else
run-migration:
	@echo "make run-migration: this tree does not build ffm-sim yet." >&2
	@exit 1
endif
