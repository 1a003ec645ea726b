# conformance/tf-m-tests: TF-M's SPM regression tests (TrustedFirmware-M/tf-m-tests) under
# ffm-sim (run.sh; docs/tfm.md section 6).
#
#   make tfm-tests TFM_TESTS=DIR [TFM=DIR]
#
# DIR: a tf-m-tests checkout; TFM: a trusted-firmware-m checkout, whose own manifest list is
# then loaded too (with the configuration's conditionals). Without TFM_TESTS it says how to get
# the tests and exits 2. Results: a table on stdout, JUnit XML and tfm-tests.map in
# $(BUILD)/tfm-tests/test-results (RESULTS=DIR to change); `make matrix TFM_TESTS=DIR` adds
# them to the conformance matrix.
.PHONY: tfm-tests tfm-tests-run

TEST_SCRIPTS += conformance/tf-m-tests/check-usage.sh

tfm-tests: ensure-deps
	$(Q)if [ -z "$(TFM_TESTS)" ]; then conformance/tf-m-tests/run.sh; fi
	$(Q)$(M32_EXEC) $(MAKE) --no-print-directory tfm-tests-run

tfm-tests-run: $(BIN)/ffm-sim $(BIN)/ffm-manifest
	$(Q)BUILD=$(BUILD) CC="$(CC)" $(if $(RESULTS),RESULTS=$(RESULTS)) \
		conformance/tf-m-tests/run.sh "$(TFM_TESTS)" "$(TFM)"
