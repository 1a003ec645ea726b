# install/install.mk: `make install` / `make uninstall` - the tools, the public headers, one
# library (libffmsim, static and shared), pkg-config and CMake packages and man pages, so that a
# partition repository or an embedding program uses ffmsim from outside this tree
# (docs/install.md).
#
#   make install [PREFIX=/usr/local] [DESTDIR=/stage]   (also BINDIR, LIBDIR, INCLUDEDIR, MANDIR)
#   make uninstall [PREFIX=...] [DESTDIR=...]           removes exactly what install put there
#
# libffmsim bundles the embedding API (ffmsim/sim.h), the PSA and platform API symbols, the
# reset supervisor, memory model, image loader, the manifest library (ffmsim/manifest.h) and
# the SPM core. The shared library exports only the public API (install/libffmsim.map), the
# same names ffm-sim exports to images plus ffm_sim_* and ffm_manifest_*, so an image loaded
# by an embedding program binds psa_* to it and to nothing else. Its objects are compiled
# again with -fPIC under $(BUILD)/pic/.
FFMSIM_VERSION := 0.1.0
FFMSIM_SOVERSION := 0

PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
LIBDIR ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
MANDIR ?= $(PREFIX)/share/man
DATADIR ?= $(PREFIX)/share
INSTALL ?= install

INST_DIR := $(BUILD)/install
space := $(subst ,, )
INST_SRCS := $(POSIX_SRCS) $(SUPER_SRCS) sim/run_report.c $(SIM_SRCS) sim/where.c \
    $(MANIFEST_SRCS) $(CORE_SRCS)
INST_PIC_OBJS := $(INST_SRCS:%.c=$(BUILD)/pic/%.o)
INST_STATIC := $(INST_DIR)/libffmsim.a
INST_MAN := $(INST_DIR)/man/ffm-manifest.1 $(INST_DIR)/man/ffm-sim.1
INST_MAP := install/libffmsim.map
# An instrumented build (make coverage) needs the gcov runtime wherever the library is linked.
INST_LIB_LDLIBS = $(YAML_LIBS) $(SIM_LDLIBS) $(filter --coverage,$(EXTRA_LDFLAGS))
# What linking the library needs, as the build that made it saw it: written next to the
# library ($(INST_LDLIBS_FILE)) so that `make install` (maybe run with other variables, or
# from a test script) describes the library it installs.
INST_LDLIBS_FILE = $(INST_DIR)/ldlibs
INST_BUILT_LDLIBS = $(shell cat $(INST_LDLIBS_FILE) 2>/dev/null)
# Beyond libyaml, dl and threads (libdw, the gcov runtime), as ";-ldw;-lelf" for the CMake
# package's list, or nothing.
INST_EXTRA_LIBS = $(strip $(filter-out -lyaml -ldl -lpthread,$(INST_BUILT_LDLIBS)))
INST_CMAKE_EXTRA_LIBS = $(if $(INST_EXTRA_LIBS),;$(subst $(space),;,$(INST_EXTRA_LIBS)))

ifeq ($(SIM_UNAME),Darwin)
INST_SHARED := $(INST_DIR)/libffmsim.$(FFMSIM_SOVERSION).dylib
INST_SHARED_LINK := libffmsim.dylib
INST_SONAME := @rpath/libffmsim.$(FFMSIM_SOVERSION).dylib
INST_SHARED_LDFLAGS = -dynamiclib -install_name @rpath/libffmsim.$(FFMSIM_SOVERSION).dylib \
    -Wl,-exported_symbols_list,install/libffmsim.exports
INST_MAP_FILE := install/libffmsim.exports
else
INST_SHARED := $(INST_DIR)/libffmsim.so.$(FFMSIM_SOVERSION)
INST_SHARED_LINK := libffmsim.so
INST_SONAME := libffmsim.so.$(FFMSIM_SOVERSION)
INST_SHARED_LDFLAGS = -shared -Wl,-soname,libffmsim.so.$(FFMSIM_SOVERSION) \
    -Wl,--version-script=$(INST_MAP)
INST_MAP_FILE := $(INST_MAP)
endif

# Built with the programs, so that `make test` finds them in place.
PROGRAMS += $(INST_STATIC) $(INST_SHARED) $(INST_LDLIBS_FILE) $(INST_MAN)
# The packaging tests build programs against the installed library with a plain `cc`: a
# sanitizer build's library would need its runtime in every such link line, and an M32=1
# library is 32-bit, so they run in the plain and clang runs only (docs/sanitizers.md).
ifeq ($(strip $(SAN))$(strip $(M32)),)
TEST_SCRIPTS += tests/install/install.sh tests/install/doc_snippets.sh
endif

