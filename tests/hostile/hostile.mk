# tests/hostile: the hostile-input cases behind docs/hostile-inputs.md, run by `make test`;
# `make hostile-table` rewrites the table from a run (review the diff, then commit it).
TEST_SCRIPTS += tests/hostile/hostile.sh

.PHONY: hostile-table
hostile-table: $(PROGRAMS)
	$(Q)HOSTILE_WRITE=docs/hostile-inputs.md BUILD=$(BUILD) CC="$(CC)" tests/hostile/hostile.sh
