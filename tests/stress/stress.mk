# tests/stress: the simulator under load, run by `make test` at a CI-friendly size
# (`make test STRESS=1`: ten times more calls). CMocka suites on the embedding API with the
# partitions of stress_parts.c linked in, plus the reset soak of ffm-sim (soak.sh).
#
#   test_stress       8 NS threads x 5,000 checked calls (SFN/IPC, stateless/connection-based,
#                     pool smaller than the demand); a panic with clients queued under each policy
#   test_host_stacks  partition threads start when the program's static TLS is large (TSan)
#   soak.sh           200 ffm-sim boots: NVMEM content, the supervisor's fds and RSS
STRESS_SUITES := $(BIN)/tests/stress/test_stress $(BIN)/tests/stress/test_host_stacks
STRESS_OBJS := $(OBJ)/tests/stress/stress_parts.o $(OBJ)/tests/stress/stress_util.o
TEST_SUITES += $(STRESS_SUITES)
TEST_SCRIPTS += tests/stress/soak.sh
export STRESS

$(OBJ)/tests/stress/%.o: CPPFLAGS += $(CMOCKA_CFLAGS) $(YAML_CFLAGS)

$(STRESS_SUITES): $(BIN)/tests/stress/%: $(OBJ)/tests/stress/%.o $(STRESS_OBJS) $(POSIX_LIB) \
                  $(SUPER_LIB) $(SIM_LIB) $(MANIFEST_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< $(STRESS_OBJS) $(POSIX_LIB) $(SUPER_LIB) $(SIM_LIB) \
	    $(MANIFEST_LIB) $(CORE_LIB) $(CMOCKA_LIBS) $(YAML_LIBS) $(SIM_LDLIBS)