# The library objects again, position-independent. Same flags as the fragments give them.
$(BUILD)/pic/%.o: %.c
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  CC PIC  $<")
	$(Q)$(CC) $(CPPFLAGS) -Isim $(YAML_CFLAGS) $(CFLAGS) -fPIC -fvisibility=default \
	    $(DEPFLAGS) -c $< -o $@

-include $(INST_PIC_OBJS:.o=.d)

# The static library from the ordinary objects: one archive, so link order no longer matters.
$(INST_STATIC): $(INST_SRCS:%.c=$(OBJ)/%.o)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  AR      $@")
	$(Q)rm -f $@ && $(AR) rcs $@ $^

$(INST_SHARED): $(INST_PIC_OBJS) $(INST_MAP_FILE)
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  LD      $@")
	$(Q)$(CC) $(CFLAGS) $(LDFLAGS) $(INST_SHARED_LDFLAGS) -o $@ $(INST_PIC_OBJS) $(INST_LIB_LDLIBS)

# Made with the libraries, by the same make (and so the same variables).
$(INST_LDLIBS_FILE): $(INST_STATIC) $(INST_SHARED)
	$(Q)echo '$(INST_LIB_LDLIBS)' > $@

# Man pages from the tools' own --help, so they cannot disagree with it.
$(INST_DIR)/man/%.1: $(BIN)/% install/help2man.sh
	@mkdir -p $(dir $@)
	$(if $(Q),@echo "  MAN     $@")
	$(Q)install/help2man.sh $< $(FFMSIM_VERSION) > $@.tmp && mv $@.tmp $@

# ---------------------------------------------------------------- install / uninstall

