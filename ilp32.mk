# ilp32.mk - the ILP32 simulator: `make M32=1 ...` builds ffm-sim, the libraries, the test
# suites and every image the tests build with -m32, into build/m32/ (build/m32-<cc>/ for another
# compiler), against the i386 multiarch libyaml and CMocka (scripts/install-deps.sh --m32).
# Partitions and NS images then see sizeof(size_t) == sizeof(void *) == 4, as on Cortex-M:
# docs/ilp32.md says when to use it and what differs from the 64-bit build.
#
# Included by the Makefile before it picks the build tree. -m32 goes into CC itself (not
# CFLAGS), so that every script that builds images with $CC builds them for ILP32 too.
M32_CC_NAME := $(notdir $(firstword $(CC)))
ifeq ($(M32_CC_NAME),cc)
BUILD ?= build/m32
else
BUILD ?= build/m32-$(M32_CC_NAME)
endif
# 64-bit off_t and ino_t: without them readdir and stat fail with EOVERFLOW on file systems
# with 64-bit inode numbers; 64-bit time_t (glibc 2.34+) past 2038. SSE2 arithmetic instead
# of x87, whose 80-bit intermediates make double results differ from every other build's.
override CC += -m32 -D_FILE_OFFSET_BITS=64 -D_TIME_BITS=64 -msse2 -mfpmath=sse
# The i386 .pc files of Debian's multiarch packages; the 64-bit ones must not be seen.
M32_PKG_LIBDIR ?= /usr/lib/i386-linux-gnu/pkgconfig
PKG_CONFIG ?= PKG_CONFIG_LIBDIR=$(M32_PKG_LIBDIR) pkg-config
INSTALL_DEPS_FLAGS := --m32
M32_EXEC := scripts/m32-exec.sh
