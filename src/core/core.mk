# src/core: the portable SPM core and the handle codec. Built into build/libffmcore.a; the
# same sources build freestanding for Cortex-M33 with `make cross`.
CORE_SRCS := $(sort $(wildcard src/core/*.c))
CORE_OBJS := $(CORE_SRCS:%.c=$(OBJ)/%.o)
CORE_LIB := $(BUILD)/libffmcore.a
LIBS_ALL += $(CORE_LIB)

$(CORE_LIB): $(CORE_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^
