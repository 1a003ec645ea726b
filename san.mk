# san.mk - sanitizer builds, each in its own tree (included by the Makefile before it picks the
# build directory):
#
#   make test SAN=address,undefined   ASan + UBSan   -> build/san-address-undefined/
#   make test SAN=thread              TSan           -> build/san-thread/
#   make CC=clang test SAN=thread     the same with clang -> build/clang/san-thread/
#
# Everything is built with the sanitizers: libraries, ffm-sim, the test suites, the test images
# (tests/fixtures/sim) and the images integration.sh builds (IMG_EXTRA_CFLAGS). A finding aborts
# the program that made it (halt_on_error, -fno-sanitize-recover), so the suite fails. The
# runtime options and why each is needed: docs/sanitizers.md.
ifneq ($(strip $(SAN)),)
san_comma := ,
SAN_NAME := $(subst $(san_comma),-,$(strip $(SAN)))
ifeq ($(CC_NAME),cc)
BUILD ?= build/san-$(SAN_NAME)
else
BUILD ?= build/$(CC_NAME)/san-$(SAN_NAME)
endif
# -O1 keeps the stack traces readable; frame pointers give the sanitizers' unwinder full stacks.
OPT ?= -O1 -g -fno-omit-frame-pointer
SAN_CFLAGS := -fsanitize=$(strip $(SAN)) -fno-sanitize-recover=all
override EXTRA_CFLAGS += $(SAN_CFLAGS)
export SAN
export IMG_EXTRA_CFLAGS := $(SAN_CFLAGS) -g -fno-omit-frame-pointer

# Runtime options for every sanitized program the tests run (run-tests.sh, integration.sh,
# soak.sh, ffm-sim and its forked boots); each was checked to be needed or to be what the
# suite relies on (docs/sanitizers.md):
# - halt_on_error=1, abort_on_error=0, exitcode=66: a finding ends the program at once with
#   status 66, which no test expects, so the suite fails; the report goes to stderr, kept in
#   the suite's .out file under $(BUILD)/test-results/ (or the run's .err file).
# - ASan: ffm-sim catches SIGSEGV/SIGBUS/SIGILL/SIGFPE itself on an alternate signal stack
#   (partition faults, RESET-10..12); allow_user_segv_handler=1 (the runtime's default today)
#   lets its sigaction win over ASan's handler, which stays in place (handle_segv=1) for the
#   programs that install none. detect_leaks=1: LeakSanitizer checks every program that exits
#   normally (ffm-sim's per-boot children end with _exit and are not checked).
# - TSan: atexit_sleep_ms=0, because TSan otherwise sleeps 1 s in every exiting process and
#   ffm-sim ends one per boot (the reset soak's 200 boots took 230 s instead of 43 s).
# No suppressions: no finding is in a third-party library.
export ASAN_OPTIONS := halt_on_error=1:abort_on_error=0:exitcode=66:detect_leaks=1:allow_user_segv_handler=1
export UBSAN_OPTIONS := halt_on_error=1:abort_on_error=0:exitcode=66:print_stacktrace=1
# report_signal_unsafe=0: a process that faulted in simulated code names the code at fault
# from its fault handler (symbol tables, DWARF: sim/fault.c, describe_fault) before it ends or
# traps, on purpose and bounded by an alarm; TSan would report that as a signal-unsafe call.
export TSAN_OPTIONS := halt_on_error=1:abort_on_error=0:exitcode=66:atexit_sleep_ms=0:report_signal_unsafe=0
endif
