# conformance/psa-arch-tests: Arm's PSA FF test suite (psa-arch-tests, api-tests/ff) run under
# ffm-sim with the target of this directory (docs/ff-suite.md).
#
#   make ff-suite PSA_ARCH_TESTS=DIR   build the suite from the checkout DIR (only read) into
#                                      build/ff-suite, run both lists at isolation levels 1-3
#                                      with and without partition heaps, print the suite's
#                                      reports and the per-test table; JUnit XML and the
#                                      matrix mapping in build/ff-suite/results. Exit 0 when
#                                      nothing failed, 1 otherwise, 2 without the suite.
#   FF_SUITE_LISTS, FF_SUITE_LEVELS, FF_SUITE_HEAPS, FF_SUITE_TIMEOUT narrow or bound the runs.
.PHONY: ff-suite

PSA_ARCH_TESTS ?=
FF_SUITE_OUT ?= $(BUILD)/ff-suite

# Without the suite nothing is built: the script says how to get it and exits 2.
ff-suite: $(if $(PSA_ARCH_TESTS),$(BIN)/ffm-sim $(BIN)/ffm-manifest)
	$(Q)CC="$(CC)" PYTHON="$$(scripts/find-python.sh)" conformance/psa-arch-tests/ff-suite.sh \
		"$(PSA_ARCH_TESTS)" $(FF_SUITE_OUT) $(BIN) include

# Without PSA_ARCH_TESTS the target explains and exits 2; the report's table, JUnit XML and
# mapping are checked on a recorded run.
TEST_SCRIPTS += conformance/psa-arch-tests/check-ff-suite.sh
