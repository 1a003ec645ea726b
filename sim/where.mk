# sim/where.mk: user-facing diagnostics. sim/run_report.c writes ffm-sim --report FILE.json
# (run_report.h), built into $(SUPER_LIB). sim/where.c names code addresses in PE, panic and
# fault lines (where.h). With
# libdw (elfutils) when pkg-config finds it: function names from the full symbol table and
# file:line from DWARF; otherwise dladdr only. Built into $(SIM_LIB); programs linking it add
# $(SIM_LDLIBS), which carries libdw's flags.
WHERE_LIBDW := $(shell $(PKG_CONFIG) --exists libdw 2>/dev/null && echo yes)
ifeq ($(WHERE_LIBDW),yes)
WHERE_CPPFLAGS := -DFFMSIM_HAVE_LIBDW $(shell $(PKG_CONFIG) --cflags libdw)
SIM_LDLIBS += $(shell $(PKG_CONFIG) --libs libdw)
endif
$(OBJ)/sim/where.o $(BUILD)/pic/sim/where.o: CPPFLAGS += $(WHERE_CPPFLAGS)
$(SIM_LIB): $(OBJ)/sim/where.o
$(SUPER_LIB): $(OBJ)/sim/run_report.o
