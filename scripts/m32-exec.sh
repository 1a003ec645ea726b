#!/bin/sh
# m32-exec.sh - run a command (make M32=1 runs its build and its tests through this) where
# 32-bit x86 programs can run.
#
# On an x86-64 Linux host with IA-32 emulation, that is everywhere: the command runs as is.
# Some virtual machines run 64-bit user space only (the kernel refuses every i386 program with
# "Exec format error"). There, when qemu-user is installed (qemu-i386, Debian's qemu-user), the
# command runs in a private user and mount namespace whose own binfmt_misc instance (Linux 6.7
# and later) hands i386 programs to qemu-i386: nothing outside the namespace changes, and every
# program the command starts - test suites, ffm-sim, the images it loads - is i386 code that
# qemu runs. Programs under qemu are slower (several times), but behave the same.
#
# Exit status: the command's; 2 when 32-bit programs cannot be run at all (says why).
set -eu
[ "$#" -gt 0 ] || { echo "usage: $0 COMMAND [ARG]..." >&2; exit 2; }

# Already inside our namespace (a nested make), or asked to run natively.
[ "${FFMSIM_M32_EXEC:-}" = "" ] || exec "$@"

probe_dir=$(mktemp -d)
trap 'rm -rf "$probe_dir"' EXIT
printf 'int main(void) { return sizeof(void *) == 4 ? 0 : 1; }\n' > "$probe_dir/p.c"
if ! ${M32_PROBE_CC:-cc} -m32 "$probe_dir/p.c" -o "$probe_dir/p" 2>"$probe_dir/log"; then
    echo "m32-exec: cannot build 32-bit programs (scripts/install-deps.sh --m32):" >&2
    cat "$probe_dir/log" >&2
    exit 2
fi
if "$probe_dir/p" 2>/dev/null; then
    rm -rf "$probe_dir"
    trap - EXIT
    FFMSIM_M32_EXEC=native exec "$@"
fi

QEMU=$(command -v qemu-i386 || true)
if [ -z "$QEMU" ]; then
    echo "m32-exec: this kernel does not run 32-bit x86 programs, and qemu-i386 (qemu-user)" \
        "is not installed (scripts/install-deps.sh --m32 installs it)" >&2
    exit 2
fi
# binfmt_misc's register line: the ELF header of an i386 executable or shared object (class 1,
# little-endian, machine 3), with the mask qemu's own binfmt configuration uses.
MAGIC='\x7fELF\x01\x01\x01\x00\x00\x00\x00\x00\x00\x00\x00\x00\x02\x00\x03\x00'
MASK='\xff\xff\xff\xff\xff\xfe\xfe\x00\xff\xff\xff\xff\xff\xff\xff\xff\xfe\xff\xff\xff'
rm -rf "$probe_dir"
trap - EXIT
export FFMSIM_M32_EXEC=qemu FFMSIM_M32_QEMU="$QEMU" FFMSIM_M32_REG=":ffmsim-i386:M::$MAGIC:$MASK:$QEMU:"
exec unshare --user --map-root-user --mount sh -c '
    mount -t binfmt_misc binfmt_misc /proc/sys/fs/binfmt_misc 2>/dev/null &&
        printf "%s" "$FFMSIM_M32_REG" > /proc/sys/fs/binfmt_misc/register || {
        echo "m32-exec: no private binfmt_misc here (needs Linux 6.7+ and user namespaces);" \
            "run on a host that runs 32-bit programs" >&2
        exit 2
    }
    exec "$@"' m32-exec "$@"
