# cross.mk - `make cross`: build the portable SPM core (src/core/*.c, handle codec included)
# freestanding for a Cortex-M33 and print its .text/.data/.bss sizes. Compile only: the core
# needs nothing from a C library beyond freestanding headers (and assert, a no-op with NDEBUG).
CROSS_CC ?= arm-none-eabi-gcc
CROSS_SIZE ?= arm-none-eabi-size
CROSS_DIR := $(BUILD)/cross
CROSS_CFLAGS := -mcpu=cortex-m33 -mthumb -Os -ffreestanding -std=c11 -Wall -Wextra -Werror \
	-pedantic -Wshadow -Wstrict-prototypes -Wmissing-prototypes -DNDEBUG -ffunction-sections
CROSS_OBJS := $(CORE_SRCS:src/core/%.c=$(CROSS_DIR)/%.o)

.PHONY: cross
cross: $(CROSS_OBJS)
	$(Q)$(CROSS_SIZE) -t $(CROSS_OBJS)

$(CROSS_DIR)/%.o: src/core/%.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CROSS   $<")
	$(Q)$(CROSS_CC) -Iinclude -Isrc/core $(CROSS_CFLAGS) -c $< -o $@
