# coverage: line and branch coverage of the whole test run (lcov/genhtml), and the conformance
# matrix built on it (scripts/matrix.py, docs/rules.md "The conformance matrix").
#
#   make matrix      build an instrumented tree in build/coverage, run every suite with JUnit
#   make coverage    XML on, collect lcov with branch coverage, write the genhtml report
#                    coverage/html/index.html, then coverage/matrix.{html,md,json}, and print
#                    the matrix summary line. Exits non-zero when a test fails, when an
#                    implemented rule has no passing test or no code location, when a test
#                    named in rules/ffm-rules.yaml did not run, or when src/core/ is below
#                    its coverage targets. The reports are written in every case.
#                    With TFM_TESTS=DIR [TFM=DIR], TF-M's SPM tests run too and their
#                    results join the matrix (conformance/tf-m-tests/tfm-tests.mk).
.PHONY: coverage matrix matrix-run

# The generator's own tests (fixtures in tests/matrix/fixtures), part of `make test`.
TEST_SCRIPTS += tests/matrix/check-matrix.sh

COV_BUILD := $(BUILD)/coverage
COV_RESULTS := $(COV_BUILD)/test-results
# src/core/ coverage targets, checked by the matrix.
COV_MIN_CORE_LINE ?= 95
COV_MIN_CORE_BRANCH ?= 90

# Results of an external suite to join the matrix: a directory of JUnit XML and mapping files,
# e.g. FF_SUITE_RESULTS=build/ff-suite/results after `make ff-suite` (docs/ff-suite.md).
FF_SUITE_RESULTS ?=

# lcov 2.x renamed lcov_branch_coverage to branch_coverage and makes patterns that match
# nothing an error; 1.x knows neither the new name nor `--ignore-errors unused`. Lazy (=):
# lcov may only be installed by ensure-deps.
LCOV_MAJOR = $(shell lcov --version 2>/dev/null | sed -n 's/.*[Vv]ersion \([0-9][0-9]*\).*/\1/p')
LCOV_RC = $(if $(filter 0 1,$(LCOV_MAJOR)),--rc lcov_branch_coverage=1,--rc branch_coverage=1)
LCOV_EXTRACT_RC = $(LCOV_RC) $(if $(filter 0 1,$(LCOV_MAJOR)),,--ignore-errors unused)

coverage matrix: ensure-deps
	$(Q)$(MAKE) --no-print-directory matrix-run

# The test run's status is kept and handed to the matrix, so a failing or crashing suite
# fails the target after the reports are written.
matrix-run:
	$(Q)rm -rf $(COV_BUILD) coverage/html coverage/matrix.html coverage/matrix.md \
		coverage/matrix.json
	$(Q)mkdir -p $(COV_BUILD)
	$(Q)FFM_FUZZ_RULES=1 $(MAKE) --no-print-directory BUILD=$(COV_BUILD) \
		OPT="-O0 -g --coverage" EXTRA_LDFLAGS="--coverage" TEST_OUTPUT=xml test-run; \
		echo $$? > $(COV_BUILD)/test-status
	$(Q)if [ -n "$(TFM_TESTS)" ]; then \
		BUILD=$(COV_BUILD) RESULTS=$(COV_RESULTS) CC="$(CC)" \
		conformance/tf-m-tests/run.sh "$(TFM_TESTS)" "$(TFM)" || echo 1 > $(COV_BUILD)/test-status; \
	fi
	$(Q)$(if $(FF_SUITE_RESULTS),cp $(FF_SUITE_RESULTS)/*.xml $(FF_SUITE_RESULTS)/*.map $(COV_RESULTS)/)
	$(Q)lcov --quiet --capture $(LCOV_RC) --directory $(COV_BUILD)/obj \
		--output-file $(COV_BUILD)/all.info 2> $(COV_BUILD)/lcov.log || \
		{ cat $(COV_BUILD)/lcov.log; exit 1; }
	$(Q)lcov --quiet $(LCOV_EXTRACT_RC) --extract $(COV_BUILD)/all.info \
		"$(CURDIR)/src/*" "$(CURDIR)/sim/*" --output-file $(COV_BUILD)/coverage.info \
		2>> $(COV_BUILD)/lcov.log || { cat $(COV_BUILD)/lcov.log; exit 1; }
	$(Q)genhtml --quiet $(LCOV_RC) --branch-coverage --prefix $(CURDIR) \
		--output-directory coverage/html $(COV_BUILD)/coverage.info \
		2>> $(COV_BUILD)/lcov.log || { cat $(COV_BUILD)/lcov.log; exit 1; }
	$(Q)lcov $(LCOV_RC) --summary $(COV_BUILD)/coverage.info 2>&1 | grep -E 'lines|branches'
	@echo "coverage report: coverage/html/index.html"
	$(Q)"$$(scripts/find-python.sh)" scripts/matrix.py --results $(COV_RESULTS) --lcov $(COV_BUILD)/coverage.info \
		--map rules/test-profiles.map --root $(CURDIR) --min-core-line $(COV_MIN_CORE_LINE) \
		--min-core-branch $(COV_MIN_CORE_BRANCH) --out coverage --genhtml html \
		--test-status "$$(cat $(COV_BUILD)/test-status)"
