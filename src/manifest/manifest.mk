# src/manifest: the manifest library (libyaml based) and the ffm-manifest CLI. The library is
# build/libffmmanifest.a; the CLI's main() lives in ffm_manifest_main.c, outside the library.
MANIFEST_MAIN := src/manifest/ffm_manifest_main.c
MANIFEST_SRCS := $(filter-out $(MANIFEST_MAIN),$(sort $(wildcard src/manifest/*.c)))
MANIFEST_OBJS := $(MANIFEST_SRCS:%.c=$(OBJ)/%.o)
MANIFEST_LIB := $(BUILD)/libffmmanifest.a
LIBS_ALL += $(MANIFEST_LIB)
PROGRAMS += $(BIN)/ffm-manifest

$(OBJ)/src/manifest/%.o: CPPFLAGS += $(YAML_CFLAGS)

$(MANIFEST_LIB): $(MANIFEST_OBJS)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(BIN)/ffm-manifest: $(MANIFEST_MAIN:%.c=$(OBJ)/%.o) $(MANIFEST_LIB) $(CORE_LIB)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(YAML_LIBS)