# Public headers: the standard PSA headers, the simulator's API, and the manifest library's
# header with the two core headers it includes (found next to it through "..." includes).
INST_HEADERS_PSA := $(wildcard include/psa/*.h)
INST_HEADERS_FFMSIM := $(wildcard include/ffmsim/*.h) src/manifest/manifest.h \
    src/core/ffm_rules.h src/core/ffm_rules.def src/core/handle.h
# Opt-in TF-M compatibility headers (docs/tfm-partitions.md): tfm-compat/psa/client.h finds
# ffmsim's psa/client.h as ../../psa/client.h, so the layout keeps them beside include/psa.
INST_HEADERS_TFMCOMPAT := $(wildcard include/tfm-compat/*.h)
INST_HEADERS_TFMCOMPAT_PSA := $(wildcard include/tfm-compat/psa/*.h)
INST_CMAKE_DIR = $(LIBDIR)/cmake/ffmsim

# ffmsim.pc is relocatable when the layout is the default one (prefix from ${pcfiledir}).
ifeq ($(LIBDIR)|$(BINDIR)|$(INCLUDEDIR),$(PREFIX)/lib|$(PREFIX)/bin|$(PREFIX)/include)
INST_PC_PREFIX := $${pcfiledir}/../..
INST_PC_BINDIR := $${exec_prefix}/bin
INST_PC_LIBDIR := $${exec_prefix}/lib
INST_PC_INCLUDEDIR := $${prefix}/include
INST_CM_PREFIX := $${CMAKE_CURRENT_LIST_DIR}/../../..
INST_CM_BINDIR := $${_ffmsim_prefix}/bin
INST_CM_LIBDIR := $${_ffmsim_prefix}/lib
INST_CM_INCLUDEDIR := $${_ffmsim_prefix}/include
else
INST_PC_PREFIX := $(PREFIX)
INST_PC_BINDIR := $(BINDIR)
INST_PC_LIBDIR := $(LIBDIR)
INST_PC_INCLUDEDIR := $(INCLUDEDIR)
INST_CM_PREFIX := $(PREFIX)
INST_CM_BINDIR := $(BINDIR)
INST_CM_LIBDIR := $(LIBDIR)
INST_CM_INCLUDEDIR := $(INCLUDEDIR)
endif
INST_D = $(DESTDIR)

.PHONY: install uninstall install-files
install: ensure-deps
	$(Q)$(MAKE) --no-print-directory install-files

install-files: $(BIN)/ffm-manifest $(BIN)/ffm-sim $(INST_STATIC) $(INST_SHARED) $(INST_MAN) \
               $(INST_LDLIBS_FILE)
	$(INSTALL) -d $(INST_D)$(BINDIR) $(INST_D)$(LIBDIR)/pkgconfig $(INST_D)$(INST_CMAKE_DIR) \
	    $(INST_D)$(INCLUDEDIR)/psa $(INST_D)$(INCLUDEDIR)/ffmsim $(INST_D)$(MANDIR)/man1 \
	    $(INST_D)$(INCLUDEDIR)/tfm-compat/psa
	$(INSTALL) -m 755 $(BIN)/ffm-manifest $(BIN)/ffm-sim $(INST_D)$(BINDIR)/
	$(INSTALL) -m 644 $(INST_HEADERS_PSA) $(INST_D)$(INCLUDEDIR)/psa/
	$(INSTALL) -m 644 $(INST_HEADERS_FFMSIM) $(INST_D)$(INCLUDEDIR)/ffmsim/
	$(INSTALL) -m 644 $(INST_HEADERS_TFMCOMPAT) $(INST_D)$(INCLUDEDIR)/tfm-compat/
	$(INSTALL) -m 644 $(INST_HEADERS_TFMCOMPAT_PSA) $(INST_D)$(INCLUDEDIR)/tfm-compat/psa/
	$(INSTALL) -m 644 $(INST_STATIC) $(INST_D)$(LIBDIR)/
	$(INSTALL) -m 755 $(INST_SHARED) $(INST_D)$(LIBDIR)/
	ln -sf $(notdir $(INST_SHARED)) $(INST_D)$(LIBDIR)/$(INST_SHARED_LINK)
	sed -e 's|@VERSION@|$(FFMSIM_VERSION)|' -e 's|@LIBS_PRIVATE@|$(INST_BUILT_LDLIBS)|' \
	    -e 's|@PREFIX@|$(INST_PC_PREFIX)|' -e 's|@BINDIR@|$(INST_PC_BINDIR)|' \
	    -e 's|@LIBDIR@|$(INST_PC_LIBDIR)|' -e 's|@INCLUDEDIR@|$(INST_PC_INCLUDEDIR)|' \
	    -e 's|@IMAGE_LDFLAGS@|$(SIM_IMAGE_LDFLAGS)|' \
	    install/ffmsim.pc.in > $(INST_D)$(LIBDIR)/pkgconfig/ffmsim.pc
	sed -e 's|@VERSION@|$(FFMSIM_VERSION)|' -e 's|@VERSION_MAJOR@|$(firstword $(subst ., ,$(FFMSIM_VERSION)))|' \
	    install/ffmsimConfigVersion.cmake.in > $(INST_D)$(INST_CMAKE_DIR)/ffmsimConfigVersion.cmake
	sed -e 's|@VERSION@|$(FFMSIM_VERSION)|' -e 's|@SOVERSION@|$(FFMSIM_SOVERSION)|' \
	    -e 's|@SONAME@|$(INST_SONAME)|' -e 's|@EXTRA_LIBS@|$(INST_CMAKE_EXTRA_LIBS)|' -e 's|@CMAKE_PREFIX_EXPR@|$(INST_CM_PREFIX)|' \
	    -e 's|@CMAKE_BINDIR_EXPR@|$(INST_CM_BINDIR)|' -e 's|@CMAKE_LIBDIR_EXPR@|$(INST_CM_LIBDIR)|' \
	    -e 's|@CMAKE_INCLUDEDIR_EXPR@|$(INST_CM_INCLUDEDIR)|' \
	    install/ffmsimConfig.cmake.in > $(INST_D)$(INST_CMAKE_DIR)/ffmsimConfig.cmake
	$(INSTALL) -m 644 $(INST_MAN) $(INST_D)$(MANDIR)/man1/

uninstall:
	rm -f $(INST_D)$(BINDIR)/ffm-manifest $(INST_D)$(BINDIR)/ffm-sim
	rm -f $(addprefix $(INST_D)$(INCLUDEDIR)/psa/,$(notdir $(INST_HEADERS_PSA)))
	rm -f $(addprefix $(INST_D)$(INCLUDEDIR)/ffmsim/,$(notdir $(INST_HEADERS_FFMSIM)))
	rm -f $(addprefix $(INST_D)$(INCLUDEDIR)/tfm-compat/,$(notdir $(INST_HEADERS_TFMCOMPAT)))
	rm -f $(addprefix $(INST_D)$(INCLUDEDIR)/tfm-compat/psa/,$(notdir $(INST_HEADERS_TFMCOMPAT_PSA)))
	rm -f $(INST_D)$(LIBDIR)/libffmsim.a $(INST_D)$(LIBDIR)/$(notdir $(INST_SHARED)) \
	    $(INST_D)$(LIBDIR)/$(INST_SHARED_LINK) $(INST_D)$(LIBDIR)/pkgconfig/ffmsim.pc
	rm -f $(INST_D)$(INST_CMAKE_DIR)/ffmsimConfig.cmake $(INST_D)$(INST_CMAKE_DIR)/ffmsimConfigVersion.cmake
	rm -f $(addprefix $(INST_D)$(MANDIR)/man1/,$(notdir $(INST_MAN)))
	-rmdir $(INST_D)$(INST_CMAKE_DIR) $(INST_D)$(INCLUDEDIR)/ffmsim 2>/dev/null
	-rmdir $(INST_D)$(INCLUDEDIR)/tfm-compat/psa $(INST_D)$(INCLUDEDIR)/tfm-compat 2>/dev/null
