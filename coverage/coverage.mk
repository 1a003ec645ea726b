# coverage: line and branch coverage of the whole test run, with lcov/genhtml.
#
#   make coverage    build an instrumented tree in build/coverage, run every suite, and write
#                    build/coverage/coverage.info and the HTML report coverage/html/index.html
#
# The conformance matrix (rule -> tests -> result -> covered code) is built on this report and
# on rules/ffm-rules.yaml.
.PHONY: coverage
coverage: ensure-deps
	$(Q)rm -rf $(BUILD)/coverage coverage/html
	$(Q)$(MAKE) --no-print-directory BUILD=$(BUILD)/coverage OPT="-O0 -g --coverage" \
		EXTRA_LDFLAGS="--coverage" test-run || true
	$(Q)lcov --quiet --capture --rc lcov_branch_coverage=1 --directory $(BUILD)/coverage/obj \
		--output-file $(BUILD)/coverage/all.info 2> $(BUILD)/coverage/lcov.log || \
		{ cat $(BUILD)/coverage/lcov.log; exit 1; }
	$(Q)lcov --quiet --rc lcov_branch_coverage=1 --extract $(BUILD)/coverage/all.info \
		"$(CURDIR)/src/*" "$(CURDIR)/sim/*" --output-file $(BUILD)/coverage/coverage.info \
		2>> $(BUILD)/coverage/lcov.log || { cat $(BUILD)/coverage/lcov.log; exit 1; }
	$(Q)genhtml --quiet --branch-coverage --output-directory coverage/html \
		$(BUILD)/coverage/coverage.info
	$(Q)lcov --rc lcov_branch_coverage=1 --summary $(BUILD)/coverage/coverage.info
	@echo "coverage report: coverage/html/index.html"
